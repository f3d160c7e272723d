import { useEffect, useState } from "preact/hooks";
import { usePreloaded } from "./preload.ts";

type CartLine = { productId: string; quantity: number };

const KEY = "shop.cart";
/** The API takes 1..99 of each product. */
export const MAX_QUANTITY = 99;

const listeners = new Set<() => void>();

function read(): CartLine[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    if (!Array.isArray(stored)) return [];
    return stored.filter((line): line is CartLine =>
      typeof line?.productId === "string" && Number.isInteger(line?.quantity) && line.quantity >= 1 && line.quantity <= MAX_QUANTITY);
  } catch {
    return [];
  }
}

// Rendered on the server, there is no storage: no cart.
let lines = typeof localStorage === "undefined" ? [] : read();

function write(next: CartLine[]) {
  lines = next;
  // A full or forbidden storage still leaves a working cart for this visit.
  try { localStorage.setItem(KEY, JSON.stringify(next)); } catch {}
  listeners.forEach((listener) => listener());
}

// Another tab changed the cart.
if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    lines = read();
    listeners.forEach((listener) => listener());
  });
}

const clamp = (quantity: number, stock: number) => Math.max(1, Math.min(quantity, stock, MAX_QUANTITY));

/** The cart, kept in localStorage: one line per product, in the order they were first added. */
export const cart = {
  quantityOf: (productId: string) => lines.find((line) => line.productId === productId)?.quantity ?? 0,

  add(productId: string, stock: number) {
    const current = cart.quantityOf(productId);
    if (current >= Math.min(stock, MAX_QUANTITY)) return;
    if (current === 0) write([...lines, { productId, quantity: 1 }]);
    else cart.setQuantity(productId, current + 1, stock);
  },

  setQuantity(productId: string, quantity: number, stock: number) {
    write(lines.map((line) => (line.productId === productId ? { productId, quantity: clamp(quantity, stock) } : line)));
  },

  remove(productId: string) {
    write(lines.filter((line) => line.productId !== productId));
  },

  /** Drops products the shop no longer sells. */
  keepOnly(productIds: ReadonlySet<string>) {
    if (lines.some((line) => !productIds.has(line.productId))) write(lines.filter((line) => productIds.has(line.productId)));
  },

  clear() {
    write([]);
  },
};

/**
 * What `select` makes of the cart, current on every change. A page the server rendered is hydrated
 * with `unknown`, as the server (which never sees the browser's storage) rendered it, then shows the cart.
 */
function useCartView<T>(select: (cartLines: CartLine[]) => T, unknown: T): T {
  const preloaded = usePreloaded();
  const [current, setCurrent] = useState(preloaded ? unknown : select(lines));
  useEffect(() => {
    const update = () => setCurrent(select(lines));
    listeners.add(update);
    update();
    return () => { listeners.delete(update); };
  }, []);
  return current;
}

/** The cart's lines: none, on a page the server rendered, until it is hydrated. */
export const useCart = (): CartLine[] => useCartView((cartLines) => cartLines, []);

/** How many items the cart holds: unknown on a page the server rendered until it is hydrated, rather than a wrong 0. */
export const useCartCount = (): number | undefined => useCartView<number | undefined>((cartLines) => countItems(cartLines), undefined);

export const countItems = (cartLines: readonly CartLine[]) => cartLines.reduce((n, line) => n + line.quantity, 0);
