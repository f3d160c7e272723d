import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors.ts";

/**
 * Refuses requests whose headers pass `maxBytes` with the contract's 431 envelope. Bun's own parser
 * stops far larger ones (the binary sets --max-http-header-size, see scripts/build.ts) before any
 * code runs, with a bare 431 and a closed connection: what RFC 6585 advises for an attack's size.
 */
export const headerLimit = (maxBytes: number) =>
  createMiddleware(async (c, next) => {
    let bytes = 0;
    // Name, ": ", value and CRLF, as they were on the wire.
    c.req.raw.headers.forEach((value, name) => { bytes += name.length + value.length + 4; });
    if (bytes > maxBytes) {
      c.header("Connection", "close");
      throw new ApiError(431, "headers_too_large", `the request's headers are larger than ${maxBytes / 1024} KiB`);
    }
    await next();
  });
