import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { createApp } from "../../src/http/app.ts";
import type { JaegerUi } from "../../src/http/orderTrace.ts";
import type { Operations, ReplayResult } from "../../src/operations/index.ts";
import type { DeadLetter, Overview } from "../../src/operations/schemas.ts";
import { AdminOrder, type Order } from "../../src/orders/schemas.ts";
import { testDeps } from "../support/apiDeps.ts";

const TOKEN = "admin-token-for-unit-tests";

const letter: DeadLetter = {
  id: "7", dlq: { partition: 0, offset: "3" }, source: { topic: "orders.commands", partition: 1, offset: "9" },
  reason: "not JSON", key: "k", value: { bytes: 1, truncated: false, utf8: true, text: "x", base64: "eA==" },
  headers: {}, deadAt: "2026-01-01T00:00:00.000Z", replayedAt: null,
};
const overview: Overview = {
  ordersByStatus: { placed: 1, confirmed: 2, shipped: 0, delivered: 0, rejected: 3, cancelled: 0 }, rejectedByReason: { out_of_stock: 3, unknown_product: 0, invalid_order: 0 },
  ordersPerSecond: { bucketSeconds: 10, buckets: [] }, consumerLag: null,
  stalledConsumers: [{ group: "shop-order-commands", topic: "orders.commands", lastError: { class: "postgres_unavailable", transient: true, message: "connect ECONNREFUSED", at: "2026-01-01T00:00:00.000Z" } }],
  deadLetters: { total: 1, waiting: 1 },
  mails: { sent: 3, failed: 1, pending: 2, stalled: false },
};

/** The whole app, in memory, with operations that answer `replayed` with whatever the test says. */
function appWith({ adminToken = TOKEN as string | null, replayed = { outcome: "replayed", deadLetter: letter } as ReplayResult } = {}) {
  const asked: { limit?: number; replayed?: string } = {};
  const operations: Operations = {
    overview: async () => overview,
    deadLetters: async (limit) => { asked.limit = limit; return [letter]; },
    replay: async (id) => { asked.replayed = id; return replayed; },
  };
  return { app: createApp(testDeps({ operations, adminToken: adminToken ?? undefined })), asked };
}

const asAdmin = { authorization: `Bearer ${TOKEN}` };

async function errorOf(response: Response) {
  return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
}

describe("admin routes", () => {
  test("401 unauthorized without the token, with another, and when the shop has no token at all", async () => {
    const { app } = appWith();
    for (const path of ["/api/admin/overview", "/api/admin/dead-letters", "/api/admin/unknown"]) {
      expect(await errorOf(await app.request(path))).toEqual({ status: 401, code: "unauthorized" });
      expect(await errorOf(await app.request(path, { headers: { authorization: "Bearer someone-else" } }))).toEqual({ status: 401, code: "unauthorized" });
    }
    expect(await errorOf(await app.request("/api/admin/dead-letters/7/replay", { method: "POST" }))).toEqual({ status: 401, code: "unauthorized" });
    const untokened = appWith({ adminToken: null }).app;
    expect(await errorOf(await untokened.request("/api/admin/overview", { headers: asAdmin }))).toEqual({ status: 401, code: "unauthorized" });
  });

  test("the scheme is case-insensitive (RFC 9110): bearer, BEARER and extra spaces name the admin too", async () => {
    const { app } = appWith();
    for (const authorization of [`bearer ${TOKEN}`, `BEARER ${TOKEN}`, `bEaReR  ${TOKEN}`]) {
      expect((await app.request("/api/admin/overview", { headers: { authorization } })).status).toBe(200);
    }
    for (const authorization of [`Basic ${TOKEN}`, `Bearer${TOKEN}`, `bearer ${TOKEN.toUpperCase()}`]) {
      expect(await errorOf(await app.request("/api/admin/overview", { headers: { authorization } }))).toEqual({ status: 401, code: "unauthorized" });
    }
  });

  test("the admin gets the overview and the dead letters, 50 unless a limit 1..200 is asked", async () => {
    const { app, asked } = appWith();
    expect(await (await app.request("/api/admin/overview", { headers: asAdmin })).json()).toEqual(overview);
    expect(await (await app.request("/api/admin/dead-letters", { headers: asAdmin })).json()).toEqual([letter]);
    expect(asked.limit).toBe(50);
    await app.request("/api/admin/dead-letters?limit=200", { headers: asAdmin });
    expect(asked.limit).toBe(200);
    for (const limit of ["0", "201", "ten"]) {
      expect(await errorOf(await app.request(`/api/admin/dead-letters?limit=${limit}`, { headers: asAdmin }))).toEqual({ status: 400, code: "validation_failed" });
    }
  });

  test("replay: 200 with the dead letter, 404 unknown or malformed, 409 refused, 503 when Kafka did not acknowledge", async () => {
    const replay = (app: ReturnType<typeof appWith>["app"], id = "7") => app.request(`/api/admin/dead-letters/${id}/replay`, { method: "POST", headers: asAdmin });
    const ok = appWith();
    const response = await replay(ok.app);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(letter);
    expect(ok.asked.replayed).toBe("7");

    const malformed = appWith();
    for (const id of ["0", "07", "x", "1".repeat(19)]) expect(await errorOf(await replay(malformed.app, id))).toEqual({ status: 404, code: "not_found" });
    expect(malformed.asked.replayed).toBeUndefined();

    expect(await errorOf(await replay(appWith({ replayed: { outcome: "not_found" } }).app))).toEqual({ status: 404, code: "not_found" });
    expect(await errorOf(await replay(appWith({ replayed: { outcome: "refused", why: "already replayed" } }).app))).toEqual({ status: 409, code: "conflict" });
    const unacknowledged = await replay(appWith({ replayed: { outcome: "unacknowledged" } }).app);
    expect(unacknowledged.headers.get("retry-after")).toBe("2");
    expect(await errorOf(unacknowledged)).toEqual({ status: 503, code: "unavailable" });
  });
});

describe("an admin's order and its trace", () => {
  const order: Order = {
    id: crypto.randomUUID(), status: "confirmed", customer: { name: "Ada", email: "ada@example.com" },
    timeline: [{ status: "placed", at: "2026-12-07T10:00:00.000Z" }, { status: "confirmed", at: "2026-12-07T10:00:01.000Z" }],
    items: [{ productId: "p1", name: "Assam tea", quantity: 2, unitPriceCents: 1250 }], totalCents: 2500, currency: "USD",
    createdAt: "2026-12-07T10:00:00.000Z", updatedAt: "2026-12-07T10:00:01.000Z",
  };
  const orderOf = async (jaegerUi: JaegerUi | undefined) => {
    const app = createApp(testDeps({
      adminToken: TOKEN, jaegerUi,
      orders: { ...testDeps().orders, get: async (id) => (id === order.id ? order : undefined), history: async () => [] },
    }));
    const response = await app.request(`/api/admin/orders/${order.id}`, { headers: asAdmin });
    expect(response.status).toBe(200);
    const body = (await response.json()) as AdminOrder;
    expect(v.safeParse(AdminOrder, body).success).toBe(true);
    return body;
  };

  test("with JAEGER_UI_URL, traceUrl is Jaeger's search for the order's id under OTEL_SERVICE_NAME, to an hour past now", async () => {
    const before = Date.now();
    const { traceUrl, ...rest } = await orderOf({ url: "https://ops.example/jaeger", service: "shop-eu" });
    const after = Date.now();
    expect(rest).toEqual({ ...order, events: [] });
    const url = new URL(traceUrl!);
    expect(url.origin + url.pathname).toBe("https://ops.example/jaeger/search");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ service: "shop-eu", tags: JSON.stringify({ "shop.order.id": order.id }), lookback: "custom" });
    expect(Number(url.searchParams.get("start"))).toBe((Date.parse(order.createdAt) - 60_000) * 1000);
    const end = Number(url.searchParams.get("end")) / 1000;
    expect(end).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(end).toBeLessThanOrEqual(after + 3_600_000);
  });

  test("without JAEGER_UI_URL, the order has no traceUrl at all", async () => {
    const answered = await orderOf(undefined);
    expect(answered).toEqual({ ...order, events: [] });
    expect("traceUrl" in answered).toBe(false);
  });
});
