/** The products the bench orders from, and the random carts it places. */

/**
 * Tests share this database and make products of their own (`test_…`) whose stock they count;
 * the bench leaves those alone and orders from the seeded catalog only.
 */
const isTestProduct = (id: string) => id.startsWith("test_");

/** Enough products for carts that rarely meet: a catalog of 100,000 is not read whole. */
const WANTED = 1_000;

export async function loadCatalog(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = ""; cursor !== null && ids.length < WANTED;) {
    const response = await fetch(`${url}/api/products?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`GET /api/products answered ${response.status}`);
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((p) => p.id).filter((id) => !isTestProduct(id)));
    cursor = page.nextCursor;
  }
  if (ids.length === 0) throw new Error("GET /api/products returned no seeded product to order");
  return ids;
}

const pick = (n: number) => Math.floor(Math.random() * n);

/** 1 to 3 distinct products, 1 to 3 of each: the order body as sent. */
export function randomOrderBody(productIds: readonly string[], customer: { name: string; email: string }): string {
  const chosen = new Set<string>();
  const lines = 1 + pick(Math.min(3, productIds.length));
  while (chosen.size < lines) chosen.add(productIds[pick(productIds.length)]!);
  return JSON.stringify({ customer, shippingAddress: { name: customer.name, line1: `${1 + pick(200)} Market Street`, city: "Springfield", postalCode: String(10_000 + pick(89_999)), country: "US" }, items: [...chosen].map((productId) => ({ productId, quantity: 1 + pick(3) })) });
}

/**
 * Returning customers: each request carries one of a few session cookies, as browsers do, rather
 * than making the shop mint a new session for every order. The shop signs its sessions and
 * replaces any other, so they are asked of it (openSessions) before the load starts.
 */
export const sessionCookies: string[] = [];

export async function openSessions(url: string, count = 64): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/api/products`, { signal: AbortSignal.timeout(5_000) });
    await response.body?.cancel();
    const cookie = response.headers.get("set-cookie")?.split(";")[0];
    if (!cookie) throw new Error("GET /api/products set no session cookie");
    sessionCookies.push(cookie);
  }
}

/**
 * A load test from one address measures the limiter, not the pipeline, unless the shop was
 * started with RATE_LIMITS=off; the shop says which in its metrics.
 */
export async function rateLimitsOff(url: string): Promise<boolean> {
  const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
  return /^shop_rate_limits_enabled 0$/m.test(await response.text());
}
