/** A child process that speaks JSON lines (bench peers). */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";

/** One JSON line. */
export type Line = { type: string; [k: string]: unknown };

/** A JSON-lines child process with waiting helpers. */
export class JsonProc {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly lines: Line[] = [];
  readonly #waiters = new Set<() => void>();
  #stderr = "";

  constructor(args: string[]) {
    this.proc = spawn(process.execPath, args);
    createInterface({ input: this.proc.stdout }).on("line", (l) => {
      try {
        this.lines.push(JSON.parse(l) as Line);
      } catch {
        return;
      }
      for (const w of this.#waiters) w();
    });
    this.proc.stderr.on("data", (d: Buffer) => (this.#stderr += d.toString()));
  }

  /** Wait for a line matching `pred` (searching from line index `from`). */
  waitFor(pred: (l: Line) => boolean, timeoutMs = 60_000, from = 0): Promise<Line> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.lines.slice(from).find(pred);
        if (hit !== undefined) resolve(hit);
        return hit !== undefined;
      };
      if (check()) return;
      const w = (): void => {
        if (check()) cleanup();
      };
      const t = setTimeout(() => {
        cleanup();
        reject(new Error(`timeout; stderr: ${this.#stderr.slice(-2000)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(t);
        this.#waiters.delete(w);
      };
      this.#waiters.add(w);
    });
  }

  /** Write a stdin line. */
  send(line: string): void {
    this.proc.stdin.write(line + "\n");
  }

  /** Kill and wait. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.on("exit", r));
    this.proc.kill("SIGKILL");
    await exited;
  }
}
