import type { Tx } from "../db/client.ts";
import { findOutcomes, insertOrders, notifyStatusChanges, type StoredOutcome } from "../db/orders.ts";
import { lockCatalog, takeStock } from "../db/products.ts";
import { correlationOf, type Handler, type Item } from "../kafka/message.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { traceparentOf, tracedBy } from "../tracing/spans.ts";
import type { PlaceOrderEnvelope } from "../orders/envelope.ts";
import { decidePlacements, type Placement } from "../orders/placement.ts";
import { outcomeEvent, type Outcome } from "./events.ts";

type Deps = { log: Logger; metrics: Metrics };

function storedOutcome(o: StoredOutcome): Outcome {
  if (o.status === "rejected") return { orderId: o.id, status: "rejected", reason: o.reason!, at: o.updatedAt };
  // An order placed, whatever followed (confirmed, shipped, cancelled): its OrderPlaced is republished
  // as it was, at placed_at, where updated_at has moved on with each later step.
  return { orderId: o.id, status: "placed", items: o.items, totalCents: o.totalCents, currency: o.currency, at: o.placedAt ?? o.updatedAt };
}

/** The command's own time (decoding made sure it is one), unless a producer's clock put it in the future. */
const acceptedAt = (occurredAt: string, now: Date) => new Date(Math.min(Date.parse(occurredAt), now.getTime()));

function newOutcome(p: Placement, at: Date): Outcome {
  return p.status === "placed"
    ? { orderId: p.orderId, status: "placed", items: p.items, totalCents: p.totalCents, currency: p.currency, at }
    : { orderId: p.orderId, status: "rejected", reason: p.reason, at };
}

/**
 * PlaceOrder → for the whole batch at once: new orders are inserted, their stock taken and their
 * status announced; orders already stored (a redelivery, a repeated Idempotency-Key) are left
 * as they are. Every order's outcome is returned for publishing, the stored one for repeats, so a
 * crash between the commit and the publish is repaired by the redelivery that follows it.
 */
export function placeOrders({ log, metrics }: Deps): Handler<PlaceOrderEnvelope, Tx> {
  return async (tx, items) => {
    const firstByOrder = new Map<string, Item<PlaceOrderEnvelope>>();
    for (const item of items) if (!firstByOrder.has(item.value.orderId)) firstByOrder.set(item.value.orderId, item);
    const orderIds = [...firstByOrder.keys()];
    const productIds = [...new Set(items.flatMap((i) => i.value.data.items.map((x) => x.productId)))];
    const at = new Date();

    // Each group of statements below goes out at once: a batch waits for three round trips, not nine.
    const [catalog, stored] = await Promise.all([lockCatalog(tx, productIds), findOutcomes(tx, orderIds)]);
    const fresh = orderIds.filter((id) => !stored.has(id)).map((id) => firstByOrder.get(id)!.value);
    const { placements, reserved, movements } = decidePlacements(fresh.map((e) => ({ orderId: e.orderId, data: e.data })), catalog);
    const newOrders = placements.map((p) => {
      const item = firstByOrder.get(p.orderId)!;
      return {
        ...p, customer: item.value.data.customer, owner: item.value.data.owner, correlationId: correlationOf(item.message),
        acceptedAt: acceptedAt(item.value.occurredAt, at), traceParent: traceparentOf(item.message.headers),
      };
    });
    const changes = placements.map((p) => ({
      id: p.orderId, status: p.status, ...(p.status === "rejected" ? { reason: p.reason } : {}), at: at.toISOString(),
      ...tracedBy(firstByOrder.get(p.orderId)!.message.headers),
    }));
    await Promise.all([insertOrders(tx, newOrders, at), takeStock(tx, reserved, movements, at), notifyStatusChanges(tx, changes)]);

    const outcomes = [...placements.map((p) => newOutcome(p, at)), ...[...stored.values()].map(storedOutcome)];

    for (const p of placements) {
      if (p.status === "placed") metrics.ordersPlaced.inc();
      else metrics.ordersRejected.inc({ reason: p.reason });
      log.info(p.status === "placed" ? "order placed" : "order rejected", {
        orderId: p.orderId, correlationId: correlationOf(firstByOrder.get(p.orderId)!.message), ...(p.status === "rejected" ? { reason: p.reason } : {}),
      });
    }
    if (stored.size > 0) log.info("repeated commands republished", { orders: [...stored.keys()] });
    return outcomes.map((o) => ({ cause: firstByOrder.get(o.orderId)!.message, event: outcomeEvent(o) }));
  };
}
