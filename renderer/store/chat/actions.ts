/** Chat slice actions: messages received, and the life of one we send (started → succeeded | failed). */
import type { ChatMessageInfo } from "../../../shared/ipc.ts";
import type { GetState, SetState } from "../types.ts";
import { MAX_MESSAGES, type ChatEntry } from "./state.ts";

/** What can happen to the chat slice. */
export interface ChatActions {
  chatReceived(m: ChatMessageInfo): void;
  chatSendStarted(m: { localId: string; from: string; text: string; at: number }): void;
  chatSendSucceeded(localId: string, echo: ChatMessageInfo): void;
  chatSendFailed(localId: string, error: string): void;
}

const capped = (list: ChatEntry[]): ChatEntry[] => (list.length > MAX_MESSAGES ? list.slice(-MAX_MESSAGES) : list);

/** The chat slice's actions. */
export function createChatActions(set: SetState, _get: GetState): ChatActions {
  return {
    chatReceived: (m) =>
      set((s) => {
        // A replayed snapshot (UI reattached) repeats messages we already have.
        if (s.messages.some((x) => x.id === m.id)) return {};
        return { messages: capped([...s.messages, { ...m, status: "sent" }]) };
      }),
    chatSendStarted: ({ localId, from, text, at }) =>
      set((s) => ({ messages: capped([...s.messages, { id: localId, from, text, at, history: false, self: true, status: "sending" }]) })),
    chatSendSucceeded: (localId, echo) =>
      set((s) => ({ messages: s.messages.map((x) => (x.id === localId ? { ...echo, self: true, status: "sent" } : x)) })),
    chatSendFailed: (localId, error) =>
      set((s) => ({ messages: s.messages.map((x) => (x.id === localId ? { ...x, status: "failed", error } : x)) })),
  };
}
