import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { createApp } from "../../src/http/app.ts";
import { LINK_LIFETIME_DAYS, readOrderLink, signOrderLink } from "../../src/orders/orderLinks.ts";
import type { Viewer } from "../../src/orders/schemas.ts";
import { testDeps } from "../support/apiDeps.ts";

const SECRET = "link-secret-for-tests";
const DAY = 24 * 60 * 60 * 1000;
const order = crypto.randomUUID();
const other = crypto.randomUUID();

describe("order links", () => {
  test("a token opens its order until it expires, LINK_LIFETIME_DAYS after it was signed", () => {
    const now = Date.parse("2026-12-07T10:00:00Z");
    const token = signOrderLink(SECRET, order, now);
    expect(readOrderLink(SECRET, token, now)).toEqual({ ok: true, orderId: order, expiresAt: new Date(now + LINK_LIFETIME_DAYS * DAY) });
    expect(readOrderLink(SECRET, token, now + LINK_LIFETIME_DAYS * DAY - 1).ok).toBe(true);
    expect(readOrderLink(SECRET, token, now + LINK_LIFETIME_DAYS * DAY)).toEqual({ ok: false, why: "expired" });
    expect(readOrderLink("another shop's secret", token, now)).toEqual({ ok: false, why: "forged" });
  });

  test("no change to a token, and no string at all, opens anything (generated, fixed seed)", () => {
    const token = signOrderLink(SECRET, order);
    fc.assert(fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(..."ABCabc019-_"), (at, c) => {
      const changed = token.slice(0, at) + c + token.slice(at + 1);
      fc.pre(changed !== token);
      expect(readOrderLink(SECRET, changed).ok).toBe(false);
    }), { seed: 22, numRuns: 500 });
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
      expect(readOrderLink(SECRET, s).ok).toBe(false);
    }), { seed: 22, numRuns: 500 });
  });
});

describe("GET /api/orders/:id and POST /api/orders/:id/cancel with ?token=", () => {
  function app() {
    const asked: Viewer[] = [];
    const sent: { orderId: string; data: unknown }[] = [];
    const deps = testDeps({
      orders: {
        ...testDeps().orders,
        get: async (id, viewer) => {
          asked.push(viewer);
          return "order" in viewer && viewer.order === id ? ({ id } as never) : undefined;
        },
        state: async (id, viewer) => ("order" in viewer && viewer.order === id ? { status: "confirmed", items: [] } : undefined),
        outcome: async () => undefined,
      },
      sendCommand: async (command) => { sent.push({ orderId: command.orderId, data: command.data }); },
    });
    return { app: createApp(deps), asked, sent };
  }

  test("the link's token opens its order in a session that never saw it, and cancels it as the customer", async () => {
    const { app: shop, asked, sent } = app();
    const token = signOrderLink(SECRET, order);
    const response = await shop.request(`/api/orders/${order}?token=${token}`);
    expect(response.status).toBe(200);
    expect(asked).toEqual([{ admin: false, order }]);
    const cancel = await shop.request(`/api/orders/${order}/cancel?token=${token}`, { method: "POST" });
    expect(cancel.status).toBe(202);
    expect(sent).toEqual([{ orderId: order, data: { by: "customer" } }]);
  });

  test("a token for another order, a forged one and an expired one open nothing: 403 with the reason", async () => {
    const { app: shop, asked, sent } = app();
    const cases = [
      [signOrderLink(SECRET, other), "link_invalid"],
      [signOrderLink("not the shop's secret", order), "link_invalid"],
      [signOrderLink(SECRET, order, Date.now() - LINK_LIFETIME_DAYS * DAY - 1), "link_expired"],
      ["not-a-token", "link_invalid"],
    ] as const;
    for (const [token, reason] of cases) {
      for (const [path, init] of [[`/api/orders/${order}`, {}], [`/api/orders/${order}/cancel`, { method: "POST" }]] as const) {
        const response = await shop.request(`${path}?token=${token}`, init);
        expect({ status: response.status, error: (await response.json()).error }).toMatchObject({ status: 403, error: { code: "forbidden", reason } });
      }
    }
    expect(asked).toEqual([]);
    expect(sent).toEqual([]);
    // Without a token, the session is asked for, as before: not its order, 404.
    expect((await shop.request(`/api/orders/${order}`)).status).toBe(404);
  });
});
