/** The whole store's shape, shared by the slices (each slice's actions may touch the others' state). */
import type { StoreApi } from "zustand/vanilla";
import type { ChatActions } from "./chat/actions.ts";
import type { ChatSliceState } from "./chat/state.ts";
import type { MediaActions } from "./media/actions.ts";
import type { MediaSliceState } from "./media/state.ts";
import type { RoomActions } from "./room/actions.ts";
import type { RoomSliceState } from "./room/state.ts";

/** Every action, named for what happened. */
export type AppActions = RoomActions & ChatActions & MediaActions;

/** State plus actions (actions live under one stable key so selecting them never re-renders). */
export type AppState = RoomSliceState & ChatSliceState & MediaSliceState & { actions: AppActions };

/** zustand's set/get, for slice action factories. */
export type SetState = StoreApi<AppState>["setState"];
/** zustand's get. */
export type GetState = StoreApi<AppState>["getState"];
