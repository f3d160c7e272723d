import { afterAll, describe, expect, test } from "bun:test";
import { context, propagation, ROOT_CONTEXT, SamplingDecision, trace, TraceFlags, type Sampler } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { BasicTracerProvider, InMemorySpanExporter, ParentBasedSampler, SimpleSpanProcessor, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import fc from "fast-check";
import { BatchSpans } from "../../src/kafka/batchSpans.ts";
import type { Inbound } from "../../src/kafka/message.ts";
import { tracedPublisher } from "../../src/kafka/tracedPublisher.ts";
import type { Outbound } from "../../src/kafka/publisher.ts";
import { commandTrace } from "../../src/tracing/commandTrace.ts";
import { DecidedIds, decideRequests, startRequestTrace, type RequestTrace } from "../../src/tracing/requestTrace.ts";
import { contextOf, headersIn, notKept, ORDER_ID, traceparentOf, tracedBy, unsampled, type ProducedUnder } from "../../src/tracing/spans.ts";

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

describe("with the SDK as startTracing registers it", () => {
  // The SDK and the W3C propagator, with the spans kept in memory, the shop's sampler keeping `root.ratio` of new traces.
  const spans = new InMemorySpanExporter();
  const ids = new DecidedIds();
  // It notes the trace ids it is asked about: one new trace, one id, whoever asks.
  const root: Sampler & { ratio: number; asked: string[] } = {
    ratio: 1,
    asked: [],
    shouldSample(parent, traceId) {
      this.asked.push(traceId);
      return new TraceIdRatioBasedSampler(this.ratio).shouldSample(parent, traceId);
    },
  };
  const ratioKeeps = (traceId: string) => new TraceIdRatioBasedSampler(root.ratio).shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
  trace.setGlobalTracerProvider(new BasicTracerProvider({ idGenerator: ids, sampler: new ParentBasedSampler({ root }), spanProcessors: [new SimpleSpanProcessor(spans)] }));
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  decideRequests({ root, ids });
  afterAll(() => {
    decideRequests(undefined);
    trace.disable();
    propagation.disable();
    context.disable();
  });
  const span = trace.getTracer("test").startSpan("POST /api/orders/:id/cancel");
  const request: RequestTrace = { span, parent: trace.setSpan(ROOT_CONTEXT, span) };
  const placedWith = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const notKeptRequest: RequestTrace = { handOn: { traceparent: "00-2af7651916cd43dd8448eb211c80319c-d7ad6b7169203331-00" } };

  test("PlaceOrder: under the request, which names the order; the stored traceparent is not even read", async () => {
    let read = false;
    const produced = await commandTrace({ type: "PlaceOrder", orderId: "o-1" }, request, async () => { read = true; return placedWith; });
    expect(read).toBe(false);
    expect(trace.getSpanContext((produced as ProducedUnder).parent)?.spanId).toBe(span.spanContext().spanId);
    expect(produced).toMatchObject({ orderId: "o-1" });
  });

  test("PlaceOrder of a request whose trace is not kept: with the request's traceparent, and no span", async () => {
    expect(await commandTrace({ type: "PlaceOrder", orderId: "o-5" }, notKeptRequest, async () => placedWith)).toEqual({ ...notKeptRequest, orderId: "o-5" });
  });

  test("a later command: under the PlaceOrder stored with the order, linked to the request when it has a span", async () => {
    const produced = await commandTrace({ type: "CancelOrder", orderId: "o-1" }, request, async () => placedWith) as ProducedUnder;
    expect(trace.getSpanContext(produced.parent)).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: TraceFlags.SAMPLED });
    expect(produced.links?.map((l) => l.context.spanId)).toEqual([span.spanContext().spanId]);
    span.end();
    expect(spans.getFinishedSpans().at(-1)?.attributes[ORDER_ID]).toBe("o-1");
    const unlinked = await commandTrace({ type: "CancelOrder", orderId: "o-1" }, notKeptRequest, async () => placedWith) as ProducedUnder;
    expect(trace.getSpanContext(unlinked.parent)?.spanId).toBe("b7ad6b7169203331");
    expect(unlinked.links).toEqual([]);
  });

  test("a later command of an order stored without one: as its request's PlaceOrder would be", async () => {
    const produced = await commandTrace({ type: "ShipOrder", orderId: "o-2" }, request, async () => null);
    expect(trace.getSpanContext((produced as ProducedUnder).parent)?.spanId).toBe(span.spanContext().spanId);
    expect(await commandTrace({ type: "ShipOrder", orderId: "o-2" }, notKeptRequest, async () => null)).toEqual({ ...notKeptRequest, orderId: "o-2" });
    expect(contextOf({ traceparent: "not one" })).toBe(ROOT_CONTEXT);
  });

  test("a request's trace is decided as the SDK would decide it, and only a kept one makes a span (generated, fixed seed)", () => {
    const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
    const flags = fc.constantFrom("00", "01");
    const traceparent = fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 3, arbitrary: fc.tuple(hex(32), hex(16), flags).map(([t, s, f]) => `00-${t}-${s}-${f}`) },
      fc.string({ maxLength: 60 }),
    );
    const requests = fc.record({ traceparent, tracestate: fc.option(fc.constantFrom("vendor=1", ""), { nil: undefined }), ratio: fc.constantFrom(0, 0.5, 1) });
    let made = 0;
    let handedOn = 0;
    fc.assert(fc.property(requests, ({ traceparent, tracestate, ratio }) => {
      root.ratio = ratio;
      const headers = new Headers({ ...(traceparent !== undefined && { traceparent }), ...(tracestate !== undefined && { tracestate }) });
      spans.reset();
      root.asked = [];
      const decided = startRequestTrace(headers, "POST");
      // What the SDK alone would make of the same request: a span under the caller's context, kept or not.
      const parent = trace.getSpanContext(contextOf({ ...(traceparent !== undefined && { traceparent }), ...(tracestate !== undefined && { tracestate }) }));
      if ("handOn" in decided) {
        handedOn++;
        const [, traceId, , flagsOut] = decided.handOn.traceparent!.split("-");
        expect(flagsOut).toBe("00");
        if (parent) expect(traceId).toBe(parent.traceId);
        // A trace the caller did not keep, or a new one the ratio does not keep.
        expect(parent ? (parent.traceFlags & TraceFlags.SAMPLED) === 0 : !ratioKeeps(traceId!)).toBe(true);
        expect(root.asked).toEqual(parent ? [] : [traceId!]);
      } else {
        made++;
        expect(decided.span.isRecording()).toBe(true);
        const { traceId } = decided.span.spanContext();
        if (parent) expect({ traceId, kept: (parent.traceFlags & TraceFlags.SAMPLED) !== 0 }).toEqual({ traceId: parent.traceId, kept: true });
        else expect({ kept: ratioKeeps(traceId), asked: [...new Set(root.asked)] }).toEqual({ kept: true, asked: [traceId] });
        expect(trace.getSpanContext(decided.parent)?.spanId).toBe(decided.span.spanContext().spanId);
        decided.span.end();
      }
      expect(spans.getFinishedSpans()).toHaveLength("handOn" in decided ? 0 : 1);
      // Whatever it decided, a new trace the next span starts is a trace of its own.
      const next = trace.getTracer("test").startSpan("next", { root: true });
      expect(next.spanContext().traceId).not.toBe(("span" in decided ? decided.span.spanContext() : { traceId: decided.handOn.traceparent!.slice(3, 35) }).traceId);
      next.end();
    }), { seed: SEED, numRuns: 600 });
    expect({ made: made > 50, handedOn: handedOn > 50 }).toEqual({ made: true, handedOn: true });
    root.ratio = 1;
  });

  test("with a sampler the shop cannot ask (OTEL_TRACES_SAMPLER set), every request gets a span for the SDK to decide", () => {
    decideRequests(undefined);
    try {
      root.ratio = 1;
      const decided = startRequestTrace(new Headers(), "GET");
      expect("span" in decided && decided.span.isRecording()).toBe(true);
      root.ratio = 0;
      const dropped = startRequestTrace(new Headers(), "GET");
      expect("handOn" in dropped && dropped.handOn.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    } finally {
      root.ratio = 1;
      decideRequests({ root, ids });
    }
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
