import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OpenResult, OpenRun, ProductsResult, ProductsRun } from "./load.ts";
import type { Judged, MaxResult } from "./max.ts";
import type { Sample, Window } from "./monitor.ts";

export type Measured<T> = T & { label: string; window: Window };

export type Phase =
  | { phase: "products"; result: Measured<ProductsResult> }
  | { phase: "open"; result: Measured<OpenResult> }
  | { phase: "max"; result: MaxResult<Measured<OpenResult>> };

const n = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "-" : Math.round(x).toLocaleString("en-US"));
const msText = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "-" : x < 10 ? `${x.toFixed(1)}ms` : `${Math.round(x)}ms`);
const pct = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "-" : `${Math.round(x)}%`);

/** The once-a-second line: the load so far, then the machine's latest second. */
export function progressLine(run: OpenRun | ProductsRun, label: string, s: Sample | undefined): string {
  const load = run.kind === "open"
    ? `offered ${n(run.offered)} accepted ${n(run.accepted)} confirmed ${n(run.confirmed)} backlog ${n(run.backlogNow)} p99 ${msText(run.latency.percentile(99))}`
      + (run.errorCount ? ` errors ${n(run.errorCount)}` : "")
    : `requests ${n(run.ok)} (${n(run.ok / Math.max(0.001, run.elapsedS))}/s) p99 ${msText(run.latency.percentile(99))}`
      + (run.errorCount ? ` errors ${n(run.errorCount)}` : "");
  const machine = s
    ? ` | shop rss ${n(s.shopRssMB)}MB cpu ${pct(s.shopCpuPct)} | bench cpu ${pct(s.benchCpuPct)}`
      + (s.lag ? ` | lag commands ${n(s.lag.commands)} placed ${n(s.lag.placed)}` : "")
    : "";
  return `[${label}] ${run.elapsedS.toFixed(0).padStart(3)}s ${load}${machine}`;
}

type Row = Record<string, string>;

function openRow(r: Measured<OpenResult>): Row {
  return {
    phase: r.label, load: `${n(r.rate)}/s × ${n(r.seconds)}s`, "accepted/s": n(r.acceptedPerS), "confirmed/s": n(r.confirmedPerS),
    p50: msText(r.latencyMs.p50), p95: msText(r.latencyMs.p95), p99: msText(r.latencyMs.p99), max: msText(r.latencyMs.max),
    errors: r.errorCount ? Object.entries(r.errors).map(([k, v]) => `${k} ${v}`).join(", ") : "0",
    "shop CPU/order": r.shopCpuMsPerOrder === undefined ? "-" : `${r.shopCpuMsPerOrder.toFixed(3)}ms`,
    ...machineColumns(r.window),
  };
}

function productsRow(r: Measured<ProductsResult>): Row {
  return {
    phase: r.label, load: `c=${r.concurrency} × ${n(r.seconds)}s`, "accepted/s": `${n(r.requestsPerS)} rps`, "confirmed/s": "-",
    p50: msText(r.latencyMs.p50), p95: msText(r.latencyMs.p95), p99: msText(r.latencyMs.p99), max: msText(r.latencyMs.max),
    errors: r.errorCount ? Object.entries(r.errors).map(([k, v]) => `${k} ${v}`).join(", ") : "0",
    "shop CPU/order": "-",
    ...machineColumns(r.window),
  };
}

function machineColumns(w: Window): Row {
  return {
    "shop RSS peak": w.shopPeakRssMB === undefined ? "-" : `${n(w.shopPeakRssMB)}MB`,
    "shop CPU mean/peak": w.shopCpuPct ? `${pct(w.shopCpuPct.mean)}/${pct(w.shopCpuPct.peak)}` : "-",
    "bench CPU": pct(w.benchCpuPct.mean),
    "load avg": w.loadAverageAtStart[0]!.toFixed(2),
  };
}

function table(rows: Row[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((r) => line(columns.map((c) => r[c]!)))].join("\n");
}

/** Where the CPU went, what PostgreSQL committed, where the backlog waited. */
function bounds(label: string, w: Window): string {
  const cpu = w.cpuByCommand ? Object.entries(w.cpuByCommand).slice(0, 6)
    .map(([c, p]) => `${c} ${pct(p.pct)}${p.processes > 1 ? ` (${p.processes} processes)` : ""}`).join(", ") : "no /proc";
  const host = w.hostBusyPct === undefined ? "" : ` (machine busy ${pct(w.hostBusyPct)}, iowait ${pct(w.iowaitPct)})`;
  const db = w.db ? `; PostgreSQL ${n(w.db.commitsPerS)} commits/s, ${n(w.db.walSyncsPerS)} WAL syncs/s, ${w.db.walMBPerS.toFixed(1)} MB/s WAL` : "";
  const lag = w.lagAtEnd ? `; consumer lag at end: commands ${n(w.lagAtEnd.commands)}, placed ${n(w.lagAtEnd.placed)}` : "";
  return `  ${label}: CPU % of one core: ${cpu}${host}${db}${lag}`;
}

const verdictText = (j: Judged<OpenResult>) => `${n(j.rate)}/s ${j.verdict.sustained ? "✓" : `✗ (${j.verdict.why})`}`;

export type Target = { what: string; target: string; measured: string; met: boolean };

/** The issue's targets, for the figures this run measured. */
export function targets(phases: Phase[]): Target[] {
  const out: Target[] = [];
  const rss = Math.max(...phases.flatMap((p) => p.phase === "max" ? [...p.result.ramp, ...p.result.finals].map((r) => r.window.shopPeakRssMB ?? 0) : [p.result.window.shopPeakRssMB ?? 0]));
  for (const p of phases) {
    if (p.phase === "products") out.push({ what: "GET /api/products", target: "≥ 15,000 rps", measured: `${n(p.result.requestsPerS)} rps at c=${p.result.concurrency}`, met: p.result.requestsPerS >= 15_000 });
    if (p.phase === "open" && p.result.rate === 500) out.push({ what: "p99 POST→confirmed at 500/s", target: "≤ 100 ms", measured: msText(p.result.latencyMs.p99), met: p.result.latencyMs.p99 <= 100 });
    if (p.phase === "max") out.push({ what: "orders/s sustained", target: "≥ 3,000 (aim 5,000)", measured: n(p.result.sustainedRate), met: p.result.sustainedRate >= 3_000 });
  }
  if (rss > 0) out.push({ what: "shop peak RSS", target: "≤ 200 MB", measured: `${n(rss)} MB`, met: rss <= 200 });
  return out;
}

/** The table, what bounded each run, and (unless `withTargets` is false, as in a smoke run) the issue's targets. */
export function summary(url: string, phases: Phase[], withTargets: boolean): string {
  const rows: Row[] = [];
  const lines: string[] = [];
  for (const p of phases) {
    if (p.phase === "products") {
      rows.push(productsRow(p.result));
      lines.push(bounds(p.result.label, p.result.window));
    } else if (p.phase === "open") {
      rows.push(openRow(p.result));
      lines.push(bounds(p.result.label, p.result.window));
    } else {
      for (const f of p.result.finals) {
        rows.push(openRow(f));
        lines.push(bounds(f.label, f.window));
      }
      lines.push(`  max ramp (${n(p.result.ramp[0]?.seconds)} s steps): ${p.result.ramp.map(verdictText).join(", ")}`);
      lines.push(`  max sustained: ${n(p.result.sustainedRate)} orders/s; ${p.result.criteria}`);
    }
  }
  const goals = withTargets
    ? ["", "targets (issue 5; informational, nothing asserts a timing):", ...targets(phases).map((t) => `  ${t.met ? "✓" : "✗"} ${t.what}: ${t.measured} (target ${t.target})`)]
    : [];
  return [`bench summary: ${url}`, table(rows), "", "what bounds it:", ...lines, ...goals].join("\n");
}

/** Writes the whole report as JSON at `path`, or under .artifacts/bench/ (ignored by git), and returns where. */
export async function writeReport(root: string, mode: string, report: unknown, path = join(root, ".artifacts", "bench", `${new Date().toISOString().replace(/[:.]/g, "-")}-${mode}.json`)): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  await Bun.write(path, JSON.stringify(report, null, 2) + "\n");
  return path;
}
