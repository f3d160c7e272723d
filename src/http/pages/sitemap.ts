/** What the sitemaps protocol allows in one file: 50,000 URLs (and 50 MB, far beyond 50,000 of ours). */
export const SITEMAP_MAX_URLS = 50_000;

const NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9";
const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
/** Text in XML, as the protocol asks of a URL: its five special characters as entities. */
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The index a crawler reads first (sitemap.xml): the absolute URL of each sitemap. */
export const sitemapIndex = (sitemaps: readonly string[]) =>
  `${PROLOG}<sitemapindex xmlns="${NAMESPACE}">\n${sitemaps.map((loc) => `<sitemap><loc>${escapeXml(loc)}</loc></sitemap>\n`).join("")}</sitemapindex>\n`;

/** A sitemap's opening, its entries (streamed between the two) and its closing. */
export const URLSET_OPEN = `${PROLOG}<urlset xmlns="${NAMESPACE}">\n`;
export const urlEntry = (loc: string) => `<url><loc>${escapeXml(loc)}</loc></url>\n`;
export const URLSET_CLOSE = "</urlset>\n";

/** A sitemap of a few URLs, whole. */
export const urlset = (locs: readonly string[]) => `${URLSET_OPEN}${locs.map(urlEntry).join("")}${URLSET_CLOSE}`;

/**
 * Products go into sitemaps by the order they were listed in (migration 009's `listed`), `size`
 * numbers a page: page n holds the products listed (n-1)·size+1 … n·size that are on sale. A
 * product stays on its page for good, so a crawl that reads the pages at different times still
 * sees each product exactly once, and no page holds more than `size`.
 */
export const productSitemapCount = (lastListed: number, size: number) => Math.ceil(lastListed / size);
export const productSitemapRange = (page: number, size: number) => ({ after: (page - 1) * size, upTo: page * size });

/** What crawlers may read: the storefront, not the API, the operations page or a shopper's own pages. */
export const robotsTxt = (origin: string) => [
  "User-agent: *",
  "Allow: /",
  "Disallow: /api/",
  "Disallow: /admin",
  "Disallow: /checkout",
  "Disallow: /cart",
  // My orders only: an order's own page keeps itself out of the index with noindex to anyone who may
  // not read it, which a crawler blocked here would never see (a blocked address found in a mail
  // can still be listed by its address alone).
  "Disallow: /orders$",
  `Sitemap: ${origin}/sitemap.xml`,
  "",
].join("\n");
