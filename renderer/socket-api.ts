/**
 * Browser mode's side of the contract: {@link AppApi} over the server's WebSocket. Calls made while the
 * socket is (re)connecting wait for it; a dropped socket fails pending calls as data (code
 * "disconnected") and reconnects with backoff, unless the server said it is gone or another tab took over.
 */
import { COMMAND_NAMES, EVENT_NAMES, type AppApi, type EventMessage, type EventName, type IpcResult, type MainToRenderer, type RendererToMain } from "../shared/ipc.ts";
import { CLOSE_CODES, type SocketMessage, type SocketRequest } from "../shared/socket-protocol.ts";
import type { TransportState } from "./store/room/state.ts";

/** Listens to the socket's state. */
export type TransportListener = (state: TransportState) => void;

/** The socket's state, observable. */
export interface TransportSource {
  subscribe(listener: TransportListener): () => void;
}

/** Options for {@link createSocketApi}. */
export interface SocketApiInit {
  url: string;
  /** Injected in tests. */
  WebSocketImpl?: typeof WebSocket;
  /** Delays between reconnect attempts (the last repeats). */
  backoffMs?: readonly number[];
}

const DEFAULT_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000];

type Resolver = (r: IpcResult<unknown>) => void;

/** Connect to the browser-mode server. */
export function createSocketApi(init: SocketApiInit): { api: AppApi; transport: TransportSource } {
  const Impl = init.WebSocketImpl ?? WebSocket;
  const backoff = init.backoffMs ?? DEFAULT_BACKOFF_MS;
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const transportListeners = new Set<TransportListener>();
  const pending = new Map<number, Resolver>();
  const outbox: string[] = [];
  let nextId = 1;
  let attempt = 0;
  let ws: WebSocket | undefined;
  let state: TransportState = "reconnecting";

  const setState = (next: TransportState): void => {
    state = next;
    for (const l of transportListeners) l(next);
  };

  const dispatch = (msg: SocketMessage): void => {
    if ("id" in msg) {
      const resolve = pending.get(msg.id);
      pending.delete(msg.id);
      resolve?.(msg.result);
      return;
    }
    const ev: EventMessage = msg;
    if (!EVENT_NAMES.includes(ev.event)) return;
    for (const l of listeners.get(ev.event) ?? []) (l as (p: unknown) => void)(ev.payload);
  };

  const connect = (): void => {
    const sock = new Impl(init.url);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      setState("open");
      for (const frame of outbox.splice(0)) sock.send(frame);
    };
    sock.onmessage = (e: MessageEvent) => {
      if (typeof e.data !== "string") return;
      try {
        dispatch(JSON.parse(e.data) as SocketMessage);
      } catch {
        // Our own server sent something unreadable: ignore it rather than take the UI down.
      }
    };
    sock.onclose = (e: CloseEvent) => {
      for (const resolve of pending.values()) resolve({ ok: false, error: { code: "disconnected", message: "lost the connection to Live Rooms" } });
      pending.clear();
      if (e.code === CLOSE_CODES.replaced) return setState("replaced");
      if (e.code === CLOSE_CODES.shutdown) return setState("closed");
      setState("reconnecting");
      const delay = backoff[Math.min(attempt++, backoff.length - 1)] ?? 5_000;
      setTimeout(connect, delay);
    };
  };

  const call = (method: keyof RendererToMain, args: unknown[]): Promise<IpcResult<unknown>> => {
    if (state === "replaced" || state === "closed") {
      return Promise.resolve({ ok: false, error: { code: "disconnected", message: "this tab no longer controls Live Rooms" } });
    }
    const id = nextId++;
    const frame = JSON.stringify({ id, method, args } satisfies SocketRequest);
    return new Promise((resolve) => {
      pending.set(id, resolve);
      if (ws?.readyState === Impl.OPEN) ws.send(frame);
      else outbox.push(frame);
    });
  };

  // Every command forwards by name; the server validates names and arguments.
  const commands = Object.fromEntries(COMMAND_NAMES.map((name) => [name, (...args: unknown[]) => call(name, args)])) as unknown as RendererToMain;
  const api: AppApi = {
    ...commands,
    on<K extends EventName>(event: K, listener: MainToRenderer[K]): () => void {
      let set = listeners.get(event);
      if (set === undefined) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
  };
  connect();
  return {
    api,
    transport: {
      subscribe(listener) {
        transportListeners.add(listener);
        return () => void transportListeners.delete(listener);
      },
    },
  };
}
