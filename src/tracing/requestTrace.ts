import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace, type Context, type Sampler, type Span } from "@opentelemetry/api";
import { RandomIdGenerator } from "@opentelemetry/sdk-trace-base";
import { contextOfRequest, headersOf, notKept, tracer } from "./spans.ts";

/**
 * How a request's work is traced, decided as it arrives: in a span of its own (`parent` is the
 * context naming it), or, for a trace not kept, with no span at all, by the traceparent its
 * command hands on. At the default sampling that is 99 requests in 100.
 */
export type RequestTrace = { span: Span; parent: Context } | { handOn: Readonly<Record<string, string>> };

/**
 * The SDK's ids, except that a new trace's id is the one its request's sampling was decided on:
 * the SDK, asking the same sampler about the same id, decides the same.
 */
export class DecidedIds {
  private readonly random = new RandomIdGenerator();
  private decided: string | undefined;

  generateTraceId(): string {
    const id = this.decided ?? this.random.generateTraceId();
    this.decided = undefined;
    return id;
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }

  /** A trace id for a request, and the id of the span it would have. */
  draw() {
    return { traceId: this.random.generateTraceId(), spanId: this.random.generateSpanId() };
  }

  /** The next new trace is this one. */
  next(traceId: string) {
    this.decided = traceId;
  }
}

/**
 * Set by startTracing when the shop's own sampler decides (OTEL_TRACES_SAMPLER unset): its root
 * sampler and the provider's ids. Chosen by OTEL_TRACES_SAMPLER, the SDK's sampler is not one the
 * shop can ask, and every request gets a span for it to decide on.
 */
let own: { root: Sampler; ids: DecidedIds } | undefined;

export function decideRequests(sampling: typeof own) {
  own = sampling;
}

/**
 * A request's trace: a caller's traceparent of a trace not kept is handed on as it came; a request
 * with none is sampled as the SDK would sample it, on a trace id drawn first, and only a kept one
 * gets a span. Anything else (a kept caller's trace, a malformed traceparent, a tracestate, or a
 * sampler the shop cannot ask) starts a span for the SDK to decide.
 */
export function startRequestTrace(headers: Headers, name: string): RequestTrace {
  const traceparent = headers.get("traceparent");
  if (own !== undefined && !headers.has("tracestate")) {
    if (traceparent === null) {
      const { traceId, spanId } = own.ids.draw();
      if (own.root.shouldSample(ROOT_CONTEXT, traceId, name, SpanKind.SERVER, {}, []).decision === SamplingDecision.NOT_RECORD) {
        return { handOn: { traceparent: `00-${traceId}-${spanId}-00` } };
      }
      own.ids.next(traceId);
      return started(tracer().startSpan(name, { kind: SpanKind.SERVER }, ROOT_CONTEXT), ROOT_CONTEXT);
    }
    const handOn = notKept({ traceparent });
    if (handOn) return { handOn };
  }
  const parent = contextOfRequest(headers);
  return started(tracer().startSpan(name, { kind: SpanKind.SERVER }, parent), parent);
}

const started = (span: Span, parent: Context): RequestTrace =>
  span.isRecording() ? { span, parent: trace.setSpan(parent, span) } : { handOn: headersOf(span) };
