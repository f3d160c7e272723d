export const STATUSES = ["pending", "placed", "confirmed", "rejected"] as const;
export type OrderStatus = (typeof STATUSES)[number];

export const REJECTION_REASONS = ["out_of_stock", "unknown_product", "invalid_order"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** How far along an order is; a status never moves to a lower rank. */
const RANK: Record<OrderStatus, number> = { pending: 0, placed: 1, confirmed: 2, rejected: 2 };

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  pending: ["placed", "rejected"],
  placed: ["confirmed"],
  confirmed: [],
  rejected: [],
};

export const isTerminal = (status: OrderStatus) => NEXT[status].length === 0;

export const canTransition = (from: OrderStatus, to: OrderStatus) => NEXT[from].includes(to);

/** Whether `to` is news to someone who last saw `from` (possibly skipping a step they missed). */
export const isAdvance = (from: OrderStatus, to: OrderStatus) =>
  RANK[to] > RANK[from] && !(from === "placed" && to === "rejected");
