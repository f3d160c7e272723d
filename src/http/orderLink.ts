import * as v from "valibot";
import { readOrderLink } from "../orders/orderLinks.ts";
import type { Viewer } from "../orders/schemas.ts";
import { ApiError } from "./errors.ts";
import { query } from "./validation.ts";

/** `?token=`: the token of a mailed link, which opens its one order on any device. */
export const linkToken = query(v.object({ token: v.optional(v.string()) }));

type Asked = { orderId: string; token: string | undefined; secret: string; now?: number };

/**
 * Who asks for one order, the admin aside: the holder of a mailed link to this order, whatever the
 * session; otherwise the session that placed it (`owner`). A link that is expired, forged, or for
 * another order opens nothing: the reason says which.
 */
export function customerViewer(owner: () => string, { orderId, token, secret, now = Date.now() }: Asked): Viewer | "link_expired" | "link_invalid" {
  if (token === undefined) return { admin: false, owner: owner() };
  const link = readOrderLink(secret, token, now);
  if (link.ok && link.orderId === orderId) return { admin: false, order: orderId };
  return !link.ok && link.why === "expired" ? "link_expired" : "link_invalid";
}

/** Who asks the API for one order: the admin, or a customer as customerViewer says; a link that opens nothing is a 403. */
export function orderViewer(c: { get(key: "admin"): boolean; get(key: "owner"): () => string }, asked: Asked): Viewer {
  if (c.get("admin")) return { admin: true };
  const viewer = customerViewer(c.get("owner"), asked);
  if (viewer === "link_expired") {
    throw new ApiError(403, "forbidden", "this link has expired: open the order from the browser that placed it", undefined, {}, "link_expired");
  }
  if (viewer === "link_invalid") throw new ApiError(403, "forbidden", "this link does not open this order", undefined, {}, "link_invalid");
  return viewer;
}
