import { describe, expect, test } from "bun:test";
import { createApp } from "../../src/http/app.ts";
import type { ApiDeps } from "../../src/http/deps.ts";
import type { LimitSettings } from "../../src/http/limits/index.ts";
import type { StatusListener } from "../../src/db/statusFeed.ts";
import type { Viewer } from "../../src/orders/schemas.ts";
import { testDeps } from "../support/apiDeps.ts";

/** In-process, the way Bun.serve hands the server to the app: the client's socket address. */
const from = (address: string) => ({ requestIP: () => ({ address }), timeout() {} });
const customer = { name: "Ada Lovelace", email: "ada@example.com" };
const shippingAddress = { name: "Ada Lovelace", line1: "1 Main St", city: "London", postalCode: "N1", country: "GB" };
const order = (quantity = 1, productId = "prd_a") => ({ customer, shippingAddress, items: [{ productId, quantity }] });

/** The whole app in memory: orders are "sent" into a list, owned by whoever placed them. */
function shop(limits: Partial<LimitSettings> = {}, overrides: Partial<ApiDeps> = {}) {
  const sent: { orderId: string; owner?: string }[] = [];
  const deps = testDeps({
    catalog: { ...testDeps().catalog, search: async () => ({ items: [], nextCursor: null }), get: async () => undefined, stock: async () => [], unknown: async () => [] },
    sendCommand: async (command) => { sent.push({ orderId: command.orderId, owner: (command.data as { owner?: string }).owner }); },
    orders: {
      ...testDeps().orders,
      get: async () => undefined,
      // Only what the viewer owns, as the database query does.
      list: async (viewer: Viewer) => sent.filter((o) => "owner" in viewer && o.owner === viewer.owner).map((o) => ({ id: o.orderId }) as never),
    },
    ...overrides,
  }, limits);
  const app = createApp(deps);
  /** A client: keeps the cookie it is given, like a browser. */
  const client = (address = "10.0.0.1", scheme = "http") => {
    let cookie: string | undefined;
    const request = async (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (cookie) headers.set("cookie", cookie);
      const response = await app.request(`${scheme}://shop.test${path}`, { ...init, headers }, from(address));
      const set = response.headers.get("set-cookie");
      if (set) cookie = set.split(";")[0];
      return response;
    };
    return {
      request,
      post: (body: unknown) => request("/api/orders", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
      get cookie() { return cookie; },
      set cookie(value) { cookie = value; },
    };
  };
  return { app, deps, sent, client };
}

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string; issues?: { path: string; message: string }[] } };
  return { status: response.status, ...body.error };
}

describe("signed sessions", () => {
  test("a sid the shop did not sign gets a new cookie and sees no orders", async () => {
    const { client } = shop();
    const alice = client();
    expect((await alice.post(order())).status).toBe(202);
    expect(alice.cookie).toMatch(/^sid=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22}$/);
    expect(await (await alice.request("/api/orders")).json()).toHaveLength(1);

    const [random, mac] = alice.cookie!.slice("sid=".length).split(".") as [string, string];
    const forgeries = [
      "sid=" + random, // the old, unsigned shape
      `sid=${random}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`, // a signature off by one character
      `sid=${"A".repeat(43)}.${mac}`, // someone else's signature on a chosen id
    ];
    for (const forged of forgeries) {
      const mallory = client();
      mallory.cookie = forged;
      const response = await mallory.request("/api/orders");
      expect(response.headers.get("set-cookie")).toStartWith("sid=");
      expect(mallory.cookie).not.toBe(forged);
      expect(await response.json()).toEqual([]);
    }
  });

  test("a signed sid is kept: no new cookie, the same orders", async () => {
    const { client } = shop();
    const alice = client();
    await alice.post(order());
    const response = await alice.request("/api/orders");
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(await response.json()).toHaveLength(1);
  });

  test("over https the cookie is Secure and __Host- prefixed; X-Forwarded-Proto counts only with TRUST_PROXY", async () => {
    const direct = await shop().client("10.0.0.1", "https").request("/api/products");
    expect(direct.headers.get("set-cookie")).toMatch(/^__Host-sid=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);

    const forwarded = { headers: { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9" } };
    const untrusted = await shop().client().request("/api/products", forwarded);
    expect(untrusted.headers.get("set-cookie")).toMatch(/^sid=[^;]+;.*SameSite=Lax$/);
    const trusted = await shop({}, { trustProxy: true }).client().request("/api/products", forwarded);
    expect(trusted.headers.get("set-cookie")).toMatch(/^__Host-sid=.*; Secure$/);
  });

  test("with TRUST_PROXY, X-Forwarded-Proto alone makes the cookie Secure: a proxy need not add X-Forwarded-For", async () => {
    const protoOnly = { headers: { "x-forwarded-proto": "https" } };
    const trusted = await shop({}, { trustProxy: true }).client().request("/api/products", protoOnly);
    expect(trusted.headers.get("set-cookie")).toMatch(/^__Host-sid=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const untrusted = await shop().client().request("/api/products", protoOnly);
    expect(untrusted.headers.get("set-cookie")).toMatch(/^sid=[^;]+;.*SameSite=Lax$/);
  });

  test("over https a plain sid cookie, which plain http could have set, is not honoured", async () => {
    const { client } = shop();
    const alice = client();
    await alice.request("/api/products");
    const cookie = alice.cookie!;
    const overHttps = client("10.0.0.1", "https");
    overHttps.cookie = cookie;
    expect((await overHttps.request("/api/products")).headers.get("set-cookie")).toStartWith("__Host-sid=");
  });
});

describe("rate limits on POST /api/orders", () => {
  test("a burst from one session hits 429 with Retry-After while another session's orders go through", async () => {
    const { client } = shop();
    const greedy = client("10.0.0.1");
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await greedy.post(order())).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 429, 429]);
    const refused = await greedy.post(order());
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: "rate_limited" });

    const other = client("10.0.0.1");
    expect((await other.post(order())).status).toBe(202);
  });

  test("a client that drops its cookie is still limited by its address; another address is not", async () => {
    const { client } = shop({ ORDERS_PER_MINUTE_PER_ADDRESS: 5 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await client("10.0.0.7").post(order())).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect((await client("10.0.0.8").post(order())).status).toBe(202);
  });

  test("with TRUST_PROXY the address is the one the proxy forwarded", async () => {
    const { client } = shop({ ORDERS_PER_MINUTE_PER_ADDRESS: 1 }, { trustProxy: true });
    const via = (address: string) => ({ method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": `198.51.100.1, ${address}` }, body: JSON.stringify(order()) });
    expect((await client("10.0.0.1").request("/api/orders", via("203.0.113.1"))).status).toBe(202);
    expect((await client("10.0.0.1").request("/api/orders", via("203.0.113.2"))).status).toBe(202);
    expect((await client("10.0.0.1").request("/api/orders", via("203.0.113.1"))).status).toBe(429);
  });

  test("RATE_LIMITS=off: a thousand orders from one session", async () => {
    const { client, sent } = shop({ RATE_LIMITS: "off" });
    const one = client();
    for (let i = 0; i < 1_000; i++) expect((await one.post(order(99))).status).toBe(202);
    expect(sent).toHaveLength(1_000);
  });
});

describe("units nobody can hoard", () => {
  test("an order over the units per order is refused, naming the field", async () => {
    const { client, sent } = shop();
    const response = await client().post({ customer, shippingAddress, items: [{ productId: "prd_a", quantity: 15 }, { productId: "prd_b", quantity: 6 }] });
    expect(await errorOf(response)).toMatchObject({ status: 400, code: "validation_failed", issues: [{ path: "items", message: "an order has at most 20 units in all (this one has 21)" }] });
    expect(sent).toHaveLength(0);
  });

  test("a session's units over a day are capped; another session has its own allowance", async () => {
    const { client, sent } = shop();
    const hoarder = client();
    expect((await hoarder.post(order(20))).status).toBe(202);
    expect((await hoarder.post(order(20))).status).toBe(202);
    const over = await errorOf(await hoarder.post(order(11)));
    expect(over).toMatchObject({ status: 400, code: "validation_failed" });
    expect(over.issues).toEqual([{ path: "items", message: "a session may order at most 50 units in 24 hours; 10 remain" }]);
    expect((await hoarder.post(order(10))).status).toBe(202);
    expect((await client().post(order(20))).status).toBe(202);
    expect(sent).toHaveLength(4);
  });

  test("units of an order Kafka did not take are given back", async () => {
    let kafkaUp = false;
    const { client } = shop({}, { sendCommand: async () => { if (!kafkaUp) throw new Error("broker down"); } });
    const one = client();
    expect((await one.post(order(20))).status).toBe(503);
    expect((await one.post(order(20))).status).toBe(503);
    kafkaUp = true;
    for (let i = 0; i < 2; i++) expect((await one.post(order(20))).status).toBe(202);
  });
});

describe("every error has the envelope", () => {
  test("405 with Allow on a known path, 404 on an unknown one", async () => {
    const token = "admin-token-for-unit-tests";
    const { app } = shop({}, { adminToken: token });
    const cases: [string, string, string][] = [
      ["DELETE", "/api/orders", "GET, HEAD, POST"],
      ["PUT", "/api/orders/8d7ae7b4-5c1e-4d4f-9b4a-0f3f1b6c2d11", "GET, HEAD"],
      ["POST", "/api/products", "GET, HEAD"],
      ["POST", "/healthz", "GET, HEAD"],
      ["GET", "/api/admin/dead-letters/7/replay", "POST"],
    ];
    for (const [method, path, allow] of cases) {
      const response = await app.request(path, { method, headers: { authorization: `Bearer ${token}` } }, from("10.0.0.1"));
      expect(response.headers.get("allow")).toBe(allow);
      expect(await errorOf(response)).toMatchObject({ status: 405, code: "method_not_allowed" });
    }
    expect(await errorOf(await app.request("/api/nothing", { method: "DELETE" }, from("10.0.0.1")))).toMatchObject({ status: 404, code: "not_found" });

    // The storefront's paths are Bun.serve's for GET and HEAD; any other method reaches the app.
    const withPages = createApp(testDeps(), ["/", "/orders/:id"]);
    const post = await withPages.request("/orders/42", { method: "POST" }, from("10.0.0.1"));
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect(await errorOf(post)).toMatchObject({ status: 405, code: "method_not_allowed" });
    expect((await app.request("/api/products", { method: "HEAD" }, from("10.0.0.1"))).status).toBe(200);
  });

  test("headers over 16 KiB: 431 headers_too_large", async () => {
    const { app } = shop();
    const response = await app.request("/api/products", { headers: { "x-padding": "x".repeat(20 * 1024) } }, from("10.0.0.1"));
    expect(await errorOf(response)).toMatchObject({ status: 431, code: "headers_too_large" });
    expect((await app.request("/api/products", { headers: { "x-padding": "x".repeat(8 * 1024) } }, from("10.0.0.1"))).status).toBe(200);
  });
});

describe("bounded event streams", () => {
  test("a stream for an id that never appears ends after the bound, and frees its slot", async () => {
    const watching = new Set<StatusListener>();
    const feed = { watch(_id: string, listener: StatusListener) { watching.add(listener); queueMicrotask(() => listener(undefined)); return () => void watching.delete(listener); } };
    const { client, deps } = shop({}, { statusFeed: feed });
    deps.limits.unknownOrderStreamMs = 100;
    const started = performance.now();
    const response = await client().request(`/api/orders/${crypto.randomUUID()}/events`);
    const body = await response.text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(body).toContain('"status":"pending"');
    expect(watching.size).toBe(0);
    expect(deps.limits.streams.count).toBe(0);
  });

  test("a stream whose order appears keeps going past that bound, to its terminal status", async () => {
    let listener: StatusListener = () => {};
    const id = crypto.randomUUID();
    const feed = { watch(_id: string, l: StatusListener) { listener = l; queueMicrotask(() => l(undefined)); return () => {}; } };
    const { client, deps } = shop({}, { statusFeed: feed });
    deps.limits.unknownOrderStreamMs = 50;
    const response = await client().request(`/api/orders/${id}/events`);
    await Bun.sleep(10);
    listener({ id, status: "placed", at: "2026-01-01T00:00:00.000Z" });
    await Bun.sleep(150);
    listener({ id, status: "confirmed", at: "2026-01-01T00:00:01.000Z" });
    listener({ id, status: "cancelled", at: "2026-01-01T00:00:02.000Z" });
    const statuses = [...(await response.text()).matchAll(/"status":"(\w+)"/g)].map((m) => m[1]);
    expect(statuses).toEqual(["pending", "placed", "confirmed", "cancelled"]);
  });

  /** A status feed that only remembers who watches: nothing ever happens to the orders. */
  function quietFeed() {
    const watching = new Map<string, StatusListener>();
    let n = 0;
    return {
      watching,
      watch(id: string, listener: StatusListener) {
        const key = `${id}#${n++}`;
        watching.set(key, listener);
        queueMicrotask(() => listener(undefined));
        return () => void watching.delete(key);
      },
    };
  }

  test("the storefront's stock stream counts against the same caps", async () => {
    const feed = quietFeed();
    const { client, deps } = shop({ STREAMS_PER_SESSION: 2 }, { statusFeed: feed, stockFeed: { onStock: () => () => {} } });
    const tab = client();
    const stock = await tab.request("/api/products/events");
    expect(stock.status).toBe(200);
    const order = await tab.request(`/api/orders/${crypto.randomUUID()}/events`);
    expect(order.status).toBe(200);
    expect(await errorOf(await tab.request("/api/products/events"))).toMatchObject({ status: 429, code: "rate_limited" });
    await stock.body!.cancel();
    await order.body!.cancel();
    for (let i = 0; i < 100 && deps.limits.streams.count > 0; i++) await Bun.sleep(5);
    expect(deps.limits.streams.count).toBe(0);
  });

  test("past a session's cap: 429 rate_limited with Retry-After; a closed stream frees its slot", async () => {
    const feed = quietFeed();
    const { client, deps } = shop({ STREAMS_PER_SESSION: 3 }, { statusFeed: feed });
    const tab = client();
    await tab.request("/api/products");
    const id = crypto.randomUUID();
    const open = [];
    for (let i = 0; i < 3; i++) {
      const response = await tab.request(`/api/orders/${id}/events`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('"status":"pending"');
      open.push(reader);
    }
    const refused = await tab.request(`/api/orders/${id}/events`);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(await errorOf(refused)).toMatchObject({ status: 429, code: "rate_limited", message: "too many open event streams for this session" });
    expect((await client().request(`/api/orders/${id}/events`)).status).toBe(200);

    await open[0]!.cancel();
    for (let i = 0; i < 100 && deps.limits.streams.count > 3; i++) await Bun.sleep(5);
    expect(deps.limits.streams.count).toBe(3);
    expect((await tab.request(`/api/orders/${id}/events`)).status).toBe(200);
    for (const reader of open.slice(1)) await reader.cancel();
  });
});
