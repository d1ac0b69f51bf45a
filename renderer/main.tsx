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
import { CallMedia } from "./media/call-media.ts";
import { createAppStore } from "./store/index.ts";
import "./styles.css";

const launch = readLaunchParams(window.location, window.history);
const core = connectToCore(window, launch.token);
const store = createAppStore();
if (launch.ticket !== undefined) store.getState().actions.ticketOpened(launch.ticket);
// Outside React: StrictMode's double effects must not subscribe twice or say ready twice.
startBridge(core.api, store.getState().actions, core.transport);
const media = new CallMedia({ win: window, api: core.api, token: launch.token }, store.getState().actions);
// The core can end the room without our asking (it stopped, another tab took over): end the call's media too.
store.subscribe((s, prev) => {
  if (s.connection === "idle" && prev.connection !== "idle") void media.leaveCall();
});
const commands = createCommands(core.api, store, media);

const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <AppProvider store={store} commands={commands} media={media}>
      <App />
    </AppProvider>
  </StrictMode>,
);
