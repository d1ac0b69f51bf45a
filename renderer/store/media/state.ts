/** Media slice state: what we capture and publish, the media link, devices, and the screen-source choice main asked for. */
import type { ScreenSourceInfo } from "../../../shared/ipc.ts";
import type { MediaAccess } from "../../media-access.ts";
import type { DeviceLists, MediaLinkStatus } from "../../media/call-media.ts";
import type { LocalMediaState } from "../../media/publish/index.ts";

/** An open screen-source picker. */
export interface ScreenRequest {
  requestId: string;
  sources: ScreenSourceInfo[];
}

/** The media slice's data. */
export interface MediaSliceState {
  /** Broadcast names we publish (camera while in a call, screen while sharing). */
  localBroadcasts: string[];
  /** Remote broadcasts being received, as "peerId/name". */
  liveBroadcasts: string[];
  screenRequest: ScreenRequest | undefined;
  /** Camera and microphone access, once asked for (on joining a call). */
  access: MediaAccess | undefined;
  /** Our capture: what is on, which devices. */
  local: LocalMediaState | undefined;
  /** The media link to the core. */
  link: MediaLinkStatus;
  devices: DeviceLists;
  /** The chosen speaker (undefined: the system default). */
  speakerId: string | undefined;
  /** The per-tile statistics overlay is shown. */
  statsVisible: boolean;
  /** The last media problem to tell the user about. */
  mediaNotice: string | undefined;
}

/** The key of a remote broadcast in {@link MediaSliceState.liveBroadcasts}. */
export const broadcastKey = (peerId: string, name: string): string => `${peerId}/${name}`;

/** Nothing published, nothing asked. */
export const initialMediaState: MediaSliceState = {
  localBroadcasts: [],
  liveBroadcasts: [],
  screenRequest: undefined,
  access: undefined,
  local: undefined,
  link: { state: "closed", generation: 0 },
  devices: { cameras: [], microphones: [], speakers: [] },
  speakerId: undefined,
  statsVisible: false,
  mediaNotice: undefined,
};
