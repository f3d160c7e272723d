import { documentTitle } from "../../../public/components/Page.tsx";
import type { Product } from "../../catalog/schemas.ts";

export const SHOP_NAME = "Ember & Leaf";
/** Search engines show about this much of a description. */
const DESCRIPTION_LENGTH = 160;

/** What a server-rendered page says about itself in its head. URLs absolute, as search engines and link previews want them. */
export type PageHead = {
  /** The page's own title; the document's is it followed by the shop's name. */
  title: string;
  description: string;
  canonical: string;
  type: "website" | "product";
  image?: string;
  /** Search results: followed, not indexed (they are endless and thin). */
  noindex?: boolean;
  /** schema.org structured data, as JSON-LD. */
  structured?: object;
};

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Text for an HTML attribute or element: nothing in it can end either. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * JSON inside a <script> element: `<`, `>` and `&` as \u escapes, so no value (a product named
 * `</script><script>…`) can end the element or open a comment, and U+2028/2029 escaped for older
 * parsers. JSON.parse reads it back unchanged.
 */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** The first sentence or words of `text` that fit a search result's snippet, whitespace collapsed. */
export function snippet(text: string, max = DESCRIPTION_LENGTH): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

/** The head's tags for a page: title, description, canonical link, Open Graph, robots and JSON-LD. */
export function headTags(head: PageHead): string {
  const meta = (attribute: "name" | "property", key: string, content: string) => `<meta ${attribute}="${key}" content="${escapeHtml(content)}" />`;
  const title = documentTitle(head.title);
  return [
    `<title>${escapeHtml(title)}</title>`,
    meta("name", "description", head.description),
    `<link rel="canonical" href="${escapeHtml(head.canonical)}" />`,
    ...(head.noindex ? [meta("name", "robots", "noindex, follow")] : []),
    meta("property", "og:site_name", SHOP_NAME),
    meta("property", "og:type", head.type),
    meta("property", "og:title", head.title),
    meta("property", "og:description", head.description),
    meta("property", "og:url", head.canonical),
    ...(head.image ? [meta("property", "og:image", head.image)] : []),
    ...(head.structured ? [`<script type="application/ld+json">${scriptJson(head.structured)}</script>`] : []),
  ].join("\n    ");
}

/** A price in cents as schema.org wants it: a decimal string in the currency's unit. */
const decimal = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/** schema.org Product with its offer, for a product page at `url`; `origin` makes its image absolute. */
export function productStructuredData(product: Product, url: string, origin: string, category?: string): object {
  return {
    "@context": "https://schema.org",
    "@type": "Product",
    name: product.name,
    ...(category && { category }),
    description: product.description,
    sku: product.sku,
    image: new URL(product.imageUrl, origin).href,
    url,
    offers: {
      "@type": "Offer",
      url,
      price: decimal(product.priceCents),
      priceCurrency: product.currency,
      availability: product.stock > 0 ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
    },
  };
}
