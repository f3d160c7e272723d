import { expect } from "bun:test";

export type ListedProduct = { id: string; name: string; priceCents: number; categoryId: string | null };
export type ProductPage = { items: ListedProduct[]; nextCursor: string | null };

/**
 * A word no other product has, nor one near it: letters only, so full text takes it as one word,
 * and twelve of sixteen letters, so two of them share too few trigrams to be taken for a typo.
 */
export const uniqueWord = () => `zq${[...crypto.randomUUID().replaceAll("-", "").slice(0, 12)].map((c) => "ghijklmnopqrstuv"[parseInt(c, 16)]).join("")}`;

/** GET /api/products of the shop at `url`, which must answer 200. */
export async function productPage(url: string, params: Record<string, string>): Promise<ProductPage> {
  const response = await fetch(`${url}/api/products?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** Every page of a search, following nextCursor; `between` runs before each next page is asked. */
export async function walkPages(url: string, params: Record<string, string>, between: () => Promise<void> = async () => {}): Promise<ListedProduct[]> {
  const seen: ListedProduct[] = [];
  for (let cursor: string | null | undefined, pages = 0; cursor !== null; pages++) {
    expect(pages).toBeLessThan(100);
    const next = await productPage(url, { ...params, ...(cursor ? { cursor } : {}) });
    seen.push(...next.items);
    cursor = next.nextCursor;
    if (cursor) await between();
  }
  return seen;
}
