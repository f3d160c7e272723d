export const STATUSES = ["pending", "placed", "confirmed", "shipped", "delivered", "rejected", "cancelled"] as const;
export type OrderStatus = (typeof STATUSES)[number];

export const REJECTION_REASONS = ["out_of_stock", "unknown_product", "invalid_order"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** The lifecycle: the statuses each one may move to next. */
const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["placed", "rejected"],
  placed: ["confirmed", "cancelled"],
  confirmed: ["shipped", "cancelled"],
  shipped: ["delivered"],
  delivered: [],
  rejected: [],
  cancelled: [],
};

/** A status nothing follows: an order's events stream closes on it. */
export const isTerminal = (status: OrderStatus) => NEXT[status].length === 0;

/**
 * Whether `to` is news to someone who last saw `from`: reachable from it in one step or more, so an
 * observer that missed a step (pending → confirmed) still advances, and nothing moves backwards.
 */
export const isAdvance = (from: OrderStatus, to: OrderStatus): boolean =>
  NEXT[from].some((next) => next === to || isAdvance(next, to));
