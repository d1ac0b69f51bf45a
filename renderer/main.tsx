/**
 * @module
 * Renderer entry: connect to the core, build the store, start the bridge once, render.
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { connectToCore } from "./api.ts";
import { startBridge } from "./bridge.ts";
import { createCommands } from "./commands.ts";
import { App } from "./components/App.tsx";
import { AppProvider } from "./context.tsx";
import { readLaunchParams } from "./launch.ts";
import { createAppStore } from "./store/index.ts";
import "./styles.css";

const launch = readLaunchParams(window.location, window.history);
const core = connectToCore(window, launch.token);
const store = createAppStore();
if (launch.ticket !== undefined) store.getState().actions.ticketOpened(launch.ticket);
// Outside React: StrictMode's double effects must not subscribe twice or say ready twice.
startBridge(core.api, store.getState().actions, core.transport);

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <AppProvider store={store} commands={createCommands(core.api, store)}>
      <App />
    </AppProvider>
  </StrictMode>,
);
