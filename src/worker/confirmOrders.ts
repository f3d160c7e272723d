import type { Sql } from "../db/client.ts";
import { confirmOrders as confirmInDb, notifyStatusChanges } from "../db/orders.ts";
import type { Decodable } from "../kafka/middleware/deadLetter.ts";
import { Unprocessable } from "../failure.ts";
import type { BatchHandler } from "../kafka/message.ts";
import type { Publisher } from "../kafka/publisher.ts";
import type { Topics } from "../kafka/topics.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { OrderPlacedEnvelope } from "../orders/envelope.ts";
import { outcomeEvent } from "./events.ts";

type Deps = { sql: Sql; publisher: Publisher; topics: Topics; log: Logger; metrics: Metrics };

/**
 * OrderPlaced → confirmed → OrderConfirmed, for a whole batch in one statement. An order that is
 * already confirmed has its OrderConfirmed published again (same id), which repairs a crash
 * between the commit and the publish.
 */
export function confirmOrders({ sql, publisher, topics, log, metrics }: Deps): BatchHandler<Decodable<OrderPlacedEnvelope>> {
  return async (items) => {
    const orderIds = [...new Set(items.map((i) => i.value.orderId))];
    const at = new Date();
    const rows = await sql.begin(async (tx) => {
      const rows = await confirmInDb(tx, orderIds, at);
      await notifyStatusChanges(tx, rows.filter((r) => r.changed).map((r) => ({ id: r.id, status: "confirmed" as const, at: at.toISOString() })));
      return rows;
    });

    const found = new Set(rows.map((r) => r.id));
    const missing = orderIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw new Unprocessable(`OrderPlaced for an order that does not exist: ${missing.join(", ")}`);

    const correlation = new Map(items.map((i) => [i.value.orderId, i.message.headers["correlation-id"] ?? i.value.id]));
    const confirmed = rows.filter((r) => r.status === "confirmed");
    await publisher.publish(confirmed.map((r) => outcomeEvent({ orderId: r.id, status: "confirmed", at: r.updatedAt, correlationId: correlation.get(r.id)! }, topics)));

    for (const r of rows) {
      if (r.changed) {
        metrics.ordersConfirmed.inc();
        metrics.confirmationSeconds.observe(Math.max(0, at.getTime() - r.createdAt.getTime()) / 1000);
        log.info("order confirmed", { orderId: r.id, correlationId: correlation.get(r.id) });
      } else if (r.status !== "confirmed") {
        log.warn("OrderPlaced ignored: the order is already final", { orderId: r.id, status: r.status });
      }
    }
  };
}
