import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Lag } from "./kafka/lag.ts";
import { within } from "./waiting.ts";

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
/** Around the 2 s a mail may take at 200 orders/s (issue 22), and far beyond for an SMTP server down a while. */
const MAIL_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300, 1800];

/**
 * The shop's series in a registry of their own, so two shops in one process (the tests) never
 * share a figure. prom-client's default metrics are left out: under Bun its event-loop lag reads
 * NaN, its nodejs_active_*_total gauges fail promtool, and its process_heap_bytes is the whole
 * data segment; the four process series below are the ones the contract names, read from Bun.
 */
export function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const startedSeconds = Date.now() / 1000;
  let consumerLag: () => Promise<Lag[]> = async () => [];
  let stalled: () => { group: string; stalled: boolean }[] = () => [];
  let services: ServiceChecks | undefined;

  new Gauge({
    name: "shop_consumer_lag_messages", help: "Messages not yet committed by a consumer group, by group, topic and partition; absent while Kafka does not answer within 2 s.",
    labelNames: ["group", "topic", "partition"], registers,
    async collect() {
      const lags = await within(ANSWER_MS, consumerLag()).catch(() => []);
      this.reset();
      for (const { group, topic, partition, lag } of lags) this.set({ group, partition: String(partition), topic }, lag);
    },
  });
  new Gauge({ name: "shop_kafka_up", help: "1 when Kafka answered this scrape within 2 s, else 0.", registers, async collect() { this.set(services ? await answers(services.kafka) : 0); } });
  new Gauge({ name: "shop_postgres_up", help: "1 when PostgreSQL answered this scrape within 2 s, else 0.", registers, async collect() { this.set(services ? await answers(services.postgres) : 0); } });
  new Gauge({
    name: "shop_consumer_stalled", help: "1 while a consumer group of this instance has committed nothing for 30 s with messages in hand or waiting on its partitions, else 0.",
    labelNames: ["group"], registers,
    collect() {
      this.reset();
      for (const s of stalled()) this.set({ group: s.group }, s.stalled ? 1 : 0);
    },
  });
  new Gauge({ name: "process_resident_memory_bytes", help: "Resident memory size in bytes.", registers, collect() { this.set(process.memoryUsage().rss); } });
  new Gauge({ name: "process_heap_bytes", help: "JavaScript heap in use, in bytes.", registers, collect() { this.set(process.memoryUsage().heapUsed); } });
  new Counter({
    name: "process_cpu_seconds_total", help: "User and system CPU time spent, in seconds.", registers,
    collect() {
      const cpu = process.cpuUsage();
      this.reset();
      this.inc((cpu.user + cpu.system) / 1e6);
    },
  });
  new Gauge({ name: "process_start_time_seconds", help: "Start time of the process since the Unix epoch, in seconds.", registers, collect() { this.set(startedSeconds); } });

  return {
    registry,
    httpRequests: new Counter({ name: "shop_http_requests_total", help: "HTTP requests by route pattern, method and status.", labelNames: ["route", "method", "status"], registers }),
    httpDuration: new Histogram({ name: "shop_http_request_duration_seconds", help: "HTTP request duration by route pattern.", labelNames: ["route"], buckets: LATENCY_BUCKETS, registers }),
    ordersAccepted: new Counter({ name: "shop_orders_accepted_total", help: "Orders answered 202: their PlaceOrder is in Kafka.", registers }),
    ordersPlaced: new Counter({ name: "shop_orders_placed_total", help: "Orders persisted with their stock reserved.", registers }),
    ordersRejected: new Counter({ name: "shop_orders_rejected_total", help: "Orders rejected, by reason.", labelNames: ["reason"], registers }),
    ordersConfirmed: new Counter({ name: "shop_orders_confirmed_total", help: "Orders confirmed.", registers }),
    ordersCancelled: new Counter({ name: "shop_orders_cancelled_total", help: "Orders cancelled, their units returned to stock, by who cancelled.", labelNames: ["by"], registers }),
    ordersShipped: new Counter({ name: "shop_orders_shipped_total", help: "Orders shipped.", registers }),
    ordersDelivered: new Counter({ name: "shop_orders_delivered_total", help: "Orders delivered.", registers }),
    orderCommandsRefused: new Counter({ name: "shop_order_commands_refused_total", help: "Cancel, ship and deliver commands the order's status refused, by command and reason.", labelNames: ["command", "reason"], registers }),
    confirmationSeconds: new Histogram({ name: "shop_order_confirmation_seconds", help: "Time from an order's acceptance (its PlaceOrder) to its confirmation.", buckets: PIPELINE_BUCKETS, registers }),
    mails: new Counter({ name: "shop_mails_total", help: "Customer mails by kind and outcome: sent (the SMTP server took it) or failed (refused for good).", labelNames: ["kind", "outcome"], registers }),
    mailSeconds: new Histogram({ name: "shop_mail_seconds", help: "Time from an order's event to the SMTP server taking its mail.", buckets: MAIL_BUCKETS, registers }),
    deadLettered: new Counter({ name: "shop_messages_dead_lettered_total", help: "Messages sent to orders.dlq, by source topic and error class.", labelNames: ["source", "class"], registers }),
    consumerAttempts: new Counter({ name: "shop_consumer_attempts_total", help: "Handler runs by consumer group and outcome: ok, or the error class.", labelNames: ["group", "outcome"], registers }),
    /** A gauge read at scrape time, for figures that only the roles started know (streams open, orders watched). */
    sample(name: string, help: string, read: () => number) {
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    },
    /** Set once the Kafka admin client exists; scraped on demand. */
    measureLag(read: () => Promise<Lag[]>) { consumerLag = read; },
    /** Set once the worker's consumers run. */
    measureStalls(read: () => { group: string; stalled: boolean }[]) { stalled = read; },
    /** Set once the Kafka admin client and the PostgreSQL pool exist. */
    measureServices(checks: ServiceChecks) { services = checks; },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
