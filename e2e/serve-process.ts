/**
 * A `rooms serve` process (browser mode) with its own temporary data directory: one per participant,
 * so every participant has its own identity, settings and libp2p node, as on separate machines.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

const ROOT = join(import.meta.dirname, "..");
const CLI = join(ROOT, "main", "cli", "rooms.ts");

/** A running browser-mode server. */
export class ServeProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly #proc: ChildProcessWithoutNullStreams;
  readonly #stderr: string[];
  readonly #exited: Promise<void>;

  private constructor(init: { url: string; dataDir: string; proc: ChildProcessWithoutNullStreams; stderr: string[]; exited: Promise<void> }) {
    this.url = init.url;
    this.dataDir = init.dataDir;
    this.#proc = init.proc;
    this.#stderr = init.stderr;
    this.#exited = init.exited;
  }

  /** Start a server and wait for the line with its URL. */
  static async start(label: string): Promise<ServeProcess> {
    if (!existsSync(join(ROOT, "out", "renderer", "index.html"))) throw new Error("no built UI: run `npm run build` before the e2e tests");
    const dataDir = mkdtempSync(join(tmpdir(), `e2e-${label}-`));
    const proc = spawn(process.execPath, [CLI, "serve", "--json", "--data-dir", dataDir, "--listen", "/ip4/127.0.0.1/tcp/0", "--log-level", process.env.LIVE_ROOMS_E2E_LOG_LEVEL ?? "info"], {
      cwd: ROOT,
      env: process.env,
    });
    const stderr: string[] = [];
    proc.stderr.on("data", (d: Buffer) => stderr.push(d.toString()));
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: proc.stdout });
      lines.on("line", (l) => {
        try {
          const msg = JSON.parse(l) as { type?: string; url?: string };
          if (msg.type === "serving" && typeof msg.url === "string") resolve(msg.url);
        } catch {
          // not our line
        }
      });
      void exited.then(() => reject(new Error(`rooms serve (${label}) exited early: ${stderr.join("")}`)));
    });
    return new ServeProcess({ url, dataDir, proc, stderr, exited });
  }

  /** What the server logged. */
  get log(): string {
    return this.#stderr.join("");
  }

  /** Ask it to leave its room and stop (SIGTERM), then remove its data. */
  async stop(): Promise<void> {
    if (this.#proc.exitCode === null) {
      this.#proc.kill("SIGTERM");
      const hard = setTimeout(() => this.#proc.kill("SIGKILL"), 10_000);
      await this.#exited;
      clearTimeout(hard);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
