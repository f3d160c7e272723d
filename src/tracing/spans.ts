import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, trace, TraceFlags, type Context, type Link, type Span, type TextMapGetter, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

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

let shopTracer: Tracer | undefined;

/** The shop's tracer, found once: each lookup through the API's globals checks its version again. */
export const tracer = () => (shopTracer ??= trace.getTracer("shop"));

/** W3C Trace Context, called directly rather than through the API's global propagator, for the same reason. */
const w3c = new W3CTraceContextPropagator();

/**
 * Where a record's producer span goes: under whose work, linked to what, and of which order. Or,
 * for the work of a trace not kept, `handOn`: the traceparent it came with, which the record carries
 * as it is, with no span.
 */
export type ProducedIn = ProducedUnder | { handOn: Readonly<Record<string, string>>; orderId?: string };
export type ProducedUnder = { parent: Context; links?: Link[]; orderId?: string };

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** A record's traceparent header, if it has the W3C form: what is worth keeping of another producer's header. */
export const traceparentOf = (headers: Readonly<Record<string, string>>): string | undefined =>
  headers.traceparent !== undefined && TRACEPARENT.test(headers.traceparent) ? headers.traceparent : undefined;

/**
 * A traceparent as the W3C propagator writes one for a trace not kept: version 00, neither id all
 * zeros (its reading refuses those), and flags with the sampled bit clear that it writes back as
 * they came ("0" and one hex digit). One test where the propagator runs its parse and its checks.
 */
const NOT_KEPT = /^00-(?!0{32})[\da-f]{32}-(?!0{16})[\da-f]{16}-0[02468ace]$/;

/**
 * A record's traceparent, if it names a trace its producer chose not to keep and is written as the
 * W3C propagator would write it again (no tracestate beside it): then it can be handed on as it
 * came. At the default sampling that is 99 records in 100, for each of which the consumer would
 * otherwise make a context only to take it apart again when it produces what the record caused.
 */
export function notKept(headers: Readonly<Record<string, string>>): { traceparent: string } | undefined {
  const { traceparent } = headers;
  if (traceparent === undefined || headers.tracestate !== undefined || !NOT_KEPT.test(traceparent)) return undefined;
  return { traceparent };
}

/** The context a record's traceparent (and tracestate) names, or none: a malformed one is no context, and a new trace. */
export const contextOf = (headers: Readonly<Record<string, string>>): Context => w3c.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);

/** The traceparent (and tracestate) naming the span of `parent`, as record headers. */
export function headersIn(parent: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  w3c.inject(parent, headers, defaultTextMapSetter);
  return headers;
}

/** The traceparent (and tracestate) of `span`, as record or response headers. */
export const headersOf = (span: Span) => headersIn(trace.setSpan(ROOT_CONTEXT, span));

/**
 * Whether `parent` names a trace its producer chose not to keep. Nothing of such a trace is recorded
 * anywhere, so no span is made for it: its work hands on the traceparent it came with, which keeps
 * the decision (and the trace id) for whatever follows. Most work is in such traces, so this is
 * what tracing costs at the default sampling.
 */
export function unsampled(parent: Context): boolean {
  const span = trace.getSpanContext(parent);
  return span !== undefined && (span.traceFlags & TraceFlags.SAMPLED) === 0;
}

/** Request headers as the propagator reads them. */
const fromRequest: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** The context a request's traceparent names, or none. */
export const contextOfRequest = (headers: Headers): Context => w3c.extract(ROOT_CONTEXT, headers, fromRequest);

/** The trace id of the span active now, if it is recorded: what a log line of a traced request carries. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : undefined;
}

/**
 * `{ traceparent }` of a record that has a well-formed one whose trace is kept (the sampled flag
 * set), to hand on with a status change it caused; else nothing. The change's delivery to a browser
 * is a span only in a trace that is kept, and most are not: their changes go to every API instance
 * without the 55 characters they would never use.
 */
export function tracedBy(headers: Readonly<Record<string, string>>): { traceparent?: string } {
  const traceparent = traceparentOf(headers);
  return traceparent === undefined || (Number.parseInt(traceparent.slice(-2), 16) & TraceFlags.SAMPLED) === 0 ? {} : { traceparent };
}
