import { isAdvance } from "../src/orders/status.ts";
import type { OrderStatus, RejectionReason } from "./api.ts";

export const STATUS_LABEL: Record<OrderStatus, string> = {
  pending: "Received",
  placed: "Stock reserved",
  confirmed: "Confirmed",
  shipped: "Shipped",
  delivered: "Delivered",
  rejected: "Not placed",
  cancelled: "Cancelled",
};

const STATUS_SENTENCE: Record<Exclude<OrderStatus, "rejected">, string> = {
  pending: "We've received your order and are checking our shelves.",
  placed: "Your items are set aside for you. Confirmation follows in a moment.",
  confirmed: "Your order is confirmed. Thank you for shopping with us! We'll let you know when it ships.",
  shipped: "Your parcel is on its way.",
  delivered: "Your parcel has been delivered. Enjoy!",
  cancelled: "This order is cancelled: nothing will be sent, and its items are back on our shelves.",
};

const REJECTION_SENTENCE: Record<RejectionReason, string> = {
  out_of_stock: "Sorry, one of your items sold out before we could set it aside, so we couldn't place your order. Nothing was reserved.",
  unknown_product: "Sorry, one of your items is no longer in our catalog, so we couldn't place your order.",
  invalid_order: "Sorry, something in this order didn't add up (a quantity we can't fill, perhaps), so we couldn't place it.",
};

export const describeStatus = (status: OrderStatus, reason?: RejectionReason) =>
  status === "rejected" ? REJECTION_SENTENCE[reason ?? "invalid_order"] : STATUS_SENTENCE[status];

/** The furthest along of `statuses` by the lifecycle itself: the view never shows an order moving backwards. */
export const furthest = (...statuses: (OrderStatus | undefined)[]): OrderStatus =>
  statuses.reduce<OrderStatus>((best, status) => (status && isAdvance(best, status) ? status : best), "pending");
