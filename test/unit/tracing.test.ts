import { afterAll, describe, expect, test } from "bun:test";
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { commandTrace } from "../../src/tracing/commandTrace.ts";
import { contextOf, ORDER_ID, traceparentOf, tracedBy } from "../../src/tracing/spans.ts";

const SEED = 2312;
const WELL_FORMED = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe("a record's traceparent, as another producer may write it", () => {
  test("kept only in the W3C form, whatever the header holds (generated, fixed seed)", () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const good = fc.tuple(hex(2), hex(32), hex(16), hex(2)).map((parts) => parts.join("-"));
    fc.assert(fc.property(good, (traceparent) => expect(traceparentOf({ traceparent })).toBe(traceparent)), { seed: SEED, numRuns: 200 });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: "binary", maxLength: 120 }), good.map((t) => `${t} `), good.map((t) => t.toUpperCase())), (traceparent) => {
      expect(traceparentOf({ traceparent })).toBe(WELL_FORMED.test(traceparent) ? traceparent : undefined);
      expect(tracedBy({ traceparent })).toEqual(WELL_FORMED.test(traceparent) ? { traceparent } : {});
    }), { seed: SEED, numRuns: 500 });
    expect(traceparentOf({})).toBeUndefined();
  });
});

describe("where an order's command is produced", () => {
  // The SDK and the W3C propagator, as startTracing registers them, with the spans kept in memory.
  const spans = new InMemorySpanExporter();
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });
  const request = trace.getTracer("test").startSpan("POST /api/orders/:id/cancel");
  const inRequest = <R>(run: () => R) => context.with(trace.setSpan(ROOT_CONTEXT, request), run);
  const placedWith = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  test("PlaceOrder: under the request, which names the order; the stored traceparent is not even read", async () => {
    let read = false;
    const produced = await inRequest(() => commandTrace({ type: "PlaceOrder", orderId: "o-1" }, async () => { read = true; return placedWith; }));
    expect(read).toBe(false);
    expect(trace.getSpanContext(produced.parent)?.spanId).toBe(request.spanContext().spanId);
    expect(produced).toMatchObject({ orderId: "o-1" });
  });

  test("a later command: under the PlaceOrder stored with the order, linked to the request", async () => {
    const produced = await inRequest(() => commandTrace({ type: "CancelOrder", orderId: "o-1" }, async () => placedWith));
    expect(trace.getSpanContext(produced.parent)).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.SAMPLED });
    expect(produced.links?.map((l) => l.context.spanId)).toEqual([request.spanContext().spanId]);
    request.end();
    expect(spans.getFinishedSpans().at(-1)?.attributes[ORDER_ID]).toBe("o-1");
  });

  test("a later command of an order stored without one: under its request", async () => {
    const produced = await inRequest(() => commandTrace({ type: "ShipOrder", orderId: "o-2" }, async () => null));
    expect(trace.getSpanContext(produced.parent)?.spanId).toBe(request.spanContext().spanId);
    expect(contextOf({ traceparent: "not one" })).toBe(ROOT_CONTEXT);
  });
});
