import { Kafka, logLevel, type Admin } from "kafkajs";
import { cpus, loadavg } from "node:os";
import { DatabaseStats, type DatabaseRates } from "./database.ts";
import { HostSampler, type HostCpu } from "./host.ts";
import type { Namespace } from "../../src/kafka/topics.ts";
import { consumerLag, type ConsumerLag } from "./lag.ts";
import { scrapeShop, type ShopProcess } from "./metrics.ts";

/** One second of the machine: the shop binary, the bench, every process's CPU, PostgreSQL and the consumer lag. */
export type Sample = {
  /** Seconds since the bench started. */
  t: number;
  load1: number;
  shopRssMB?: number;
  shopHeapMB?: number;
  /** Percent of one core over the last interval. */
  shopCpuPct?: number;
  benchCpuPct: number;
  host?: HostCpu;
  db?: DatabaseRates;
  lag?: ConsumerLag;
};

export type Window = {
  samples: number;
  loadAverageAtStart: number[];
  shopPeakRssMB?: number;
  shopCpuPct?: { mean: number; peak: number };
  benchCpuPct: { mean: number; peak: number };
  hostBusyPct?: number;
  iowaitPct?: number;
  /** Mean percent of one core by command, largest first, with the most processes seen using CPU at once. */
  cpuByCommand?: Record<string, { pct: number; processes: number }>;
  db?: DatabaseRates;
  lagAtEnd?: ConsumerLag;
};

const round1 = (n: number) => Math.round(n * 10) / 10;
const mean = (xs: number[]) => (xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : NaN);
const peak = (xs: number[]) => (xs.length ? round1(Math.max(...xs)) : NaN);
const defined = <T>(xs: (T | undefined)[]) => xs.filter((x): x is T => x !== undefined);

/**
 * Samples every second, whatever the load is doing, so that a phase can be summed up afterwards by
 * its time window. A figure that cannot be read in time (a shop too busy to answer /metrics within
 * 0.9 s) is left out of that second rather than holding up the next.
 */
export class Monitor {
  readonly samples: Sample[] = [];
  private readonly started = performance.now();
  private readonly host = new HostSampler();
  private readonly db: DatabaseStats;
  private readonly admin?: Admin;
  private lastShop?: ShopProcess;
  private lastBench = { at: performance.now(), cpu: process.cpuUsage() };
  private timer?: Timer;
  private busy = false;

  constructor(private readonly url: string, databaseUrl: string, brokers: string[] | undefined, private readonly ns: Namespace) {
    this.db = new DatabaseStats(databaseUrl);
    if (brokers) this.admin = new Kafka({ clientId: "shop-bench-monitor", brokers, logLevel: logLevel.NOTHING }).admin();
  }

  get now(): number { return (performance.now() - this.started) / 1000; }
  get latest(): Sample | undefined { return this.samples.at(-1); }

  async start(): Promise<Record<string, string>> {
    await this.admin?.connect();
    const settings = await this.db.settings();
    await this.tick();
    this.timer = setInterval(() => { void this.tick(); }, 1_000);
    return settings;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const [shop, db, lag] = await Promise.all([
        scrapeShop(this.url).catch(() => undefined),
        this.db.sample().catch(() => undefined),
        this.admin ? consumerLag(this.admin, this.ns).catch(() => undefined) : undefined,
      ]);
      const sample: Sample = { t: round1(this.now), load1: loadavg()[0]!, benchCpuPct: this.benchCpu(), host: this.host.sample(), db, lag };
      if (shop) {
        sample.shopRssMB = round1(shop.rssMB);
        sample.shopHeapMB = round1(shop.heapMB);
        const pct = this.lastShop ? ((shop.cpuSeconds - this.lastShop.cpuSeconds) / ((shop.at - this.lastShop.at) / 1000)) * 100 : NaN;
        // Out of range means another process answered this time (a restart, or a second shop on
        // the same port with SO_REUSEPORT): that interval says nothing.
        if (pct >= 0 && pct <= 100 * cpus().length) sample.shopCpuPct = round1(pct);
        this.lastShop = shop;
      }
      this.samples.push(sample);
    } finally {
      this.busy = false;
    }
  }

  /** The bench's own CPU, in percent of one core: if it nears 100, the bench, not the shop, is the limit. */
  private benchCpu(): number {
    const now = { at: performance.now(), cpu: process.cpuUsage() };
    const used = (now.cpu.user - this.lastBench.cpu.user + now.cpu.system - this.lastBench.cpu.system) / 1e6;
    const pct = (used / ((now.at - this.lastBench.at) / 1000)) * 100;
    this.lastBench = now;
    return round1(pct);
  }

  /** Sums up the samples taken between two `now` readings: those whose second lies mostly inside. */
  window(from: number, to: number, loadAverageAtStart: number[]): Window {
    const inside = this.samples.filter((s) => s.t > from + 0.5 && s.t <= to + 0.5);
    const hosts = defined(inside.map((s) => s.host));
    const dbs = defined(inside.map((s) => s.db));
    const commands = new Map<string, { pct: number; processes: number }>();
    for (const h of hosts) {
      for (const [c, { pct, processes }] of Object.entries(h.byCommand)) {
        const sum = commands.get(c) ?? { pct: 0, processes: 0 };
        commands.set(c, { pct: sum.pct + pct, processes: Math.max(sum.processes, processes) });
      }
    }
    const shopCpu = defined(inside.map((s) => s.shopCpuPct));
    const rss = defined(inside.map((s) => s.shopRssMB));
    const bench = inside.map((s) => s.benchCpuPct);
    const dbMean = (key: keyof DatabaseRates) => mean(dbs.map((d) => d[key]));
    return {
      samples: inside.length,
      loadAverageAtStart,
      shopPeakRssMB: rss.length ? peak(rss) : undefined,
      shopCpuPct: shopCpu.length ? { mean: mean(shopCpu), peak: peak(shopCpu) } : undefined,
      benchCpuPct: { mean: mean(bench), peak: peak(bench) },
      hostBusyPct: hosts.length ? mean(hosts.map((h) => h.busyPct)) : undefined,
      iowaitPct: hosts.length ? mean(hosts.map((h) => h.iowaitPct)) : undefined,
      cpuByCommand: hosts.length
        ? Object.fromEntries([...commands]
          .map(([c, { pct, processes }]) => [c, { pct: round1(pct / hosts.length), processes }] as const)
          .filter(([, { pct }]) => pct >= 0.5).sort((a, b) => b[1].pct - a[1].pct))
        : undefined,
      db: dbs.length
        ? { commitsPerS: dbMean("commitsPerS"), rollbacksPerS: dbMean("rollbacksPerS"), walSyncsPerS: dbMean("walSyncsPerS"), walWritesPerS: dbMean("walWritesPerS"), walMBPerS: dbMean("walMBPerS") }
        : undefined,
      lagAtEnd: inside.at(-1)?.lag,
    };
  }

  /** Resolves once a sample taken after `t` exists (or after two seconds), so a window sees its last second. */
  async sampled(t: number): Promise<void> {
    const until = performance.now() + 2_000;
    while ((this.latest?.t ?? 0) < t && performance.now() < until) await Bun.sleep(50);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.admin?.disconnect();
    await this.db.close();
  }
}
