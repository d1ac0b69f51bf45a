/**
 * What fills a tile: a remote broadcast played into a video element or canvas (one RemotePlayer per tile, recreated when the
 * media link is reopened), or our own camera preview. The tile's speaking ring, muted mark and stats
 * overlay come from the same place. High-rate numbers (level, frame counts) never go through the store:
 * they are polled here and written to the DOM only when they change what is shown.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { useApp, useMedia } from "../context.tsx";
import { RemotePlayer, videoElementSupported, type PlayerState, type PlayerStats } from "../media/watch/index.ts";
import { linkText } from "../store/room/selectors.ts";

/** Level above which someone counts as speaking; the ring stays a moment after, so it does not flicker. */
const SPEAKING_LEVEL = 0.04;
const SPEAKING_HOLD_MS = 400;

/** What the tile shows about its media. */
export interface MediaFacts {
  video: boolean;
  muted: boolean;
  speaking: boolean;
  note: string | undefined;
}

/** Poll `level()` and report speaking with a short hold. */
function useSpeaking(level: () => number): boolean {
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => {
    let last = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      if (level() > SPEAKING_LEVEL) last = now;
      setSpeaking(now - last < SPEAKING_HOLD_MS);
    }, 100);
    return () => clearInterval(timer);
  }, [level]);
  return speaking;
}

const fmt = (n: number | undefined, digits = 0): string => (n === undefined || !Number.isFinite(n) ? "–" : n.toFixed(digits));

/** The per-tile statistics overlay. */
function StatsOverlay({ stats, path }: { stats: PlayerStats; path: string }): ReactNode {
  const rows: [string, string][] = [
    ["path", path === "" ? "–" : path],
    ["video", `${stats.videoCodec ?? "–"} ${stats.rendition ?? ""}`],
    ["size", stats.width > 0 ? `${stats.width}×${stats.height}` : "–"],
    ["fps", `${fmt(stats.paintedFps)} shown / ${fmt(stats.decodedFps)} decoded`],
    ["bitrate", `${fmt(stats.receiveBitsPerSecond / 1000)} kbit/s`],
    ["delay", stats.delayMs === undefined ? "–" : `${fmt(stats.delayMs)} ms (capture → paint)`],
    ["dropped", `${stats.framesDropped} of ${stats.framesDecoded + stats.framesDropped}`],
    ["audio", `${stats.audioCodec ?? "–"} · buffer ${fmt(stats.jitterBufferMs)}/${fmt(stats.jitterTargetMs)} ms · underruns ${stats.audioUnderruns} (${fmt(stats.audioConcealedMs)} ms concealed)`],
  ];
  return (
    <dl className="tile-stats" data-testid="tile-stats">
      {rows.map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A remote participant's broadcast. Reports its facts to the tile through `onFacts`. */
export function RemoteMedia(props: { peerId: string; name: string; tile: React.RefObject<HTMLElement | null>; onFacts: (f: MediaFacts) => void }): ReactNode {
  const { peerId, name, tile, onFacts } = props;
  const media = useMedia();
  const generation = useApp((s) => (s.link.state === "open" ? s.link.generation : -1));
  const statsVisible = useApp((s) => s.statsVisible);
  const path = useApp((s) => linkText(s.links[peerId]));
  const picture = useRef<HTMLCanvasElement & HTMLVideoElement>(null);
  const player = useRef<RemotePlayer | undefined>(undefined);
  const [state, setState] = useState<PlayerState | undefined>(undefined);
  const [stats, setStats] = useState<PlayerStats | undefined>(undefined);

  useEffect(() => {
    if (media === null || generation < 0) return;
    const broadcast = media.consume(peerId, name);
    if (broadcast === undefined) return;
    const p = new RemotePlayer({ broadcast });
    player.current = p;
    p.attach(picture.current ?? undefined);
    const off = p.onDidChangeState(setState);
    const el = tile.current;
    const resize = new ResizeObserver(() => {
      if (el !== null) p.setViewportSize(el.clientWidth * devicePixelRatio, el.clientHeight * devicePixelRatio);
    });
    if (el !== null) resize.observe(el);
    // Counters for tests and tools that watch the page (a frozen tile shows as a number that stops). The
    // audio peak is the loudest of the last 2 s: speech (and the fake microphone's beep) has pauses.
    const peaks: number[] = [];
    const expose = setInterval(() => {
      if (el === null) return;
      const s = p.stats();
      peaks.push(s.audioOutputPeak);
      if (peaks.length > 8) peaks.shift();
      el.dataset.framesDecoded = String(s.framesDecoded);
      el.dataset.paintedFps = String(Math.round(s.paintedFps));
      el.dataset.audioPeak = Math.max(...peaks).toFixed(4);
      el.dataset.delayMs = s.delayMs === undefined ? "" : String(Math.round(s.delayMs));
      el.dataset.audio = p.state().audio.kind;
      el.dataset.audioBufferMs = String(Math.round(s.jitterBufferMs));
      el.dataset.audioTargetMs = String(Math.round(s.jitterTargetMs));
      el.dataset.audioDelayMs = String(Math.round(s.audioDelayMs ?? 0));
      el.dataset.audioUnderruns = String(s.audioUnderruns);
      el.dataset.audioConcealedMs = String(Math.round(s.audioConcealedMs));
    }, 250);
    return () => {
      clearInterval(expose);
      resize.disconnect();
      off();
      p.close();
      broadcast.close();
      if (player.current === p) player.current = undefined;
    };
  }, [media, peerId, name, generation, tile]);

  useEffect(() => {
    if (!statsVisible) return;
    const timer = setInterval(() => {
      const p = player.current;
      if (p !== undefined) setStats(p.stats());
    }, 500);
    return () => clearInterval(timer);
  }, [statsVisible]);

  const level = useCallback(() => player.current?.level() ?? 0, []);
  const speaking = useSpeaking(level);
  const video = state?.video.kind === "playing";
  const muted = state === undefined || state.audio.kind === "muted" || state.audio.kind === "unsupported";
  const note =
    state?.catalog === "invalid"
      ? "unreadable broadcast"
      : state?.video.kind === "unsupported"
        ? `can't decode ${state.video.codecs.join(", ")}`
        : state?.audio.kind === "blocked"
          ? "sound blocked: click Enable sound"
          : undefined;
  useEffect(() => onFacts({ video, muted, speaking, note }), [onFacts, video, muted, speaking, note]);

  return (
    <>
      {/* A video element fed frame by frame where the browser can (cheaper to show), a canvas elsewhere. */}
      {videoElementSupported() ? (
        <video ref={picture} className="tile-media" muted playsInline aria-hidden="true" data-testid="tile-picture" />
      ) : (
        <canvas ref={picture} className="tile-media" aria-hidden="true" data-testid="tile-picture" />
      )}
      {statsVisible && stats !== undefined && <StatsOverlay stats={stats} path={path} />}
    </>
  );
}

/** Our own camera (mirrored, like a mirror) or a note that our screen is being shared. */
export function SelfMedia(props: { name: string; onFacts: (f: MediaFacts) => void }): ReactNode {
  const { name, onFacts } = props;
  const media = useMedia();
  const local = useApp((s) => s.local);
  const video = useRef<HTMLVideoElement>(null);
  const preview = name === "camera" && local?.camera.on === true ? media?.preview : undefined;
  useEffect(() => {
    const el = video.current;
    if (el === null) return;
    el.srcObject = preview ?? null;
    if (preview !== undefined) void el.play().catch(() => undefined);
  }, [preview]);
  const level = useCallback(() => (name === "camera" ? (media?.level() ?? 0) : 0), [media, name]);
  const speaking = useSpeaking(level);
  const muted = local?.microphone.on !== true;
  const showing = preview !== undefined;
  const note = name === "screen" ? "You are sharing your screen" : undefined;
  useEffect(() => onFacts({ video: showing, muted: name === "camera" && muted, speaking, note }), [onFacts, showing, muted, speaking, note, name]);
  if (name !== "camera") return null;
  return <video ref={video} className="tile-media tile-media--mirror" muted playsInline autoPlay aria-hidden="true" />;
}
