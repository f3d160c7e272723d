import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createProduct } from "../support/db.ts";
import { customer, shippingAddress, session } from "../support/http.ts";
import { topics, watch, type Watcher } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/** The shop's default limits, except the address's order rate: every test here orders from 127.0.0.1. */
const STREAMS_PER_ADDRESS = 50;
let shop: RunningShop;
let confirmed: Watcher;

beforeAll(async () => {
  // One after the other: should the watcher fail, afterAll still has the shop to stop.
  shop = await startShop({ RATE_LIMITS: "on", ORDERS_PER_MINUTE_PER_ADDRESS: "100000" }, "edge");
  confirmed = await watch([topics.confirmed]);
});
afterAll(async () => {
  await confirmed?.stop();
  expect(await shop?.stop()).toBe(0);
});

async function errorOf(response: Response) {
  expect(response.headers.get("content-type")).toStartWith("application/json");
  return { status: response.status, ...((await response.json()) as { error: { code: string; message: string } }).error };
}

/** Places one order per new session (the session's own rate stays out of it) and waits until all are confirmed. */
async function placeAndConfirm(productId: string, count: number): Promise<number> {
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: count }, async () => {
    const response = await session(shop.url).postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] });
    expect(response.status).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }));
  const want = new Set(ids);
  await confirmed.until((seen) => ids.every((id) => seen.some((m) => m.key === id)), 60_000, `${count} confirmations`);
  expect(confirmed.seen.filter((m) => want.has(m.key!)).length).toBeGreaterThanOrEqual(count);
  return performance.now() - started;
}

describe("the edge, on the compiled binary with its limits on", () => {
  test("1,000 event streams from one client: no more than the cap accepted, the rest 429; orders placed meanwhile confirm", async () => {
    const productId = await createProduct({ stock: 1_000 });
    const without = await placeAndConfirm(productId, 20);

    // A script, not a browser: no cookie, so each stream is a new session and only its address ties them.
    const opened = await Promise.all(Array.from({ length: 1_000 }, () =>
      fetch(`${shop.url}/api/orders/${crypto.randomUUID()}/events`, { signal: AbortSignal.timeout(30_000) })));
    const accepted = opened.filter((r) => r.status === 200);
    const refused = opened.filter((r) => r.status !== 200);
    try {
      expect(accepted.length).toBeGreaterThan(0);
      expect(accepted.length).toBeLessThanOrEqual(STREAMS_PER_ADDRESS);
      expect(refused.length).toBe(1_000 - accepted.length);
      for (const r of refused) {
        expect(r.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(await errorOf(r)).toMatchObject({ status: 429, code: "rate_limited" });
      }
      const during = await placeAndConfirm(productId, 20);
      console.log(`edge: 20 orders confirmed in ${Math.round(without)} ms with no stream open, ${Math.round(during)} ms with ${accepted.length} open and ${refused.length} refused`);
    } finally {
      await Promise.all(accepted.map((r) => r.body?.cancel()));
    }
    // Closed by the client, each stream gives its slot back.
    const open = async () => Number(/^shop_event_streams_open (\d+)$/m.exec(await (await fetch(`${shop.url}/metrics`)).text())?.[1]);
    for (let i = 0; i < 100 && (await open()) > 0; i++) await Bun.sleep(50);
    expect(await open()).toBe(0);
  }, 120_000);

  test("a burst of orders from one session hits 429 while another session's orders go through", async () => {
    const productId = await createProduct({ stock: 100 });
    const greedy = session(shop.url);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await greedy.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).status);
    expect(statuses.filter((s) => s === 202).length).toBe(6);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
    const refused = await greedy.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: "rate_limited" });

    const other = session(shop.url);
    for (let i = 0; i < 3; i++) expect((await other.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).status).toBe(202);
  });

  test("a forged sid gets a new cookie and sees no orders", async () => {
    const productId = await createProduct({ stock: 5 });
    const alice = session(shop.url);
    const { id } = (await (await alice.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).json()) as { id: string };
    await confirmed.until((seen) => seen.some((m) => m.key === id), 30_000, "the order's confirmation");
    expect(((await (await alice.request("/api/orders")).json()) as { id: string }[]).map((o) => o.id)).toContain(id);

    const [random] = alice.cookie.slice("sid=".length).split(".");
    for (const forged of [`sid=${random}`, `sid=${random}.${"A".repeat(22)}`]) {
      const mallory = await fetch(`${shop.url}/api/orders`, { headers: { cookie: forged } });
      expect(mallory.headers.get("set-cookie")).toMatch(/^sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22};/);
      expect(mallory.headers.get("set-cookie")).not.toContain(random!);
      expect(await mallory.json()).toEqual([]);
      expect((await fetch(`${shop.url}/api/orders/${id}`, { headers: { cookie: forged } })).status).toBe(404);
    }
  });

  test("a 100 KB header answers 431 with the envelope; an attack-sized one is cut short by Bun", async () => {
    const response = await fetch(`${shop.url}/api/products`, { headers: { "x-padding": "x".repeat(100 * 1024) } });
    expect(await errorOf(response)).toMatchObject({ status: 431, code: "headers_too_large" });
    const huge = await fetch(`${shop.url}/api/products`, { headers: { "x-padding": "x".repeat(200 * 1024) } });
    expect(huge.status).toBe(431);
  });

  test("the storefront's pages, assets and images keep the same 16 KiB header limit", async () => {
    const html = await (await fetch(`${shop.url}/`)).text();
    const script = /<script[^>]* src="\.?(\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const padded = { headers: { "x-padding": "x".repeat(20 * 1024) } };
    for (const path of ["/", "/orders/42", "/admin", script!, "/images/assam-breakfast.svg", "/favicon.ico"]) {
      expect(await errorOf(await fetch(`${shop.url}${path}`, padded))).toMatchObject({ status: 431, code: "headers_too_large" });
      expect((await fetch(`${shop.url}${path}`, { method: "HEAD", ...padded })).status).toBe(431);
      expect((await fetch(`${shop.url}${path}`)).status).toBe(200);
    }
    // Guarded, the static files still revalidate as Bun's own static routes do.
    for (const path of [script!, "/images/assam-breakfast.svg", "/favicon.ico"]) {
      const etag = (await fetch(`${shop.url}${path}`)).headers.get("etag");
      expect((await fetch(`${shop.url}${path}`, { headers: { "if-none-match": etag! } })).status).toBe(304);
    }
  });

  test("405 with Allow and the envelope on a known path, the storefront's included", async () => {
    const cases: [string, string, string][] = [
      ["DELETE", "/api/orders", "GET, HEAD, POST"],
      ["POST", "/", "GET, HEAD"],
      ["PUT", "/orders/42", "GET, HEAD"],
      ["DELETE", "/favicon.ico", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await fetch(`${shop.url}${path}`, { method });
      expect(response.headers.get("allow")).toBe(allow);
      expect(await errorOf(response)).toMatchObject({ status: 405, code: "method_not_allowed" });
    }
    expect((await fetch(`${shop.url}/orders/42`)).status).toBe(200);
    expect((await fetch(`${shop.url}/`, { method: "HEAD" })).status).toBe(200);
  });

  // Last: it spends this shop's allowance for 127.0.0.1, which every test here orders from.
  test("with no cookie, one address still meets its daily units; a cancelled order's units count no more", async () => {
    const productId = await createProduct({ stock: 1_000 });
    const cookieless = () => fetch(`${shop.url}/api/orders`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ customer, shippingAddress, items: [{ productId, quantity: 20 }] }),
    });
    const accepted: Response[] = [];
    let refused: Response | undefined;
    while (!refused && accepted.length < 20) {
      const response = await cookieless();
      if (response.status === 202) accepted.push(response);
      else refused = response;
    }
    // Each request is a new session, whose own 50 units never come into it; the tests before this
    // one ordered a few of the address's 200.
    expect(accepted.length).toBeGreaterThanOrEqual(5);
    expect(accepted.length).toBeLessThanOrEqual(10);
    const error = await errorOf(refused!);
    expect(error).toMatchObject({ status: 400, code: "validation_failed" });
    expect(JSON.stringify(error)).toContain("a client address may order at most 200 units in 24 hours");

    // The session each answer set owns its order: cancelling one gives this address its 20 units back.
    const first = accepted[0]!;
    const { id } = (await first.json()) as { id: string };
    const owner = first.headers.get("set-cookie")!.split(";")[0]!;
    await confirmed.until((seen) => seen.some((m) => m.key === id), 30_000, "the order's confirmation");
    expect((await fetch(`${shop.url}/api/orders/${id}/cancel`, { method: "POST", headers: { cookie: owner } })).status).toBe(202);
    expect((await cookieless()).status).toBe(202);
    expect((await cookieless()).status).toBe(400);
  }, 60_000);
});
