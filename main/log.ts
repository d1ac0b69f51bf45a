/** Minimal structured logger: the core never writes to stdout (the CLI's --json stream lives there). */
export interface Log {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, silent: 3 };

/** A logger writing one line per record to stderr, dropping records below `level`. */
export function stderrLog(scope: string, level: LogLevel = "info"): Log {
  const emit = (lvl: Exclude<LogLevel, "silent">) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const extra = fields === undefined ? "" : " " + JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    process.stderr.write(`${new Date().toISOString()} ${lvl} ${scope}: ${msg}${extra}\n`);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn") };
}

/** A logger that drops everything (tests that assert on behaviour, not output). */
export const silentLog: Log = { debug() {}, info() {}, warn() {} };
