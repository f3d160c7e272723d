import * as v from "valibot";
import { ShippingAddress } from "./address.ts";
import { CURRENCY } from "./fields.ts";
import { PlaceOrderRequest, type PlaceOrderData } from "./schemas.ts";
import type { RejectionReason } from "./status.ts";

export type CatalogEntry = { name: string; priceCents: number; currency: string; stock: number };

export type PricedItem = { productId: string; name: string; quantity: number; unitPriceCents: number };

export type Placement =
  | { orderId: string; status: "placed"; items: PricedItem[]; totalCents: number; currency: string; shippingAddress?: ShippingAddress }
  | { orderId: string; status: "rejected"; reason: RejectionReason; items: PricedItem[]; totalCents: number; currency: string };

export type PlaceOrderCommand = { orderId: string; data: PlaceOrderData };

/** One line of the stock ledger: the units an order took of one product, and what was left. */
export type Reservation = { orderId: string; productId: string; delta: number; stockAfter: number };

/**
 * What a request would have had to be, but for the address, which commands from before it existed
 * lack: one pass over the order, which gives the address as the API would have stored it.
 */
const OrderRequest = v.object({ ...PlaceOrderRequest.entries, shippingAddress: v.optional(ShippingAddress) });

export function priceItems(items: PlaceOrderData["items"], catalog: ReadonlyMap<string, CatalogEntry>): PricedItem[] {
  return items.map(({ productId, quantity }) => {
    const product = catalog.get(productId);
    return { productId, quantity, name: product?.name ?? "Unknown product", unitPriceCents: product?.priceCents ?? 0 };
  });
}

export const totalOf = (items: PricedItem[]) => items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);

/**
 * Decides, in arrival order, which commands of a batch are placed and which are rejected, drawing
 * stock from `catalog` as it goes, so that many orders for one product in one batch can never take
 * more than its stock. Returns the placements, the units to take from each product, and the
 * ledger's movements that record them.
 */
export function decidePlacements(
  commands: readonly PlaceOrderCommand[],
  catalog: ReadonlyMap<string, CatalogEntry>,
): { placements: Placement[]; reserved: Map<string, number>; movements: Reservation[] } {
  const remaining = new Map([...catalog].map(([id, p]) => [id, p.stock]));
  const reserved = new Map<string, number>();
  const movements: Reservation[] = [];
  const placements = commands.map(({ orderId, data }): Placement => {
    const reject = (reason: RejectionReason, items: PricedItem[]): Placement =>
      ({ orderId, status: "rejected", reason, items, totalCents: totalOf(items), currency: CURRENCY });

    const request = v.safeParse(OrderRequest, { customer: data.customer, items: data.items, shippingAddress: data.shippingAddress });
    if (!request.success) return reject("invalid_order", []);
    const address = request.output.shippingAddress;
    const items = priceItems(data.items, catalog);
    if (data.items.some((i) => !catalog.has(i.productId))) return reject("unknown_product", items);
    if (data.items.some((i) => (remaining.get(i.productId) ?? 0) < i.quantity)) return reject("out_of_stock", items);

    for (const { productId, quantity } of data.items) {
      const stockAfter = remaining.get(productId)! - quantity;
      remaining.set(productId, stockAfter);
      reserved.set(productId, (reserved.get(productId) ?? 0) + quantity);
      movements.push({ orderId, productId, delta: -quantity, stockAfter });
    }
    return { orderId, status: "placed", items, totalCents: totalOf(items), currency: CURRENCY, ...(address ? { shippingAddress: address } : {}) };
  });
  return { placements, reserved, movements };
}
