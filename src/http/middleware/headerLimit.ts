import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors.ts";

/** The headers' size as they were on the wire: name, ": ", value and CRLF each. */
export function headerBytes(headers: Headers): number {
  let bytes = 0;
  headers.forEach((value, name) => { bytes += name.length + value.length + 4; });
  return bytes;
}

/**
 * Refuses requests whose headers pass `maxBytes` with the contract's 431 envelope. Bun's own parser
 * stops far larger ones (the binary sets --max-http-header-size, see scripts/build.ts) before any
 * code runs, with a bare 431 and a closed connection: what RFC 6585 advises for an attack's size.
 */
export const headerLimit = (maxBytes: number) =>
  createMiddleware(async (c, next) => {
    if (headerBytes(c.req.raw.headers) > maxBytes) {
      c.header("Connection", "close");
      throw new ApiError(431, "headers_too_large", `the request's headers are larger than ${maxBytes / 1024} KiB`);
    }
    await next();
  });
