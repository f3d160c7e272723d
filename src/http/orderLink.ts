import * as v from "valibot";
import { readOrderLink } from "../orders/orderLinks.ts";
import type { Viewer } from "../orders/schemas.ts";
import { ApiError } from "./errors.ts";
import { query } from "./validation.ts";

/** `?token=`: the token of a mailed link, which opens its one order on any device. */
export const linkToken = query(v.object({ token: v.optional(v.string()) }));

/**
 * Who asks for one order: the admin; the holder of a mailed link to this order, whatever the
 * session; otherwise the session that placed it. A link that is expired, forged, or for another
 * order opens nothing: 403, its reason saying which.
 */
export function orderViewer(
  c: { get(key: "admin"): boolean; get(key: "owner"): () => string },
  { orderId, token, secret, now = Date.now() }: { orderId: string; token: string | undefined; secret: string; now?: number },
): Viewer {
  if (c.get("admin")) return { admin: true };
  if (token === undefined) return { admin: false, owner: c.get("owner")() };
  const link = readOrderLink(secret, token, now);
  if (link.ok && link.orderId === orderId) return { admin: false, order: orderId };
  if (!link.ok && link.why === "expired") {
    throw new ApiError(403, "forbidden", "this link has expired: open the order from the browser that placed it", undefined, {}, "link_expired");
  }
  throw new ApiError(403, "forbidden", "this link does not open this order", undefined, {}, "link_invalid");
}
