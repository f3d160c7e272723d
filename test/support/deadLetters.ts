import type { DeadLetter } from "../../src/operations/schemas.ts";
import { sql } from "./db.ts";
import { jsonMessage } from "../../src/kafka/message.ts";
import { envelope } from "../../src/orders/envelope.ts";
import { produce, topics } from "./kafka.ts";

/**
 * A well-formed OrderPlaced for an order the database does not have: the event consumer
 * dead-letters it ("OrderPlaced for an order that does not exist") until the order is there.
 */
export async function orderPlacedForMissingOrder() {
  const orderId = crypto.randomUUID();
  const { value, headers } = jsonMessage(topics.placed, orderId, envelope("OrderPlaced", orderId, {
    items: [{ productId: "prd_house-espresso", quantity: 1, unitPriceCents: 1800 }], totalCents: 1800, currency: "USD",
  }), { "correlation-id": `admin-test-${orderId}` });
  await produce(topics.placed, [{ key: orderId, value, headers }]);
  return { orderId, value, headers };
}

/** The cause fixed: the order exists now, placed, as the command consumer would have stored it. */
export async function storePlacedOrder(orderId: string) {
  await sql`INSERT INTO orders (id, status, customer_name, customer_email, total_cents, currency, created_at, updated_at)
            VALUES (${orderId}, 'placed', 'Ada Lovelace', 'ada@example.com', 1800, 'USD', now(), now())`;
}

/** Asks the admin API until a dead letter with `key` (and not one of `except`) is listed. */
export async function deadLetterFor(url: string, token: string, key: string, except: string[] = [], timeoutMs = 30_000): Promise<DeadLetter> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/api/admin/dead-letters?limit=200`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET /api/admin/dead-letters: ${response.status} ${await response.text()}`);
    const found = (await response.json() as DeadLetter[]).find((d) => d.key === key && !except.includes(d.id));
    if (found) return found;
    if (Date.now() > until) throw new Error(`no dead letter with key ${key} within ${timeoutMs} ms`);
    await Bun.sleep(100);
  }
}
