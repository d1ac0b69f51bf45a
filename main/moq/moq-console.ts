/**
 * @moq/net and @moq/qmux log straight to the global console: `console.debug` for every stream and
 * subscription (which Node writes to *stdout*, where the CLI's --json stream lives) and
 * `console.error("fatal error running connection", …)` on every ordinary remote close. Neither library
 * takes a logger, so while at least one Live instance is open we wrap the console methods and send calls
 * made *from those packages* (recognised by the caller's stack frame) to our Log (the oldest open Live's,
 * since the libraries do not say which session a line is about); everything else passes through untouched. The wrapper is reference-counted and removed when the last Live closes, unless
 * someone wrapped the console on top of it meanwhile (then it stays, inert, rather than drop theirs).
 */
import { formatWithOptions } from "node:util";
import type { Log } from "../log.ts";

type Method = "debug" | "info" | "log" | "warn" | "error";
const METHODS: readonly Method[] = ["debug", "info", "log", "warn", "error"];
const FROM_MOQ = /[\\/]node_modules[\\/]@moq[\\/]/;
// Warnings and errors that only say a session or stream went away, which happens on every ordinary close.
const ORDINARY_CLOSE = /connection closed|stream closed|closed|cancel|reset|aborted|idle timeout|end of stream|remote error|StreamClosedError/i;

const sinks: Log[] = [];
let installed: { originals: Record<Method, (...args: unknown[]) => void>; wrappers: Record<Method, (...args: unknown[]) => void> } | undefined;

/** Route the MoQ libraries' console output to `log` until the returned function is called. */
export function routeMoqConsole(log: Log): () => void {
  sinks.push(log);
  if (installed === undefined) install();
  let done = false;
  return () => {
    if (done) return;
    done = true;
    sinks.splice(sinks.indexOf(log), 1);
    if (sinks.length === 0) uninstall();
  };
}

function install(): void {
  const originals = {} as Record<Method, (...args: unknown[]) => void>;
  const wrappers = {} as Record<Method, (...args: unknown[]) => void>;
  for (const m of METHODS) {
    const original = console[m].bind(console) as (...args: unknown[]) => void;
    originals[m] = original;
    wrappers[m] = (...args: unknown[]) => {
      const log = sinks[0];
      if (log === undefined || !calledFromMoq()) return original(...args);
      const text = formatWithOptions({ depth: 2, breakLength: Infinity }, ...args);
      if ((m === "warn" || m === "error") && !ORDINARY_CLOSE.test(text)) log.warn(`moq: ${text}`);
      else log.debug(`moq: ${text}`);
    };
    console[m] = wrappers[m];
  }
  installed = { originals, wrappers };
}

function uninstall(): void {
  if (installed === undefined) return;
  // Someone wrapped the console after us: leave ours in place (with no sinks it passes everything through).
  if (METHODS.some((m) => console[m] !== installed!.wrappers[m])) return;
  for (const m of METHODS) console[m] = installed.originals[m];
  installed = undefined;
}

// The frame right below the wrapper is whoever called console.*; the libraries call it directly.
function calledFromMoq(): boolean {
  const stack = new Error().stack ?? "";
  const frames = stack.split("\n", 5);
  return frames.slice(2, 5).some((f) => FROM_MOQ.test(f));
}
