/** Media slice actions. */
import type { GetState, SetState } from "../types.ts";
import { broadcastKey, type ScreenRequest } from "./state.ts";
import type { MediaAccess } from "../../media-access.ts";
import type { DeviceLists, MediaLinkStatus } from "../../media/call-media.ts";
import type { LocalMediaState } from "../../media/publish/index.ts";

/** What can happen to the media slice. */
export interface MediaActions {
  screenShareRequested(req: ScreenRequest): void;
  /** The user answered (or dismissed) the screen picker. */
  screenRequestSettled(requestId: string): void;
  broadcastSubscribed(b: { peerId: string; name: string }): void;
  broadcastEnded(b: { peerId: string; name: string }): void;
  /** The answer to asking for camera and microphone came back. */
  mediaAccessSettled(access: MediaAccess): void;
  /** Our capture changed (device on/off/switched, screen share started/stopped, call ended). */
  localMediaChanged(state: LocalMediaState): void;
  mediaLinkChanged(status: MediaLinkStatus): void;
  devicesListed(devices: DeviceLists): void;
  speakerChosen(deviceId: string | undefined): void;
  statsToggled(): void;
  mediaNotice(message: string): void;
  mediaNoticeDismissed(): void;
}

/** The media slice's actions. */
export function createMediaActions(set: SetState, _get: GetState): MediaActions {
  return {
    screenShareRequested: (screenRequest) => set({ screenRequest }),
    screenRequestSettled: (requestId) => set((s) => (s.screenRequest?.requestId === requestId ? { screenRequest: undefined } : {})),
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
    localMediaChanged: (local) =>
      set((s) => {
        const names = local.closed ? [] : ["camera", ...(local.screen.on ? ["screen"] : [])];
        const same = names.length === s.localBroadcasts.length && names.every((n, i) => s.localBroadcasts[i] === n);
        return { local, ...(same ? {} : { localBroadcasts: names }) };
      }),
    mediaLinkChanged: (link) => set({ link }),
    devicesListed: (devices) => set({ devices }),
    speakerChosen: (speakerId) => set({ speakerId }),
    statsToggled: () => set((s) => ({ statsVisible: !s.statsVisible })),
    mediaNotice: (mediaNotice) => set({ mediaNotice }),
    mediaNoticeDismissed: () => set({ mediaNotice: undefined }),
  };
}
