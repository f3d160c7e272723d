import { readdirSync, readFileSync } from "node:fs";

/** Linux reports process CPU in clock ticks of 1/100 s (USER_HZ) on every platform Bun runs on. */
const TICKS_PER_S = 100;

export type HostCpu = {
  /** Percent of one core, so 200 is both cores of a 2-core machine. */
  busyPct: number;
  iowaitPct: number;
  /**
   * Percent of one core by command name, and how many such processes used CPU: java is Kafka,
   * postgres every backend, shop every shop binary (a second one means tests run beside the bench),
   * bun the bench and any test runner.
   */
  byCommand: Record<string, { pct: number; processes: number }>;
};

type Totals = { at: number; busy: number; iowait: number; all: number; byPid: Map<number, { comm: string; ticks: number }> };

function readTotals(): Totals {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as number[];
  const byPid = new Map<number, { comm: string; ticks: number }>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces; utime and stime are the 12th and 13th fields after it.
      const close = stat.lastIndexOf(")");
      const rest = stat.slice(close + 2).split(" ");
      byPid.set(pid, { comm: stat.slice(stat.indexOf("(") + 1, close), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return { at: performance.now(), busy: user! + nice! + system! + irq! + softirq! + steal!, iowait: iowait!, all: fields.reduce((a, b) => a + Number(b), 0), byPid };
}

/** Samples the CPU of every process on the machine, grouped by command, from /proc. Undefined where there is no /proc. */
export class HostSampler {
  private previous?: Totals;
  readonly available: boolean;

  constructor() {
    try {
      this.previous = readTotals();
      this.available = true;
    } catch {
      this.available = false;
    }
  }

  sample(): HostCpu | undefined {
    if (!this.available) return undefined;
    const now = readTotals();
    const before = this.previous!;
    this.previous = now;
    const seconds = (now.at - before.at) / 1000;
    const cores = (now.all - before.all) / TICKS_PER_S / seconds;
    const pct = (ticks: number) => Math.round((ticks / TICKS_PER_S / seconds) * 1000) / 10;
    const byCommand: Record<string, { pct: number; processes: number }> = {};
    for (const [pid, { comm, ticks }] of now.byPid) {
      const earlier = before.byPid.get(pid);
      // A pid seen only now is a new process (or a reused pid); its CPU before now is not this interval's.
      if (!earlier || earlier.comm !== comm || ticks === earlier.ticks) continue;
      const entry = (byCommand[comm] ??= { pct: 0, processes: 0 });
      entry.pct += ticks - earlier.ticks;
      entry.processes++;
    }
    for (const entry of Object.values(byCommand)) entry.pct = pct(entry.pct);
    return {
      busyPct: Math.round(((now.busy - before.busy) / (now.all - before.all)) * cores * 1000) / 10,
      iowaitPct: Math.round(((now.iowait - before.iowait) / (now.all - before.all)) * cores * 1000) / 10,
      byCommand,
    };
  }
}
