import { describe, expect, test } from "bun:test";
import type { StockEvent } from "../../src/catalog/schemas.ts";
import { createApp } from "../../src/http/app.ts";
import { testDeps } from "../support/apiDeps.ts";
import { eventItems, type EventItem } from "../support/eventItems.ts";

/** A stock feed the test speaks through, and a snapshot it answers when it chooses. */
function feedAndSnapshot() {
  const listeners = new Set<(change: StockEvent) => void>();
  let answer!: (now: StockEvent[]) => void;
  let fail!: (error: Error) => void;
  const asked: string[][] = [];
  const deps = testDeps({
    stockFeed: { onStock: (listener) => { listeners.add(listener); return () => listeners.delete(listener); } },
    catalog: {
      ...testDeps().catalog,
      stock: (ids) => {
        asked.push(ids);
        return new Promise((resolve, reject) => { answer = resolve; fail = reject; });
      },
    },
  });
  return {
    app: createApp(deps), asked,
    change: (change: StockEvent) => listeners.forEach((listener) => listener(change)),
    answer: (now: StockEvent[]) => answer(now),
    fail: (error: Error) => fail(error),
    listening: () => listeners.size,
  };
}

const stock = (id: string, units: number): StockEvent => ({ id, stock: units, archived: false });
const changes = (items: EventItem[]) => items.map((item) => ({ event: item.event, ...(JSON.parse(item.data) as StockEvent) }));

async function take(response: Response, count: number) {
  const items: EventItem[] = [];
  for await (const item of eventItems(response)) {
    items.push(item);
    if (items.length === count) break;
  }
  return changes(items);
}

describe("GET /api/products/events?ids=", () => {
  test("opens with where each followed product stands, then sends what changed meanwhile, and never another product", async () => {
    const shop = feedAndSnapshot();
    const response = await shop.app.request("/api/products/events?ids=a,b");
    expect(response.status).toBe(200);
    const events = take(response, 4);
    while (shop.asked.length === 0) await Bun.sleep(1);
    expect(shop.asked).toEqual([["a", "b"]]);
    // Heard while the snapshot is read: it must come after the snapshot, or the page would end on the older figure.
    shop.change(stock("a", 4));
    shop.change(stock("c", 9));
    shop.answer([stock("a", 5), stock("b", 3)]);
    await Bun.sleep(10);
    shop.change(stock("c", 8));
    shop.change({ id: "b", stock: 0, archived: true });
    expect(await events).toEqual([
      { event: "stock", ...stock("a", 5) },
      { event: "stock", ...stock("b", 3) },
      { event: "stock", ...stock("a", 4) },
      { event: "stock", id: "b", stock: 0, archived: true },
    ]);
  });

  test("a snapshot that cannot be read ends the stream, so the browser asks again", async () => {
    const shop = feedAndSnapshot();
    const response = await shop.app.request("/api/products/events?ids=a");
    while (shop.asked.length === 0) await Bun.sleep(1);
    shop.fail(new Error("database down"));
    expect(await take(response, 1)).toEqual([]);
    while (shop.listening() > 0) await Bun.sleep(1);
  });

  test("ids that are not at most 100 product ids are refused before a stream opens", async () => {
    const shop = feedAndSnapshot();
    const many = Array.from({ length: 101 }, (_, i) => `p${i}`).join(",");
    for (const ids of [many, "", "a,,b", "a\u0001"]) {
      const response = await shop.app.request(`/api/products/events?ids=${encodeURIComponent(ids)}`);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("validation_failed");
    }
    expect(shop.asked).toEqual([]);
  });
});
