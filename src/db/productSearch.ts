import type { Product } from "../catalog/schemas.ts";
import { encodeProductCursor, prefixQuery, type ProductCursor, type ProductSearch } from "../catalog/search.ts";
import type { Sql } from "./client.ts";

export type ProductPage = { items: Product[]; nextCursor: string | null };

type Row = Product & { listed: string; rank: number | null };

/** The cursor after `row` in a list sorted by `sort`. */
function cursorAfter(sort: ProductSearch["sort"], row: Row): ProductCursor {
  switch (sort) {
    case "name": return { sort, key: row.name, id: row.id };
    case "price_asc": case "price_desc": return { sort, key: row.priceCents, id: row.id };
    case "newest": return { sort, key: row.listed, id: row.id };
    case "relevance": return { sort, key: row.rank!, id: row.id };
  }
}

/**
 * A page of the products on sale, read through migration 009's indexes, one more than asked to
 * know whether it is the last. With `q`, a product matches when each word of `q` starts a word of its
 * name or description (full text, English stems), or when its name is near `q` by trigrams, whole
 * ("asam brekfast") or word by word ("lapsnag"). Relevance puts an exact name first, then the
 * full-text rank (the name weighs more than the description) plus the name's closeness to `q`,
 * word by word and whole.
 */
export async function searchProducts(sql: Sql, { q, sort, after, limit, ids }: ProductSearch): Promise<ProductPage> {
  const lowered = q?.toLowerCase();
  const words = q === undefined ? null : prefixQuery(q);
  const matches = lowered === undefined ? sql`` : sql`
    AND (p.search @@ to_tsquery('english', ${words}) OR lower(p.name) % ${lowered} OR ${lowered} <% lower(p.name))`;
  const rank = lowered === undefined ? sql`NULL::float8` : sql`(
    CASE WHEN lower(p.name) = ${lowered} THEN 2 ELSE 0 END
    + coalesce(ts_rank(p.search, to_tsquery('english', ${words})), 0)
    + word_similarity(${lowered}, lower(p.name)) + similarity(${lowered}, lower(p.name)))::float8`;
  const only = ids === undefined ? sql`` : sql`AND p.id = ANY(${ids})`;

  let keyset = sql``;
  let order;
  switch (sort) {
    case "name":
      if (after) keyset = sql`AND (m.name, m.id) > (${after.key as string}, ${after.id})`;
      order = sql`ORDER BY m.name, m.id`;
      break;
    case "price_asc":
      if (after) keyset = sql`AND (m."priceCents", m.id) > (${after.key as number}::int, ${after.id})`;
      order = sql`ORDER BY m."priceCents", m.id`;
      break;
    case "price_desc":
      if (after) keyset = sql`AND (m."priceCents", m.id) < (${after.key as number}::int, ${after.id})`;
      order = sql`ORDER BY m."priceCents" DESC, m.id DESC`;
      break;
    case "newest":
      if (after) keyset = sql`AND m.listed < ${after.key as string}::bigint`;
      order = sql`ORDER BY m.listed DESC`;
      break;
    case "relevance":
      if (after) keyset = sql`AND (m.rank < ${after.key as number}::float8 OR (m.rank = ${after.key as number}::float8 AND m.id > ${after.id}))`;
      order = sql`ORDER BY m.rank DESC, m.id`;
      break;
  }

  const rows = await sql<Row[]>`
    SELECT * FROM (
      SELECT p.id, p.sku, p.name, p.description, p.price_cents AS "priceCents", p.currency, p.stock,
             p.image_url AS "imageUrl", p.archived, p.listed, ${rank} AS rank
      FROM products p
      WHERE NOT p.archived ${matches} ${only}
    ) m
    WHERE true ${keyset}
    ${order}
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ listed: _listed, rank: _rank, ...product }) => product),
    nextCursor: rows.length > limit && last ? encodeProductCursor(cursorAfter(sort, last)) : null,
  };
}
