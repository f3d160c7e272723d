import { existsSync, lstatSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import type { Options } from "./args.ts";
import type { MailFigures } from "./mail.ts";
import type { Phase } from "./report.ts";

/** A shop binary the comparison runs, and what to call it in the table. */
export type Build = { name: string; binary: string };

/** What one run measured: its phases, and with --mail what the shop mailed. */
export type Measurement = { phases: Phase[]; mail?: MailFigures };

export type Run = Measurement & { build: Build };

/**
 * Runs each build `alternations` times, turn about, on one machine in one sitting: A B, then B A,
 * and so on, so that a machine warming up or a neighbour's load over the sitting weighs on both alike.
 */
export async function alternate(builds: readonly [Build, Build], alternations: number, run: (build: Build, n: number) => Promise<Measurement>): Promise<Run[]> {
  const runs: Run[] = [];
  for (let i = 0; i < alternations; i++) {
    for (const build of i % 2 === 0 ? builds : [builds[1], builds[0]]) runs.push({ build, ...(await run(build, runs.length + 1)) });
  }
  return runs;
}

/** The figures a run is judged by, each with the direction that is better. */
export function figures({ phases, mail }: Measurement): { name: string; value: number; better: "higher" | "lower" }[] {
  const out: { name: string; value: number; better: "higher" | "lower" }[] = [];
  let rss = 0;
  for (const p of phases) {
    if (p.phase === "products") {
      out.push({ name: `${p.result.label} requests/s`, value: p.result.requestsPerS, better: "higher" });
      rss = Math.max(rss, p.result.window.shopPeakRssMB ?? 0);
    } else if (p.phase === "open") {
      out.push({ name: `${p.result.label} confirmed/s`, value: p.result.confirmedPerS, better: "higher" });
      out.push({ name: `${p.result.label} p99 ms`, value: p.result.latencyMs.p99, better: "lower" });
      if (p.result.shopCpuMsPerOrder !== undefined) out.push({ name: `${p.result.label} shop CPU ms/order`, value: p.result.shopCpuMsPerOrder, better: "lower" });
      rss = Math.max(rss, p.result.window.shopPeakRssMB ?? 0);
    } else {
      out.push({ name: "max sustained orders/s", value: p.result.sustainedRate, better: "higher" });
      for (const r of [...p.result.ramp, ...p.result.finals]) rss = Math.max(rss, r.window.shopPeakRssMB ?? 0);
    }
  }
  if (rss > 0) out.push({ name: "shop peak RSS MB", value: rss, better: "lower" });
  if (mail) {
    out.push({ name: "mails sent", value: mail.sent, better: "higher" });
    // Bounds of shop_mail_seconds's buckets, as the single run reports them.
    for (const [name, value] of [["event to mail p50 s ≤", mail.p50SecondsAtMost], ["event to mail p99 s ≤", mail.p99SecondsAtMost]] as const) {
      out.push({ name, value: value ?? NaN, better: "lower" });
    }
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const shown = (x: number) => (Number.isNaN(x) ? "-" : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US"));

/** Both builds side by side: every run's figure in the order it ran, the median, and the change from the first build to the second. */
export function sideBySide(builds: readonly [Build, Build], runs: Run[]): string {
  const names: string[] = [];
  const values = new Map<string, Map<Build, number[]>>();
  const better = new Map<string, "higher" | "lower">();
  for (const run of runs) {
    for (const f of figures(run)) {
      if (!values.has(f.name)) {
        names.push(f.name);
        values.set(f.name, new Map(builds.map((b) => [b, []])));
        better.set(f.name, f.better);
      }
      values.get(f.name)!.get(run.build)!.push(f.value);
    }
  }
  const rows = names.map((name) => {
    const [before, after] = builds.map((b) => values.get(name)!.get(b)!);
    const [a, b] = [median(before!), median(after!)];
    const percent = a === 0 || before!.length === 0 || after!.length === 0 ? undefined : Math.round(((b - a) / a) * 100);
    const change = percent === undefined ? "-" : `${percent >= 0 ? "+" : ""}${percent}%`;
    const worse = percent !== undefined && (better.get(name) === "higher" ? percent < 0 : percent > 0);
    const cell = (xs: number[]) => `${xs.map(shown).join(" ")} → ${shown(median(xs))}`;
    return [name, cell(before!), cell(after!), worse ? `${change} (worse)` : change];
  });
  const header = ["figure", builds[0].name, builds[1].name, "change of the median"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [
    `bench --against: ${runs.length} runs, ${builds[0].name} and ${builds[1].name} turn about (each run's figure in the order they ran → median)`,
    line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line),
  ].join("\n");
}

/** What the bench is told for each run: the same load for both builds, only the binary differs. */
export function runArgs(options: Options, binary: string, report: string): string[] {
  const args = ["--mode", options.mode, "--rate", String(options.rate), "--concurrency", String(options.concurrency),
    "--max-duration", String(options.maxDuration), "--drain", String(options.drain), "--shop", binary, "--report", report];
  if (options.duration !== undefined) args.push("--duration", String(options.duration));
  args.push("--warm-up", String(options.warmUp));
  if (Number.isFinite(options.connections)) args.push("--connections", String(options.connections));
  if (options.smoke) args.push("--smoke");
  if (options.mail) args.push("--mail");
  if (options.tracing) args.push("--tracing");
  return args;
}

async function run(cmd: string[], cwd: string): Promise<string> {
  const proc = Bun.spawn(cmd, { cwd, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} (in ${cwd}) exited ${code}: ${(err || out).trim().split("\n").slice(-5).join("\n")}`);
  return out.trim();
}

/**
 * `ref` checked out in a worktree of its own under .artifacts/bench/worktrees and built there. Its
 * node_modules is this checkout's when the lockfile and the patches are the same, else its own
 * from `bun install --frozen-lockfile`.
 */
export async function buildRef(root: string, ref: string): Promise<Build> {
  const commit = await run(["git", "rev-parse", "--verify", `${ref}^{commit}`], root);
  const short = commit.slice(0, 10);
  const dir = join(root, ".artifacts", "bench", "worktrees", short);
  if (!existsSync(dir)) {
    mkdirSync(join(dir, ".."), { recursive: true });
    await run(["git", "worktree", "add", "--detach", dir, commit], root);
  }
  const modules = join(dir, "node_modules");
  if (!lstatSync(modules, { throwIfNoEntry: false })) {
    const sameLock = (await run(["git", "show", `${commit}:bun.lock`], root).catch(() => "")) === (await Bun.file(join(root, "bun.lock")).text()).trim();
    const samePatches = await run(["git", "diff", "--quiet", commit, "--", "patches"], root).then(() => true, () => false);
    if (sameLock && samePatches) symlinkSync(join(root, "node_modules"), modules);
    else {
      console.log(`bench: ${short} has other dependencies: bun install --frozen-lockfile in ${dir}`);
      await run(["bun", "install", "--frozen-lockfile"], dir);
    }
  }
  console.log(`bench: building ${ref} (${short}) in ${dir}`);
  await run(["bun", "scripts/build.ts"], dir);
  return { name: ref === short || commit.startsWith(ref) ? short : `${ref} (${short})`, binary: join(dir, "dist", "shop") };
}

/** This checkout as it is, uncommitted changes and all, built beside the ref's so that no other build replaces it mid-sitting. */
export async function buildThis(root: string): Promise<Build> {
  const binary = join(root, ".artifacts", "bench", "against", "shop");
  const dirty = (await run(["git", "status", "--porcelain", "--untracked-files=no"], root)) !== "";
  const head = (await run(["git", "rev-parse", "HEAD"], root)).slice(0, 10);
  console.log(`bench: building this checkout into ${binary}`);
  await run(["bun", "scripts/build.ts", binary], root);
  return { name: `this checkout (${head}${dirty ? " + changes" : ""})`, binary };
}

/** `bun run bench -- --against REF`: builds both, runs them turn about, and prints them side by side. */
export async function compare(root: string, ref: string, options: Options): Promise<void> {
  const builds = [await buildRef(root, ref), await buildThis(root)] as const;
  const sitting = join(root, ".artifacts", "bench", "against", new Date().toISOString().replace(/[:.]/g, "-"));
  const runs = await alternate(builds, options.alternations, async (build, n) => {
    const report = join(sitting, `${n}.json`);
    console.log(`\nbench: run ${n} of ${options.alternations * 2}: ${build.name}`);
    const child = Bun.spawn([process.execPath, join(root, "scripts", "bench.ts"), ...runArgs(options, build.binary, report)], { stdio: ["inherit", "inherit", "inherit"] });
    if ((await child.exited) !== 0) throw new Error(`run ${n} (${build.name}) failed; its figures so far are in ${sitting}`);
    const { phases, mail } = await Bun.file(report).json();
    return { phases, mail: mail ?? undefined };
  });
  console.log(`\n${sideBySide(builds, runs)}\n\nbench: every run's figures are in ${sitting}`);
}
