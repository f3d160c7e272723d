/** Jaeger's web page (JAEGER_UI_URL, no trailing slash) and the service the shop's spans are filed under (OTEL_SERVICE_NAME). */
export type JaegerUi = { url: string; service: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * Jaeger's search page for the traces of one order: its service's spans tagged `shop.order.id`, the
 * way Jaeger's own search form puts them in its address (tags as JSON, times in microseconds).
 * Alone, the page would look back one hour; this window opens a minute before the order was stored
 * (its request's spans come first, and instances' clocks differ) and closes an hour after `now`, so
 * an old order's trace is found, and so are the spans of its later commands (cancel, ship, deliver).
 */
export function orderTraceUrl(jaeger: JaegerUi, order: { id: string; createdAt: string }, now: number): string {
  const search = new URLSearchParams({
    service: jaeger.service,
    tags: JSON.stringify({ "shop.order.id": order.id }),
    lookback: "custom",
    start: String((Date.parse(order.createdAt) - MINUTE_MS) * 1000),
    end: String((now + HOUR_MS) * 1000),
  });
  return `${jaeger.url}/search?${search}`;
}
