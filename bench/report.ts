/** Writes benchmark results as JSON and a Markdown table under bench/results/. */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import type { Summary } from "../shared/stats.ts";

/** One measured figure, with its target when the issue sets one. */
export interface BenchRow {
  name: string;
  unit: "ms" | "%core" | "fps" | "Mbit/s";
  summary: Summary;
  /** Targets from the issues: which statistic, and its upper bound. */
  targets?: { stat: "p50" | "p99" | "max"; max: number }[];
}

/** Write `<suite>.json` and `<suite>.md` and print the table. */
export function writeReport(suite: string, rows: BenchRow[], notes: string[] = []): void {
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  const meta = { suite, date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  writeFileSync(join(dir, `${suite}.json`), JSON.stringify({ ...meta, rows, notes }, null, 2) + "\n");
  const verdict = (r: BenchRow): string =>
    (r.targets ?? []).map((t) => (r.summary[t.stat] <= t.max ? `✅ ${t.stat} ≤ ${t.max}` : `❌ ${t.stat} > ${t.max}`)).join(", ");
  const lines = [
    `# ${suite}`,
    "",
    `${meta.date}, Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel ?? "cpu"}`,
    "",
    "| measurement | unit | n | p50 | p99 | min | max | target |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.name} | ${r.unit} | ${r.summary.n} | ${r.summary.p50} | ${r.summary.p99} | ${r.summary.min} | ${r.summary.max} | ${verdict(r)} |`),
    ...(notes.length > 0 ? ["", ...notes.map((n) => `- ${n}`)] : []),
    "",
  ];
  writeFileSync(join(dir, `${suite}.md`), lines.join("\n"));
  process.stdout.write(lines.join("\n") + "\n");
}
