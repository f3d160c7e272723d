import { context, propagation, ROOT_CONTEXT, trace, type Context, type Link, type Span, type TextMapGetter } from "@opentelemetry/api";

/** The attribute every span of one order's work carries: how an operator finds its trace (Jaeger: search by tag). */
export const ORDER_ID = "shop.order.id";

/**
 * OpenTelemetry's messaging conventions are still incubating, and its semantic-conventions package
 * asks that such names be copied rather than imported from its unstable entry point.
 */
export const MESSAGING = {
  system: "messaging.system",
  operationType: "messaging.operation.type",
  operationName: "messaging.operation.name",
  destination: "messaging.destination.name",
  partition: "messaging.destination.partition.id",
  group: "messaging.consumer.group.name",
  batchCount: "messaging.batch.message_count",
  key: "messaging.kafka.message.key",
  offset: "messaging.kafka.offset",
} as const;

export const tracer = () => trace.getTracer("shop");

/** Where a record's producer span goes: under whose work, linked to what, and of which order. */
export type ProducedIn = { parent: Context; links?: Link[]; orderId?: string };

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** A record's traceparent header, if it has the W3C form: what is worth keeping of another producer's header. */
export const traceparentOf = (headers: Readonly<Record<string, string>>): string | undefined =>
  headers.traceparent !== undefined && TRACEPARENT.test(headers.traceparent) ? headers.traceparent : undefined;

/** The context a record's traceparent (and tracestate) names, or none: a malformed one is no context, and a new trace. */
export const contextOf = (headers: Readonly<Record<string, string>>): Context => propagation.extract(ROOT_CONTEXT, headers);

/** The traceparent (and tracestate) of `span`, as record or response headers. */
export function headersOf(span: Span): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return headers;
}

/** Request headers as the propagator reads them. */
export const fromRequest: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** The trace id of the span active now, if it is recorded: what a log line of a traced request carries. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

/** `{ traceparent }` of a record that has a well-formed one, to hand on with what it caused; else nothing. */
export function tracedBy(headers: Readonly<Record<string, string>>): { traceparent?: string } {
  const traceparent = traceparentOf(headers);
  return traceparent === undefined ? {} : { traceparent };
}
