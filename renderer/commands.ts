/**
 * What the user can do, as verbs over the core API and the store: components call these, never the API.
 * Each one records what happened in the store (started, succeeded, failed).
 */
import type { AppApi } from "../shared/ipc.ts";
import type { AppStore } from "./store/index.ts";
import { requestCallMedia } from "./media-access.ts";

/** The UI's verbs. */
export interface Commands {
  createRoom: (displayName: string) => Promise<void>;
  joinRoom: (ticket: string, displayName: string) => Promise<void>;
  leaveRoom: () => Promise<void>;
  sendChat: (text: string) => Promise<void>;
  /** A fresh ticket for inviting others, or undefined (the failure is recorded). */
  fetchTicket: () => Promise<string | undefined>;
  pickScreenSource: (requestId: string, sourceId: string | null) => Promise<void>;
  dismissError: () => void;
  /** Forget this device's identity and use a new one (lobby only). */
  resetIdentity: () => Promise<void>;
  /** Ask for camera and microphone again (after the user changed the permission). */
  retryMediaAccess: () => Promise<void>;
}

let localSeq = 0;

/** Build the verbs for one store. */
export function createCommands(api: AppApi, store: AppStore): Commands {
  const actions = (): ReturnType<AppStore["getState"]>["actions"] => store.getState().actions;
  const enter = async (displayName: string, run: () => ReturnType<AppApi["createRoom"]>): Promise<void> => {
    actions().enterStarted();
    // Camera and microphone are asked for when joining a call, not at startup; a refusal still joins.
    actions().mediaAccessSettled(await requestCallMedia());
    const r = await run();
    if (r.ok) actions().roomEntered({ me: r.value.me, displayName: displayName.trim() });
    else actions().enterFailed(r.error.message);
  };
  return {
    createRoom: (displayName) => enter(displayName, () => api.createRoom({ displayName })),
    joinRoom: (ticket, displayName) => enter(displayName, () => api.joinRoom({ ticket, displayName })),
    async leaveRoom() {
      const r = await api.leaveRoom();
      if (!r.ok) actions().commandFailed(r.error.message);
    },
    async sendChat(text) {
      const s = store.getState();
      const localId = `local-${++localSeq}`;
      s.actions.chatSendStarted({ localId, from: s.me ?? "", text, at: Date.now() });
      const r = await api.sendChat({ text });
      if (r.ok) actions().chatSendSucceeded(localId, r.value);
      else actions().chatSendFailed(localId, r.error.message);
    },
    async fetchTicket() {
      const r = await api.getTicket();
      if (r.ok) return r.value;
      actions().commandFailed(r.error.message);
      return undefined;
    },
    async pickScreenSource(requestId, sourceId) {
      actions().screenRequestSettled(requestId);
      const r = await api.pickScreenSource({ requestId, sourceId });
      if (!r.ok) actions().commandFailed(r.error.message);
    },
    dismissError: () => actions().errorDismissed(),
    async resetIdentity() {
      const r = await api.resetIdentity();
      if (r.ok) actions().identityLoaded(r.value);
      else actions().commandFailed(r.error.message);
    },
    retryMediaAccess: async () => actions().mediaAccessSettled(await requestCallMedia()),
  };
}
