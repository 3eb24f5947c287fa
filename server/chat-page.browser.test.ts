import { existsSync, mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

// The chat page in a real headless Chromium against a real server process and the local model.
const browserPath =
  process.env.CHROMIUM_PATH ??
  ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(existsSync);
const required = process.env.RTA_REQUIRE_BROWSER === "1";
if (!browserPath && required)
  throw new Error(
    "RTA_REQUIRE_BROWSER=1 but no Chromium found; install it (apt-get install chromium) or set CHROMIUM_PATH.",
  );

describe.skipIf(!browserPath)(
  "chat page in Chromium (skipped when no Chromium is installed: apt-get install chromium)",
  () => {
    let server: ServerProcess;
    let browser: Browser;

    beforeAll(async () => {
      server = await startServerProcess();
      browser = await chromium.launch({
        executablePath: browserPath!,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
    });

    it("streams the answer and shows the calculator call", async () => {
      const page = await browser.newPage();
      const chunkCounts: number[] = [];
      await page.exposeFunction("recordLength", (length: number) => chunkCounts.push(length));
      await page.goto(server.url);
      await page.locator('#status[data-state="open"]').waitFor();
      // Record the agent bubble's length at every DOM change, to see that text arrives in pieces.
      await page.evaluate(() => {
        new MutationObserver(() => {
          const bubble = document.querySelector(".message.agent");
          if (bubble)
            (window as unknown as { recordLength(length: number): void }).recordLength(bubble.textContent?.length ?? 0);
        }).observe(document.getElementById("log")!, { subtree: true, childList: true, characterData: true });
      });
      await page.fill("#message", "What is 12.5% of 3,480?");
      await page.click("#send");

      await page.locator(".meta").filter({ hasText: "first token" }).waitFor({ timeout: 30_000 });
      const toolRow = await page.locator(".tool").first().textContent();
      expect(toolRow).toContain("calculator");
      expect(toolRow).toContain("435");
      expect(await page.locator(".message.user").textContent()).toBe("What is 12.5% of 3,480?");
      expect((await page.locator(".message.agent").textContent())?.trim().length).toBeGreaterThan(0);
      expect(new Set(chunkCounts).size).toBeGreaterThan(2);
      expect(await page.locator(".message.agent.streaming").count()).toBe(0);

      if (process.env.RTA_SCREENSHOT_DIR) {
        mkdirSync(process.env.RTA_SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: `${process.env.RTA_SCREENSHOT_DIR}/chat-page.png` });
      }
    });
  },
);
