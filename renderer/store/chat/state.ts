/** Chat slice state: the messages of the current room, ours included (local echo). */
import type { ChatMessageInfo } from "../../../shared/ipc.ts";

/** A message as shown: ours may still be on its way or have failed. */
export interface ChatEntry extends ChatMessageInfo {
  status: "sending" | "sent" | "failed";
  /** Why sending failed. */
  error?: string;
}

/** The chat slice's data. */
export interface ChatSliceState {
  messages: ChatEntry[];
}

/** Most messages kept in memory (older ones scroll away for good). */
export const MAX_MESSAGES = 1_000;

/** No messages. */
export const initialChatState: ChatSliceState = { messages: [] };
