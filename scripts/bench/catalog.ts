/** The products the bench orders from, and the random carts it places. */

/**
 * Tests share this database and make products of their own (`test_…`) whose stock they count;
 * the bench leaves those alone and orders from the seeded catalog only.
 */
const isTestProduct = (id: string) => id.startsWith("test_");

export async function loadCatalog(url: string): Promise<string[]> {
  const response = await fetch(`${url}/api/products`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET /api/products answered ${response.status}`);
  const ids = ((await response.json()) as { id: string }[]).map((p) => p.id).filter((id) => !isTestProduct(id));
  if (ids.length === 0) throw new Error("GET /api/products returned no seeded product to order");
  return ids;
}

const pick = (n: number) => Math.floor(Math.random() * n);

/** 1 to 3 distinct products, 1 to 3 of each: the order body as sent. */
export function randomOrderBody(productIds: readonly string[], customer: { name: string; email: string }): string {
  const chosen = new Set<string>();
  const lines = 1 + pick(Math.min(3, productIds.length));
  while (chosen.size < lines) chosen.add(productIds[pick(productIds.length)]!);
  return JSON.stringify({ customer, items: [...chosen].map((productId) => ({ productId, quantity: 1 + pick(3) })) });
}

/**
 * Returning customers: each request carries one of a few session cookies, as browsers do, rather
 * than making the shop mint a new session for every order.
 */
export const sessionCookies = Array.from({ length: 64 }, () =>
  `sid=${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url")}`);
