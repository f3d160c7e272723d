import * as v from "valibot";
import { typed } from "../orders/fields.ts";
import { Limit, ProductId } from "../orders/schemas.ts";
import { CategorySlug } from "./fields.ts";

export const PRODUCT_SORTS = ["relevance", "name", "price_asc", "price_desc", "newest"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * Where a walk through a product list stands: the last product shown, by what the list is sorted
 * on, and its id. Each sort is by a pair that a product added meanwhile does not change (its name,
 * its price, when it was listed, its relevance to the same words), so a walk never repeats or skips
 * a product however many are added.
 */
export type ProductCursor =
  | { sort: "name"; key: string; id: string }
  | { sort: "price_asc" | "price_desc"; key: number; id: string }
  /** The product's place in the order products were listed in, a bigint as PostgreSQL gives it. */
  | { sort: "newest"; key: string; id: string }
  /** [how well the product matches (0..2), its place in the order products were listed in]: see db/productSearch.ts. */
  | { sort: "relevance"; key: [number, string]; id: string };

export const encodeProductCursor = ({ sort, key, id }: ProductCursor) => Buffer.from(JSON.stringify([sort, key, id])).toString("base64url");

// What PostgreSQL's bigint holds, or the cast of a forged cursor would fail the query.
const isListed = (key: unknown) => typeof key === "string" && /^\d{1,19}$/.test(key) && BigInt(key) < 2n ** 63n;

const KEY_OF: Record<ProductSort, (key: unknown) => boolean> = {
  name: (key) => typeof key === "string" && key.length <= 1_000,
  price_asc: (key) => Number.isSafeInteger(key) && (key as number) >= 0,
  price_desc: (key) => Number.isSafeInteger(key) && (key as number) >= 0,
  newest: isListed,
  relevance: (key) => Array.isArray(key) && key.length === 2 && Number.isInteger(key[0]) && key[0] >= 0 && key[0] <= 2 && isListed(key[1]),
};

export function decodeProductCursor(cursor: string): ProductCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [sort, key, id] = parsed as [unknown, unknown, unknown];
  if (!PRODUCT_SORTS.includes(sort as ProductSort) || !KEY_OF[sort as ProductSort](key) || !v.is(ProductId, id)) return undefined;
  return { sort, key, id } as ProductCursor;
}

/** A product id as a cart holds it: no comma, no control character (the API never makes ids with either). */
const LISTED_ID = "[^,\\u0000-\\u001f\\u007f-\\u009f]{1,100}";

/** Product ids, comma-separated, as the cart asks for the products it holds. */
export const ProductIds = v.pipe(
  v.string(),
  v.regex(new RegExp(`^${LISTED_ID}(,${LISTED_ID}){0,99}$`), "ids is at most 100 comma-separated product ids"),
  v.transform((s) => s.split(",")),
  v.description("Only these products (at most 100, comma-separated): what a cart holds"),
);

/** GET /api/products. */
export const ProductSearchQuery = v.object({
  q: v.optional(v.pipe(typed("q", 100, { optional: true }), v.description("Words of a product's name or description; prefixes and near misses match"))),
  sort: v.optional(v.pipe(
    v.picklist(PRODUCT_SORTS, `sort is one of ${PRODUCT_SORTS.join(", ")}`),
    v.description("relevance (the default with q; only with q), name (the default without), price_asc, price_desc, newest"),
  )),
  cursor: v.optional(v.pipe(
    v.string(), v.maxLength(2_000), v.check((c) => decodeProductCursor(c) !== undefined, "cursor is a nextCursor this API gave"),
    v.description("A nextCursor this API gave, as it gave it, with the same q, sort and category"),
  )),
  limit: Limit(100, 24),
  ids: v.optional(ProductIds),
  category: v.optional(v.pipe(CategorySlug, v.description("Only the products of the category with this slug (GET /api/categories); one no category has is refused"))),
});
export type ProductSearchInput = v.InferOutput<typeof ProductSearchQuery>;

/** A search the query's parts make together: what each part alone cannot say. */
export type ProductSearch = { q?: string; sort: ProductSort; after?: ProductCursor; limit: number; ids?: string[]; category?: string };

export type SearchProblem = { path: string; message: string };

/** The search a valid query asks for, or what is wrong with how its parts go together. */
export function productSearch({ q, sort, cursor, limit, ids, category }: ProductSearchInput): ProductSearch | SearchProblem {
  const query = q && q.length > 0 ? q : undefined;
  const effective: ProductSort = sort ?? (query ? "relevance" : "name");
  if (effective === "relevance" && !query) return { path: "query.sort", message: "sort relevance needs q" };
  const after = cursor === undefined ? undefined : decodeProductCursor(cursor);
  if (after && after.sort !== effective) return { path: "query.cursor", message: "cursor was given for another sort" };
  return { ...(query && { q: query }), sort: effective, ...(after && { after }), limit, ...(ids && { ids }), ...(category && { category }) };
}

/** The words of `q` searched as prefixes: letters and digits only, lower case, at most 8. */
export const searchWords = (q: string) => (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
