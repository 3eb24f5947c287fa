/** The part of the WebSocket API the client uses: the browser's WebSocket and the `ws` package both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** WebSocket.OPEN, the same in every implementation. */
export const socketOpen = 1;

/**
 * The platform's WebSocket: the browser's (and Node ≥ 22's) global one, else the `ws` package, loaded
 * only then so that a browser bundle leaves it out.
 */
export async function platformWebSocket(): Promise<WebSocketConstructor> {
  if (typeof globalThis.WebSocket === "function") return globalThis.WebSocket as unknown as WebSocketConstructor;
  const { WebSocket } = await import("ws");
  return WebSocket as unknown as WebSocketConstructor;
}
