/**
 * The client → server frames of protocol rta.v1 (docs/protocol.md). The server also accepts the
 * seed's short form `{"text": "..."}`; the typed client always sends the full envelope.
 */
export interface UserMessageFrame {
  type: "user_message";
  content: { text: string };
  message_id?: string;
  session_id?: string;
  timestamp?: string;
  context?: Record<string, unknown>;
}

/** Cancels the session's running turn(s), or only the one named. */
export interface CancelFrame {
  type: "cancel";
  turn_id?: string;
}

export type ClientFrame = UserMessageFrame | CancelFrame;

export function userMessageFrame(text: string, options: { messageId?: string } = {}): UserMessageFrame {
  return {
    type: "user_message",
    content: { text },
    ...(options.messageId === undefined ? {} : { message_id: options.messageId }),
  };
}

export function cancelFrame(turnId?: string): CancelFrame {
  return turnId === undefined ? { type: "cancel" } : { type: "cancel", turn_id: turnId };
}
