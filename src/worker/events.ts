import { event } from "../orders/envelope.ts";
import type { PricedItem } from "../orders/placement.ts";
import type { RejectionReason } from "../orders/status.ts";
import type { Event } from "../kafka/message.ts";

/** An order's outcome as it was stored: publishing it twice yields the same message, id included. */
export type Outcome =
  | { orderId: string; status: "placed"; items: PricedItem[]; totalCents: number; currency: string; at: Date }
  | { orderId: string; status: "rejected"; reason: RejectionReason; at: Date }
  | { orderId: string; status: "confirmed"; at: Date };

const keyed = (body: ReturnType<typeof event>): Event => ({ key: body.orderId, body });

export function outcomeEvent(o: Outcome): Event {
  switch (o.status) {
    case "placed":
      return keyed(event("OrderPlaced", o.orderId, {
        items: o.items.map(({ productId, quantity, unitPriceCents }) => ({ productId, quantity, unitPriceCents })),
        totalCents: o.totalCents,
        currency: o.currency,
      }, o.at));
    case "rejected":
      return keyed(event("OrderRejected", o.orderId, { reason: o.reason }, o.at));
    case "confirmed":
      return keyed(event("OrderConfirmed", o.orderId, {}, o.at));
  }
}
