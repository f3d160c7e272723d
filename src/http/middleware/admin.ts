import { timingSafeEqual } from "node:crypto";
import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors.ts";

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` makes the caller admin; any other Authorization is refused.
 * Not hono/bearer-auth: it refuses a missing header, where ours means a customer, answers a
 * malformed one 400, where the contract says 401, and accepts only token68 characters.
 */
export const admin = (token: string | undefined) =>
  createMiddleware<{ Variables: { admin: boolean } }>(async (c, next) => {
    const header = c.req.header("authorization");
    if (header === undefined) {
      c.set("admin", false);
      return next();
    }
    // The scheme is case-insensitive and followed by one or more spaces (RFC 9110, 11.4); the token is not.
    const presented = /^Bearer +(\S+)$/i.exec(header)?.[1];
    if (!token || !presented || !sameSecret(presented, token)) {
      throw new ApiError(401, "unauthorized", "the Authorization header does not carry the admin token");
    }
    c.set("admin", true);
    await next();
  });
