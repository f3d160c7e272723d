import type { OrderStatus } from "./status.ts";

/** What the lifecycle's decisions need to know of an order: where it stands and what it reserved. */
export type OrderState = {
  status: Exclude<OrderStatus, "pending">;
  items: readonly { productId: string; quantity: number }[];
};

export const CANCELLERS = ["customer", "admin"] as const;
export type Canceller = (typeof CANCELLERS)[number];

/** The commands that move an order on after its placement, as their envelopes' `type` and `data`. */
export type LifecycleCommand =
  | { type: "CancelOrder"; data: { by: Canceller; reason?: string } }
  | { type: "ShipOrder"; data: { carrier: string; trackingNumber: string } }
  | { type: "DeliverOrder"; data: Record<string, never> };

export const REFUSAL_REASONS = ["unknown_order", "not_cancellable", "not_shippable", "not_deliverable"] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The units a cancelled order gives back, one line per product. */
export type Returned = { productId: string; quantity: number }[];

export type Decision =
  | { status: "cancelled"; event: { type: "OrderCancelled"; data: { by: Canceller; reason?: string; returned: Returned } } }
  | { status: "shipped"; event: { type: "OrderShipped"; data: { carrier: string; trackingNumber: string } } }
  | { status: "delivered"; event: { type: "OrderDelivered"; data: Record<string, never> } }
  | { refused: RefusalReason };

/** Who may cancel when: the customer while the order is placed or confirmed, the admin until it is shipped. */
const CANCELLABLE: Record<Canceller, readonly OrderStatus[]> = {
  customer: ["placed", "confirmed"],
  admin: ["placed", "confirmed"],
};

/**
 * The order's rules, whole: for an order as it stands (undefined if it is not in the database) and
 * a command, the event that follows or why the command is refused. Nothing here reads or writes
 * anything; the worker persists what this decides and the API asks it before sending a command.
 */
export function decide(order: OrderState | undefined, command: LifecycleCommand): Decision {
  if (order === undefined) return { refused: "unknown_order" };
  switch (command.type) {
    case "CancelOrder": {
      const { by, reason } = command.data;
      if (!CANCELLABLE[by].includes(order.status)) return { refused: "not_cancellable" };
      const returned = order.items.filter((i) => i.quantity > 0).map(({ productId, quantity }) => ({ productId, quantity }));
      return { status: "cancelled", event: { type: "OrderCancelled", data: { by, ...(reason ? { reason } : {}), returned } } };
    }
    case "ShipOrder":
      if (order.status !== "confirmed") return { refused: "not_shippable" };
      return { status: "shipped", event: { type: "OrderShipped", data: { carrier: command.data.carrier, trackingNumber: command.data.trackingNumber } } };
    case "DeliverOrder":
      if (order.status !== "shipped") return { refused: "not_deliverable" };
      return { status: "delivered", event: { type: "OrderDelivered", data: {} } };
  }
}

/** The refusal the API answers with before sending a command, the same the worker would decide. */
export const refusalOf = (order: OrderState | undefined, command: LifecycleCommand): RefusalReason | undefined => {
  const decision = decide(order, command);
  return "refused" in decision ? decision.refused : undefined;
};
