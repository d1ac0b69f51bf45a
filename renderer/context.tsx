/** React access to the store and the UI's verbs (provided once at the root; tests provide their own). */
import { createContext, useContext, type ReactNode } from "react";
import { useStore } from "zustand";
import type { Commands } from "./commands.ts";
import type { AppState, AppStore } from "./store/index.ts";

const StoreContext = createContext<AppStore | null>(null);
const CommandsContext = createContext<Commands | null>(null);

/** Props of {@link AppProvider}. */
export interface AppProviderProps {
  store: AppStore;
  commands: Commands;
  children: ReactNode;
}

/** Makes the store and verbs available below. */
export function AppProvider({ store, commands, children }: AppProviderProps): ReactNode {
  return (
    <StoreContext.Provider value={store}>
      <CommandsContext.Provider value={commands}>{children}</CommandsContext.Provider>
    </StoreContext.Provider>
  );
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
