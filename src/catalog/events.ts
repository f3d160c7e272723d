import { envelopeOf, type Envelope } from "../orders/envelope.ts";
import { CURRENCY } from "../orders/fields.ts";
import { eventId } from "../orders/ids.ts";
import type { Product } from "./schemas.ts";
import type { CatalogOutcome, CatalogProduct } from "./decisions.ts";

/** A catalog message about a product, keyed by its id; one about a category carries and is keyed by the category's. */
export type CatalogEnvelope<T extends string = string, D = unknown> = Envelope<T, D, "productId"> | Envelope<T, D, "categoryId">;

export const catalogEnvelope = envelopeOf("productId");
export const categoryEnvelope = envelopeOf("categoryId");

export const productOf = ({ id, sku, slug, name, description, priceCents, imageUrl, stock, archived, categoryId }: CatalogProduct): Product =>
  ({ id, sku, slug, name, description, priceCents, currency: CURRENCY, stock, imageUrl, archived, categoryId });

/**
 * The event that tells the world what became of a catalog command. Its id derives from the
 * command's, so publishing it again after a redelivery is recognisably the same event.
 */
export function catalogEvent(o: CatalogOutcome, at: Date): CatalogEnvelope {
  if (o.kind === "category") {
    const make = <T extends string, D>(type: T, data: D) => categoryEnvelope(type, o.categoryId, data, eventId(o.commandId, type), at);
    return o.status === "changed" ? make("CategoryChanged", o.category) : make("CategoryChangeRejected", { commandId: o.commandId, reason: o.reason });
  }
  const make = <T extends string, D>(type: T, data: D) => catalogEnvelope(type, o.productId, data, eventId(o.commandId, type), at);
  if (o.kind === "adjustment") {
    return o.status === "applied"
      ? make("StockAdjusted", { adjustmentId: o.commandId, delta: o.delta, reason: o.reason, actor: o.actor, stock: o.stock })
      : make("StockAdjustmentRejected", { adjustmentId: o.commandId, delta: o.delta, reason: o.reason, stock: o.stock });
  }
  return o.status === "changed"
    ? make("ProductChanged", productOf(o.product))
    : make("ProductChangeRejected", { commandId: o.commandId, reason: o.reason });
}
