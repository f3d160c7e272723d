import { createMiddleware } from "hono/factory";
import { ownerOf } from "../../orders/ids.ts";

const VALID_SID = /^[A-Za-z0-9_-]{43}$/;
const SID_IN_COOKIES = /(?:^|;\s*)sid=([^;]*)/;
const ONE_YEAR = 60 * 60 * 24 * 365;

/** The session id the browser sent, if it is one this shop could have issued. */
export function sessionOf(cookieHeader: string | null | undefined): string | undefined {
  const sid = cookieHeader ? SID_IN_COOKIES.exec(cookieHeader)?.[1] : undefined;
  return sid && VALID_SID.test(sid) ? sid : undefined;
}

/** A new random 256-bit session, and the Set-Cookie value that hands it to the browser. */
export function newSession(): { sid: string; setCookie: string } {
  const sid = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
  return { sid, setCookie: `sid=${sid}; Max-Age=${ONE_YEAR}; Path=/; HttpOnly; SameSite=Lax` };
}

/**
 * Anonymous sessions: the first response sets a random `sid` cookie (the storefront's pages do the
 * same, see storefront.ts); orders are owned by a hash of it, so neither the database nor Kafka ever
 * holds the cookie itself.
 */
export const session = () =>
  createMiddleware<{ Variables: { owner: () => string } }>(async (c, next) => {
    let sid = sessionOf(c.req.header("cookie"));
    if (!sid) {
      const fresh = newSession();
      sid = fresh.sid;
      c.header("Set-Cookie", fresh.setCookie, { append: true });
    }
    // Hashed only when a route needs it: most requests (the catalog) never do.
    let owner: string | undefined;
    const id = sid;
    c.set("owner", () => (owner ??= ownerOf(id)));
    await next();
  });
