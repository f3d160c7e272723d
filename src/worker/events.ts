import { event } from "../orders/envelope.ts";
import type { PricedItem } from "../orders/placement.ts";
import type { RejectionReason } from "../orders/status.ts";
import { jsonMessage } from "../kafka/message.ts";
import type { Outbound } from "../kafka/publisher.ts";
import type { Topics } from "../kafka/topics.ts";

/** An order's outcome as it was stored: publishing it twice yields the same message, id included. */
export type Outcome =
  | { orderId: string; status: "placed"; items: PricedItem[]; totalCents: number; currency: string; at: Date }
  | { orderId: string; status: "rejected"; reason: RejectionReason; at: Date }
  | { orderId: string; status: "confirmed"; at: Date };

/** The event without its correlation id, which the chain's publish step adds from the message that caused it. */
export type OutcomeEvent = Omit<Outbound, "headers"> & { headers: Record<string, string> };

const outbound = (topic: string, e: ReturnType<typeof event>): OutcomeEvent => jsonMessage(topic, e.orderId, e);

export function outcomeEvent(o: Outcome, topics: Topics): OutcomeEvent {
  switch (o.status) {
    case "placed":
      return outbound(topics.placed, event("OrderPlaced", o.orderId, {
        items: o.items.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
        totalCents: o.totalCents,
        currency: o.currency,
      }, o.at));
    case "rejected":
      return outbound(topics.rejected, event("OrderRejected", o.orderId, { reason: o.reason }, o.at));
    case "confirmed":
      return outbound(topics.confirmed, event("OrderConfirmed", o.orderId, {}, o.at));
  }
}
