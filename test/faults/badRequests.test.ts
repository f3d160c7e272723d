import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { SEED } from "../support/arbitraries.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
let shop: RunningShop;

beforeAll(async () => { shop = await startShop({ ADMIN_TOKEN }, "bad-requests"); });
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

const ODD_STRINGS = [
  "", " ", "\u0000", "\u202eevil", "\u200b", "😀".repeat(50), "\ud800", "a".repeat(5_000), "<script>alert(1)</script>",
  "' OR 1=1 --", "../../etc/passwd", "%00", "null", "true", "NaN", "-0", "1e309", "١٢٣", "ﬀ", "\r\n\r\n",
];
const ODD_VALUES = [
  null, true, false, 0, -1, 1.5, 1e309, -1e309, 2 ** 53 + 1, 9_999_999_999_999_999, "", [], {}, [[]], { a: {} },
  ...ODD_STRINGS,
];
const CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/jsonx", "APPLICATION/JSON"];
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];

/** Lone surrogates cannot be percent-encoded; their raw escape goes in the path as it is. */
const inPath = (s: string) => { try { return encodeURIComponent(s); } catch { return "%ED%A0%80"; } };
const oddString = fc.oneof(fc.constantFrom(...ODD_STRINGS), fc.string({ unit: "binary", maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }));
const oddValue = fc.oneof(fc.constantFrom(...ODD_VALUES), oddString, fc.jsonValue({ maxDepth: 3 }), fc.double(), fc.integer());

const path = fc.oneof(
  fc.constantFrom("/api/orders", "/api/orders/", "/api/products", "/api/products/", "/healthz", "/readyz", "/metrics", "/api",
    "/api/orders/%E0%A4%A", "/api/%", "/api/products/%ff%fe", "/api/orders?limit=1&limit=2", "/api/orders/not-a-uuid/events"),
  oddString.map((s) => `/api/orders/${inPath(s)}`),
  oddString.map((s) => `/api/products/${inPath(s)}`),
  oddValue.map((x) => `/api/orders?limit=${inPath(String(x))}`),
  fc.uuid().map((id) => `/api/orders/${id}`),
);

const orderish: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ customer: fc.record({ name: oddValue, email: oddValue }), items: fc.array(fc.record({ productId: oddValue, quantity: oddValue }), { maxLength: 3 }) }, { requiredKeys: [] }),
  fc.record({ customer: oddValue, items: oddValue }),
  fc.integer({ min: 51, max: 100 }).map((n) => ({ items: Array.from({ length: n }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) })),
  fc.record({ productId: oddString, quantity: oddValue }).map((line) => ({ customer: { name: "Ada", email: "ada@example.com" }, items: [line] })),
  oddValue,
  fc.constant({ ["__proto__"]: { admin: true }, constructor: { prototype: {} } }),
);

const body: fc.Arbitrary<BodyInit | undefined> = fc.oneof(
  fc.constant(undefined),
  orderish.map((o) => JSON.stringify(o)),
  fc.tuple(orderish, fc.nat()).map(([o, n]) => {
    const whole = JSON.stringify(o) ?? "";
    return whole.slice(0, n % (whole.length + 1));
  }),
  fc.integer({ min: 1_000, max: 5_000 }).map((depth) => "{" + "\"a\":[".repeat(depth)),
  fc.uint8Array({ maxLength: 300 }),
  fc.integer({ min: 60 * 1024, max: 80 * 1024 }).map((n) => "x".repeat(n)),
  fc.constantFrom("1e999999", "-1e999999", "1".repeat(400)).map((q) => `{"customer":{"name":"Ada","email":"ada@example.com"},"items":[{"productId":"p","quantity":${q}}]}`),
);

const request = fc.record({
  method: fc.constantFrom(...METHODS),
  path,
  contentType: fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.string({ maxLength: 30 }).filter((t) => /^[\x20-\x7e]*$/.test(t))),
  authorization: fc.option(fc.constantFrom("Bearer nope", "Basic x", `Bearer ${ADMIN_TOKEN}x`, "Bearer"), { freq: 9 }),
  idempotencyKey: fc.option(fc.constantFrom("", "k".repeat(300), "ok-key", "tab\tkey"), { freq: 9 }),
  body,
});

describe("faults: hostile HTTP", () => {
  test("5,000 generated malformed requests across every endpoint: never a 5xx, never a crash, always the error envelope", async () => {
    const requests = fc.sample(request, { seed: SEED, numRuns: 5_000 });
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const { method, path, contentType, authorization, idempotencyKey, body } = requests[i]!;
        const headers: Record<string, string> = {};
        if (contentType) headers["content-type"] = contentType;
        if (authorization !== null) headers.authorization = authorization;
        if (idempotencyKey !== null) headers["idempotency-key"] = idempotencyKey;
        const sendsBody = !["GET", "HEAD"].includes(method);
        const response = await fetch(shop.url + path, { method, headers, body: sendsBody ? body : undefined, signal: AbortSignal.timeout(10_000) });
        const text = await response.text();
        const label = `#${i} ${method} ${path.slice(0, 80)} → ${response.status}`;
        if (response.status >= 500) failures.push(`${label}: ${text.slice(0, 200)}`);
        else if (response.status >= 400 && method !== "HEAD") {
          try {
            const parsed = JSON.parse(text);
            if (typeof parsed?.error?.code !== "string" || typeof parsed?.error?.message !== "string") failures.push(`${label}: no envelope: ${text.slice(0, 200)}`);
          } catch {
            failures.push(`${label}: not JSON: ${text.slice(0, 200)}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures.slice(0, 20), `seed ${SEED} (replay: FC_SEED=${SEED} bun test test/faults/badRequests.test.ts)`).toEqual([]);
    expect(shop.proc.exitCode).toBeNull();
    expect((await fetch(`${shop.url}/healthz`)).status).toBe(200);
  }, 180_000);
});
