/** React access to the store and the UI's verbs (provided once at the root; tests provide their own). */
import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { Commands } from "./commands.ts";
import type { CallMedia } from "./media/call-media.ts";
import type { AppState, AppStore } from "./store/index.ts";

const StoreContext = createContext<AppStore | null>(null);
const CommandsContext = createContext<Commands | null>(null);
const MediaContext = createContext<CallMedia | null>(null);

/** Props of {@link AppProvider}. */
export interface AppProviderProps {
  store: AppStore;
  commands: Commands;
  /** The call's media engine; absent in component tests, where tiles show placeholders only. */
  media?: CallMedia;
  children: ReactNode;
}

/** Makes the store and verbs available below. */
export function AppProvider({ store, commands, media, children }: AppProviderProps): ReactNode {
  return (
    <StoreContext.Provider value={store}>
      <CommandsContext.Provider value={commands}>
        <MediaContext.Provider value={media ?? null}>{children}</MediaContext.Provider>
      </CommandsContext.Provider>
    </StoreContext.Provider>
  );
}

/** The media engine (players for tiles, our preview and level), or null where there is none. */
export function useMedia(): CallMedia | null {
  return useContext(MediaContext);
}

/** Select from the store (selectors returning derived arrays must be memoized: see store/memo.ts). */
export function useApp<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (store === null) throw new Error("useApp outside AppProvider");
  return useStore(store, selector);
}

/** The UI's verbs. */
export function useCommands(): Commands {
  const commands = useContext(CommandsContext);
  if (commands === null) throw new Error("useCommands outside AppProvider");
  return commands;
}
