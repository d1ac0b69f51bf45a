/**
 * Relaying MoQ tracks inside this process: main sits between the renderer (which captures and encodes)
 * and the room's peers, so every frame is encoded once and fanned out here.
 *
 * - {@link copyTrack}: group by group, frame by frame, verbatim (the legacy container passes through).
 * - {@link forwardOnDemand}: a track that pulls from its source only while someone subscribes to it, so
 *   demand travels upstream: a peer subscribing makes main subscribe the renderer, which starts the
 *   encoder; the last peer leaving stops it.
 * - {@link mirrorBroadcast}: a broadcast producer that serves any requested track from a consumer, used to
 *   offer a remote peer's broadcast to the renderer.
 */
import * as Moq from "@moq/net";
import { hopTracer, type Hop } from "./hop-trace.ts";

/** Copy one group's frames; groups of a track are copied concurrently so a late FIN never holds the next. */
async function copyGroup(from: Moq.Group.Consumer, to: Moq.Group.Producer, trace?: (frame: Uint8Array) => void): Promise<void> {
  try {
    for (let f = await from.readFrame(); f !== undefined; f = await from.readFrame()) {
      trace?.(f.payload);
      to.writeFrame(f);
    }
    to.close();
  } catch (err) {
    to.close(err instanceof Error ? err : new Error(String(err)));
  } finally {
    from.close();
  }
}

/**
 * Copy groups from `from` into `to` until `from` ends or `stop` settles. Resolves with why it stopped.
 * `hop` names the hop for benchmark tracing (main/media/hop-trace.ts).
 */
export async function copyTrack(from: Moq.Track.Subscriber, to: Moq.Track.Producer, stop: Promise<unknown>, hop?: Hop): Promise<"ended" | "stopped"> {
  const stopped = stop.then(() => "stopped" as const);
  const trace = hop === undefined ? undefined : hopTracer(hop, to.name);
  for (;;) {
    const next = await Promise.race([from.recvGroup().catch(() => undefined), stopped]);
    if (next === "stopped") return "stopped";
    if (next === undefined) return "ended";
    void copyGroup(next, to.appendGroup(), trace);
  }
}

/** Resolves once `track` has a subscriber (or has closed). */
export async function whenUsed(track: Moq.Track.Producer): Promise<void> {
  while (!track.used.peek() && track.closed.peek() === undefined) {
    await Promise.race([track.used.changed(), track.closed]);
  }
}

/**
 * Serve `to` from `source`'s track `name` while `to` has subscribers; ends (closing `to`) when the source
 * track or broadcast ends, or `signal` aborts.
 */
export async function forwardOnDemand(source: Moq.Broadcast.Consumer, name: string, to: Moq.Track.Producer, opts: { priority: number; signal: AbortSignal; hop?: Hop }): Promise<void> {
  const aborted = new Promise<void>((resolve) => opts.signal.addEventListener("abort", () => resolve(), { once: true }));
  try {
    while (!opts.signal.aborted && to.closed.peek() === undefined) {
      await Promise.race([whenUsed(to), aborted]);
      if (opts.signal.aborted || to.closed.peek() !== undefined) return;
      const sub = source.subscribe(name, { priority: opts.priority });
      const why = await copyTrack(sub, to, Promise.race([to.unused(), aborted]), opts.hop);
      sub.close();
      if (why === "ended") return;
    }
  } finally {
    to.close();
  }
}

/**
 * A producer whose tracks are served on request from `source` (each request subscribes upstream with the
 * same options and lasts while the request's subscribers do). Closing the producer or the source ends it.
 */
export function mirrorBroadcast(source: Moq.Broadcast.Consumer, hop?: Hop): Moq.Broadcast.Producer {
  const out = new Moq.Broadcast.Producer();
  const serve = async (req: Moq.Track.Request): Promise<void> => {
    const sub = source.subscribe(req.name, req.subscription);
    let info: Moq.Track.Info;
    try {
      info = await sub.info();
    } catch (err) {
      sub.close();
      req.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    const track = req.accept(info);
    try {
      await copyTrack(sub, track, Promise.race([track.unused(), out.closed]), hop);
    } finally {
      sub.close();
      track.close();
    }
  };
  void (async () => {
    for (let req = await out.requested(); req !== undefined; req = await out.requested()) void serve(req);
  })().catch(() => undefined);
  void Promise.resolve(source.closed).then(() => out.close());
  return out;
}
