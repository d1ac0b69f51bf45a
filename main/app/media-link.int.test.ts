/**
 * The media link end to end, without a browser: two RoomServices on real libp2p nodes (loopback), each with
 * a "UI" that is a MoQ client over a real MessageChannel (the desktop app's transport, through the same
 * pipeSocket adapter). A UI publishes `camera` and `screen` the way the renderer does; the other UI must
 * receive them relayed by both mains, with demand travelling upstream and catalog changes following.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageChannel, type MessagePort } from "node:worker_threads";
import * as Moq from "@moq/net";
import Session from "@moq/qmux";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EventMessage, IpcResult } from "../../shared/ipc.ts";
import { decodeCatalog, encodeCatalog, TRACKS, type Catalog } from "../../shared/media/catalog.ts";
import { decodeLegacyFrame, encodeLegacyFrame } from "../../shared/media/container.ts";
import { pipeSocket, remotePath, type MessagePipe } from "../../shared/media/link.ts";
import { RoomTicket } from "../../shared/ticket.ts";
import { silentLog, type Log } from "../log.ts";
import { createRoomMedia } from "../moq/room-media.ts";
import { QMUX_CONFIG } from "../moq/transport.ts";
import { MediaLink } from "./media-link.ts";
import { RoomService } from "./room-service.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function nodePortPipe(port: MessagePort): MessagePipe {
  return {
    send: (d) => port.postMessage(d.slice()),
    onMessage: (fn) => port.on("message", fn),
    onClose: (fn) => port.on("close", fn),
    close: () => port.close(),
  };
}

const value = <T,>(r: IpcResult<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
};

/** A service plus a fake-but-real UI: event recorder and a MoQ client on the media link. */
async function openApp(log: Log = silentLog): Promise<{ svc: RoomService; events: EventMessage[]; ui: Moq.Connection.Established; port: MessagePort }> {
  const dir = mkdtempSync(join(tmpdir(), "media-link-"));
  const svc = await RoomService.open({ dataDir: dir, log, listen: ["/ip4/127.0.0.1/tcp/0"], media: (n, l) => createRoomMedia(n, l) });
  const events: EventMessage[] = [];
  svc.attach((e) => events.push(e));
  value(await svc.rendererReady());
  const { port1, port2 } = new MessageChannel();
  const accepted = MediaLink.accept(pipeSocket(nodePortPipe(port1), "test:main"), silentLog);
  const qmux = new Session(pipeSocket(nodePortPipe(port2), "test:ui"), { config: QMUX_CONFIG });
  await qmux.ready; // connect reads the negotiated protocol synchronously
  const ui = await Moq.Connection.connect(new URL("liverooms://main/media"), { transport: qmux as unknown as WebTransport });
  svc.attachMediaLink(await accepted);
  cleanup.push(async () => {
    ui.close();
    await svc.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { svc, events, ui, port: port2 };
}

/** The renderer's side of a broadcast: catalog (newest group open) and tracks it writes on demand. */
class UiBroadcast {
  readonly producer = new Moq.Broadcast.Producer();
  readonly #catalog = this.producer.createTrack(TRACKS.catalog.name, { priority: 100, ordered: true });
  #group: Moq.Group.Producer | undefined;
  readonly tracks = new Map<string, Moq.Track.Producer>();

  setCatalog(c: Catalog): void {
    const g = this.#catalog.appendGroup();
    g.writeFrame({ payload: encodeCatalog(c), timestamp: Moq.Time.Timestamp.fromMicros(Date.now() * 1000) });
    this.#group?.close();
    this.#group = g;
  }

  track(name: string): Moq.Track.Producer {
    let t = this.tracks.get(name);
    if (t === undefined) {
      t = this.producer.createTrack(name, { priority: 1, latencyMax: 500, timescale: Moq.Time.Timescale.MICRO });
      this.tracks.set(name, t);
    }
    return t;
  }
}

const video: Catalog["video"] = { renditions: { "video/h264-360p": { codec: "avc3.42e01e", container: { kind: "legacy" }, codedWidth: 640, codedHeight: 360 } } };
const audio: Catalog["audio"] = { renditions: { "audio/opus": { codec: "opus", container: { kind: "legacy" }, sampleRate: 48000, numberOfChannels: 1 } } };

function until<T>(f: () => T | undefined, what: string): Promise<T> {
  return vi.waitFor(
    () => {
      const v = f();
      if (v === undefined) throw new Error(`no ${what} yet`);
      return v;
    },
    { timeout: 20_000, interval: 20 },
  );
}

async function nextCatalog(sub: Moq.Track.Subscriber): Promise<Catalog> {
  const g = await sub.recvGroup();
  if (g === undefined) throw new Error("catalog track ended");
  const f = await g.readFrame();
  if (f === undefined) throw new Error("empty catalog group");
  return decodeCatalog(f.payload);
}

describe("media link (UI ⇄ main ⇄ peer ⇄ main ⇄ UI)", () => {
  it("relays the UI's camera to the other UI on demand, follows catalog changes, and brings screen share and back", async () => {
    const [a, b] = await Promise.all([openApp(), openApp()]);
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));

    const cam = new UiBroadcast();
    cam.setCatalog({ video, audio });
    const camVideo = cam.track("video/h264-360p");
    cam.track("audio/opus");
    a.ui.publish(Moq.Path.from("camera"), cam.producer);

    await until(() => b.events.find((e) => e.event === "broadcastSubscribed" && e.payload.peerId === roomA.me && e.payload.name === "camera"), "A's camera at B");
    const atB = b.ui.consume(Moq.Path.from(remotePath(roomA.me, "camera")));
    const catSub = atB.subscribe(TRACKS.catalog.name, { priority: 100 });
    // Main adds chat beside the UI's renditions.
    let cat = await nextCatalog(catSub);
    expect(Object.keys(cat.video?.renditions ?? {})).toEqual(["video/h264-360p"]);
    expect(Object.keys(cat.audio?.renditions ?? {})).toEqual(["audio/opus"]);
    expect(cat.chat?.message?.name).toBe("chat");

    // Nobody watches yet: the UI's encoder would be idle.
    expect(camVideo.used.peek()).toBe(false);
    const vidSub = atB.subscribe("video/h264-360p", { priority: 1 });
    await until(() => (camVideo.used.peek() ? true : undefined), "demand reaching A's UI");

    // Frames written by A's UI arrive at B's UI byte for byte.
    const sent: number[] = [];
    const writer = setInterval(() => {
      const g = camVideo.appendGroup();
      const ts = Date.now() * 1000;
      sent.push(ts);
      g.writeFrame({ payload: encodeLegacyFrame(ts, new Uint8Array([1, 2, 3, sent.length % 256])), timestamp: Moq.Time.Timestamp.fromMicros(ts) });
      g.close();
    }, 30);
    cleanup.push(() => clearInterval(writer));
    const g = await vidSub.recvGroup();
    const f = await g?.readFrame();
    expect(f).toBeDefined();
    const frame = decodeLegacyFrame(f!.payload);
    expect(sent).toContain(frame.timestampUs);
    expect([...frame.payload.slice(0, 3)]).toEqual([1, 2, 3]);

    // B stops watching: demand falls away at A's UI too.
    vidSub.close();
    await until(() => (camVideo.used.peek() ? undefined : true), "demand gone at A's UI");
    clearInterval(writer);

    // Microphone muted in A's UI: the audio rendition leaves the catalog B sees.
    cam.setCatalog({ video });
    for (;;) {
      cat = await nextCatalog(catSub);
      if (cat.audio === undefined) break;
    }
    expect(Object.keys(cat.video?.renditions ?? {})).toEqual(["video/h264-360p"]);

    // Unmuted: a fresh audio track under the same name, and B hears it again.
    cam.tracks.get("audio/opus")?.close();
    cam.producer.removeTrack("audio/opus");
    cam.tracks.delete("audio/opus");
    const camAudio = cam.track("audio/opus");
    cam.setCatalog({ video, audio });
    for (;;) {
      cat = await nextCatalog(catSub);
      if (cat.audio !== undefined) break;
    }
    const audSub = atB.subscribe("audio/opus", { priority: 2 });
    await until(() => (camAudio.used.peek() ? true : undefined), "demand for the new audio track at A's UI");
    const beat = setInterval(() => {
      const ts = Date.now() * 1000;
      const g = camAudio.appendGroup();
      g.writeFrame({ payload: encodeLegacyFrame(ts, new Uint8Array([9, 9])), timestamp: Moq.Time.Timestamp.fromMicros(ts) });
      g.close();
    }, 20);
    cleanup.push(() => clearInterval(beat));
    const ag = await audSub.recvGroup();
    expect([...decodeLegacyFrame((await ag!.readFrame())!.payload).payload]).toEqual([9, 9]);
    clearInterval(beat);
    audSub.close();

    // Screen share: on, off, on again — each time a fresh broadcast at B.
    const screenAtB = (n: number) =>
      until(() => {
        const subs = b.events.filter((e) => e.event === "broadcastSubscribed" && e.payload.name === "screen");
        return subs.length >= n ? subs : undefined;
      }, `screen subscription #${n}`);
    const share = (): UiBroadcast => {
      const s = new UiBroadcast();
      s.setCatalog({ video: { renditions: { "video/vp8-screen": { codec: "vp8", container: { kind: "legacy" }, codedWidth: 1280, codedHeight: 720 } } } });
      a.ui.publish(Moq.Path.from("screen"), s.producer);
      return s;
    };
    const s1 = share();
    await screenAtB(1);
    s1.producer.close();
    await until(() => b.events.find((e) => e.event === "broadcastEnded" && e.payload.name === "screen"), "screen ended at B");
    share();
    await screenAtB(2);
    // The room's fresh screen broadcast is announced at once and its catalog fills in as A's core mirrors
    // the UI's renditions, so a player follows catalog updates until the rendition is listed.
    const screenCats = b.ui.consume(Moq.Path.from(remotePath(roomA.me, "screen"))).subscribe(TRACKS.catalog.name, { priority: 100 });
    let screenCat = await nextCatalog(screenCats);
    while (Object.keys(screenCat.video?.renditions ?? {}).length === 0) screenCat = await nextCatalog(screenCats);
    expect(Object.keys(screenCat.video?.renditions ?? {})).toEqual(["video/vp8-screen"]);
  }, 60_000);

  it("refuses garbage on the port and broadcasts the UI may not publish, and the service keeps working", async () => {
    const a = await openApp();
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    const rogue = new UiBroadcast();
    rogue.setCatalog({ video });
    a.ui.publish(Moq.Path.from("peers/someone/camera"), rogue.producer);
    // A string on the port is not a qmux record: the link ends (the UI's session closes), the room does not.
    a.port.postMessage("not a record");
    await expect(Promise.race([a.ui.closed.then(() => "closed", () => "closed"), new Promise((r) => setTimeout(() => r("hung"), 15_000))])).resolves.toBe("closed");
    expect(a.svc.connection).toBe("joined");
    expect(RoomTicket.tryParse(value(await a.svc.getTicket())).ok).toBe(true);
    expect(roomA.me.length).toBeGreaterThan(0);
  });

  it("carries a call's rates for a while (video groups every 2 s, audio every 20 ms) without losing audio or churning sessions", async () => {
    const warnings: string[] = [];
    const log: Log = { ...silentLog, warn: (m, f) => warnings.push(`${m} ${JSON.stringify(f ?? {})}`) };
    const [a, b] = await Promise.all([openApp(log), openApp(log)]);
    const roomA = value(await a.svc.createRoom({ displayName: "Ada" }));
    value(await b.svc.joinRoom({ ticket: roomA.ticket, displayName: "Bob" }));
    const cam = new UiBroadcast();
    cam.setCatalog({ video, audio });
    const v = cam.track("video/h264-360p");
    const au = cam.track("audio/opus");
    a.ui.publish(Moq.Path.from("camera"), cam.producer);
    await until(() => b.events.find((e) => e.event === "broadcastSubscribed" && e.payload.name === "camera"), "A's camera at B");
    const atB = b.ui.consume(Moq.Path.from(remotePath(roomA.me, "camera")));
    const vSub = atB.subscribe("video/h264-360p", { priority: 1 });
    const aSub = atB.subscribe("audio/opus", { priority: 2 });
    await until(() => (v.used.peek() && au.used.peek() ? true : undefined), "demand at A's UI");

    const SECONDS = 8;
    let vGroup: Moq.Group.Producer | undefined;
    let frame = 0;
    const video1k = new Uint8Array(4000);
    const writer = setInterval(() => {
      const ts = Date.now() * 1000;
      const at = Moq.Time.Timestamp.fromMicros(ts);
      // 50 audio packets a second, each its own group (as hang writes Opus).
      const g = au.appendGroup();
      g.writeFrame({ payload: encodeLegacyFrame(ts, new Uint8Array(80)), timestamp: at });
      g.close();
      if (frame++ % 2 === 0) {
        if (frame % 120 === 1) {
          vGroup?.close();
          vGroup = v.appendGroup();
        }
        vGroup?.writeFrame({ payload: encodeLegacyFrame(ts, video1k), timestamp: at });
      }
    }, 20);
    cleanup.push(() => clearInterval(writer));
    let audioGroups = 0;
    let videoFrames = 0;
    const readAudio = (async () => {
      for (let g = await aSub.recvGroup(); g !== undefined; g = await aSub.recvGroup()) if ((await g.readFrame()) !== undefined) audioGroups++;
    })();
    const readVideo = (async () => {
      for (let g = await vSub.recvGroup(); g !== undefined; g = await vSub.recvGroup()) {
        void (async () => {
          for (let f = await g.readFrame(); f !== undefined; f = await g.readFrame()) videoFrames++;
        })();
      }
    })();
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    clearInterval(writer);
    vGroup?.close();
    aSub.close();
    vSub.close();
    await Promise.allSettled([readAudio, readVideo]);
    const sent = frame;
    expect(warnings.filter((w) => w.includes("moq session failed") || w.includes("fatal")), "no session failures").toEqual([]);
    expect(audioGroups, `audio groups received of ${sent}`).toBeGreaterThan(sent * 0.9);
    expect(videoFrames).toBeGreaterThan((sent / 2) * 0.9);
  }, 60_000);
});
