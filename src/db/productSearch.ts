import type { Product } from "../catalog/schemas.ts";
import { encodeProductCursor, searchWords, type ProductCursor, type ProductSearch } from "../catalog/search.ts";
import type { Fragment, Sql } from "./client.ts";

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
           coalesce(array_remove(array_agg(nullif(to_tsquery('english', quote_literal(n.word))::text, '') ORDER BY n.rank), NULL), '{}') AS near
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
 * How many of the newest products a tier of relevance reads one by one before it asks the GIN
 * index instead. Each tier is listed newest first. A broad `q` ("guatemala hue", 2,480 of 100,000)
 * finds its page among the first thousand or so, in 1–2 ms; read through the GIN index, its every
 * match is fetched to be sorted, 18 ms. A rare `q` is the other way round. PostgreSQL cannot tell
 * the two apart: it guesses 125 matches for that prefix. So each tier first walks at most this many
 * products newest first, and only a `q` they do not fill the page with goes to the index, where it
 * then has fewer than one match in this many: at most a few hundred rows to fetch. A `q` of three
 * words or more goes to the index at once: every word must match, so it matches few products, and
 * the walk would only add its 2,000 rows (3 ms for a whole name) to every tier it asks.
 */
const WALK = 2_000;
const WALKED_WORDS = 2;

/**
 * The products of `tier`, newest first, from the newest WALK products (after `keyset`): a prefix
 * of the tier, since every product newer than the last one found was read. A category narrows what
 * was walked rather than what is walked: PostgreSQL would find a category's 2,000 newest by
 * reading the index of all products until it had them, 24,000 rows for a category of 8,000.
 */
function walked(sql: Sql, tier: number, match: Fragment, only: Fragment, keyset: Fragment, want: number) {
  return sql<Row[]>`
    SELECT ${COLUMNS(sql)}, ${tier}::int AS rank
    FROM (SELECT * FROM products p WHERE NOT p.archived ${keyset} ORDER BY p.listed DESC LIMIT ${WALK}) p
    WHERE ${match} ${only} ORDER BY p.listed DESC LIMIT ${want}`;
}

/**
 * The products of `tier`, newest first, through the GIN index of `match`. Sorted by `listed + 0`,
 * which no index holds: once PostgreSQL keeps one plan for every `q` of this statement, it guesses
 * a match in 200 products and walks the index of `listed` for 25 of them, and a `q` that matches
 * nothing ("axni", a typo of four letters) reads all 100,000 (73 ms, 100–200 ms under load).
 * Sorting is cheap here for the `q`s the walk leaves it, which have few matches; three common words
 * ("ethiopia natural roast") can still have thousands, each fetched to be sorted.
 */
function indexed(sql: Sql, tier: number, match: Fragment, only: Fragment, keyset: Fragment, want: number) {
  return sql<Row[]>`
    SELECT ${COLUMNS(sql)}, ${tier}::int AS rank FROM products p
    WHERE NOT p.archived AND ${match} ${only} ${keyset} ORDER BY p.listed + 0 DESC LIMIT ${want}`;
}

/**
 * Relevance: an exact name first, then the names that hold every word of `q`, then the products it
 * matches by their description, each tier newest first (see WALK). The exact names go with the
 * first read of the names, in one round trip. The description tier is asked only when the names
 * run out.
 */
async function byRelevance(sql: Sql, q: string, search: ProductSearch): Promise<Row[]> {
  const { after, limit } = search;
  const words = await queryOf(sql, q);
  const lowered = q.toLowerCase();
  const only = narrowed(sql, search);
  const from = (after?.key as [number, string] | undefined)?.[0] ?? EXACT;
  const want = limit + 1;
  const named = sql`p.name_search @@ ${words}::tsquery AND lower(p.name) <> ${lowered}`;
  const described = sql`p.search @@ ${words}::tsquery AND NOT p.name_search @@ ${words}::tsquery AND lower(p.name) <> ${lowered}`;
  const walks = searchWords(q).length <= WALKED_WORDS;
  const firstRead = walks ? walked : indexed;
  let rows: Row[] = [];
  if (from >= NAMED) {
    rows = await sql<Row[]>`
      SELECT * FROM (
        (SELECT ${COLUMNS(sql)}, ${EXACT}::int AS rank FROM products p
          WHERE NOT p.archived AND lower(p.name) = ${lowered} AND ${from >= EXACT} ${only} ${inTier(sql, EXACT, after)})
        UNION ALL
        (${firstRead(sql, NAMED, named, only, inTier(sql, NAMED, after), want)})
      ) m ORDER BY rank DESC, listed DESC LIMIT ${want}`;
    if (rows.length === want) return rows;
    if (walks) {
      const exact = rows.filter((r) => r.rank === EXACT);
      rows = [...exact, ...(await indexed(sql, NAMED, named, only, inTier(sql, NAMED, after), want - exact.length))];
      if (rows.length === want) return rows;
    }
  }
  const keyset = inTier(sql, DESCRIBED, after);
  const rest = want - rows.length;
  let more = await firstRead(sql, DESCRIBED, described, only, keyset, rest);
  if (walks && more.length < rest) more = await indexed(sql, DESCRIBED, described, only, keyset, rest);
  return [...rows, ...more];
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
