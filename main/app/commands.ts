/**
 * The command boundary: a command name and arguments from an untrusted UI, checked against the contract's
 * schemas before anything runs (STYLE.md §6). Transports (Electron IPC, the browser-mode socket) hand
 * whatever they received to {@link parseCommand}.
 */
import type { z } from "zod";
import { CommandArgs, type CommandName, type IpcError, type RendererToMain } from "../../shared/ipc.ts";

/** A command whose name is known and whose arguments match its schema. */
export type ParsedCommand = { [K in CommandName]: { method: K; args: Parameters<RendererToMain[K]> } }[CommandName];

/** Check a command; the error is IPC data with code "unknown-command" or "bad-args". */
export function parseCommand(method: unknown, args: unknown): { ok: true; value: ParsedCommand } | { ok: false; error: IpcError } {
  if (typeof method !== "string" || !Object.hasOwn(CommandArgs, method)) {
    return { ok: false, error: { code: "unknown-command", message: `unknown command ${JSON.stringify(String(method)).slice(0, 80)}` } };
  }
  const name = method as CommandName;
  const parsed = CommandArgs[name].safeParse(args);
  if (!parsed.success) return { ok: false, error: { code: "bad-args", message: `${name}: ${describe(parsed.error)}` } };
  return { ok: true, value: { method: name, args: parsed.data } as ParsedCommand };
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}
