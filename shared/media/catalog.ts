/**
 * The hang catalog (`catalog.json` track): what a broadcast carries and how to decode it.
 *
 * Field names follow @moq/hang so standard moq players can read our broadcasts. `chat` is iroh-live's
 * extension (track name and priority of the chat track). Catalogs come from peers, so they are parsed
 * with bounds: a catalog that fails here drops that broadcast, never the room.
 */
import { z } from "zod";
import { ProtocolViolation } from "../codec/errors.ts";

/** Largest catalog.json accepted. */
export const MAX_CATALOG_BYTES = 64 * 1024;
/** Most renditions per media kind. */
export const MAX_RENDITIONS = 8;

/** Track names and priorities of a room broadcast (priorities as in iroh-live: higher is more urgent). */
export const TRACKS = {
  catalog: { name: "catalog.json", priority: 100 },
  chat: { name: "chat", priority: 10 },
  audioPriority: 2,
  videoPriority: 1,
} as const;

const u53 = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const trackName = z.string().min(1).max(128);
const hex = z.string().max(8192).regex(/^[0-9a-fA-F]*$/);
const container = z.looseObject({ kind: z.string().max(32) }).default({ kind: "legacy" });
const renditions = <T extends z.ZodType>(cfg: T) =>
  z.record(trackName, cfg).refine((r) => Object.keys(r).length <= MAX_RENDITIONS, `at most ${MAX_RENDITIONS} renditions`);

/** One video rendition (mirrors WebCodecs VideoDecoderConfig). */
export const VideoConfigSchema = z.object({
  codec: z.string().min(1).max(64),
  container,
  description: hex.optional(),
  codedWidth: u53.optional(),
  codedHeight: u53.optional(),
  displayAspectWidth: u53.optional(),
  displayAspectHeight: u53.optional(),
  framerate: z.number().positive().max(1000).optional(),
  bitrate: u53.optional(),
  optimizeForLatency: z.boolean().optional(),
  jitter: u53.optional(),
});

/** One audio rendition (mirrors WebCodecs AudioDecoderConfig). */
export const AudioConfigSchema = z.object({
  codec: z.string().min(1).max(64),
  container,
  description: hex.optional(),
  sampleRate: u53,
  numberOfChannels: u53.max(32),
  bitrate: u53.optional(),
  jitter: u53.optional(),
});

/** The whole catalog; unknown sections pass through (hang's catalog is a loose object). */
export const CatalogSchema = z.looseObject({
  video: z.object({
    renditions: renditions(VideoConfigSchema),
    priority: z.number().int().min(0).max(255).optional(),
    display: z.object({ width: u53, height: u53 }).optional(),
    rotation: z.number().optional(),
    flip: z.boolean().optional(),
  }).optional(),
  audio: z.object({ renditions: renditions(AudioConfigSchema) }).optional(),
  chat: z.object({
    message: z.object({ name: trackName, priority: z.number().int().min(0).max(255) }).optional(),
    typing: z.unknown().optional(),
  }).optional(),
});

/** A parsed catalog. */
export type Catalog = z.infer<typeof CatalogSchema>;
/** A video rendition. */
export type VideoConfig = z.infer<typeof VideoConfigSchema>;
/** An audio rendition. */
export type AudioConfig = z.infer<typeof AudioConfigSchema>;

/** Serialize a catalog as the one frame of a catalog group. */
export function encodeCatalog(c: Catalog): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(c));
}

/** Parse a catalog frame from a peer; throws {@link ProtocolViolation} with the reason. */
export function decodeCatalog(bytes: Uint8Array): Catalog {
  if (bytes.length > MAX_CATALOG_BYTES) throw new ProtocolViolation("too-large", `catalog of ${bytes.length} bytes exceeds ${MAX_CATALOG_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (err) {
    throw new ProtocolViolation("bad-catalog", `catalog is not JSON: ${(err as Error).message}`);
  }
  const res = CatalogSchema.safeParse(json);
  if (!res.success) throw new ProtocolViolation("bad-catalog", `catalog rejected: ${res.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return res.data;
}

/** The chat track a catalog advertises, if any. */
export function chatTrackOf(c: Catalog): string | undefined {
  return c.chat?.message?.name;
}
