/** CPU time of process trees from /proc (Linux), for benchmarks that measure whole programs like Chromium. */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux). */
const TICKS = 100;

interface Proc {
  ppid: number;
  ticks: number;
  comm: string;
}

/** Every process now: parent, user+system ticks, command name. */
export function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
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

/** `root` and all its descendants in a snapshot. */
export function tree(all: Map<number, Proc>, root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) for (const [pid, p] of all) if (p.ppid === out[i]) out.push(pid);
  return out.filter((pid) => all.has(pid));
}

/** Direct children of `parent` whose command is `comm`. */
export function children(parent: number, comm: string): number[] {
  return [...processes()].filter(([, p]) => p.ppid === parent && p.comm === comm).map(([pid]) => pid);
}

/**
 * CPU of each group of process trees over `ms`, in % of one core. A process that starts during the window
 * counts from zero; one that exits during it is lost (the window should be steady state).
 */
export async function treeCpu(groups: number[][], ms: number): Promise<number[]> {
  const before = processes();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = processes();
  const secs = (performance.now() - t0) / 1000;
  return groups.map((roots) => {
    const pids = new Set(roots.flatMap((r) => tree(after, r)));
    let ticks = 0;
    for (const pid of pids) ticks += (after.get(pid)?.ticks ?? 0) - (before.get(pid)?.ticks ?? 0);
    return Math.round((1000 * ticks) / TICKS / secs) / 10;
  });
}
