/**
 * Latencies in a log-scale histogram with 1 % wide buckets: constant memory and cost at any rate,
 * and every percentile within 1 % of the exact one (the maximum is exact).
 */
const MIN_MS = 0.01;
const GROWTH = Math.log(1.01);
/** 0.01 ms to about 3 minutes. */
const BUCKETS = 1_800;

export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number; mean: number };

export class Histogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;
  private sum = 0;

  record(ms: number): void {
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / GROWTH));
    this.counts[i]!++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** The upper edge of the bucket holding the p-th percentile, NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(MIN_MS * Math.exp(i * GROWTH), this.max);
    }
    return this.max;
  }

  summary(): LatencySummary {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    return {
      count: this.count,
      p50: round(this.percentile(50)), p95: round(this.percentile(95)), p99: round(this.percentile(99)),
      max: round(this.max), mean: round(this.count ? this.sum / this.count : NaN),
    };
  }
}
