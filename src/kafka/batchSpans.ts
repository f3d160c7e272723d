import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import { ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_BATCH_SIZE, ATTR_DB_OPERATION_NAME, ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { contextOf, headersIn, MESSAGING, notKept, ORDER_ID, tracer, unsampled, type ProducedIn } from "../tracing/spans.ts";
import type { Inbound } from "./message.ts";

const now = () => performance.timeOrigin + performance.now();

/**
 * The spans of one run of a consumer's handler over a batch, after OpenTelemetry's messaging
 * conventions for batch processing: one span for the batch, linked to the context each message was
 * produced in, and one span per message, a child of that context, so that each order's trace goes on
 * through the batch it shared with others. The batch's database transaction is one span of the batch
 * and, for each message of a sampled trace, one span of the same times in that message's trace: a
 * trace shows the transaction its order was written in, however many orders it held.
 */
export class BatchSpans {
  private readonly batch: Span;
  private readonly spans = new Map<Inbound, Span>();
  private readonly orders = new Map<Span, string>();
  /** The messages of traces not kept, and the traceparent each came with: they get no span. */
  private readonly untraced = new Map<Inbound, Readonly<Record<string, string>>>();

  constructor(group: string, messages: readonly Inbound[]) {
    const topics = new Set(messages.map((m) => m.topic));
    const destination = topics.size === 1 ? messages[0]!.topic : undefined;
    const common = { [MESSAGING.system]: "kafka", [MESSAGING.operationType]: "process", [MESSAGING.operationName]: "process", [MESSAGING.group]: group };
    const handOn = messages.map((m) => notKept(m.headers));
    const contexts = messages.map((m, i) => (handOn[i] ? undefined : contextOf(m.headers)));
    this.batch = tracer().startSpan(`process ${destination ?? group}`, { kind: SpanKind.CONSUMER, root: true });
    // Attributes and links only for the spans that are kept: 99 in 100 are not, and they are most of the cost.
    if (this.batch.isRecording()) {
      this.batch.setAttributes({ ...common, [MESSAGING.batchCount]: messages.length, ...(destination && { [MESSAGING.destination]: destination }) });
      this.batch.addLinks(messages.flatMap((m, i) => {
        const produced = trace.getSpanContext(contexts[i] ?? contextOf(m.headers));
        return produced ? [{ context: produced }] : [];
      }));
    }
    const inBatch = [{ context: this.batch.spanContext() }];
    messages.forEach((m, i) => {
      if (handOn[i]) return void this.untraced.set(m, handOn[i]);
      // A context of a trace not kept that could not be handed on as it came (a tracestate beside it, say).
      if (unsampled(contexts[i]!)) return void this.untraced.set(m, headersIn(contexts[i]!));
      const span = tracer().startSpan(`process ${m.topic}`, { kind: SpanKind.CONSUMER, links: inBatch }, contexts[i]);
      if (span.isRecording()) {
        span.setAttributes({
          ...common, [MESSAGING.destination]: m.topic, [MESSAGING.partition]: String(m.partition), [MESSAGING.offset]: Number(m.offset),
          ...(m.key !== null && { [MESSAGING.key]: m.key }),
        });
      }
      this.spans.set(m, span);
    });
  }

  /** The message is of this order: its span says so. */
  ofOrder(message: Inbound, orderId: string | undefined) {
    const span = this.spans.get(message);
    if (orderId === undefined || !span?.isRecording()) return;
    span.setAttribute(ORDER_ID, orderId);
    this.orders.set(span, orderId);
  }

  /** Where an event the message caused is produced: under the message's span, and of its order. */
  producedBy(message: Inbound, orderId: string | undefined): ProducedIn {
    const span = this.spans.get(message);
    if (span) return { parent: trace.setSpan(ROOT_CONTEXT, span), orderId };
    const handOn = this.untraced.get(message);
    return handOn ? { handOn, orderId } : { parent: trace.setSpan(ROOT_CONTEXT, this.batch), orderId };
  }

  /** The message was given up on, for the dead letters: its span ends in error. */
  givenUp(message: Inbound, why: string) {
    this.spans.get(message)?.setStatus({ code: SpanStatusCode.ERROR, message: why });
  }

  /** `run`, the batch's database transaction, as a span of the batch and one in each sampled message's trace. */
  async transaction<R>(database: string | undefined, run: () => Promise<R>): Promise<R> {
    const attributes = {
      [ATTR_DB_SYSTEM_NAME]: "postgresql", [ATTR_DB_OPERATION_NAME]: "transaction", [ATTR_DB_OPERATION_BATCH_SIZE]: this.spans.size,
      ...(database && { [ATTR_DB_NAMESPACE]: database }),
    };
    const startTime = now();
    const span = tracer().startSpan("transaction", { kind: SpanKind.CLIENT, attributes, startTime }, trace.setSpan(ROOT_CONTEXT, this.batch));
    let failure: unknown;
    try {
      return await run();
    } catch (error) {
      failed(span, (failure = error));
      throw error;
    } finally {
      const endTime = now();
      span.end(endTime);
      for (const parent of this.spans.values()) {
        if (!parent.isRecording()) continue;
        const orderId = this.orders.get(parent);
        const share = tracer().startSpan("transaction", {
          kind: SpanKind.CLIENT, startTime, attributes: { ...attributes, ...(orderId !== undefined && { [ORDER_ID]: orderId }) },
        }, trace.setSpan(ROOT_CONTEXT, parent));
        if (failure !== undefined) failed(share, failure);
        share.end(endTime);
      }
    }
  }

  /** Every span ends: in error when the batch failed. */
  end(error?: unknown) {
    for (const span of [...this.spans.values(), this.batch]) {
      if (error !== undefined) failed(span, error);
      span.end();
    }
  }
}

function failed(span: Span, error: unknown) {
  span.recordException(error instanceof Error ? error : String(error));
  span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : "Error");
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
