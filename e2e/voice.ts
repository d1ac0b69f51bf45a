/**
 * A voice of its own for each person in a test. Chromium's fake microphone plays the same beep in every
 * browser, and the echo canceller (on, as in every call) rightly treats a sound that matches what the
 * speaker just played as echo: with two browsers on the default beep, one direction was cancelled to a
 * peak of 0.002-0.04 within seconds while the other stayed at 1.0 (which side varied from run to run),
 * and "Bob hears Ada" failed in CI. Real people do not share a voice, so each test person gets tone bursts
 * at their own pitch and rhythm, played by a browser of their own (the switch is per process); measured
 * so, both directions held at 0.48 for a minute, through a mute and unmute.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const RATE = 48_000;

/** Pitch (Hz) and burst period (ms) per person; anyone else gets a pitch from their name. */
const VOICES: Record<string, { hz: number; periodMs: number }> = {
  Ada: { hz: 440, periodMs: 900 },
  Bob: { hz: 620, periodMs: 1100 },
  Cy: { hz: 830, periodMs: 1300 },
};

/**
 * 16-bit mono PCM WAV bytes: 300 ms bursts (with 10 ms ramps) every `periodMs`, about 6 s of whole periods
 * (Chromium loops the file; a whole number of periods loops without a cut burst).
 */
function toneBurstWav(hz: number, periodMs: number): Buffer {
  const period = Math.round((RATE * periodMs) / 1000);
  const n = period * Math.ceil(6000 / periodMs);
  const data = Buffer.alloc(n * 2);
  const burst = RATE * 0.3;
  const ramp = RATE * 0.01;
  for (let i = 0; i < n; i++) {
    const t = i % period;
    const envelope = t >= burst ? 0 : Math.min(1, t / ramp, (burst - t) / ramp);
    data.writeInt16LE(Math.round(0.5 * envelope * Math.sin((2 * Math.PI * hz * i) / RATE) * 32767), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8);
  header.write("fmt ", 12);
  header.writeUInt32LE(16, 16); // PCM fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The Chromium switch that makes `name`'s fake microphone play their own voice (written once per run). */
export function voiceArg(name: string): string {
  const hash = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const voice = VOICES[name] ?? { hz: 300 + (hash % 700), periodMs: 800 + (hash % 700) };
  const dir = join(tmpdir(), "live-rooms-e2e-voices");
  const file = join(dir, `${voice.hz}hz-${voice.periodMs}ms.wav`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed: a run stopped mid-write must not leave a short file for the next.
    writeFileSync(`${file}.${process.pid}`, toneBurstWav(voice.hz, voice.periodMs));
    renameSync(`${file}.${process.pid}`, file);
  }
  return `--use-file-for-fake-audio-capture=${file}`;
}
