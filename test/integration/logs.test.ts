import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct } from "../support/db.ts";
import { readStatusEvents, session, shippingAddress } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;
beforeAll(async () => { shop = await startShop({ LOG_LEVEL: "info" }, "logs"); }, 120_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

const records = async (file: string) =>
  (await Bun.file(file).text()).split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);

describe("logs", () => {
  test("one JSON object a line; one grep of the correlation id follows an order from the request to its confirmation", async () => {
    const productId = await createProduct({ stock: 3 });
    const requestId = `trace-${crypto.randomUUID()}`;
    const email = `grace.${crypto.randomUUID()}@example.com`;
    const browser = session(shop.url, { "x-request-id": requestId });
    const response = await browser.postOrder({ customer: { name: "Grace Hopper", email }, shippingAddress, items: [{ productId, quantity: 1 }] });
    expect(response.headers.get("x-request-id")).toBe(requestId);
    const { id } = await response.json();
    expect((await readStatusEvents(shop.url, id)).at(-1)?.status).toBe("confirmed");

    let trail: Record<string, unknown>[] = [];
    for (let i = 0; i < 50 && trail.length < 3; i++) {
      trail = (await records(shop.logFile)).filter((r) => r.correlationId === requestId);
      if (trail.length < 3) await Bun.sleep(100);
    }
    expect(trail.map((r) => r.msg)).toEqual(["order accepted", "order placed", "order confirmed"]);
    for (const r of trail) {
      expect(r.orderId).toBe(id);
      expect(r.level).toBe("info");
      expect(new Date(r.time as string).toISOString()).toBe(r.time as string);
    }
    expect(await Bun.file(shop.logFile).text()).not.toContain(email);
  }, 60_000);

  test("LOG_LEVEL=warn leaves out the info lines", async () => {
    const quiet = await startShop({ LOG_LEVEL: "warn" }, "logs-quiet");
    try {
      const productId = await createProduct({ stock: 1 });
      const { id } = await (await session(quiet.url).postOrder({ customer: { name: "Q", email: "q@example.com" }, shippingAddress, items: [{ productId, quantity: 1 }] })).json();
      await readStatusEvents(quiet.url, id);
    } finally {
      expect(await quiet.stop()).toBe(0);
    }
    const levels = new Set((await records(quiet.logFile)).map((r) => r.level));
    expect([...levels].filter((l) => l !== "warn" && l !== "error")).toEqual([]);
  }, 60_000);
});
