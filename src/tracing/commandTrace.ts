import { context, trace } from "@opentelemetry/api";
import { contextOf, ORDER_ID, type ProducedUnder } from "./spans.ts";

/**
 * Where an order's command is produced, so that one order is one trace. PlaceOrder: under the request
 * placing it. Any later command (cancel, ship, deliver): in the order's own trace, under the command
 * that placed it (`placedWith`, its traceparent as stored with the order), linked to the request that
 * sends it, whose own span names the order too. An order stored without a traceparent (placed while
 * tracing was off) has its later commands produced under their requests.
 */
export async function commandTrace(command: { type: string; orderId: string }, placedWith: () => Promise<string | null>): Promise<ProducedUnder> {
  const request = trace.getActiveSpan();
  request?.setAttribute(ORDER_ID, command.orderId);
  const stored = command.type === "PlaceOrder" ? null : await placedWith();
  if (stored === null) return { parent: context.active(), orderId: command.orderId };
  return { parent: contextOf({ traceparent: stored }), links: request ? [{ context: request.spanContext() }] : [], orderId: command.orderId };
}
