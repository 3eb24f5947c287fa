// The chat page's script (served as /chat.js, bundled with the client by chat-page-bundle.ts). It talks to
// the server through the typed client, realtime-agent/client: one Turn per message, frames typed by type.
import {
  connect,
  type ConnectionStatus,
  type RealtimeClient,
  type ServerFrame,
  type Turn,
} from "realtime-agent/client";

function element<Type extends HTMLElement>(id: string): Type {
  const found = document.getElementById(id);
  if (!found) throw new Error(`The page has no #${id}.`);
  return found as Type;
}

const log = element<HTMLElement>("log");
const statusBadge = element<HTMLElement>("status");
const form = element<HTMLFormElement>("composer");
const input = element<HTMLInputElement>("message");
const stopButton = element<HTMLButtonElement>("stop");

const statusText: Record<ConnectionStatus, string> = {
  connecting: "connecting…",
  open: "connected",
  reconnecting: "disconnected, retrying…",
  closed: "disconnected",
};

function append(className: string, text: string): HTMLElement {
  const entry = document.createElement("div");
  entry.className = className;
  entry.textContent = text;
  log.append(entry);
  log.scrollTop = log.scrollHeight;
  return entry;
}

function showStatus(status: ConnectionStatus): void {
  statusBadge.dataset.state = status;
  statusBadge.textContent = statusText[status];
}

const milliseconds = (value: number) => `${Math.round(value)} ms`;

/** Two buttons under an answer: rate it good or bad (kept with the session, and in the feedback suite). */
function appendRating(turnId: string): void {
  const row = append("rating", "");
  for (const [rating, label, title] of [
    [1, "👍", "Good answer"],
    [-1, "👎", "Bad answer"],
  ] as const) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.title = title;
    button.setAttribute("aria-label", title);
    button.dataset.rating = String(rating);
    button.addEventListener("click", async () => {
      row.querySelectorAll("button").forEach((each) => {
        each.disabled = true;
      });
      try {
        await client.rate(turnId, { rating });
        row.textContent = rating > 0 ? "Thanks: rated good." : "Thanks: rated bad.";
      } catch (error) {
        row.textContent = `Not rated: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
    row.append(button);
  }
}

/** Renders one turn's frames as they arrive: the answer streams into one bubble, tools get a row each. */
function turnRenderer(): { render(frame: ServerFrame): void; finish(): void } {
  let answer: HTMLElement | undefined;
  const toolRows = new Map<string, HTMLElement>();
  const render = (frame: ServerFrame) => {
    switch (frame.type) {
      case "turn_start":
        stopButton.disabled = false;
        break;
      case "agent_response_chunk":
        answer ??= append("message agent streaming", "");
        answer.textContent += frame.content.text;
        log.scrollTop = log.scrollHeight;
        break;
      case "tool_call":
        toolRows.set(
          frame.content.call_id,
          append("tool", `→ ${frame.content.name}(${JSON.stringify(frame.content.arguments)})`),
        );
        break;
      case "tool_result": {
        const { call_id, error, result, duration_ms } = frame.content;
        const row = toolRows.get(call_id) ?? append("tool", "");
        row.textContent += `\n← ${error ? `failed: ${error.message}` : JSON.stringify(result)}  (${milliseconds(duration_ms)})`;
        if (error) row.classList.add("failed");
        break;
      }
      case "system_event":
        append("meta", `[${frame.content.event}] ${frame.content.message}`);
        break;
      case "agent_response_complete": {
        const { text, outcome, timings, usage, model, confidence } = frame.content;
        if (!answer && text) answer = append("message agent", text);
        const firstToken = timings.time_to_first_token_ms === null ? "–" : milliseconds(timings.time_to_first_token_ms);
        append(
          "meta",
          `${outcome === "aborted" ? "stopped · " : ""}first token ${firstToken} · total ${milliseconds(timings.total_ms)} · ${usage.output_tokens} tokens · ${model}${typeof confidence === "number" ? ` · confidence ${Math.round(confidence * 100)}%` : ""}`,
        );
        if (outcome === "completed" && frame.context.turn_id) appendRating(frame.context.turn_id);
        break;
      }
      case "error":
        append("error", `${frame.content.code}: ${frame.content.message}`);
        break;
    }
  };
  const finish = () => {
    answer?.classList.remove("streaming");
    stopButton.disabled = true;
  };
  return { render, finish };
}

/** Shows one turn the page sent; while it runs, a reload picks it up again (see `pending`). */
async function show(turn: Turn): Promise<void> {
  const renderer = turnRenderer();
  try {
    for await (const frame of turn) renderer.render(frame);
  } catch (error) {
    append("error", error instanceof Error ? error.message : String(error));
  } finally {
    renderer.finish();
    sessionStorage.removeItem(pendingKey);
  }
}

/**
 * The message in flight, kept across a reload: its text and the last frame seen before it was sent.
 * After a reload the page shows the text again and resumes the session from there, so the answer's
 * frames come back from the server's replay, whole, once each.
 */
const pendingKey = "rta.pending";
const pending = (() => {
  try {
    const saved = JSON.parse(sessionStorage.getItem(pendingKey) ?? "null") as { text: string; sinceSeq: number } | null;
    return saved && typeof saved.text === "string" && Number.isSafeInteger(saved.sinceSeq) ? saved : undefined;
  } catch {
    return undefined;
  }
})();

/** Renders the turn of the pending message from replayed frames, until it ends. */
function recoverPendingTurn(): ((frame: ServerFrame) => void) | undefined {
  if (!pending) return undefined;
  append("message user", pending.text);
  const renderer = turnRenderer();
  let turnId: string | undefined;
  let ended = false;
  return (frame) => {
    if (ended || frame.seq <= pending.sinceSeq) return;
    if (turnId === undefined) {
      if (frame.type !== "turn_start") return;
      turnId = frame.content.turn_id;
    }
    if (frame.context.turn_id !== turnId) return;
    renderer.render(frame);
    if (frame.type === "agent_response_complete" || frame.type === "error") {
      ended = true;
      renderer.finish();
      sessionStorage.removeItem(pendingKey);
    }
  };
}

const sessionId = sessionStorage.getItem("rta.session") ?? `web-${crypto.randomUUID()}`;
sessionStorage.setItem("rta.session", sessionId);
// On a server with API keys, open the page as /#key=<key>: the fragment never leaves the browser.
const apiKey = new URLSearchParams(location.hash.slice(1)).get("key") ?? sessionStorage.getItem("rta.key") ?? undefined;
if (apiKey) {
  sessionStorage.setItem("rta.key", apiKey);
  history.replaceState(null, "", location.pathname);
}

/** Connects, trying again (every 0.5 s, then less often) while the server cannot be reached. */
async function connectWhenReachable(): Promise<RealtimeClient> {
  for (let delayMs = 500; ; delayMs = Math.min(delayMs * 2, 10_000)) {
    try {
      return await connect(location.origin, {
        sessionId,
        onStatus: showStatus,
        ...(apiKey ? { apiKey } : {}),
        ...(onRecoveredFrame ? { onFrame: onRecoveredFrame, resume: { lastSeq: pending!.sinceSeq } } : {}),
      });
    } catch {
      showStatus("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

const onRecoveredFrame = recoverPendingTurn();
showStatus("connecting");
const client = await connectWhenReachable();
showStatus(client.status);

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || client.status === "closed") return;
  append("message user", text);
  input.value = "";
  sessionStorage.setItem(pendingKey, JSON.stringify({ text, sinceSeq: client.lastSeq }));
  void show(client.send(text));
});

stopButton.addEventListener("click", () => client.cancel());
