import * as v from "valibot";
import { typed } from "./fields.ts";
import { Limit } from "./schemas.ts";
import { STATUSES } from "./status.ts";

/**
 * Where a walk through the admin's order list stands: the last order shown, by its creation time
 * (to the microsecond, as PostgreSQL keeps it) and id. Orders are listed newest first by that pair,
 * which never changes, so a walk never repeats or skips an order however many arrive meanwhile.
 */
export type Cursor = { createdAt: string; id: string };

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export const encodeCursor = ({ createdAt, id }: Cursor) => Buffer.from(`${createdAt}|${id}`).toString("base64url");

export function decodeCursor(cursor: string): Cursor | undefined {
  const match = CURSOR.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return undefined;
  const createdAt = match[1]!;
  // A time that exists: the shape alone lets a 13th month or a 30 February through, which PostgreSQL refuses (a 500).
  const time = Date.parse(createdAt);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 19) !== createdAt.slice(0, 19)) return undefined;
  return { createdAt, id: match[2]! };
}

const StoredStatus = v.picklist(STATUSES.filter((s) => s !== "pending"), "status is one of placed, confirmed, shipped, delivered, rejected, cancelled");

/** GET /api/admin/orders: `q` an order id prefix, an email or part of a name; newest first. */
export const OrderSearchQuery = v.object({
  q: v.optional(typed("q", 200, { optional: true })),
  status: v.optional(StoredStatus),
  cursor: v.optional(v.pipe(
    v.string(), v.maxLength(200), v.check((c) => decodeCursor(c) !== undefined, "cursor is a nextCursor this API gave"),
    v.description("A nextCursor this API gave, as it gave it"),
  )),
  limit: Limit(100, 20),
});
export type OrderSearch = v.InferOutput<typeof OrderSearchQuery>;

/** The lowest and highest uuid that start with `prefix` (hex digits, dashes anywhere), if it is one. */
export function idRange(prefix: string): [string, string] | undefined {
  const hex = prefix.replaceAll("-", "").toLowerCase();
  if (!/^[0-9a-f]{1,32}$/.test(hex)) return undefined;
  const asUuid = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return [asUuid(hex.padEnd(32, "0")), asUuid(hex.padEnd(32, "f"))];
}

/** The words of `q` that name search can match as prefixes: letters and digits only, at most 8. */
export const nameWords = (q: string) => (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
