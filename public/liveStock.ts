import { useEffect, useState } from "preact/hooks";
import { api } from "./api.ts";
import { useApi } from "./useApi.ts";

type StockChange = { id: string; stock: number; archived: boolean };

/** The newest stock heard for each product since the stream (re)opened. */
const heard = new Map<string, StockChange>();
const listeners = new Set<() => void>();
let source: EventSource | undefined;
let opened = 0;

const notify = () => listeners.forEach((listener) => listener());

/** One stream per page, open while some component shows stock. */
function connect() {
  source = new EventSource("/api/products/events");
  source.addEventListener("stock", (event) => {
    try {
      const change = JSON.parse((event as MessageEvent<string>).data) as StockChange;
      heard.set(change.id, change);
      notify();
    } catch {
      // A malformed event changes nothing on screen.
    }
  });
  // After a reconnect, changes made while the stream was down were never heard: reload the catalog.
  source.addEventListener("open", () => {
    opened++;
    if (opened > 1) {
      heard.clear();
      notify();
    }
  });
}

/**
 * The catalog, kept current: GET /api/products once, then every stock change from
 * GET /api/products/events applied as it comes, so badges and buttons change without a reload.
 * Archived products leave the list.
 */
export function useLiveProducts() {
  const products = useApi(api.products, {});
  const [, setVersion] = useState(0);
  const [reconnects, setReconnects] = useState(opened);

  useEffect(() => {
    const update = () => {
      setVersion((n) => n + 1);
      setReconnects(opened);
    };
    listeners.add(update);
    if (!source) connect();
    return () => {
      listeners.delete(update);
      if (listeners.size === 0) {
        source?.close();
        source = undefined;
        opened = 0;
        heard.clear();
      }
    };
  }, []);

  useEffect(() => {
    if (reconnects > 1) products.reload();
  }, [reconnects]);

  const data = products.data
    ?.map((product) => {
      const change = heard.get(product.id);
      return change ? { ...product, stock: change.stock, archived: change.archived } : product;
    })
    .filter((product) => !product.archived);
  return { ...products, data };
}
