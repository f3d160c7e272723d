import type { Tx } from "../db/client.ts";
import { markConfirmed, notifyStatusChanges } from "../db/orders.ts";
import { correlationOf, type Handler, type Inbound, type Produced } from "../kafka/message.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { OrderPlacedEnvelope } from "../orders/envelope.ts";
import { tracedBy } from "../tracing/spans.ts";
import { outcomeEvent } from "./events.ts";

type Deps = { log: Logger; metrics: Metrics };

/**
 * OrderPlaced → confirmed → OrderConfirmed, for a whole batch in one statement. An order that is
 * already confirmed has its OrderConfirmed produced again (same id), which repairs a crash between
 * the commit and the publish. An OrderPlaced for an order that does not exist is unprocessable.
 */
export function confirmOrders({ log, metrics }: Deps): Handler<OrderPlacedEnvelope, Tx> {
  return async (tx, items) => {
    const orderIds = [...new Set(items.map((i) => i.value.orderId))];
    const at = new Date();
    const rows = await markConfirmed(tx, orderIds, at);
    const causes = new Map(items.map((i) => [i.value.orderId, i.message]));
    await notifyStatusChanges(tx, rows.filter((r) => r.changed).map((r) => ({
      id: r.id, status: "confirmed" as const, at: at.toISOString(), ...tracedBy(causes.get(r.id)!.headers),
    })));

    const byId = new Map(rows.map((r) => [r.id, r]));
    const firstByOrder = new Map<string, Inbound>();
    const produced: Produced[] = [];
    for (const { message, value } of items) {
      if (!byId.has(value.orderId)) produced.push({ cause: message, unprocessable: `OrderPlaced for an order that does not exist: ${value.orderId}` });
      else if (!firstByOrder.has(value.orderId)) firstByOrder.set(value.orderId, message);
    }

    for (const [orderId, cause] of firstByOrder) {
      const r = byId.get(orderId)!;
      if (r.confirmedAt === null) {
        log.warn("OrderPlaced ignored: the order was never confirmed, and now cannot be", { orderId, status: r.status });
        continue;
      }
      // Confirmed before, whatever followed (shipped, cancelled): its OrderConfirmed is published again as it was.
      produced.push({ cause, event: outcomeEvent({ orderId, status: "confirmed", at: r.confirmedAt }) });
      if (r.changed) {
        metrics.ordersConfirmed.inc();
        metrics.confirmationSeconds.observe(Math.max(0, at.getTime() - r.createdAt.getTime()) / 1000);
        log.info("order confirmed", { orderId, correlationId: correlationOf(cause) });
      }
    }
    return produced;
  };
}
