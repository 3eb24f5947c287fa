// Chat page for realtime-agent: speaks protocol rta.v1 (docs/protocol.md) over /ws/:sessionId.
const log = document.getElementById("log");
const statusBadge = document.getElementById("status");
const form = document.getElementById("composer");
const input = document.getElementById("message");
const stopButton = document.getElementById("stop");

const sessionId = sessionStorage.getItem("rta.session") ?? `web-${crypto.randomUUID()}`;
sessionStorage.setItem("rta.session", sessionId);
let lastSeq = 0;
let socket;
let agentBubble;
let retryDelayMs = 500;
const toolRows = new Map();

function append(className, text) {
  const element = document.createElement("div");
  element.className = className;
  element.textContent = text;
  log.append(element);
  log.scrollTop = log.scrollHeight;
  return element;
}

function setStatus(state, text) {
  statusBadge.dataset.state = state;
  statusBadge.textContent = text;
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const resume = lastSeq > 0 ? `?last_seq=${lastSeq}` : "";
  socket = new WebSocket(`${scheme}://${location.host}/ws/${encodeURIComponent(sessionId)}${resume}`);
  socket.addEventListener("open", () => {
    setStatus("open", "connected");
    retryDelayMs = 500;
  });
  socket.addEventListener("close", () => {
    setStatus("closed", "disconnected, retrying…");
    setTimeout(connect, retryDelayMs);
    retryDelayMs = Math.min(retryDelayMs * 2, 10_000);
  });
  socket.addEventListener("message", (message) => {
    let frame;
    try {
      frame = JSON.parse(message.data);
    } catch {
      return;
    }
    if (typeof frame.seq === "number") {
      if (frame.seq <= lastSeq) return; // already shown (replayed after a reconnect)
      lastSeq = frame.seq;
    }
    handle(frame);
  });
}

function handle(frame) {
  const content = frame.content ?? {};
  switch (frame.type) {
    case "turn_start":
      stopButton.disabled = false;
      break;
    case "agent_response_chunk":
      if (!agentBubble) agentBubble = append("message agent streaming", "");
      agentBubble.textContent += content.text;
      log.scrollTop = log.scrollHeight;
      break;
    case "tool_call":
      toolRows.set(content.call_id, append("tool", `→ ${content.name}(${JSON.stringify(content.arguments)})`));
      break;
    case "tool_result": {
      const row = toolRows.get(content.call_id) ?? append("tool", "");
      const outcome = content.error ? `failed: ${content.error.message}` : JSON.stringify(content.result);
      row.textContent += `\n← ${outcome}  (${Math.round(content.duration_ms)} ms)`;
      if (content.error) row.classList.add("failed");
      break;
    }
    case "system_event":
      append("meta", `[${content.event}] ${content.message}`);
      break;
    case "agent_response_complete": {
      if (!agentBubble && content.text) agentBubble = append("message agent", content.text);
      agentBubble?.classList.remove("streaming");
      agentBubble = undefined;
      stopButton.disabled = true;
      const timings = content.timings ?? {};
      const ttft = timings.time_to_first_token_ms == null ? "–" : `${Math.round(timings.time_to_first_token_ms)} ms`;
      append(
        "meta",
        `${content.outcome === "aborted" ? "stopped · " : ""}first token ${ttft} · total ${Math.round(timings.total_ms)} ms · ${content.usage.output_tokens} tokens · ${content.model}`,
      );
      break;
    }
    case "error":
      agentBubble?.classList.remove("streaming");
      agentBubble = undefined;
      stopButton.disabled = true;
      append("error", `${content.code}: ${content.message}`);
      break;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text || socket?.readyState !== WebSocket.OPEN) return;
  append("message user", text);
  socket.send(JSON.stringify({ type: "user_message", content: { text } }));
  input.value = "";
});

stopButton.addEventListener("click", () => socket?.send(JSON.stringify({ type: "cancel" })));

connect();
