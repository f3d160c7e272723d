import { useEffect, useRef } from "preact/hooks";

export type StockChange = { id: string; stock: number; archived: boolean };

/** What GET /api/products/events follows at most: a page never shows more at once. */
const MAX_FOLLOWED = 100;
/** Scrolling moves many cards in and out at once: one new stream for all of them. */
const SETTLE_MS = 200;

/** The newest stock heard for each product. */
export const heard = new Map<string, StockChange>();
const listeners = new Set<() => void>();
/** The products on screen, with how many parts of the page show each. */
const followed = new Map<string, number>();
let source: EventSource | undefined;
let streamed = "";
let timer: ReturnType<typeof setTimeout> | undefined;

/** Calls `listener` on every change heard; returns what stops it. */
export function onStockChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}

/**
 * One stream for the products on screen, asked again once they settle. Each stream opens with where
 * its products stand, so nothing that changed while they were off screen, or between two streams,
 * stays wrong.
 */
function restream() {
  timer = undefined;
  const ids = [...followed.keys()].slice(0, MAX_FOLLOWED).sort().join(",");
  if (ids === streamed) return;
  // What was heard of a product no longer followed grows stale: the page's own figure, or the next
  // stream's first word on it, is the better one.
  for (const id of heard.keys()) if (!followed.has(id)) heard.delete(id);
  source?.close();
  source = undefined;
  streamed = ids;
  if (!ids) return;
  source = new EventSource(`/api/products/events?ids=${encodeURIComponent(ids)}`);
  source.addEventListener("stock", (event) => {
    try {
      const change = JSON.parse((event as MessageEvent<string>).data) as StockChange;
      heard.set(change.id, change);
      listeners.forEach((listener) => listener());
    } catch {
      // A malformed event changes nothing on screen.
    }
  });
}

const changed = () => { timer ??= setTimeout(restream, SETTLE_MS); };

/** Follows these products' stock until the returned function is called. */
export function followStock(ids: readonly string[]): () => void {
  for (const id of ids) {
    followed.set(id, (followed.get(id) ?? 0) + 1);
  }
  changed();
  return () => {
    for (const id of ids) {
      const count = (followed.get(id) ?? 1) - 1;
      if (count > 0) followed.set(id, count);
      else followed.delete(id);
    }
    changed();
  };
}

/** Cards in view, and a little beyond, so that one scrolled to shows its stock already. */
let observer: IntersectionObserver | undefined;
const unfollowOf = new WeakMap<Element, () => void>();

function visibility(): IntersectionObserver {
  observer ??= new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      const id = (target as HTMLElement).dataset.productId;
      if (!id) continue;
      if (isIntersecting && !unfollowOf.has(target)) unfollowOf.set(target, followStock([id]));
      if (!isIntersecting) {
        unfollowOf.get(target)?.();
        unfollowOf.delete(target);
      }
    }
  }, { rootMargin: "300px 0px" });
  return observer;
}

/** A ref for an element with `data-product-id`: its product's stock is followed while it is on screen. */
export function useStockWhileVisible<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    visibility().observe(element);
    return () => {
      observer?.unobserve(element);
      unfollowOf.get(element)?.();
      unfollowOf.delete(element);
    };
  }, []);
  return ref;
}
