import { createHmac, timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import { ownerOf } from "../../orders/ids.ts";
import type { Client } from "./client.ts";

const ONE_YEAR = 60 * 60 * 24 * 365;
/** 256 random bits, then a 128-bit HMAC of them, both base64url. */
const SID_SHAPE = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/;
/** Sessions whose signature is remembered as checked; past this, the memory starts again. */
const MAX_VERIFIED = 10_000;

/** Over https the cookie is Secure and `__Host-` prefixed: no other origin, nor plain http, can set it. */
const cookieName = (https: boolean) => (https ? "__Host-sid" : "sid");

export type Sessions = {
  /** The session the request's cookie names, if this shop signed it. */
  read(cookieHeader: string | null | undefined, https: boolean): string | undefined;
  /** A new session and the Set-Cookie value that hands it to the browser. */
  issue(https: boolean): { sid: string; setCookie: string };
};

/**
 * Sessions signed with a secret every instance shares (settings.session_secret): a sid the shop
 * never issued, whatever its shape, is refused and replaced, so nobody can fix a victim's session
 * to one they chose.
 */
export function sessions(secret: string): Sessions {
  const mac = (random: string) => createHmac("sha256", secret).update(random).digest().subarray(0, 16).toString("base64url");
  // A signature once checked stays good (the secret is fixed for the app's life): remembering it
  // spares an HMAC per request, which was over 1 % of the shop's CPU under load. Bounded, as any
  // client may send a fresh session on every request.
  const verified = new Set<string>();
  return {
    read(cookieHeader, https) {
      if (!cookieHeader) return undefined;
      const name = cookieName(https);
      for (const pair of cookieHeader.split(";")) {
        const eq = pair.indexOf("=");
        if (pair.slice(0, eq).trim() !== name) continue;
        const sid = pair.slice(eq + 1).trim();
        if (verified.has(sid)) return sid;
        const parts = SID_SHAPE.exec(sid);
        if (parts && timingSafeEqual(Buffer.from(mac(parts[1]!)), Buffer.from(parts[2]!))) {
          if (verified.size >= MAX_VERIFIED) verified.clear();
          verified.add(sid);
          return sid;
        }
      }
      return undefined;
    },
    issue(https) {
      const random = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url");
      const sid = `${random}.${mac(random)}`;
      const secure = https ? "; Secure" : "";
      return { sid, setCookie: `${cookieName(https)}=${sid}; Max-Age=${ONE_YEAR}; Path=/; HttpOnly; SameSite=Lax${secure}` };
    },
  };
}

/**
 * Anonymous sessions: the first response sets the cookie (the storefront's pages do the same, see
 * storefront.ts); orders are owned by a hash of it, so neither the database nor Kafka ever holds
 * the cookie itself.
 */
export const session = (issuer: Sessions) =>
  createMiddleware<{ Variables: { session: string; owner: () => string; client: Client } }>(async (c, next) => {
    const https = c.get("client").https;
    let sid = issuer.read(c.req.header("cookie"), https);
    if (!sid) {
      const fresh = issuer.issue(https);
      sid = fresh.sid;
      c.header("Set-Cookie", fresh.setCookie, { append: true });
    }
    // Hashed only when a route needs it: most requests (the catalog) never do.
    let owner: string | undefined;
    const id = sid;
    c.set("session", id);
    c.set("owner", () => (owner ??= ownerOf(id)));
    await next();
  });
