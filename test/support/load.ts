import { shippingAddress } from "./http.ts";
import { createProduct, sql, type Sql } from "./db.ts";

export type Cart = { productId: string; quantity: number }[];

export type LoadResult = {
  accepted: string[];
  /** Answers by status code, and `network` for requests that got no answer. */
  answers: Record<string, number>;
};

/** Products of the test's own, in the run's database or `db`, with the stock each started with. */
export async function createProducts(count: number, stock: number, db: Sql = sql): Promise<Map<string, number>> {
  const ids = await Promise.all(Array.from({ length: count }, () => createProduct({ stock, db })));
  return new Map(ids.map((id) => [id, stock]));
}

export function randomCart(productIds: string[]): Cart {
  const picks = [...productIds].sort(() => Math.random() - 0.5).slice(0, 1 + Math.floor(Math.random() * Math.min(3, productIds.length)));
  return picks.map((productId) => ({ productId, quantity: 1 + Math.floor(Math.random() * 3) }));
}

/**
 * Places orders with `concurrency` requests in flight until `count` were accepted or `deadline`
 * passes, spreading them over `urls()` (which may change while it runs, as instances come and go).
 */
export async function placeOrders({ urls, count, concurrency, cart, deadline, perSecond = Infinity }: {
  urls: () => string[]; count: number; concurrency: number; cart: () => Cart; deadline: number; perSecond?: number;
}): Promise<LoadResult> {
  const accepted: string[] = [];
  const answers: Record<string, number> = {};
  const started = Date.now();
  let sent = 0;
  const worker = async () => {
    while (accepted.length < count && Date.now() < deadline) {
      const due = started + (sent / perSecond) * 1000;
      if (due > Date.now()) await Bun.sleep(due - Date.now());
      const targets = urls();
      const url = targets[sent++ % targets.length]!;
      try {
        const response = await fetch(`${url}/api/orders`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ customer: { name: "Load Test", email: "load@example.com" }, shippingAddress, items: cart() }),
          signal: AbortSignal.timeout(15_000),
        });
        answers[response.status] = (answers[response.status] ?? 0) + 1;
        if (response.status === 202) accepted.push((await response.json()).id);
        else await response.arrayBuffer();
      } catch {
        answers.network = (answers.network ?? 0) + 1;
        await Bun.sleep(20);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { accepted, answers };
}
