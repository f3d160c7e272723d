import { context, SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ATTR_ERROR_TYPE } from "@opentelemetry/semantic-conventions";
import { headersIn, headersOf, MESSAGING, ORDER_ID, tracer, unsampled } from "../tracing/spans.ts";
import type { Outbound, Publisher } from "./publisher.ts";

/**
 * Every record the shop writes carries a W3C traceparent: a producer span per record, a child of
 * the work it comes from (the request being handled, or the message whose event it is), ended once
 * Kafka has acknowledged it. A record that already carries one is a copy (a dead letter, a replay)
 * and goes on in the trace of the message it copies; one of a trace not kept carries its work's.
 */
export function tracedPublisher(inner: Publisher): Publisher {
  return {
    async publish(messages, deadline) {
      const spans = [];
      const traced: Outbound[] = [];
      for (const m of messages) {
        if (m.headers.traceparent !== undefined) {
          traced.push(m);
          continue;
        }
        if (m.trace && "handOn" in m.trace) {
          traced.push(carrying(m, m.trace.handOn));
          continue;
        }
        const parent = m.trace?.parent ?? context.active();
        if (unsampled(parent)) {
          traced.push(carrying(m, headersIn(parent)));
          continue;
        }
        const span = tracer().startSpan(`send ${m.topic}`, { kind: SpanKind.PRODUCER, links: m.trace?.links }, parent);
        // A span that is not kept still names its trace in the header, so that what follows is not kept either.
        if (!span.isRecording()) {
          traced.push(carrying(m, headersOf(span)));
          continue;
        }
        span.setAttributes({
          [MESSAGING.system]: "kafka", [MESSAGING.operationType]: "send", [MESSAGING.operationName]: "send", [MESSAGING.destination]: m.topic,
          ...(typeof m.key === "string" && { [MESSAGING.key]: m.key }),
          ...(m.trace?.orderId !== undefined && { [ORDER_ID]: m.trace.orderId }),
        });
        spans.push(span);
        traced.push(carrying(m, headersOf(span), (partition) => span.setAttribute(MESSAGING.partition, String(partition))));
      }
      try {
        await inner.publish(traced, deadline);
      } catch (error) {
        for (const span of spans) {
          span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : "Error");
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        }
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
    },
  };
}

/** The record as the inner publisher takes it, with the trace's headers beside its own: a copy, the caller's message is left as it was. */
const carrying = (m: Outbound, trace: Readonly<Record<string, string>>, placed = m.placed): Outbound =>
  ({ topic: m.topic, key: m.key, value: m.value, headers: { ...m.headers, ...trace }, placed });
