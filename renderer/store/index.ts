/**
 * @module
 * The renderer's store: one zustand store built from three slices (room, chat, media), each with its
 * state, actions named for what happened, and selectors. Only the bridge and the command layer call
 * actions; components select.
 */
import { createStore, type StoreApi } from "zustand/vanilla";
import { createChatActions } from "./chat/actions.ts";
import { initialChatState } from "./chat/state.ts";
import { createMediaActions } from "./media/actions.ts";
import { initialMediaState } from "./media/state.ts";
import { createRoomActions } from "./room/actions.ts";
import { initialRoomState } from "./room/state.ts";
import type { AppState } from "./types.ts";

export type { AppActions, AppState } from "./types.ts";

/** The store type. */
export type AppStore = StoreApi<AppState>;

/** A fresh store (tests make one each; the app makes one at startup). */
export function createAppStore(): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...initialRoomState,
    ...initialChatState,
    ...initialMediaState,
    actions: { ...createRoomActions(set, get), ...createChatActions(set, get), ...createMediaActions(set, get) },
  }));
}
