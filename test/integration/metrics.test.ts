import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct } from "../support/db.ts";
import { customer, shippingAddress, readStatusEvents, session } from "../support/http.ts";
import { groups, produce, stopProducing, topics } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;
beforeAll(async () => { shop = await startShop({}, "metrics"); }, 120_000);
afterAll(async () => {
  await stopProducing();
  expect(await shop?.stop()).toBe(0);
});

/** A lag sample of `group` on a partition of `topic`: the names carry the run's prefix, dots and all. */
const lagLine = (group: string, topic: string) => {
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^shop_consumer_lag_messages\\{group="${literal(group)}",partition="\\d+",topic="${literal(topic)}"\\} \\d+$`, "m");
};

const scrape = async () => (await fetch(`${shop.url}/metrics`)).text();

/** A series with its labels sorted: their order in the exposition carries no meaning. */
function canonical(series: string): string {
  const open = series.indexOf("{");
  if (open < 0) return series;
  const labels = series.slice(open + 1, -1).match(/[a-zA-Z_]\w*="(?:[^"\\]|\\.)*"/g) ?? [];
  return `${series.slice(0, open)}{${labels.sort().join(",")}}`;
}

/** The value of one sample, 0 when the series does not exist yet. */
function sample(text: string, series: string): number {
  const wanted = canonical(series);
  const line = text.split("\n").find((l) => canonical(l.slice(0, l.lastIndexOf(" "))) === wanted);
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

describe("/metrics", () => {
  test("passes promtool's checks", async () => {
    const check = Bun.spawnSync(["promtool", "check", "metrics"], { stdin: Buffer.from(await scrape()) });
    expect(check.stderr.toString() + check.stdout.toString()).toBe("");
    expect(check.exitCode).toBe(0);
  }, 30_000);

  test("the counters move with real orders, and the pipeline's figures are there", async () => {
    const before = await scrape();
    const productId = await createProduct({ stock: 1 });
    const browser = session(shop.url);
    const { id: confirmed } = await (await browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).json();
    expect((await readStatusEvents(shop.url, confirmed)).at(-1)?.status).toBe("confirmed");
    const { id: rejected } = await (await browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).json();
    expect((await readStatusEvents(shop.url, rejected)).at(-1)?.status).toBe("rejected");
    await produce(topics.commands, [{ key: "metrics-garbage", value: "not json" }]);

    let after = await scrape();
    for (let i = 0; i < 100 && sample(after, `shop_messages_dead_lettered_total{class="undecodable",source="${topics.commands}"}`) <= sample(before, `shop_messages_dead_lettered_total{class="undecodable",source="${topics.commands}"}`); i++) {
      await Bun.sleep(100);
      after = await scrape();
    }
    const moved = (series: string) => sample(after, series) - sample(before, series);
    expect(moved("shop_orders_accepted_total")).toBe(2);
    expect(moved("shop_orders_placed_total")).toBeGreaterThanOrEqual(1);
    expect(moved("shop_orders_confirmed_total")).toBeGreaterThanOrEqual(1);
    expect(moved('shop_orders_rejected_total{reason="out_of_stock"}')).toBeGreaterThanOrEqual(1);
    expect(moved("shop_order_confirmation_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(moved(`shop_messages_dead_lettered_total{class="undecodable",source="${topics.commands}"}`)).toBe(1);
    expect(moved('shop_http_requests_total{method="POST",route="/api/orders",status="202"}')).toBe(2);
    expect(moved(`shop_consumer_attempts_total{group="${groups.commands}",outcome="ok"}`)).toBeGreaterThanOrEqual(1);
    for (const group of [groups.commands, groups.events, groups.deadLetters, groups.catalog]) {
      expect(after).toMatch(new RegExp(`^shop_consumer_stalled\\{group="${group.replaceAll(".", "\\.")}"\\} 0$`, "m"));
    }
    expect(after).toMatch(lagLine(groups.commands, topics.commands));
    expect(after).toMatch(lagLine(groups.events, topics.placed));
    expect(sample(after, "shop_kafka_up")).toBe(1);
    expect(sample(after, "shop_postgres_up")).toBe(1);
    expect(sample(after, "process_resident_memory_bytes")).toBeGreaterThan(1e6);
    expect(sample(after, "process_cpu_seconds_total")).toBeGreaterThan(0);
  }, 60_000);
});
