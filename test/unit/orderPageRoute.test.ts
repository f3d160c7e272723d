import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { createApp } from "../../src/http/app.ts";
import { sessions } from "../../src/http/middleware/session.ts";
import { ownerOf } from "../../src/orders/ids.ts";
import { signOrderLink } from "../../src/orders/orderLinks.ts";
import type { Order, Viewer } from "../../src/orders/schemas.ts";
import { testDeps } from "../support/apiDeps.ts";
import { SEED } from "../support/arbitraries.ts";

const ID = "5f0c6a1e-2b3d-4c5e-8f90-a1b2c3d4e5f6";
const ITEM = `</script><script>alert(1)</script> Gooseneck Kettle`;
const order: Order = {
  id: ID, status: "confirmed", customer: { name: "Ada Lovelace", email: "ada@example.com" },
  shippingAddress: { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" },
  timeline: [{ status: "placed", at: "2026-12-07T10:00:00.000Z" }, { status: "confirmed", at: "2026-12-07T10:00:01.000Z" }],
  items: [{ productId: "prd_kettle", name: ITEM, quantity: 2, unitPriceCents: 6450 }],
  totalCents: 12900, currency: "USD", createdAt: "2026-12-07T10:00:00.000Z", updatedAt: "2026-12-07T10:00:01.000Z",
};

const deps = testDeps();
const { sid } = sessions(deps.sessionSecret).issue(false);
const ownerCookie = `sid=${sid}`;
const stranger = sessions(deps.sessionSecret).issue(false).sid;
const strangerCookie = `sid=${stranger}`;

/** The app in memory with one order, placed by `ownerCookie`'s session; the viewers the database was asked for are kept. */
function shop() {
  const asked: Viewer[] = [];
  const app = createApp(testDeps({
    shopUrl: "https://shop.example.com",
    orders: {
      ...deps.orders,
      get: async (id, viewer) => {
        asked.push(viewer);
        const visible = "owner" in viewer ? viewer.owner === ownerOf(sid) : "order" in viewer && viewer.order === id;
        return id === ID && visible ? order : undefined;
      },
    },
  }));
  return { app, asked };
}

const preloadedOf = (html: string) => JSON.parse(/<script type="application\/json" id="preloaded">([\s\S]*?)<\/script>/.exec(html)![1]!);

/** The page as the browser renders it, with nothing of the order: what everyone gets who may not read it. */
async function expectClientPage(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("text/html");
  expect(response.headers.get("cache-control")).toBe("no-cache");
  const html = await response.text();
  expect(html).toContain('<div id="app"></div>');
  for (const secret of ["preloaded", "Gooseneck", "Ada", "ada@example.com", "James", "129.00", "Confirmed", "Order 5F0C6A1E"]) expect(html).not.toContain(secret);
}

describe("an order's page", () => {
  test("rendered on the server for the session that placed it: status, timeline, items, total, address, and the order as the page's data", async () => {
    const { app } = shop();
    const response = await app.request(`/orders/${ID}`, { headers: { cookie: ownerCookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("set-cookie")).toBeNull();
    const html = await response.text();
    expect(html).toContain('<h1 tabindex="-1">Order 5F0C6A1E</h1>');
    expect(html).toContain("<title>Order 5F0C6A1E — Ember &amp; Leaf</title>");
    expect(html).toContain('<link rel="canonical" href="https://shop.example.com/orders/5f0c6a1e-2b3d-4c5e-8f90-a1b2c3d4e5f6" />');
    expect(html).not.toContain("noindex");
    expect(html).toContain('<p class="status-label">Confirmed</p>');
    expect(html).toContain('data-step="confirmed"');
    expect(html).toContain("<td>&lt;/script>&lt;script>alert(1)&lt;/script> Gooseneck Kettle</td>");
    expect(html).toContain('<td data-testid="order-total">$129.00</td>');
    expect(html).toContain("<span>12 St James's Square</span>");
    expect(html).toContain("Cancel order");
    expect(html).not.toContain("Fetching your order");
    // The one script is the page's data: the item's name cannot end it.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(preloadedOf(html)).toEqual({ path: `/orders/${ID}`, search: "", order });
  });

  test("opened with a mailed link's token in another browser: rendered, the token kept for the page, not in its canonical address", async () => {
    const { app, asked } = shop();
    const token = signOrderLink(deps.linkSecret, ID);
    const html = await (await app.request(`/orders/${ID}?token=${token}`, { headers: { cookie: strangerCookie } })).text();
    expect(html).toContain('<p class="status-label">Confirmed</p>');
    expect(html).toContain('<link rel="canonical" href="https://shop.example.com/orders/5f0c6a1e-2b3d-4c5e-8f90-a1b2c3d4e5f6" />');
    expect(preloadedOf(html)).toMatchObject({ search: `?token=${token}`, order: { id: ID } });
    expect(asked).toEqual([{ admin: false, order: ID }]);
  });

  test("anyone else gets the page the browser renders, with nothing of the order: another session, none, a link expired, forged or for another order", async () => {
    const { app, asked } = shop();
    const fresh = await app.request(`/orders/${ID}`);
    expect(fresh.headers.get("set-cookie")).toContain("sid=");
    await expectClientPage(fresh);
    await expectClientPage(await app.request(`/orders/${ID}`, { headers: { cookie: strangerCookie } }));
    const expired = signOrderLink(deps.linkSecret, ID, Date.now() - 31 * 24 * 60 * 60 * 1000);
    const forged = signOrderLink("another-secret", ID);
    const elsewhere = signOrderLink(deps.linkSecret, crypto.randomUUID());
    for (const token of [expired, forged, elsewhere, "", "not-a-token"]) {
      await expectClientPage(await app.request(`/orders/${ID}?token=${encodeURIComponent(token)}`, { headers: { cookie: ownerCookie } }));
    }
    // A link that opens nothing is not read as the session's either: the owner's browser follows the link's answer.
    expect(asked).toEqual([{ admin: false, owner: ownerOf(fresh.headers.get("set-cookie")!.split(";")[0]!.slice(4)) }, { admin: false, owner: ownerOf(stranger) }]);
  });

  test("an address that is no order id is the browser's page without a query; only GET and HEAD", async () => {
    const { app, asked } = shop();
    for (const path of ["/orders/not-an-order-number", "/orders/%00", "/orders/%E0%A4%A", `/orders/${ID.toUpperCase()}x`]) {
      await expectClientPage(await app.request(path, { headers: { cookie: ownerCookie } }));
    }
    expect(asked).toEqual([]);
    expect((await app.request(`/orders/${ID}`, { method: "HEAD", headers: { cookie: ownerCookie } })).status).toBe(200);
    const post = await app.request(`/orders/${ID}`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  test("no address and token a stranger can make shows the order (generated)", async () => {
    const { app } = shop();
    const segment = fc.oneof(fc.constant(ID), fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s !== "." && s !== "..").map(encodeURIComponent));
    const token = fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.stringMatching(/^[A-Za-z0-9_-]{30}\.[A-Za-z0-9_-]{22}$/)), { nil: undefined });
    await fc.assert(fc.asyncProperty(segment, token, async (id, asked) => {
      const query = asked === undefined ? "" : `?token=${encodeURIComponent(asked)}`;
      await expectClientPage(await app.request(`/orders/${id}${query}`, { headers: { cookie: strangerCookie } }));
    }), { seed: SEED, numRuns: 200 });
  });
});
