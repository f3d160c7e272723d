import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startShop, type RunningShop } from "../support/shop.ts";

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({ ROLES: "api" }, "compression");
}, 120_000);

afterAll(async () => {
  await shop?.stop();
});

/**
 * Bun's fetch asks for gzip, deflate, br and zstd and decodes what comes back unless told not to;
 * with `decompress: false` it sends no Accept-Encoding of its own, so the test's is the only one.
 */
const raw = (path: string, acceptEncoding: string | null, init: RequestInit = {}) =>
  fetch(shop.url + path, { ...init, decompress: false, headers: { ...(acceptEncoding ? { "Accept-Encoding": acceptEncoding } : {}), ...init.headers } });

function decoded(encoding: string | null, bytes: Uint8Array): Uint8Array {
  if (encoding === "br") return new Uint8Array(brotliDecompressSync(bytes));
  if (encoding === "gzip") return new Uint8Array(gunzipSync(bytes));
  expect(encoding).toBeNull();
  return bytes;
}

const ASKED = [["br", "br"], ["gzip", "gzip"], ["gzip;q=0", null], [null, null]] as const;

async function expectEncodings(path: string) {
  const identity = await raw(path, null);
  expect(identity.status).toBe(200);
  const plain = await identity.bytes();
  expect(plain.length).toBeGreaterThan(1024);
  const sizes: Record<string, number> = {};
  for (const [asked, expected] of ASKED) {
    const response = await raw(path, asked);
    expect({ path, asked, encoding: response.headers.get("content-encoding"), vary: response.headers.get("vary") })
      .toEqual({ path, asked, encoding: expected, vary: "Accept-Encoding" });
    const bytes = await response.bytes();
    expect(decoded(expected, bytes)).toEqual(plain);
    sizes[asked ?? "none"] = bytes.length;
  }
  expect(sizes.br!).toBeLessThan(sizes.gzip!);
  expect(sizes.gzip!).toBeLessThan(plain.length / 2);
}

describe("answers travel compressed as the browser asks", () => {
  let assets: string[];
  beforeAll(async () => {
    const html = await (await fetch(shop.url + "/")).text();
    assets = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(2);
  });

  test("the storefront's JavaScript and CSS, in br, gzip or identity, are the same bytes, each with its ETag and a year's cache", async () => {
    for (const asset of assets) {
      await expectEncodings(asset);
      const tags = new Set<string | null>();
      for (const asked of ["br", "gzip", "identity"]) {
        const response = await raw(asset, asked);
        expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
        tags.add(response.headers.get("etag"));
        const again = await raw(asset, asked, { headers: { "If-None-Match": response.headers.get("etag")! } });
        expect(again.status).toBe(304);
      }
      expect(tags.size).toBe(3);
    }
  });

  test("HEAD answers with the same headers and no body", async () => {
    const get = await raw(assets[0]!, "br");
    const head = await raw(assets[0]!, "br", { method: "HEAD" });
    for (const name of ["content-encoding", "vary", "etag", "content-type"]) expect(head.headers.get(name)).toBe(get.headers.get(name));
    expect((await head.bytes()).length).toBe(0);
    const apiHead = await raw("/api/products", "gzip", { method: "HEAD" });
    expect(apiHead.status).toBe(200);
    expect(apiHead.headers.get("content-encoding")).toBe("gzip");
    expect((await apiHead.bytes()).length).toBe(0);
  });

  test("a page the browser renders, under 1 KB, goes as it is and still sets the session", async () => {
    const response = await raw("/cart", "br");
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(response.headers.get("vary")).toBeNull();
    expect(response.headers.get("set-cookie")).toContain("=");
  });

  test("the catalog, rendered on the server, is compressed per request, and sets the session", async () => {
    await expectEncodings("/");
    expect((await raw("/", "br")).headers.get("set-cookie")).toContain("=");
  });

  test("an API answer over 1 KB, GET /api/products, is compressed per request to the same JSON", async () => {
    await expectEncodings("/api/products");
  });

  test("an event stream is not compressed and delivers its first event at once", async () => {
    const stop = new AbortController();
    const response = await raw("/api/products/events", "br, gzip", { signal: stop.signal });
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    expect(response.headers.get("content-encoding")).toBeNull();
    const reader = response.body!.getReader();
    const first = await Promise.race([reader.read(), Bun.sleep(5_000).then(() => ({ value: undefined }))]);
    expect(new TextDecoder().decode(first.value)).toContain(": open");
    stop.abort();
  });
});
