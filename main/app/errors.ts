/**
 * Errors of the app service and their one conversion to IPC data (STYLE.md §7): inside main they are
 * thrown as {@link AppError}; at the command boundary every error becomes `{ code, message }`.
 */
import type { IpcError, IpcResult } from "../../shared/ipc.ts";

/** Machine-readable reasons a command fails. */
export type AppErrorCode =
  | "bad-args"
  | "unknown-command"
  | "bad-ticket"
  | "bad-relay"
  | "already-in-room"
  | "in-room"
  | "not-in-room"
  | "not-available"
  | "forbidden"
  | "internal";

/** A command failed for a reason the UI can show. */
export class AppError extends Error {
  override name = "AppError";
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** A failed {@link IpcResult}. */
export function fail(code: AppErrorCode, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } };
}

/** A successful {@link IpcResult}. */
export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

/** Convert anything thrown into IPC data; foreign errors keep their `code` if they carry a string one. */
export function toIpcError(err: unknown): IpcError {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof Error) {
    const code = (err as Error & { code?: unknown }).code;
    return { code: typeof code === "string" ? code : "internal", message: err.message };
  }
  return { code: "internal", message: String(err) };
}
