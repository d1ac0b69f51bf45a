/**
 * One published broadcast fed by capture tracks: a video track encoded into the renditions a planner
 * picks, and an optional audio track encoded as Opus. Tracks can be swapped (device switch) or removed
 * (camera off, mute) while the broadcast stays up; renditions follow in the catalog.
 */
import type { AudioConfig } from "../../../shared/media/catalog.ts";
import { AUDIO_TRACK, AudioRendition, audioCatalogConfig, opusEncoderConfig } from "./audio-rendition.ts";
import { HangBroadcast } from "./broadcast.ts";
import { chooseVideoCodec, type VideoCodecKind } from "./codec.ts";
import { EncodableFrames } from "./encodable.ts";
import { FrameSource, type FrameSink } from "./frame-source.ts";
import { SizeWatch } from "./capture-size.ts";
import { samePlans, type CaptureSize, type RenditionPlan } from "./renditions.ts";
import type { BroadcastName, BroadcastStats } from "./stats.ts";
import { VideoRendition, videoCatalogConfig } from "./video-rendition.ts";

/** What a publication needs. */
export interface PublicationInit {
  name: BroadcastName;
  /** The video renditions for a capture size. */
  plan(capture: CaptureSize): RenditionPlan[];
  onError: (err: Error) => void;
}

/** Raised when no video codec in {@link VIDEO_CODECS} can encode the planned renditions. */
export class NoVideoCodecError extends Error {
  override name = "NoVideoCodecError";
}

type VideoSet = { codec: VideoCodecKind; plans: RenditionPlan[]; renditions: VideoRendition[]; names: string[] };
type AudioSet = { config: AudioConfig; rendition: AudioRendition };

/** A broadcast and the capture feeding it. */
export class Publication {
  readonly name: BroadcastName;
  readonly broadcast = new HangBroadcast();
  readonly video: FrameSource<VideoFrame>;
  readonly audio: FrameSource<AudioData>;
  readonly #init: PublicationInit;
  #videoSet: VideoSet | undefined;
  #audioSet: AudioSet | undefined;
  #planning: Promise<unknown> = Promise.resolve();
  // A size change of the running capture re-plans; the first frame of a new track is awaited by setVideo.
  readonly #size = new SizeWatch(() => {
    if (this.#videoSet !== undefined) this.#planVideo().catch((e: unknown) => this.#init.onError(asError(e)));
  });

  constructor(init: PublicationInit) {
    this.#init = init;
    this.name = init.name;
    const encodable = new EncodableFrames();
    this.video = new FrameSource<VideoFrame>((e) => init.onError(asError(e)), (f) => encodable.convert(f));
    this.audio = new FrameSource<AudioData>((e) => init.onError(asError(e)));
    this.video.add(this.#size);
  }

  /** The video codec in use, if video is on. */
  get videoCodec(): VideoCodecKind | undefined {
    return this.#videoSet?.codec;
  }

  /**
   * Encode `track` (replacing the current video track), or remove the video renditions when undefined.
   * Renditions are planned from the captured frames' size and re-planned when it changes (a shared
   * window resized); a new track that plans the same renditions keeps them, so subscribers see only a
   * keyframe.
   */
  async setVideo(track: MediaStreamTrack | undefined): Promise<void> {
    if (track === undefined) {
      this.video.detach();
      await this.#planVideo();
      return;
    }
    this.#size.reset(track);
    this.video.attach(track);
    try {
      await this.#size.first(track);
      await this.#planVideo();
    } catch (err) {
      // No encoder for this capture: video is off rather than half on.
      this.video.detach();
      await this.#planVideo();
      throw err;
    }
    for (const r of this.#videoSet?.renditions ?? []) r.sourceChanged();
  }

  /** Bring the video renditions in line with the current track and its size; runs one at a time. */
  #planVideo(): Promise<void> {
    const next = this.#planning.then(async () => {
      const track = this.video.track;
      const size = this.#size.size;
      if (track === undefined || size === undefined) return this.#dropVideo();
      const plans = this.#init.plan(size);
      if (this.#videoSet !== undefined && samePlans(this.#videoSet.plans, plans)) return;
      const codec = await chooseVideoCodec(plans);
      if (codec === undefined) throw new NoVideoCodecError(`no video encoder for ${plans.map((p) => `${p.width}x${p.height}`).join(", ")}`);
      if (this.video.track !== track) return; // replaced or removed meanwhile: its own planning follows
      this.#dropVideo();
      const names = plans.map((plan) => `video/${codec}-${plan.label}`);
      const renditions = plans.map((plan, i) => {
        const r = new VideoRendition({
          codec,
          plan,
          track: this.broadcast.addVideo(names[i]!, videoCatalogConfig(codec, plan)),
          clock: this.video.clock,
          onError: this.#init.onError,
        });
        this.video.add(r);
        return r;
      });
      this.#videoSet = { codec, plans, renditions, names };
    });
    this.#planning = next.catch(() => undefined);
    return next;
  }

  /** Encode `track` as Opus (replacing the current audio track), or remove `audio/opus` when undefined. */
  async setAudio(track: MediaStreamTrack | undefined): Promise<void> {
    if (track === undefined) {
      this.#dropAudio();
      this.audio.detach();
      return;
    }
    const s = track.getSettings();
    const config = audioCatalogConfig(s.sampleRate ?? 48_000, s.channelCount ?? 1);
    const current = this.#audioSet;
    if (current !== undefined && JSON.stringify(current.config) === JSON.stringify(config)) {
      this.audio.attach(track);
      current.rendition.restart();
      return;
    }
    const encoderConfig = await opusEncoderConfig(config);
    this.#dropAudio();
    this.audio.attach(track);
    const rendition = new AudioRendition({
      config,
      encoderConfig,
      track: this.broadcast.addAudio(AUDIO_TRACK, config),
      clock: this.audio.clock,
      onError: this.#init.onError,
    });
    this.audio.add(rendition);
    this.#audioSet = { config, rendition };
  }

  /** Feed another sink (the level meter) from the audio track. */
  addAudioSink(sink: FrameSink<AudioData>): void {
    this.audio.add(sink);
  }

  /** The encoders' figures. */
  stats(): BroadcastStats {
    return {
      name: this.name,
      renditions: [...(this.#videoSet?.renditions ?? []), ...(this.#audioSet ? [this.#audioSet.rendition] : [])].map((r) => r.stats()),
    };
  }

  /** Stop capture and encoding and end the broadcast. */
  close(): void {
    this.#dropVideo();
    this.#dropAudio();
    this.video.detach();
    this.audio.detach();
    this.broadcast.close();
  }

  #dropVideo(): void {
    const set = this.#videoSet;
    this.#videoSet = undefined;
    for (const r of set?.renditions ?? []) {
      this.video.delete(r);
      r.close();
    }
    for (const name of set?.names ?? []) this.broadcast.remove(name);
  }

  #dropAudio(): void {
    const set = this.#audioSet;
    this.#audioSet = undefined;
    if (set === undefined) return;
    this.audio.delete(set.rendition);
    set.rendition.close();
    this.broadcast.remove(AUDIO_TRACK);
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
