/** A small Prometheus registry: counters, gauges read on scrape, and histograms, with labels. */
type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`).join(",");

const withLabels = (name: string, key: string) => (key ? `${name}{${key}}` : name);

interface Metric { render(): string[] }

export class Counter implements Metric {
  private values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1) {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  render() {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`,
      ...[...this.values].map(([k, v]) => `${withLabels(this.name, k)} ${v}`)];
  }
}

export class Gauge implements Metric {
  constructor(readonly name: string, readonly help: string, private readonly read: () => Iterable<[Labels, number]>) {}
  render() {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`,
      ...[...this.read()].map(([labels, v]) => `${withLabels(this.name, labelKey(labels))} ${v}`)];
  }
}

export class Histogram implements Metric {
  private series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, private readonly buckets: readonly number[]) {}
  observe(value: number, labels: Labels = {}) {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  render() {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const sep = key ? `${key},` : "";
      this.buckets.forEach((b, i) => lines.push(`${this.name}_bucket{${sep}le="${b}"} ${s.counts[i]}`));
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`, `${withLabels(`${this.name}_sum`, key)} ${s.sum}`, `${withLabels(`${this.name}_count`, key)} ${s.count}`);
    }
    return lines;
  }
}

export class Registry {
  private metrics: Metric[] = [];
  register<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return this.metrics.flatMap((m) => m.render()).join("\n") + "\n";
  }
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics() {
  const registry = new Registry();
  const started = Date.now();
  return {
    registry,
    httpRequests: registry.register(new Counter("shop_http_requests_total", "HTTP requests by route, method and status.")),
    httpDuration: registry.register(new Histogram("shop_http_request_duration_seconds", "HTTP request duration by route.", LATENCY_BUCKETS)),
    ordersAccepted: registry.register(new Counter("shop_orders_accepted_total", "Orders answered 202: their PlaceOrder is in Kafka.")),
    ordersPlaced: registry.register(new Counter("shop_orders_placed_total", "Orders persisted with stock reserved.")),
    ordersRejected: registry.register(new Counter("shop_orders_rejected_total", "Orders rejected, by reason.")),
    ordersConfirmed: registry.register(new Counter("shop_orders_confirmed_total", "Orders confirmed.")),
    deadLettered: registry.register(new Counter("shop_messages_dead_lettered_total", "Messages sent to orders.dlq, by source topic.")),
    process: registry.register(new Gauge("shop_process", "Process figures: resident memory in bytes, heap used in bytes, CPU seconds, uptime seconds.", () => {
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage();
      return [
        [{ figure: "resident_memory_bytes" }, mem.rss],
        [{ figure: "heap_used_bytes" }, mem.heapUsed],
        [{ figure: "cpu_seconds" }, (cpu.user + cpu.system) / 1e6],
        [{ figure: "uptime_seconds" }, (Date.now() - started) / 1000],
      ];
    })),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
