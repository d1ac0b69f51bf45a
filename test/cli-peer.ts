/**
 * Test harness: a `rooms` CLI peer in its own OS process, read through its --json stdout.
 * Waits are on events the peer prints, with a generous deadline only as a hang guard.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** One line of `rooms --json` output. */
export type CliLine = { type: string; [k: string]: unknown };

const CLI = join(import.meta.dirname, "..", "main", "cli", "rooms.ts");

/** Where and how to run a CLI peer. */
export interface CliPeerOpts {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Listen addresses (default TCP on 127.0.0.1, random port). */
  listen?: string[];
  /** Run inside this network namespace (test/netns.ts). */
  netns?: string;
}

/** A running CLI peer. */
export class CliPeer {
  readonly lines: (CliLine & { at: number })[] = [];
  readonly proc: ChildProcessWithoutNullStreams;
  readonly dataDir: string;
  stderr = "";
  readonly #waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;

  private constructor(args: string[], dataDir: string, opts: CliPeerOpts) {
    this.dataDir = dataDir;
    const listen = (opts.listen ?? ["/ip4/127.0.0.1/tcp/0"]).flatMap((l) => ["--listen", l]);
    const argv = [CLI, ...args, "--json", "--data-dir", dataDir, ...listen];
    // `ip netns exec` execs the command, so the child pid (and kill) is the peer itself.
    const [cmd, cmdArgs] = opts.netns === undefined ? [process.execPath, argv] : ["ip", ["netns", "exec", opts.netns, process.execPath, ...argv]];
    this.proc = spawn(cmd, cmdArgs, { env: { ...process.env, ...opts.env } });
    createInterface({ input: this.proc.stdout }).on("line", (l) => {
      let parsed: CliLine;
      try {
        parsed = JSON.parse(l) as CliLine;
      } catch {
        parsed = { type: "non-json", text: l };
      }
      this.lines.push({ ...parsed, at: performance.timeOrigin + performance.now() });
      for (const w of this.#waiters) w();
    });
    this.proc.stderr.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.proc.on("exit", (code) => { for (const w of this.#waiters) w(); resolve(code); }));
  }

  /** Start a peer: `create` or `join <ticket>` (or `relay`), plus extra CLI args. */
  static start(args: string[], opts: CliPeerOpts = {}): CliPeer {
    const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "rooms-test-"));
    return new CliPeer(args, dataDir, opts);
  }

  /** Wait for the first line (at or after index `from`) matching `pred`. */
  waitFor(pred: (l: CliLine) => boolean, opts: { timeoutMs?: number; from?: number; what?: string } = {}): Promise<CliLine & { at: number }> {
    const deadline = opts.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.lines.slice(opts.from ?? 0).find(pred);
        if (hit !== undefined) {
          resolve(hit);
          return true;
        }
        if (this.proc.exitCode !== null) {
          reject(new Error(`peer exited (${this.proc.exitCode}) before ${opts.what ?? "expected line"}; stderr: ${this.stderr}`));
          return true;
        }
        return false;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) done();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${opts.what ?? "line"}; got ${JSON.stringify(this.lines.map((l) => l.type))}; stderr: ${this.stderr}`));
      }, deadline);
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      this.#waiters.add(waiter);
    });
  }

  /** The ready line (peer id and ticket). */
  async ready(): Promise<{ peerId: string; ticket: string }> {
    const l = await this.waitFor((x) => x.type === "ready", { what: "ready" });
    return { peerId: l.peerId as string, ticket: l.ticket as string };
  }

  /** Lines of one event type about one remote. */
  eventsAbout(type: string, remote: string): CliLine[] {
    return this.lines.filter((l) => l.type === type && l.remote === remote);
  }

  /** Send a stdin command line. */
  command(line: string): void {
    this.proc.stdin.write(line + "\n");
  }

  /** Kill with a signal and wait for exit. */
  async kill(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (this.proc.exitCode === null) this.proc.kill(signal);
    return this.exited;
  }

  /** Kill (if running) and remove the data directory. */
  async dispose(): Promise<void> {
    await this.kill("SIGKILL");
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
