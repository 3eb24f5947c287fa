/** How protocol text starts: tool-calling markup and the JSON shapes of calls and results. */
const markers = [
  "<tool_call>",
  "</tool_call>",
  "<tool_response>",
  "</tool_response>",
  "<tools>",
  "</tools>",
  '{"name":',
  '{"arguments":',
  '{"result":',
  '{"error":',
];

/**
 * Keeps protocol text out of a streamed answer. Small models, asked for text with tools in view,
 * sometimes go on to write "<tools>" or a call as JSON. Text that could begin such a marker is held
 * back until it is clearly something else (then released) or clearly protocol (then the answer ends
 * before it, and `stopped` is set so the caller can stop generating).
 */
export class ProtocolTextGuard {
  #held = "";
  stopped = false;

  /** The text that may be shown now. */
  push(chunk: string): string {
    if (this.stopped) return "";
    const text = this.#held + chunk;
    this.#held = "";
    for (let index = 0; index < text.length; index++) {
      const character = text[index];
      if (character !== "<" && character !== "{") continue;
      const rest = text.slice(index).replace(/\s+/g, "").toLowerCase();
      if (markers.some((marker) => rest.startsWith(marker))) {
        this.stopped = true;
        return text.slice(0, index);
      }
      if (markers.some((marker) => marker.startsWith(rest))) {
        this.#held = text.slice(index);
        return text.slice(0, index);
      }
    }
    return text;
  }

  /** At the end of the answer: what was held back, since it never became protocol text. */
  flush(): string {
    const held = this.stopped ? "" : this.#held;
    this.#held = "";
    return held;
  }
}
