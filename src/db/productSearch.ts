import type { Product } from "../catalog/schemas.ts";
import { encodeProductCursor, searchWords, type ProductCursor, type ProductSearch } from "../catalog/search.ts";
import type { Sql } from "./client.ts";

export type ProductPage = { items: Product[]; nextCursor: string | null };

type Row = Product & { listed: string; rank: number };

/** The cursor after `row` in a list sorted by `sort`. */
function cursorAfter(sort: ProductSearch["sort"], row: Row): ProductCursor {
  switch (sort) {
    case "name": return { sort, key: row.name, id: row.id };
    case "price_asc": case "price_desc": return { sort, key: row.priceCents, id: row.id };
    case "newest": return { sort, key: row.listed, id: row.id };
    case "relevance": return { sort, key: [row.rank, row.listed], id: row.id };
  }
}

/** How many words of the catalog a word of `q` may stand for besides its own prefix. */
const NEAR_WORDS = 3;

/**
 * The tsquery `q` asks for, as text: each of its words stemmed and as typed (PostgreSQL's parser
 * reads a lone "6e15b4" as a number and a word, where a name's "search-6e15b4" keeps it whole), or
 * any of the few words of product names nearest it by trigrams ("brekfast" → breakfast); every
 * word of `q` required. The last word is the one being typed, so it matches as a prefix ("assam
 * brea"); the words before it are whole, which also keeps a long query cheap: a prefix as common
 * as "lot" makes the GIN index gather every product's entry, 20 ms for a name typed out in full.
 * Only letters and digits of `q` reach the query text, and the names' words go in quoted, so no
 * `q` and no name can be tsquery syntax.
 */
async function queryOf(sql: Sql, q: string): Promise<string | null> {
  const words = searchWords(q);
  if (words.length === 0) return null;
  const rows = await sql<{ word: string; typing: boolean; stem: string | null; near: string[] }[]>`
    SELECT t.word, t.at = ${words.length} AS typing,
           nullif(to_tsquery('english', t.word || CASE WHEN t.at = ${words.length} THEN ':*' ELSE '' END)::text, '') AS stem,
           coalesce(array_agg(nullif(to_tsquery('english', quote_literal(n.word))::text, '') ORDER BY n.rank) FILTER (WHERE n.word IS NOT NULL), '{}') AS near
    FROM unnest(${words}::text[]) WITH ORDINALITY AS t(word, at)
    LEFT JOIN LATERAL (
      SELECT w.word, row_number() OVER (ORDER BY similarity(w.word, t.word) DESC, w.word) AS rank
      FROM product_words w WHERE length(t.word) >= 3 AND w.word % t.word AND w.word <> t.word
      ORDER BY similarity(w.word, t.word) DESC, w.word LIMIT ${NEAR_WORDS}
    ) n ON true
    GROUP BY t.word, t.at ORDER BY t.at`;
  return rows.map(({ word, typing, stem, near }) => {
    const either = new Set([stem, `'${word}'${typing ? ":*" : ""}`, ...near].filter((x) => x));
    return `(${[...either].map((x) => `(${x})`).join(" | ")})`;
  }).join(" & ");
}

const COLUMNS = (sql: Sql) => sql`p.id, p.sku, p.slug, p.name, p.description, p.price_cents AS "priceCents", p.currency, p.stock,
  p.image_url AS "imageUrl", p.archived, p.category_id AS "categoryId", p.listed`;

/** What narrows any search: a cart's ids, a category. */
function narrowed(sql: Sql, { ids, category }: ProductSearch) {
  const only = ids === undefined ? sql`` : sql`AND p.id = ANY(${ids})`;
  // A slug no category has matches nothing; catalogCache.ts tells that from an empty category.
  const inCategory = category === undefined ? sql`` : sql`AND p.category_id = (SELECT id FROM categories WHERE slug = ${category})`;
  return sql`${only} ${inCategory}`;
}

/** How well a product matches `q`, the first key of the relevance order. */
const EXACT = 2;
const NAMED = 1;
const DESCRIBED = 0;

/** The cursor's keyset within the tier `rank`: the whole tier below the cursor's, none above it. */
function inTier(sql: Sql, rank: number, after: ProductCursor | undefined) {
  if (!after) return sql``;
  const [at, listed] = after.key as [number, string];
  return rank === at ? sql`AND p.listed < ${listed}::bigint` : sql``;
}

/**
 * Relevance: an exact name first, then the names that hold every word of `q`, then the products it
 * matches by their description, each tier newest first. Each tier is its own query, read newest
 * first through an index: a broad word ("tea") walks a few hundred rows of the index of when
 * products were listed, a rare one reads its few matches through a GIN index, where one query over
 * every match sorted them all (100 ms for a word 56,000 of 100,000 products hold). The products
 * were listed in no order of their words, so the planner's guess that matches are spread evenly
 * holds, as it would not in name order (most names start with their origin). The description tier
 * is asked only when the names run out: its "and not in the name" defeats the planner's estimate.
 */
async function byRelevance(sql: Sql, q: string, search: ProductSearch): Promise<Row[]> {
  const { after, limit } = search;
  const words = await queryOf(sql, q);
  const lowered = q.toLowerCase();
  const only = narrowed(sql, search);
  const from = (after?.key as [number, string] | undefined)?.[0] ?? EXACT;
  const want = limit + 1;
  const rows = from < NAMED ? [] : await sql<Row[]>`
    SELECT * FROM (
      (SELECT ${COLUMNS(sql)}, ${EXACT}::int AS rank FROM products p
        WHERE NOT p.archived AND lower(p.name) = ${lowered} AND ${from >= EXACT} ${only} ${inTier(sql, EXACT, after)})
      UNION ALL
      (SELECT ${COLUMNS(sql)}, ${NAMED}::int FROM products p
        WHERE NOT p.archived AND p.name_search @@ ${words}::tsquery AND lower(p.name) <> ${lowered} ${only} ${inTier(sql, NAMED, after)}
        ORDER BY p.listed DESC LIMIT ${want})
    ) m ORDER BY rank DESC, listed DESC LIMIT ${want}`;
  if (rows.length === want) return rows;
  const described = await sql<Row[]>`
    SELECT ${COLUMNS(sql)}, ${DESCRIBED}::int AS rank FROM products p
    WHERE NOT p.archived AND p.search @@ ${words}::tsquery AND NOT p.name_search @@ ${words}::tsquery AND lower(p.name) <> ${lowered}
      ${only} ${inTier(sql, DESCRIBED, after)}
    ORDER BY p.listed DESC LIMIT ${want - rows.length}`;
  return [...rows, ...described];
}

/** Any other order, with or without `q`: one query through the order's index. */
async function inOrder(sql: Sql, search: ProductSearch): Promise<Row[]> {
  const { q, sort, after, limit } = search;
  const matches = q === undefined ? sql`` : sql`AND p.search @@ ${await queryOf(sql, q)}::tsquery`;
  const only = narrowed(sql, search);
  let keyset = sql``;
  let order;
  switch (sort) {
    case "name":
      if (after) keyset = sql`AND (p.name, p.id) > (${after.key as string}, ${after.id})`;
      order = sql`ORDER BY p.name, p.id`;
      break;
    case "price_asc":
      if (after) keyset = sql`AND (p.price_cents, p.id) > (${after.key as number}::int, ${after.id})`;
      order = sql`ORDER BY p.price_cents, p.id`;
      break;
    case "price_desc":
      if (after) keyset = sql`AND (p.price_cents, p.id) < (${after.key as number}::int, ${after.id})`;
      order = sql`ORDER BY p.price_cents DESC, p.id DESC`;
      break;
    case "newest":
    case "relevance":
      if (after) keyset = sql`AND p.listed < ${after.key as string}::bigint`;
      order = sql`ORDER BY p.listed DESC`;
      break;
  }
  return sql<Row[]>`
    SELECT ${COLUMNS(sql)}, 0 AS rank FROM products p
    WHERE NOT p.archived ${matches} ${only} ${keyset}
    ${order}
    LIMIT ${limit + 1}`;
}

/**
 * A page of the products on sale, read through migration 009's indexes, one more than asked to
 * know whether it is the last. With `q`, a product matches when each word of `q` starts a word of
 * its name or description, or is near a word of a product's name (full text, English stems; see
 * queryOf).
 */
export async function searchProducts(sql: Sql, search: ProductSearch): Promise<ProductPage> {
  const rows = search.sort === "relevance" && search.q !== undefined ? await byRelevance(sql, search.q, search) : await inOrder(sql, search);
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ listed: _listed, rank: _rank, ...product }) => product),
    nextCursor: rows.length > search.limit && last ? encodeProductCursor(cursorAfter(search.sort, last)) : null,
  };
}
