import type { RequestTrace } from "./requestTrace.ts";
import { contextOf, ORDER_ID, type ProducedIn } from "./spans.ts";

/**
 * Where an order's command is produced, so that one order is one trace. PlaceOrder: under the request
 * placing it, or, in a trace not kept, with the request's traceparent. Any later command (cancel,
 * ship, deliver): in the order's own trace, under the command that placed it (`placedWith`, its
 * traceparent as stored with the order), linked to the request that sends it when that has a span,
 * which names the order too. An order stored without a traceparent (placed while tracing was off)
 * has its later commands produced as its PlaceOrder was.
 */
export async function commandTrace(command: { type: string; orderId: string }, request: RequestTrace, placedWith: () => Promise<string | null>): Promise<ProducedIn> {
  const orderId = command.orderId;
  if ("span" in request) request.span.setAttribute(ORDER_ID, orderId);
  const stored = command.type === "PlaceOrder" ? null : await placedWith();
  if (stored === null) return "span" in request ? { parent: request.parent, orderId } : { handOn: request.handOn, orderId };
  return { parent: contextOf({ traceparent: stored }), links: "span" in request ? [{ context: request.span.spanContext() }] : [], orderId };
}
