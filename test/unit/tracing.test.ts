import { afterAll, describe, expect, test } from "bun:test";
import { context, propagation, ROOT_CONTEXT, trace, TraceFlags } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { BatchSpans } from "../../src/kafka/batchSpans.ts";
import type { Inbound } from "../../src/kafka/message.ts";
import { tracedPublisher } from "../../src/kafka/tracedPublisher.ts";
import type { Outbound } from "../../src/kafka/publisher.ts";
import { commandTrace } from "../../src/tracing/commandTrace.ts";
import { contextOf, headersIn, notKept, ORDER_ID, traceparentOf, tracedBy, unsampled } from "../../src/tracing/spans.ts";

const SEED = 2312;
const WELL_FORMED = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

describe("a record's traceparent, as another producer may write it", () => {
  test("kept only in the W3C form, whatever the header holds, and handed on with a status change only when its trace is kept (generated, fixed seed)", () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const good = fc.tuple(hex(2), hex(32), hex(16), hex(2)).map((parts) => parts.join("-"));
    fc.assert(fc.property(good, (traceparent) => expect(traceparentOf({ traceparent })).toBe(traceparent)), { seed: SEED, numRuns: 200 });
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: "binary", maxLength: 120 }), good.map((t) => `${t} `), good.map((t) => t.toUpperCase())), (traceparent) => {
      expect(traceparentOf({ traceparent })).toBe(WELL_FORMED.test(traceparent) ? traceparent : undefined);
      const kept = WELL_FORMED.test(traceparent) && (Number.parseInt(traceparent.slice(-2), 16) & 1) === 1;
      expect(tracedBy({ traceparent })).toEqual(kept ? { traceparent } : {});
    }), { seed: SEED, numRuns: 500 });
    expect(traceparentOf({})).toBeUndefined();
  });
});

describe("a traceparent handed on as it came", () => {
  test("exactly those of a trace not kept that extracting and injecting again would write unchanged (generated, fixed seed)", () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const zeros = (n: number) => fc.constant("0".repeat(n));
    const often = <T>(usual: fc.Arbitrary<T>, ...others: fc.Arbitrary<T>[]) => fc.oneof({ arbitrary: usual, weight: 3 }, ...others);
    const traceparent = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(often(fc.constant("00"), hex(2)), often(hex(32), zeros(32)), often(hex(16), zeros(16)), often(fc.constant("00"), fc.constantFrom("01", "02", "03"), hex(2)))
        .chain((parts) => often(fc.constant(parts.join("-")), fc.constantFrom(` ${parts.join("-")}`, `${parts.join("-")}-extra`, parts.join("-").toUpperCase()))) },
      fc.string({ maxLength: 80 }),
    );
    const headers = fc.record({ traceparent, tracestate: fc.constantFrom("vendor=1", "", "=bad,,") }, { requiredKeys: ["traceparent"] });
    let handedOn = 0;
    fc.assert(fc.property(headers, (h) => {
      const fast = notKept(h);
      const parent = contextOf(h);
      // Nothing the propagator would write back unchanged for a trace not kept is left to the slow path.
      if (fast === undefined) return void expect(h.tracestate === undefined && unsampled(parent) && headersIn(parent).traceparent === h.traceparent).toBe(false);
      handedOn++;
      expect(unsampled(parent)).toBe(true);
      expect(fast as Record<string, string>).toEqual(headersIn(parent));
    }), { seed: SEED, numRuns: 2_000 });
    expect(handedOn).toBeGreaterThan(20);
    expect(notKept({ traceparent: "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00" })).toEqual({ traceparent: "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00" });
    expect(notKept({ traceparent: "00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01" })).toBeUndefined();
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

  test("a batch: a message of a kept trace gets its span, and its event a producer span under it; one of a trace not kept gets none, and its event its traceparent", async () => {
    const inbound = (traceparent: string): Inbound => ({
      topic: "orders.commands", partition: 0, offset: "7", key: "o-3", value: null, headers: { traceparent }, rawHeaders: {}, headerFault: null, timestamp: new Date(),
    });
    const kept = inbound("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    const dropped = inbound("00-1af7651916cd43dd8448eb211c80319c-c7ad6b7169203331-00");
    spans.reset();
    const batch = new BatchSpans("commands", [kept, dropped]);
    batch.ofOrder(kept, "o-3");
    batch.ofOrder(dropped, "o-4");
    const sent: Outbound[] = [];
    const publisher = tracedPublisher({ publish: async (messages) => void sent.push(...messages) });
    await batch.transaction("shop", async () => undefined);
    await publisher.publish([kept, dropped].map((m, i) => ({ topic: "orders.placed", key: `o-${3 + i}`, value: "{}", headers: {}, trace: batch.producedBy(m, `o-${3 + i}`) })));
    batch.end();

    const finished = spans.getFinishedSpans();
    const process = finished.filter((s) => s.name === "process orders.commands" && s.parentSpanContext);
    expect(process.map((s) => [s.spanContext().traceId, s.attributes[ORDER_ID]])).toEqual([["0af7651916cd43dd8448eb211c80319c", "o-3"]]);
    const send = finished.find((s) => s.name === "send orders.placed")!;
    expect(send.parentSpanContext?.spanId).toBe(process[0]!.spanContext().spanId);
    expect(sent[0]!.headers.traceparent).toBe(`00-0af7651916cd43dd8448eb211c80319c-${send.spanContext().spanId}-01`);
    expect(sent[1]!.headers.traceparent).toBe(dropped.headers.traceparent);
    expect(finished.filter((s) => s.spanContext().traceId === "1af7651916cd43dd8448eb211c80319c")).toEqual([]);
  });
});
