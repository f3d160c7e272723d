import { describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import { createMetrics } from "../../src/metrics.ts";
import { testDeps } from "../support/apiDeps.ts";

const never = () => new Promise<never>(() => {});
const refused = async () => { throw new Error("connect ECONNREFUSED 127.0.0.1:9092"); };
const lag = async () => [{ group: "shop-order-commands", topic: "orders.commands", partition: 0, lag: 3 }];

/** The app's /metrics with Kafka and PostgreSQL as the test says, and what promtool thinks of it. */
async function scrape(kafka: () => Promise<unknown>, postgres: () => Promise<unknown>, consumerLag: typeof lag) {
  const metrics = createMetrics();
  metrics.measureLag(consumerLag);
  metrics.measureServices({ kafka, postgres });
  const response = await createApp(testDeps({ metrics })).request("/metrics");
  const text = await response.text();
  const promtool = Bun.spawnSync(["promtool", "check", "metrics"], { stdin: Buffer.from(text) });
  return { status: response.status, text, promtool: promtool.stderr.toString() + promtool.stdout.toString() };
}

describe("/metrics while a backing service is down", () => {
  test("both up: 1 and 1, and the lag", async () => {
    const { status, text, promtool } = await scrape(async () => ({}), async () => [], lag);
    expect(status).toBe(200);
    expect(promtool).toBe("");
    expect(text).toMatch(/^shop_kafka_up 1$/m);
    expect(text).toMatch(/^shop_postgres_up 1$/m);
    expect(text).toMatch(/^shop_consumer_lag_messages\{group="shop-order-commands",partition="0",topic="orders.commands"\} 3$/m);
  });

  test("Kafka refusing: still 200 and valid, shop_kafka_up 0, no lag series", async () => {
    const { status, text, promtool } = await scrape(refused, async () => [], refused);
    expect(status).toBe(200);
    expect(promtool).toBe("");
    expect(text).toMatch(/^shop_kafka_up 0$/m);
    expect(text).toMatch(/^shop_postgres_up 1$/m);
    expect(text).not.toMatch(/^shop_consumer_lag_messages\{/m);
  });

  test("Kafka and PostgreSQL not answering at all: 200 within a few seconds, both 0", async () => {
    const started = performance.now();
    const { status, text, promtool } = await scrape(never, never, never);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(status).toBe(200);
    expect(promtool).toBe("");
    expect(text).toMatch(/^shop_kafka_up 0$/m);
    expect(text).toMatch(/^shop_postgres_up 0$/m);
    expect(text).not.toMatch(/^shop_consumer_lag_messages\{/m);
  });
});

describe("the registry", () => {
  test("every series the contract names, with its type", async () => {
    const text = await createMetrics().registry.metrics();
    const types = Object.fromEntries([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => [name, type]));
    expect(types).toEqual({
      shop_http_requests_total: "counter", shop_http_request_duration_seconds: "histogram",
      shop_orders_accepted_total: "counter", shop_orders_placed_total: "counter", shop_orders_rejected_total: "counter",
      shop_orders_confirmed_total: "counter", shop_order_confirmation_seconds: "histogram",
      shop_orders_cancelled_total: "counter", shop_orders_shipped_total: "counter", shop_orders_delivered_total: "counter",
      shop_order_commands_refused_total: "counter", shop_mails_total: "counter", shop_mail_seconds: "histogram",
      shop_messages_dead_lettered_total: "counter", shop_consumer_attempts_total: "counter",
      shop_consumer_lag_messages: "gauge", shop_kafka_up: "gauge", shop_postgres_up: "gauge", shop_consumer_stalled: "gauge",
      process_resident_memory_bytes: "gauge", process_heap_bytes: "gauge", process_cpu_seconds_total: "counter", process_start_time_seconds: "gauge",
    });
  });

  test("two shops in one process count apart", async () => {
    const [a, b] = [createMetrics(), createMetrics()];
    a.httpRequests.inc({ route: "/api/orders", method: "POST", status: "202" });
    a.deadLettered.inc({ source: "orders.commands", class: "undecodable" });
    expect(await a.registry.metrics()).toMatch(/^shop_http_requests_total\{route="\/api\/orders",method="POST",status="202"\} 1$/m);
    expect(await b.registry.metrics()).not.toMatch(/^shop_(http_requests|messages_dead_lettered)_total\{/m);
  });
});
