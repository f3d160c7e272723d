import { describe, expect, test } from "bun:test";
import { findTraces, getTrace, JAEGER_OTLP_URL, services, waitForTraces } from "../support/jaeger.ts";

const hex = (bytes: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");

/** Spans sent the way an OTLP/HTTP exporter sends them, as JSON (the protocol's other encoding). */
async function sendSpans(service: string, spans: object[]) {
  const response = await fetch(`${JAEGER_OTLP_URL}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      resourceSpans: [{
        resource: { attributes: [{ key: "service.name", value: { stringValue: service } }, { key: "host.name", value: { stringValue: "test-host" } }] },
        scopeSpans: [{ scope: { name: "jaeger.test" }, spans }],
      }],
    }),
  });
  expect(response.status).toBe(200);
}

describe("the Jaeger client of the tests, against infra:up's Jaeger", () => {
  test("finds a span sent over OTLP/HTTP by its service and tag, typed, with its parent and its link", async () => {
    const service = `jaeger-test-${hex(4)}`;
    const orderId = `order-${hex(8)}`;
    const [traceId, parentId, childId, linkedTrace, linkedSpan] = [hex(16), hex(8), hex(8), hex(16), hex(8)];
    const startMs = Date.now();
    const nanos = (ms: number) => String(BigInt(startMs + ms) * 1_000_000n);
    await sendSpans(service, [
      { traceId, spanId: parentId, name: "POST /api/orders", kind: 2, startTimeUnixNano: nanos(0), endTimeUnixNano: nanos(5), attributes: [{ key: "shop.order.id", value: { stringValue: orderId } }] },
      {
        traceId, spanId: childId, parentSpanId: parentId, name: "orders.placed publish", kind: 4, startTimeUnixNano: nanos(1), endTimeUnixNano: nanos(3),
        attributes: [
          { key: "shop.order.id", value: { stringValue: orderId } },
          { key: "messaging.kafka.message.offset", value: { intValue: "42" } },
          { key: "shop.retried", value: { boolValue: false } },
        ],
        links: [{ traceId: linkedTrace, spanId: linkedSpan }],
      },
    ]);

    const [trace] = await waitForTraces({ service, tags: { "shop.order.id": orderId }, start: new Date(startMs - 1_000) }, (traces) => traces[0]?.spans.length === 2);
    expect(trace!.traceID).toBe(traceId);
    expect(trace!.spans.map((span) => span.spanID)).toEqual([parentId, childId]);
    const child = trace!.spans.find((span) => span.spanID === childId)!;
    expect(child).toMatchObject({
      traceID: traceId,
      operationName: "orders.placed publish",
      startTime: (startMs + 1) * 1000,
      duration: 2000,
      tags: { "shop.order.id": orderId, "messaging.kafka.message.offset": 42, "shop.retried": false, "span.kind": "producer" },
      process: { serviceName: service, tags: { "host.name": "test-host" } },
    });
    expect(child.references).toEqual(expect.arrayContaining([
      { refType: "CHILD_OF", traceID: traceId, spanID: parentId },
      { refType: "FOLLOWS_FROM", traceID: linkedTrace, spanID: linkedSpan },
    ]));
    expect(trace!.spans.find((span) => span.spanID === parentId)!.references).toEqual([]);

    expect(await getTrace(traceId)).toEqual(trace);
    expect(await services()).toContain(service);
    expect(await findTraces({ service, tags: { "shop.order.id": `${orderId}-other` } })).toEqual([]);
  });

  test("an unknown trace is undefined; a wait that never holds fails with what Jaeger last answered", async () => {
    expect(await getTrace(hex(16))).toBeUndefined();
    const service = `jaeger-test-${hex(4)}`;
    const traceId = hex(16);
    const now = String(BigInt(Date.now()) * 1_000_000n);
    await sendSpans(service, [{ traceId, spanId: hex(8), name: "lonely", kind: 1, startTimeUnixNano: now, endTimeUnixNano: now }]);
    await waitForTraces({ service }, (traces) => traces.length === 1);
    await expect(waitForTraces({ service }, (traces) => traces.length === 2, 300))
      .rejects.toThrow(`finds 1 trace(s), not yet as expected:\n${traceId}: ${service}: lonely`);
  });
});
