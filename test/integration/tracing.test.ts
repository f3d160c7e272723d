import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { envelope } from "../../src/orders/envelope.ts";
import { createProduct, sql } from "../support/db.ts";
import { customer, readStatusEvents, session, shippingAddress } from "../support/http.ts";
import { getTrace, JAEGER_OTLP_URL, services, waitForTraces, type Span, type Trace } from "../support/jaeger.ts";
import { produce, stopProducing, topics } from "../support/kafka.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/** Traces of this run only: every shop of this file files them under a service name of its own. */
const SERVICE = `shop-test-${crypto.randomUUID().slice(0, 8)}`;
const SEED = 2312;
const tracing = (service: string, ratio: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: JAEGER_OTLP_URL, OTEL_SERVICE_NAME: service, OTEL_TRACES_SAMPLER_ARG: ratio,
  // Spans go out within a fifth of a second, not the SDK's five.
  OTEL_BSP_SCHEDULE_DELAY: "200",
});

let a: RunningShop;
let b: RunningShop;
let productId: string;

beforeAll(async () => {
  // Two instances of one shop, in the same consumer groups: an order's work crosses from one to the other.
  [a, b, productId] = await Promise.all([startShop(tracing(SERVICE, "1"), "tracing-a"), startShop(tracing(SERVICE, "1"), "tracing-b"), createProduct({ stock: 10_000 })]);
}, 120_000);
afterAll(async () => {
  await stopProducing();
  await Promise.all([a?.stop(), b?.stop()]);
});

const byName = (trace: Trace, name: string) => trace.spans.filter((s) => s.operationName === name);
const parentOf = (trace: Trace, span: Span) => {
  const parent = span.references.find((r) => r.refType === "CHILD_OF");
  return parent && trace.spans.find((s) => s.spanID === parent.spanID);
};
/** The span named `name` whose parent is `parent`, and only one. */
function childOf(trace: Trace, parent: Span, name: string): Span {
  const children = byName(trace, name).filter((s) => parentOf(trace, s)?.spanID === parent.spanID);
  expect(children.map((s) => s.operationName)).toEqual([name]);
  expect(children[0]!.startTime).toBeGreaterThanOrEqual(parent.startTime);
  return children[0]!;
}
const instanceOf = (span: Span) => span.process.tags["service.instance.id"];

async function placeOrder(shop: RunningShop) {
  const browser = session(shop.url);
  const response = await browser.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  return { id, browser };
}

/** Whether `trace` holds each span named, as many times as named: Jaeger stores spans as each instance's exporter sends them. */
const holds = (trace: Trace, ...names: string[]) =>
  names.every((name) => byName(trace, name).length >= names.filter((n) => n === name).length);

/** The one trace of an order, once it holds `until`'s spans. */
async function traceOfOrder(id: string, until: (trace: Trace) => boolean): Promise<Trace> {
  const [trace] = await waitForTraces({ service: SERVICE, tags: { "shop.order.id": id } }, (found) => found.length === 1 && until(found[0]!));
  return trace!;
}

describe("one order, one trace, in Jaeger", () => {
  test("HTTP, produce, both consumers' batches, transactions and publishes, and the stream's delivery, in causal order, across two instances", async () => {
    // Orders go to whichever instance owns their partition: placed through A until one crosses to B.
    let crossed: Trace | undefined;
    for (let i = 0; i < 20 && !crossed; i++) {
      const { id } = await placeOrder(a);
      expect((await readStatusEvents(a.url, id)).at(-1)?.status).toBe("confirmed");
      const trace = await traceOfOrder(id, (t) => byName(t, "deliver order status").some((s) => s.tags["shop.order.status"] === "confirmed")
        && holds(t, "POST /api/orders", `send ${topics.commands}`, `process ${topics.commands}`, "transaction", "transaction", `send ${topics.placed}`, `process ${topics.placed}`, `send ${topics.confirmed}`));

      const request = byName(trace, "POST /api/orders")[0]!;
      expect(request.tags).toMatchObject({ "span.kind": "server", "http.request.method": "POST", "http.route": "/api/orders", "http.response.status_code": 202, "shop.order.id": id });
      const command = childOf(trace, request, `send ${topics.commands}`);
      expect(command.tags).toMatchObject({ "span.kind": "producer", "messaging.system": "kafka", "messaging.destination.name": topics.commands, "messaging.kafka.message.key": id });
      expect(String(command.tags["messaging.destination.partition.id"])).toMatch(/^\d+$/);
      const placing = childOf(trace, command, `process ${topics.commands}`);
      expect(placing.tags).toMatchObject({ "span.kind": "consumer", "messaging.operation.type": "process", "messaging.consumer.group.name": expect.any(String) });
      // Its batch: a span of a trace of its own, which the message's span links to.
      expect(placing.references.some((r) => r.refType === "FOLLOWS_FROM")).toBe(true);
      expect(childOf(trace, placing, "transaction").tags).toMatchObject({ "db.system.name": "postgresql", "db.operation.name": "transaction" });
      const placed = childOf(trace, placing, `send ${topics.placed}`);
      const confirming = childOf(trace, placed, `process ${topics.placed}`);
      childOf(trace, confirming, "transaction");
      childOf(trace, confirming, `send ${topics.confirmed}`);
      // The browser's stream is told of the confirmation under the message that made it.
      const sent = byName(trace, "deliver order status").find((s) => s.tags["shop.order.status"] === "confirmed")!;
      expect(parentOf(trace, sent)?.spanID).toBe(placed.spanID);
      for (const span of trace.spans) expect({ span: span.operationName, order: span.tags["shop.order.id"] }).toEqual({ span: span.operationName, order: id });
      // The request's log line names its trace.
      const accepted = (await Bun.file(a.logFile).text()).split("\n").filter((line) => line.includes('"order accepted"') && line.includes(id));
      expect(accepted.map((line) => JSON.parse(line).trace_id)).toEqual([trace.traceID]);
      if (new Set(trace.spans.map(instanceOf)).size === 2) crossed = trace;
    }
    expect(crossed).toBeDefined();
  }, 90_000);
});

const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

/** A PlaceOrder as another producer writes it, with `headers` of its own choosing. */
async function produceOrder(headers: Record<string, string>) {
  const orderId = crypto.randomUUID();
  await produce(topics.commands, [{
    key: orderId, headers: { type: "PlaceOrder", ...headers },
    value: JSON.stringify(envelope("PlaceOrder", orderId, { customer, items: [{ productId, quantity: 1 }] })),
  }]);
  return orderId;
}

const statusOf = async (id: string) => (await sql<{ status: string }[]>`SELECT status FROM orders WHERE id = ${id}::uuid`)[0]?.status;

describe("traces that start elsewhere", () => {
  test("a record another client produced with a traceparent continues that trace; so does a request that sends one", async () => {
    const [traceId, spanId] = [hex(16), hex(8)];
    const orderId = await produceOrder({ traceparent: `00-${traceId}-${spanId}-01` });
    const trace = await waitForTraces({ service: SERVICE, tags: { "shop.order.id": orderId } }, (found) => found.length === 1 && holds(found[0]!, `process ${topics.commands}`, `send ${topics.confirmed}`));
    expect(trace.map((t) => t.traceID)).toEqual([traceId]);
    const consumed = byName(trace[0]!, `process ${topics.commands}`)[0]!;
    expect(consumed.references).toContainEqual({ refType: "CHILD_OF", traceID: traceId, spanID: spanId });

    const [callerTrace, callerSpan] = [hex(16), hex(8)];
    const response = await session(a.url, { traceparent: `00-${callerTrace}-${callerSpan}-01` })
      .postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const request = await waitForTraces({ service: SERVICE, tags: { "shop.order.id": id } }, (found) => found.length === 1 && holds(found[0]!, "POST /api/orders"));
    expect(request.map((t) => t.traceID)).toEqual([callerTrace]);
    expect(byName(request[0]!, "POST /api/orders")[0]!.references).toContainEqual({ refType: "CHILD_OF", traceID: callerTrace, spanID: callerSpan });
  }, 60_000);

  test("a malformed traceparent starts a new trace and fails nothing (generated, fixed seed)", async () => {
    // Near misses of the W3C form as well as any string: a wrong length, upper case, ids of zeros, version ff.
    const nearMiss = fc.tuple(fc.constantFrom("00", "ff", "0g", "0"), fc.stringMatching(/^[0-9a-fA-F]{0,33}$/), fc.stringMatching(/^[0-9a-f]{0,17}$/), fc.constantFrom("01", "00", "1", "zz"))
      .map(([version, trace, span, flags]) => `${version}-${trace}-${span}-${flags}`);
    const zeros = fc.constantFrom(`00-${"0".repeat(32)}-${hex(8)}-01`, `00-${hex(16)}-${"0".repeat(16)}-01`);
    const malformed = fc.sample(fc.oneof(nearMiss, zeros, fc.string({ maxLength: 80 }), fc.string({ unit: "binary", maxLength: 80 })), { seed: SEED, numRuns: 25 })
      .filter((traceparent) => !/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/.test(traceparent) || /^00-0{32}-|-0{16}-/.test(traceparent));
    const orders = await Promise.all(malformed.map((traceparent) => produceOrder({ traceparent })));
    for (const [i, orderId] of orders.entries()) {
      const [trace] = await waitForTraces({ service: SERVICE, tags: { "shop.order.id": orderId } }, (found) => found.length === 1 && holds(found[0]!, `process ${topics.commands}`, `send ${topics.confirmed}`));
      const consumed = byName(trace!, `process ${topics.commands}`)[0]!;
      expect({ traceparent: malformed[i], parent: consumed.references.filter((r) => r.refType === "CHILD_OF") }).toEqual({ traceparent: malformed[i], parent: [] });
      expect(await statusOf(orderId)).toBe("confirmed");
    }
  }, 90_000);
});

describe("an order's later commands", () => {
  test("a cancel, sent from a request of its own, joins the order's trace, linked to that request", async () => {
    const { id, browser } = await placeOrder(a);
    expect((await readStatusEvents(a.url, id)).at(-1)?.status).toBe("confirmed");
    const cancel = await browser.request(`/api/orders/${id}/cancel`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reason: "changed my mind" }) });
    expect(cancel.status).toBe(202);
    // Two traces name the order: its own, and the cancel request's, whose span is linked from the command it sent.
    const isOrders = (t: Trace) => byName(t, "POST /api/orders").length === 1;
    const traces = await waitForTraces({ service: SERVICE, tags: { "shop.order.id": id } },
      (found) => found.length === 2 && found.some((t) => isOrders(t) && holds(t, `send ${topics.commands}`, `send ${topics.commands}`, `process ${topics.commands}`, `process ${topics.commands}`, `send ${topics.cancelled}`))
        && found.some((t) => holds(t, "POST /api/orders/:id/cancel")));
    const trace = traces.find(isOrders);
    const placedWith = byName(trace!, `send ${topics.commands}`).find((s) => parentOf(trace!, s)?.operationName === "POST /api/orders")!;
    const cancelCommand = byName(trace!, `send ${topics.commands}`).find((s) => s !== placedWith)!;
    expect(parentOf(trace!, cancelCommand)?.spanID).toBe(placedWith.spanID);
    const request = cancelCommand.references.find((r) => r.refType === "FOLLOWS_FROM")!;
    const requestTrace = traces.find((t) => !isOrders(t))!;
    expect(requestTrace.spans.find((s) => s.spanID === request.spanID)?.operationName).toBe("POST /api/orders/:id/cancel");
    childOf(trace!, childOf(trace!, cancelCommand, `process ${topics.commands}`), `send ${topics.cancelled}`);
  }, 60_000);
});

describe("sampling", () => {
  test("OTEL_TRACES_SAMPLER_ARG=0 sends nothing, and the instances that sample follow its choice for its orders", async () => {
    const quiet = `${SERVICE}-unsampled`;
    const c = await startShop(tracing(quiet, "0"), "tracing-c");
    let id: string;
    try {
      ({ id } = await placeOrder(c));
      expect((await readStatusEvents(c.url, id)).at(-1)?.status).toBe("confirmed");
    } finally {
      // Its exporter is flushed as it stops: whatever it had would be in Jaeger by then.
      expect(await c.stop()).toBe(0);
    }
    // An order of A's, placed after, is in Jaeger: spans exported since then have arrived.
    const after = await placeOrder(a);
    await traceOfOrder(after.id, (t) => holds(t, `send ${topics.confirmed}`));
    expect(await services()).not.toContain(quiet);
    expect(await waitForTraces({ service: SERVICE, tags: { "shop.order.id": id! } }, () => true)).toEqual([]);
  }, 90_000);
});
