/**
 * The client → server frames of protocol rta.v1 (docs/protocol.md). The server also accepts the
 * seed's short form `{"text": "..."}`; the typed client always sends the full envelope.
 */
export interface UserMessageFrame {
  type: "user_message";
  content: { text: string; images?: FrameImage[] };
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

/** Rates one of the session's answers (1 good, 0 neutral, -1 bad), with or without a comment. */
export interface FeedbackFrame {
  type: "feedback";
  turn_id: string;
  rating?: 1 | 0 | -1;
  comment?: string;
  message_id?: string;
}

export type ClientFrame = UserMessageFrame | CancelFrame | FeedbackFrame;

export function feedbackFrame(
  turnId: string,
  feedback: { rating?: 1 | 0 | -1; comment?: string },
  options: { messageId?: string } = {},
): FeedbackFrame {
  return {
    type: "feedback",
    turn_id: turnId,
    ...(feedback.rating === undefined ? {} : { rating: feedback.rating }),
    ...(feedback.comment === undefined ? {} : { comment: feedback.comment }),
    ...(options.messageId === undefined ? {} : { message_id: options.messageId }),
  };
}

/** An image sent with a message: its bytes in base64, for models that read images (Claude, GPT). */
export interface FrameImage {
  media_type: "image/png" | "image/jpeg" | "image/gif" | "image/webp";
  data: string;
}

/** What a message may ask of its turn (sent in the frame's `context`), and the images it carries. */
export interface TurnOptions {
  images?: FrameImage[];
  /** `chains`: analytical, logical, creative and causal reasoning at once, then their synthesis. */
  reasoning?: "single" | "chains";
  /** The specialist to answer (`travel`, `finance`, `tech`, `general`, or a configured one). */
  specialist?: string;
}

export function userMessageFrame(text: string, options: { messageId?: string } & TurnOptions = {}): UserMessageFrame {
  const context = {
    ...(options.reasoning === undefined ? {} : { reasoning: options.reasoning }),
    ...(options.specialist === undefined ? {} : { specialist: options.specialist }),
  };
  return {
    type: "user_message",
    content: options.images?.length ? { text, images: options.images } : { text },
    ...(options.messageId === undefined ? {} : { message_id: options.messageId }),
    ...(Object.keys(context).length ? { context } : {}),
  };
}

export function cancelFrame(turnId?: string): CancelFrame {
  return turnId === undefined ? { type: "cancel" } : { type: "cancel", turn_id: turnId };
}
