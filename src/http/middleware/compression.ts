import { createMiddleware } from "hono/factory";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

export type Encoding = "br" | "gzip" | "identity";

/** Below this a compressed answer saves less than its headers and the CPU cost. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * Text worth compressing. An event stream is excluded: a compressor holds bytes back until it has
 * enough of them, so events and heartbeats would sit in its buffer instead of reaching the browser.
 */
export function compressible(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "text/event-stream") return false;
  return type.startsWith("text/") || type === "application/json" || type.endsWith("+json")
    || type === "application/javascript" || type === "image/svg+xml" || type.endsWith("+xml") || type === "application/xml";
}

/** Each coding an Accept-Encoding header names, with its q. */
function qualities(acceptEncoding: string): Map<string, number> {
  const quality = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith("q="));
    const value = q === undefined ? 1 : Number(q.slice(2));
    quality.set(name === "x-gzip" ? "gzip" : name, Number.isFinite(value) ? value : 0);
  }
  return quality;
}

/** Whether an Accept-Encoding header accepts gzip at all: for an answer streamed, which only gzip keeps up with. */
export function acceptsGzip(acceptEncoding: string | null | undefined): boolean {
  if (!acceptEncoding) return false;
  const quality = qualities(acceptEncoding);
  return (quality.get("gzip") ?? quality.get("*") ?? 0) > 0;
}

/**
 * The encoding an Accept-Encoding header prefers among those the shop makes: the highest q wins,
 * a tie goes to brotli (smaller), then gzip, then identity. `*` stands for any coding not named,
 * q=0 refuses one. No header, or nothing acceptable but identity, means identity: RFC 9110 lets a
 * server send identity even when the header refuses it, which beats a 406 for a browser.
 */
export function chooseEncoding(acceptEncoding: string | null | undefined): Encoding {
  if (!acceptEncoding) return "identity";
  const quality = qualities(acceptEncoding);
  const star = quality.get("*");
  const q = (name: Encoding) => quality.get(name) ?? star ?? 0;
  const br = q("br");
  const gz = q("gzip");
  const identity = quality.get("identity") ?? 0;
  const best = Math.max(br, gz);
  if (best <= 0 || identity > best) return "identity";
  return br === best ? "br" : "gzip";
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * node:zlib's callback forms, so the work runs on the thread pool and the event loop keeps
 * answering. `best` is for a file compressed once (brotli 11 and gzip 9: ~250 ms for the whole
 * storefront at startup); per request, brotli 11 takes ~400 ms for the 120 KB of 312 products,
 * brotli 5 ~2.4 ms for 15 % more bytes (BENCHMARKS.md).
 */
export async function encode(body: Uint8Array<ArrayBuffer>, encoding: Exclude<Encoding, "identity">, best: boolean): Promise<Uint8Array<ArrayBuffer>> {
  if (encoding === "gzip") return gzipped(body, { level: best ? 9 : 6 });
  return brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: best ? 11 : 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
}

/** Each encoding's ETag differs, or a cache could hand gzip bytes to a client that asked for identity. */
export function encodedETag(etag: string, encoding: Encoding): string {
  if (encoding === "identity") return etag;
  return etag.endsWith('"') ? `${etag.slice(0, -1)}-${encoding}"` : `${etag}-${encoding}`;
}

function addVary(headers: Headers) {
  const vary = headers.get("vary");
  if (!vary) headers.set("Vary", "Accept-Encoding");
  else if (!/\baccept-encoding\b/i.test(vary)) headers.set("Vary", `${vary}, Accept-Encoding`);
}

/** A static file's answers, one for each encoding worth having, made once. */
export type Encoded = { identity: Response; br?: Response; gzip?: Response };

export async function encodeOnce(body: Uint8Array<ArrayBuffer>, headers: Headers): Promise<Encoded> {
  if (body.length < MIN_COMPRESS_BYTES || headers.has("content-encoding") || !compressible(headers.get("content-type"))) {
    return { identity: new Response(body, { headers }) };
  }
  addVary(headers);
  const encoded: Encoded = { identity: new Response(body, { headers }) };
  await Promise.all((["br", "gzip"] as const).map(async (encoding) => {
    const bytes = await encode(body, encoding, true);
    if (bytes.length >= body.length) return;
    const variant = new Headers(headers);
    variant.set("Content-Encoding", encoding);
    const etag = headers.get("etag");
    if (etag) variant.set("ETag", encodedETag(etag, encoding));
    encoded[encoding] = new Response(bytes, { headers: variant });
  }));
  return encoded;
}

/** The answer a request's Accept-Encoding asks for, identity when that encoding was not worth making. */
export function pickEncoded(encoded: Encoded, request: Request): Response {
  return encoded[chooseEncoding(request.headers.get("accept-encoding"))] ?? encoded.identity;
}

/**
 * Compresses the app's text answers (the API's JSON above all) per request, as Accept-Encoding
 * asks. Hono's own compress middleware makes gzip and deflate only, streamed through
 * CompressionStream without a size threshold; brotli saves a further ~10 % of JSON and a buffered
 * answer can be measured before deciding. Answers are read whole, so streams other than event
 * streams must not pass here (the app has none).
 */
export const compression = () =>
  createMiddleware(async (c, next) => {
    await next();
    // Only reads are worth it: a command's answer (POST /api/orders' 202) is a few hundred bytes,
    // and reading it again to find that out would cost every order a copy at the busiest route.
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return;
    const response = c.res;
    if (!response.body || response.headers.has("content-encoding") || !compressible(response.headers.get("content-type"))) return;
    addVary(response.headers);
    const encoding = chooseEncoding(c.req.header("accept-encoding"));
    if (encoding === "identity") return;
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.length < MIN_COMPRESS_BYTES) {
      c.res = new Response(body, response);
      return;
    }
    const etag = response.headers.get("etag");
    c.res = new Response(await encode(body, encoding, false), response);
    c.res.headers.delete("Content-Length");
    c.res.headers.set("Content-Encoding", encoding);
    if (etag) c.res.headers.set("ETag", encodedETag(etag, encoding));
  });
