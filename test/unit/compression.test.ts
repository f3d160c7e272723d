import { describe, expect, test } from "bun:test";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { chooseEncoding, compression, encodeOnce, pickEncoded } from "../../src/http/middleware/compression.ts";

describe("chooseEncoding", () => {
  test.each([
    [null, "identity"],
    ["", "identity"],
    ["gzip, deflate, br, zstd", "br"],
    ["gzip", "gzip"],
    ["x-gzip", "gzip"],
    ["br;q=0.5, gzip", "gzip"],
    ["BR;Q=1, GZIP;q=1", "br"],
    ["gzip;q=0", "identity"],
    ["gzip;q=0, br;q=0", "identity"],
    ["*", "br"],
    ["*;q=0.5, br;q=0", "gzip"],
    ["*;q=0", "identity"],
    ["deflate, zstd", "identity"],
    ["identity;q=1, gzip;q=0.5", "identity"],
    ["identity;q=0.5, gzip", "gzip"],
    ["gzip;q=junk, br;q=0.1", "br"],
  ] as const)("%p → %s", (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

const LARGE = { items: Array.from({ length: 200 }, (_, i) => ({ id: `prd_${i}`, name: `Tea number ${i}`, priceCents: 1200 + i })) };

function appOf() {
  const app = new Hono();
  app.use(compression());
  app.get("/large", (c) => c.json(LARGE));
  app.get("/small", (c) => c.json({ ok: true }));
  app.post("/large", (c) => c.json(LARGE, 202));
  app.get("/tagged", (c) => c.json(LARGE, 200, { ETag: '"v1"' }));
  app.get("/events", (c) => streamSSE(c, async (stream) => {
    await stream.writeSSE({ event: "hello", data: "x".repeat(4096) });
  }));
  return app;
}

const decode = (encoding: string | null, bytes: Uint8Array) =>
  encoding === "br" ? brotliDecompressSync(bytes) : encoding === "gzip" ? gunzipSync(bytes) : Buffer.from(bytes);

describe("compression per request", () => {
  const app = appOf();
  const identity = JSON.stringify(LARGE);

  test.each([["br", "br"], ["gzip", "gzip"], ["gzip;q=0", null], [undefined, null]] as const)("Accept-Encoding %p → %p, the same bytes once decoded", async (accept, expected) => {
    const response = await app.request("/large", { headers: accept ? { "Accept-Encoding": accept } : {} });
    expect(response.headers.get("content-encoding")).toBe(expected);
    expect(response.headers.get("vary")).toBe("Accept-Encoding");
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (expected) expect(bytes.length).toBeLessThan(identity.length / 2);
    expect(decode(expected, bytes).toString()).toBe(identity);
  });

  test("a small answer goes as it is", async () => {
    const response = await app.request("/small", { headers: { "Accept-Encoding": "br, gzip" } });
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.json()).toEqual({ ok: true });
  });

  test("a command's answer is not read again to be measured: only reads are compressed", async () => {
    const response = await app.request("/large", { method: "POST", headers: { "Accept-Encoding": "br, gzip" } });
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toBe(identity);
  });

  test("each encoding has its own ETag", async () => {
    const tags = await Promise.all(["br", "gzip", "identity"].map(async (accept) =>
      (await app.request("/tagged", { headers: { "Accept-Encoding": accept } })).headers.get("etag")));
    expect(tags).toEqual(['"v1-br"', '"v1-gzip"', '"v1"']);
  });

  test("an event stream is never compressed", async () => {
    const response = await app.request("/events", { headers: { "Accept-Encoding": "br, gzip" } });
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    expect(response.headers.get("content-encoding")).toBeNull();
    expect(await response.text()).toContain("event: hello");
  });
});

describe("a static file, compressed once", () => {
  test("each encoding is made once and picked by the request's Accept-Encoding", async () => {
    const body = new TextEncoder().encode("body { color: red; }\n".repeat(200));
    const encoded = await encodeOnce(body, new Headers({ "Content-Type": "text/css", ETag: '"abc"' }));
    const ask = (accept: string) => pickEncoded(encoded, new Request("http://shop/x.css", { headers: { "Accept-Encoding": accept } }));
    expect(ask("gzip, br")).toBe(encoded.br!);
    expect(ask("gzip")).toBe(encoded.gzip!);
    expect(ask("gzip;q=0")).toBe(encoded.identity);
    expect([ask("br"), ask("gzip"), ask("identity")].map((r) => r.headers.get("etag"))).toEqual(['"abc-br"', '"abc-gzip"', '"abc"']);
    for (const r of [ask("br"), ask("gzip"), ask("identity")]) expect(r.headers.get("vary")).toBe("Accept-Encoding");
    expect(new Uint8Array(decode("br", await ask("br").clone().bytes()))).toEqual(body);
    expect(new Uint8Array(decode("gzip", await ask("gzip").clone().bytes()))).toEqual(body);
  });

  test("a tiny or binary file has the identity answer alone, with no Vary", async () => {
    const tiny = await encodeOnce(new TextEncoder().encode("<svg/>"), new Headers({ "Content-Type": "image/svg+xml" }));
    const binary = await encodeOnce(new Uint8Array(4096), new Headers({ "Content-Type": "image/png" }));
    for (const encoded of [tiny, binary]) {
      expect(Object.keys(encoded)).toEqual(["identity"]);
      expect(encoded.identity.headers.get("vary")).toBeNull();
    }
  });
});
