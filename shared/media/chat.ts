/**
 * Chat on the wire (iroh-live's format): a `chat` track in the sender's broadcast; one message = one group
 * holding one frame of UTF-8 text. No sender field: the sender is the authenticated peer whose broadcast
 * carried it.
 */
import { ProtocolViolation } from "../codec/errors.ts";

/** Largest chat message in UTF-8 bytes; the sender refuses longer ones, receivers drop them. */
export const MAX_CHAT_BYTES = 4096;

/** Thrown at the sender for a message we will not send. */
export class ChatRejected extends Error {
  override name = "ChatRejected";
  readonly code: "empty" | "too-long";
  constructor(code: "empty" | "too-long", message: string) {
    super(message);
    this.code = code;
  }
}

/** Encode a message for sending; empty or over-long text is refused with {@link ChatRejected}. */
export function encodeChat(text: string): Uint8Array {
  if (text.length === 0) throw new ChatRejected("empty", "empty chat message");
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > MAX_CHAT_BYTES) throw new ChatRejected("too-long", `chat message of ${bytes.length} bytes exceeds ${MAX_CHAT_BYTES}`);
  return bytes;
}

/** Decode a received frame; throws {@link ProtocolViolation} for empty, over-long or invalid UTF-8 frames. */
export function decodeChat(frame: Uint8Array): string {
  if (frame.length === 0) throw new ProtocolViolation("empty", "empty chat frame");
  if (frame.length > MAX_CHAT_BYTES) throw new ProtocolViolation("too-large", "chat frame over the size limit");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(frame);
  } catch {
    throw new ProtocolViolation("bad-utf8", "chat frame is not valid UTF-8");
  }
}
