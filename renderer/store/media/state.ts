/** Media slice state: what we publish and the screen-source choice main asked for. */
import type { ScreenSourceInfo } from "../../../shared/ipc.ts";
import type { MediaAccess } from "../../media-access.ts";

/** An open screen-source picker. */
export interface ScreenRequest {
  requestId: string;
  sources: ScreenSourceInfo[];
}

/** The media slice's data. */
export interface MediaSliceState {
  /** Broadcast names we publish (camera, screen); filled in by the media plane. */
  localBroadcasts: string[];
  /** Remote broadcasts being received, as "peerId/name". */
  liveBroadcasts: string[];
  screenRequest: ScreenRequest | undefined;
  /** Camera and microphone access, once asked for (on joining a call). */
  access: MediaAccess | undefined;
}

/** The key of a remote broadcast in {@link MediaSliceState.liveBroadcasts}. */
export const broadcastKey = (peerId: string, name: string): string => `${peerId}/${name}`;

/** Nothing published, nothing asked. */
export const initialMediaState: MediaSliceState = { localBroadcasts: [], liveBroadcasts: [], screenRequest: undefined, access: undefined };
