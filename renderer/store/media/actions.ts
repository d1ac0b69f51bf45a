/** Media slice actions. */
import type { GetState, SetState } from "../types.ts";
import { broadcastKey, type ScreenRequest } from "./state.ts";
import type { MediaAccess } from "../../media-access.ts";

/** What can happen to the media slice. */
export interface MediaActions {
  screenShareRequested(req: ScreenRequest): void;
  /** The user answered (or dismissed) the screen picker. */
  screenRequestSettled(requestId: string): void;
  localBroadcastsChanged(names: string[]): void;
  broadcastSubscribed(b: { peerId: string; name: string }): void;
  broadcastEnded(b: { peerId: string; name: string }): void;
  /** The answer to asking for camera and microphone came back. */
  mediaAccessSettled(access: MediaAccess): void;
}

/** The media slice's actions. */
export function createMediaActions(set: SetState, _get: GetState): MediaActions {
  return {
    screenShareRequested: (screenRequest) => set({ screenRequest }),
    screenRequestSettled: (requestId) => set((s) => (s.screenRequest?.requestId === requestId ? { screenRequest: undefined } : {})),
    localBroadcastsChanged: (localBroadcasts) => set({ localBroadcasts: [...localBroadcasts] }),
    mediaAccessSettled: (access) => set({ access }),
    broadcastSubscribed: ({ peerId, name }) =>
      set((s) => {
        const key = broadcastKey(peerId, name);
        return s.liveBroadcasts.includes(key) ? {} : { liveBroadcasts: [...s.liveBroadcasts, key] };
      }),
    broadcastEnded: ({ peerId, name }) =>
      set((s) => {
        const key = broadcastKey(peerId, name);
        return s.liveBroadcasts.includes(key) ? { liveBroadcasts: s.liveBroadcasts.filter((k) => k !== key) } : {};
      }),
  };
}
