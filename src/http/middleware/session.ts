import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { ownerOf } from "../../orders/ids.ts";

const COOKIE = "sid";
const VALID_SID = /^[A-Za-z0-9_-]{43}$/;

const newSessionId = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");

/**
 * Anonymous sessions: the first response sets a random 256-bit `sid` cookie; orders are owned by
 * a hash of it, so neither the database nor Kafka ever holds the cookie itself.
 */
export const session = () =>
  createMiddleware<{ Variables: { owner: () => string } }>(async (c, next) => {
    let sid = getCookie(c, COOKIE);
    if (!sid || !VALID_SID.test(sid)) {
      sid = newSessionId();
      setCookie(c, COOKIE, sid, { httpOnly: true, sameSite: "Lax", path: "/", maxAge: 60 * 60 * 24 * 365 });
    }
    // Hashed only when a route needs it: most requests (the catalog) never do.
    let owner: string | undefined;
    const id = sid;
    c.set("owner", () => (owner ??= ownerOf(id)));
    await next();
  });
