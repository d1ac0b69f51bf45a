/** CPU time of process trees from /proc (Linux), for benchmarks that measure whole programs like Chromium. */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux). */
const TICKS = 100;

interface Proc {
  ppid: number;
  ticks: number;
  comm: string;
}

/**
 * Every entry of a /proc directory of processes (`/proc`) or of one process's threads
 * (`/proc/<pid>/task`), by id: parent, user+system ticks, command (or thread) name.
 */
function readStats(dir: string): Map<number, Proc> {
  const all = new Map<number, Proc>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return all; // the process exited
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`${dir}/${name}/stat`, "utf8");
      // The command is parenthesised and may contain spaces: the fields after it are space-separated.
      const close = stat.lastIndexOf(")");
      const fields = stat.slice(close + 2).split(" ");
      all.set(Number(name), { comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // exited while listing
    }
  }
  return all;
}

/** Every process now: parent, user+system ticks, command name. */
export function processes(): Map<number, Proc> {
  return readStats("/proc");
}

/** `root` and all its descendants in a snapshot. */
export function tree(all: Map<number, Proc>, root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, p] of all) if (p.ppid === out[i]) out.push(pid);
  return out.filter((pid) => all.has(pid));
}

/**
 * What a process is, for a CPU breakdown: Chromium's `--type=` (renderer, gpu-process, utility with its
 * service name), `browser` for Chromium's main process, or the command name (node: our core).
 */
export function kindOf(pid: number, comm: string): string {
  let args: string[];
  try {
    // Chromium rewrites its children's command lines with spaces between the arguments.
    args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(/[\0 ]/);
  } catch {
    return comm;
  }
  if (comm !== "chromium" && !args[0]?.includes("chromium")) return comm;
  const type = args.find((a) => a.startsWith("--type="))?.slice(7);
  if (type === undefined) return "browser";
  const service = args.find((a) => a.startsWith("--utility-sub-type="))?.slice(19).split(".")[0];
  return type === "utility" && service !== undefined ? `utility:${service}` : type;
}

/** CPU of each group over a window: total and by process kind ({@link kindOf}), % of one core. */
export interface GroupCpu {
  total: number;
  byKind: Record<string, number>;
  /** The renderer processes' CPU by thread name (digits dropped, so a pool's threads add up): where a page's time goes beyond its main thread. */
  rendererThreads: Record<string, number>;
}

/**
 * CPU of each group of process trees over `ms`. A process that starts during the window counts from zero;
 * one that exits during it is lost (the window should be steady state).
 */
export async function treeCpuDetail(groups: number[][], ms: number): Promise<GroupCpu[]> {
  const before = processes();
  const renderers = groups.map((roots) => roots.flatMap((r) => tree(before, r)).filter((pid) => kindOf(pid, before.get(pid)?.comm ?? "?") === "renderer"));
  const threadsBefore = new Map(renderers.flat().map((pid) => [pid, readStats(`/proc/${pid}/task`)]));
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = processes();
  const threadsAfter = new Map(renderers.flat().map((pid) => [pid, readStats(`/proc/${pid}/task`)]));
  const secs = (performance.now() - t0) / 1000;
  const pct = (ticks: number): number => Math.round((1000 * ticks) / TICKS / secs) / 10;
  return groups.map((roots, g) => {
    const pids = new Set(roots.flatMap((r) => tree(after, r)));
    let ticks = 0;
    const byKind: Record<string, number> = {};
    for (const pid of pids) {
      const t = (after.get(pid)?.ticks ?? 0) - (before.get(pid)?.ticks ?? 0);
      ticks += t;
      const kind = kindOf(pid, after.get(pid)?.comm ?? "?");
      byKind[kind] = (byKind[kind] ?? 0) + t;
    }
    const byThread: Record<string, number> = {};
    for (const pid of renderers[g]!) {
      for (const [tid, t] of threadsAfter.get(pid) ?? []) {
        const name = t.comm.replace(/\d+$/, "");
        byThread[name] = (byThread[name] ?? 0) + t.ticks - (threadsBefore.get(pid)?.get(tid)?.ticks ?? 0);
      }
    }
    const pcts = (m: Record<string, number>): Record<string, number> =>
      Object.fromEntries(
        Object.entries(m)
          .filter(([, v]) => v > 0)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => [k, pct(v)]),
      );
    return { total: pct(ticks), byKind: pcts(byKind), rendererThreads: pcts(byThread) };
  });
}

/** {@link treeCpuDetail}'s totals only. */
export async function treeCpu(groups: number[][], ms: number): Promise<number[]> {
  return (await treeCpuDetail(groups, ms)).map((g) => g.total);
}
