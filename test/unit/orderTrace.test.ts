import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { orderTraceUrl } from "../../src/http/orderTrace.ts";

const order = { id: "0b6f2c1e-7d1a-4c55-9b2e-3f0c2a9d8e71", createdAt: "2026-12-07T10:00:00.000Z" };
const now = Date.parse("2026-12-07T12:30:00.000Z");

describe("an order's trace link", () => {
  test("Jaeger's search page for the service and the order's tag, from a minute before the order to an hour from now, in microseconds", () => {
    expect(orderTraceUrl({ url: "http://127.0.0.1:16686", service: "shop" }, order, now)).toBe(
      "http://127.0.0.1:16686/search?service=shop"
      + "&tags=%7B%22shop.order.id%22%3A%220b6f2c1e-7d1a-4c55-9b2e-3f0c2a9d8e71%22%7D"
      + `&lookback=custom&start=${Date.parse("2026-12-07T09:59:00.000Z")}000&end=${Date.parse("2026-12-07T13:30:00.000Z")}000`,
    );
  });

  test("under Jaeger's base path, for any service name and order (generated, fixed seed)", () => {
    fc.assert(fc.property(fc.uuid(), fc.string({ minLength: 1, maxLength: 100 }), fc.date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true }), (id, service, created) => {
      const url = new URL(orderTraceUrl({ url: "https://ops.example/jaeger", service }, { id, createdAt: created.toISOString() }, now));
      expect(url.origin + url.pathname).toBe("https://ops.example/jaeger/search");
      expect(url.searchParams.get("service")).toBe(service);
      expect(JSON.parse(url.searchParams.get("tags")!)).toEqual({ "shop.order.id": id });
      expect(Number(url.searchParams.get("start"))).toBe((created.getTime() - 60_000) * 1000);
      expect(Number(url.searchParams.get("end"))).toBe((now + 3_600_000) * 1000);
    }), { seed: 23, numRuns: 300 });
  });
});
