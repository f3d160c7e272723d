import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
let shop: RunningShop;

beforeAll(async () => { shop = await startShop({ ADMIN_TOKEN }, "bad-requests"); });
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

const ODD_STRINGS = [
  "", " ", "\u0000", "\u202eevil", "\u200b", "😀".repeat(50), "\ud800", "a".repeat(5_000), "<script>alert(1)</script>",
  "' OR 1=1 --", "../../etc/passwd", "%00", "null", "true", "NaN", "-0", "1e309", "١٢٣", "ﬀ", "\r\n\r\n",
];
const ODD_VALUES = [
  null, true, false, 0, -1, 1.5, 1e309, -1e309, 2 ** 53 + 1, 9_999_999_999_999_999, "", [], {}, [[]], { a: {} },
  ...ODD_STRINGS,
];
const CONTENT_TYPES = ["application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "", "application/jsonx", "APPLICATION/JSON"];
/** Lone surrogates cannot be percent-encoded; their raw escape goes in the path as it is. */
const inPath = (s: string) => { try { return encodeURIComponent(s); } catch { return "%ED%A0%80"; } };
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
const PATHS = [
  "/api/orders", "/api/orders/", "/api/products", "/api/products/", "/healthz", "/readyz", "/metrics", "/api",
  () => `/api/orders/${inPath(pick(ODD_STRINGS))}`,
  () => `/api/products/${inPath(pick(ODD_STRINGS))}`,
  () => `/api/orders?limit=${inPath(String(pick(ODD_VALUES)))}`,
  () => `/api/orders/${crypto.randomUUID()}`,
  () => `/api/orders/not-a-uuid/events`,
  "/api/orders/%E0%A4%A", "/api/%", "/api/products/%ff%fe", "/api/orders?limit=1&limit=2",
];

function orderish(): unknown {
  const mutations: (() => unknown)[] = [
    () => ({ customer: { name: pick(ODD_VALUES), email: pick(ODD_VALUES) }, items: [{ productId: pick(ODD_VALUES), quantity: pick(ODD_VALUES) }] }),
    () => ({ customer: pick(ODD_VALUES), items: pick(ODD_VALUES) }),
    () => ({ items: Array.from({ length: 60 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) }),
    () => ({ customer: { name: "Ada", email: "ada@example.com" }, items: [{ productId: pick(ODD_STRINGS), quantity: 1 }] }),
    () => ({ customer: { name: "Ada", email: "ada@example.com" }, items: [{ productId: "prd_house-espresso", quantity: pick(ODD_VALUES) }] }),
    () => pick(ODD_VALUES),
    () => ({ ["__proto__"]: { admin: true }, constructor: { prototype: {} } }),
  ];
  return pick(mutations)();
}

function body(): BodyInit | undefined {
  const kinds: (() => BodyInit | undefined)[] = [
    () => undefined,
    () => JSON.stringify(orderish()),
    () => JSON.stringify(orderish()).slice(0, -3),
    () => "{" + "\"a\":[".repeat(3_000),
    () => new Uint8Array(crypto.getRandomValues(new Uint8Array(300))),
    () => "x".repeat(70 * 1024),
    () => `{"customer":{"name":"Ada","email":"ada@example.com"},"items":[{"productId":"p","quantity":1e999999}]}`,
  ];
  return pick(kinds)();
}

describe("faults: hostile HTTP", () => {
  test("5,000 malformed requests across every endpoint: never a 5xx, never a crash, always the error envelope", async () => {
    const failures: string[] = [];
    let done = 0;
    const worker = async () => {
      while (done < 5_000) {
        done++;
        const method = pick(METHODS);
        const entry = pick(PATHS);
        const path = typeof entry === "function" ? entry() : entry;
        const headers: Record<string, string> = {};
        const type = pick(CONTENT_TYPES);
        if (type) headers["content-type"] = type;
        if (Math.random() < 0.1) headers.authorization = pick(["Bearer nope", "Basic x", `Bearer ${ADMIN_TOKEN}x`, "Bearer"]);
        if (Math.random() < 0.1) headers["idempotency-key"] = pick(["", "k".repeat(300), "ok-key", "tab\tkey"]);
        const sendsBody = !["GET", "HEAD"].includes(method);
        const response = await fetch(shop.url + path, { method, headers, body: sendsBody ? body() : undefined, signal: AbortSignal.timeout(10_000) });
        const text = await response.text();
        const label = `${method} ${path.slice(0, 80)} → ${response.status}`;
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
    expect(failures.slice(0, 20)).toEqual([]);
    expect(shop.proc.exitCode).toBeNull();
    expect((await fetch(`${shop.url}/healthz`)).status).toBe(200);
  }, 180_000);
});
