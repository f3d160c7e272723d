import type { Lag } from "./kafka/lag.ts";
import { within } from "./waiting.ts";

/** A small Prometheus registry: counters, histograms and gauges read at scrape time, with labels. */
type Labels = Record<string, string>;

const escape = (value: string) => value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

const formatted = new Map<string, string>();

/** The series' label text, remembered: every request counts under one of a few dozen label sets. */
function labelKey(labels: Labels): string {
  let raw = "";
  for (const k in labels) raw += `${k}\u0000${labels[k]}\u0000`;
  let key = formatted.get(raw);
  if (key === undefined) {
    key = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${escape(v)}"`).join(",");
    if (formatted.size < 10_000) formatted.set(raw, key);
  }
  return key;
}

const withLabels = (name: string, key: string) => (key ? `${name}{${key}}` : name);

interface Metric { render(): string[] | Promise<string[]> }

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

/** A value read when scraped: memory, lag. `type` says how Prometheus should treat it. */
export class Sampled implements Metric {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Iterable<[Labels, number]> | Promise<Iterable<[Labels, number]>>,
    private readonly type: "gauge" | "counter" = "gauge",
  ) {}
  async render() {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`,
      ...[...(await this.read())].map(([labels, v]) => `${withLabels(this.name, labelKey(labels))} ${v}`)];
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
  async render(): Promise<string> {
    const parts = await Promise.all(this.metrics.map((m) => m.render()));
    return parts.flat().join("\n") + "\n";
  }
}

/**
 * How long a scrape waits for Kafka or PostgreSQL before it reports it down: the scrape answers
 * 200 whatever is down, well within Prometheus's default 10 s timeout, when it matters most.
 */
const ANSWER_MS = 2_000;

/** 1 when `check` succeeds within ANSWER_MS, else 0. */
async function answers(check: () => Promise<unknown>): Promise<number> {
  try {
    await within(ANSWER_MS, check());
    return 1;
  } catch {
    return 0;
  }
}

/** A backing service's check, for the `_up` gauges; the shop sets them once its clients exist. */
export type ServiceChecks = { kafka: () => Promise<unknown>; postgres: () => Promise<unknown> };

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const PIPELINE_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics() {
  const registry = new Registry();
  const startedSeconds = Date.now() / 1000;
  let consumerLag: () => Promise<Lag[]> = async () => [];
  let stalled: () => { group: string; stalled: boolean }[] = () => [];
  let services: ServiceChecks | undefined;
  const metrics = {
    registry,
    httpRequests: registry.register(new Counter("shop_http_requests_total", "HTTP requests by route pattern, method and status.")),
    httpDuration: registry.register(new Histogram("shop_http_request_duration_seconds", "HTTP request duration by route pattern.", LATENCY_BUCKETS)),
    ordersAccepted: registry.register(new Counter("shop_orders_accepted_total", "Orders answered 202: their PlaceOrder is in Kafka.")),
    ordersPlaced: registry.register(new Counter("shop_orders_placed_total", "Orders persisted with their stock reserved.")),
    ordersRejected: registry.register(new Counter("shop_orders_rejected_total", "Orders rejected, by reason.")),
    ordersConfirmed: registry.register(new Counter("shop_orders_confirmed_total", "Orders confirmed.")),
    confirmationSeconds: registry.register(new Histogram("shop_order_confirmation_seconds", "Time from an order's acceptance (its PlaceOrder) to its confirmation.", PIPELINE_BUCKETS)),
    deadLettered: registry.register(new Counter("shop_messages_dead_lettered_total", "Messages sent to orders.dlq, by source topic and error class.")),
    consumerAttempts: registry.register(new Counter("shop_consumer_attempts_total", "Handler runs by consumer group and outcome: ok, or the error class.")),
    /** Set once the Kafka admin client exists; scraped on demand. */
    measureLag(read: () => Promise<Lag[]>) { consumerLag = read; },
    /** Set once the worker's consumers run. */
    measureStalls(read: () => { group: string; stalled: boolean }[]) { stalled = read; },
    /** Set once the Kafka admin client and the PostgreSQL pool exist. */
    measureServices(checks: ServiceChecks) { services = checks; },
  };
  registry.register(new Sampled("shop_consumer_lag_messages", "Messages not yet committed by a consumer group, by group, topic and partition; absent while Kafka does not answer within 2 s.", async () => {
    const lags = await within(ANSWER_MS, consumerLag()).catch(() => []);
    return lags.map(({ group, topic, partition, lag }) => [{ group, topic, partition: String(partition) }, lag] as [Labels, number]);
  }));
  registry.register(new Sampled("shop_kafka_up", "1 when Kafka answered this scrape within 2 s, else 0.", async () =>
    services ? [[{}, await answers(services.kafka)]] : []));
  registry.register(new Sampled("shop_postgres_up", "1 when PostgreSQL answered this scrape within 2 s, else 0.", async () =>
    services ? [[{}, await answers(services.postgres)]] : []));
  registry.register(new Sampled("shop_consumer_stalled", "1 while a consumer group of this instance has committed nothing for 30 s with messages in hand or waiting on its partitions, else 0.", () =>
    stalled().map(({ group, stalled }) => [{ group }, stalled ? 1 : 0] as [Labels, number])));
  registry.register(new Sampled("process_resident_memory_bytes", "Resident memory size in bytes.", () => [[{}, process.memoryUsage().rss]]));
  registry.register(new Sampled("process_heap_bytes", "JavaScript heap in use, in bytes.", () => [[{}, process.memoryUsage().heapUsed]]));
  registry.register(new Sampled("process_cpu_seconds_total", "User and system CPU time spent, in seconds.", () => {
    const cpu = process.cpuUsage();
    return [[{}, (cpu.user + cpu.system) / 1e6]];
  }, "counter"));
  registry.register(new Sampled("process_start_time_seconds", "Start time of the process since the Unix epoch, in seconds.", () => [[{}, startedSeconds]]));
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
