import { existsSync, mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { parseServerFrame, type ServerFrame } from "realtime-agent/client";
import { startServerProcess, type ServerProcess } from "./server-process.ts";

// The chat page in a real headless Chromium against a real server process and the local model. The page
// talks through the typed client (realtime-agent/client, bundled into /chat.js); the test sits between
// the page and the server (Playwright's WebSocket routing) to drop the connection in the middle of the answer.
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
      // The page's token-by-token rendering is checked: the output guard would stream whole sentences.
      server = await startServerProcess({ RTA_GUARD_OUTPUT: "off" });
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

    it("streams the answer through the client, resumes after a dropped connection, and shows the calculator call", async () => {
      const page = await browser.newPage();
      const chunkCounts: number[] = [];
      await page.exposeFunction("recordLength", (length: number) => chunkCounts.push(length));
      // Every connection the page opens, and every frame the server sends it; the first connection is
      // dropped (both sides) right after the answer's second chunk reached the page.
      const connectionUrls: string[] = [];
      const delivered: ServerFrame[] = [];
      await page.routeWebSocket(/\/ws\//, (pageSide) => {
        const connection = connectionUrls.push(pageSide.url()) - 1;
        const serverSide = pageSide.connectToServer();
        let dropped = false;
        serverSide.onMessage((message) => {
          // A frame the server sent while the dropped connection was closing never reaches the page.
          if (dropped) return;
          const frame = parseServerFrame(message.toString());
          delivered.push(frame);
          pageSide.send(message);
          const chunks = delivered.filter((received) => received.type === "agent_response_chunk").length;
          if (connection === 0 && chunks === 2) {
            dropped = true;
            void pageSide.close({ code: 4000, reason: "dropped by the test" });
            void serverSide.close();
          }
        });
      });
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

      // The local model shares the machine's cores with other processes; waiting is not what is measured.
      await page.locator(".meta").filter({ hasText: "first token" }).waitFor({ timeout: 150_000 });
      // The local model's confidence in its answer, from its token probabilities.
      expect(await page.locator(".meta").filter({ hasText: "first token" }).textContent()).toMatch(/confidence \d+%/);
      const toolRow = await page.locator(".tool").first().textContent();
      expect(toolRow).toContain("calculator");
      expect(toolRow).toContain("435");
      expect(await page.locator(".message.user").textContent()).toBe("What is 12.5% of 3,480?");
      expect(await page.locator(".message.agent.streaming").count()).toBe(0);
      expect(new Set(chunkCounts).size).toBeGreaterThan(2);

      // It reconnected once, resuming after the last frame it had seen; the answer lost and repeated nothing.
      const secondChunk = delivered.filter((frame) => frame.type === "agent_response_chunk")[1]!;
      expect(connectionUrls).toHaveLength(2);
      expect(connectionUrls[1]).toMatch(new RegExp(`/ws/web-[^?]+\\?last_seq=${secondChunk.seq}$`));
      const seqs = delivered.map((frame) => frame.seq);
      expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));
      const complete = delivered.at(-1)!;
      if (complete.type !== "agent_response_complete") throw new Error(`the turn ended with ${complete.type}`);
      const chunkText = delivered
        .map((frame) => (frame.type === "agent_response_chunk" ? frame.content.text : ""))
        .join("");
      expect(complete.content.text).toBe(chunkText);
      expect(await page.locator(".message.agent").textContent()).toBe(complete.content.text);
      expect(complete.content.text.trim().length).toBeGreaterThan(0);

      if (process.env.RTA_SCREENSHOT_DIR) {
        mkdirSync(process.env.RTA_SCREENSHOT_DIR, { recursive: true });
        await page.screenshot({ path: `${process.env.RTA_SCREENSHOT_DIR}/chat-page.png` });
      }

      // The answer can be rated: the rating is kept with the session.
      await page.click('.rating button[data-rating="1"]');
      await page.locator(".rating").filter({ hasText: "Thanks: rated good." }).waitFor();
      const session = decodeURIComponent(new URL(connectionUrls[1]!).pathname.split("/").at(-1)!);
      const listed = (await (await fetch(`${server.url}/v1/sessions/${session}/feedback`)).json()) as {
        feedback: { turn_id: string; score: number }[];
      };
      expect(listed.feedback).toEqual([expect.objectContaining({ turn_id: complete.context.turn_id, score: 1 })]);
    }, 180_000);

    it("finishes an answer after a reload in its middle, from the server's replay, with nothing repeated or lost", async () => {
      const page = await browser.newPage();
      const connectionUrls: string[] = [];
      const delivered: ServerFrame[][] = [];
      let reloadAfterChunks: (() => void) | undefined;
      const secondChunk = new Promise<void>((resolve) => {
        reloadAfterChunks = resolve;
      });
      await page.routeWebSocket(/\/ws\//, (pageSide) => {
        const connection = connectionUrls.push(pageSide.url()) - 1;
        delivered[connection] = [];
        const serverSide = pageSide.connectToServer();
        serverSide.onMessage((message) => {
          const frame = parseServerFrame(message.toString());
          delivered[connection]!.push(frame);
          pageSide.send(message);
          const chunks = delivered[connection]!.filter((received) => received.type === "agent_response_chunk").length;
          if (connection === 0 && chunks === 2) reloadAfterChunks?.();
        });
      });
      await page.goto(server.url);
      await page.locator('#status[data-state="open"]').waitFor();
      await page.fill("#message", "Tell me about the sea.");
      await page.click("#send");
      await secondChunk;
      await page.reload();

      // The local model shares the machine's cores with other processes; waiting is not what is measured.
      await page.locator(".meta").filter({ hasText: "first token" }).waitFor({ timeout: 150_000 });
      expect(connectionUrls).toHaveLength(2);
      const before = delivered[0]!;
      const sinceSeq = before.find((frame) => frame.type === "turn_start")!.seq - 1;
      expect(connectionUrls[1]).toMatch(new RegExp(`\\?last_seq=${sinceSeq}$`));
      // The replay is the whole turn, in order, once: from turn_start to agent_response_complete.
      const replayed = delivered[1]!;
      const seqs = replayed.map((frame) => frame.seq);
      expect(seqs).toEqual(seqs.map((_, index) => sinceSeq + 1 + index));
      const complete = replayed.find((frame) => frame.type === "agent_response_complete");
      if (complete?.type !== "agent_response_complete") throw new Error("the replayed turn did not complete");
      expect(await page.locator(".message.user").allTextContents()).toEqual(["Tell me about the sea."]);
      expect(await page.locator(".message.agent").allTextContents()).toEqual([complete.content.text]);
      expect(await page.evaluate(() => sessionStorage.getItem("rta.pending"))).toBeNull();
    }, 180_000);
  },
);
