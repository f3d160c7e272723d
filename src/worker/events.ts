import { event } from "../orders/envelope.ts";
import type { PricedItem } from "../orders/placement.ts";
import type { RejectionReason } from "../orders/status.ts";
import type { Outbound } from "../kafka/publisher.ts";
import type { Topics } from "../kafka/topics.ts";

/** An order's outcome as it was stored: publishing it twice yields the same message, id included. */
export type Outcome =
  | { orderId: string; status: "placed"; items: PricedItem[]; totalCents: number; currency: string; at: Date; correlationId: string }
  | { orderId: string; status: "rejected"; reason: RejectionReason; at: Date; correlationId: string }
  | { orderId: string; status: "confirmed"; at: Date; correlationId: string };

const outbound = (topic: string, e: ReturnType<typeof event>, correlationId: string): Outbound => ({
  topic,
  key: e.orderId,
  value: JSON.stringify(e),
  headers: { type: e.type, "correlation-id": correlationId },
});

export function outcomeEvent(o: Outcome, topics: Topics): Outbound {
  switch (o.status) {
    case "placed":
      return outbound(topics.placed, event("OrderPlaced", o.orderId, {
        items: o.items.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
        totalCents: o.totalCents,
        currency: o.currency,
      }, o.at), o.correlationId);
    case "rejected":
      return outbound(topics.rejected, event("OrderRejected", o.orderId, { reason: o.reason }, o.at), o.correlationId);
    case "confirmed":
      return outbound(topics.confirmed, event("OrderConfirmed", o.orderId, {}, o.at), o.correlationId);
  }
}
