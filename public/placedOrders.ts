import type { Order } from "./api.ts";

const KEY = "shop.placed-orders";
/** Long enough for any order to reach the database; after that the server's list is the truth. */
const KEEP_MS = 24 * 60 * 60_000;
const KEEP_COUNT = 20;

type Placed = Pick<Order, "id" | "items" | "totalCents" | "currency" | "createdAt">;

function read(): Placed[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    if (!Array.isArray(stored)) return [];
    return stored.filter((o): o is Placed => typeof o?.id === "string" && Array.isArray(o?.items) && typeof o?.createdAt === "string");
  } catch {
    return [];
  }
}

function write(orders: Placed[]) {
  try { localStorage.setItem(KEY, JSON.stringify(orders)); } catch {}
}

/**
 * Orders this browser placed, remembered from the moment the shop accepted them: until the server
 * has stored one, My orders still lists it, as pending.
 */
export const placedOrders = {
  remember(order: Placed) {
    const now = Date.now();
    write([order, ...read().filter((o) => o.id !== order.id && now - Date.parse(o.createdAt) < KEEP_MS)].slice(0, KEEP_COUNT));
  },

  /** The remembered orders the server does not list yet, as pending orders; forgets those it now knows. */
  notYetListed(listed: readonly Order[]): Order[] {
    const known = new Set(listed.map((o) => o.id));
    const remembered = read();
    const waiting = remembered.filter((o) => !known.has(o.id) && Date.now() - Date.parse(o.createdAt) < KEEP_MS);
    if (waiting.length !== remembered.length) write(waiting);
    return waiting.map((o) => ({ ...o, status: "pending", customer: { name: "", email: "" }, timeline: [{ status: "pending", at: o.createdAt }], updatedAt: o.createdAt }));
  },
};
