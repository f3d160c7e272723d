import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import * as v from "valibot";
import { catalogEnvelope } from "../../src/catalog/events.ts";
import { CatalogCommandEnvelope, CreateProductRequest, StockAdjustmentRequest, UpdateProductRequest } from "../../src/catalog/schemas.ts";
import { jsonMessage } from "../../src/kafka/message.ts";
import { decodeEnvelope } from "../../src/kafka/decode.ts";
import { envelope, PlaceOrderEnvelope } from "../../src/orders/envelope.ts";
import { EmailAddress, ImagePath } from "../../src/orders/fields.ts";
import { decidePlacements } from "../../src/orders/placement.ts";
import { PlaceOrderRequest } from "../../src/orders/schemas.ts";
import { COUNTRY_CODES, ShippingAddress } from "../../src/orders/address.ts";
import { checkAddress, checkContact, placeIssues } from "../../public/checkoutForm.ts";
import { anyImagePath, anyText, orderBodies, productBodies, productChanges, SEED, stockAdjustments } from "../support/arbitraries.ts";

const RUNS = 2_000;

/** What a consumer makes of a message as the API would publish it. */
function asMessage(schema: v.GenericSchema<unknown, { type: string }>, key: string, body: { type: string }) {
  const { value, headers } = jsonMessage("topic", key, body);
  return decodeEnvelope(schema, () => key)({ key, value: Buffer.from(value), headers, headerFault: null });
}

describe("one definition per field: whatever the API accepts, the consumers take", () => {
  const products = Array.from({ length: 60 }, (_, i) => `prd_${i}`);
  const catalog = new Map(products.map((id) => [id, { name: id, priceCents: 100, currency: "USD", stock: 1_000_000 }]));

  test("every PlaceOrder the API would publish decodes, and is never refused as invalid_order", () => {
    fc.assert(fc.property(orderBodies(products), (body) => {
      const request = v.parse(PlaceOrderRequest, body);
      const orderId = crypto.randomUUID();
      const command = envelope("PlaceOrder", orderId, { customer: request.customer, items: request.items, owner: "o".repeat(64) });
      const decoded = asMessage(PlaceOrderEnvelope, orderId, command);
      expect(decoded).toMatchObject({ ok: true });
      const [placement] = decidePlacements([{ orderId, data: command.data }], catalog).placements;
      expect(placement!.status).toBe("placed");
    }), { seed: SEED, numRuns: RUNS });
  });

  test("every catalog command the API would publish decodes", () => {
    const commands = fc.oneof(
      productBodies("SKU-1").map((product) => ({ action: "create" as const, product: v.parse(CreateProductRequest, product) })),
      productChanges.map((changes) => ({ action: "update" as const, changes: v.parse(UpdateProductRequest, changes) })),
    );
    fc.assert(fc.property(commands, stockAdjustments, (upsert, adjustment) => {
      const id = `prd_${crypto.randomUUID()}`;
      const adjust = { ...v.parse(StockAdjustmentRequest, adjustment), actor: "admin" };
      for (const message of [catalogEnvelope("UpsertProduct", id, { ...upsert, actor: "admin" }), catalogEnvelope("AdjustStock", id, adjust)]) {
        expect(asMessage(CatalogCommandEnvelope, id, message)).toMatchObject({ ok: true });
      }
    }), { seed: SEED, numRuns: RUNS / 4 });
  });
});

describe("text fields", () => {
  const order = (name: string) => ({
    customer: { name, email: "ada@example.com" }, shippingAddress: { name: "Ada", line1: "1 Main St", city: "Bath", postalCode: "BA1", country: "GB" }, items: [{ productId: "p", quantity: 1 }] });

  test("a lone surrogate is refused where the API reads it, not after a 202", () => {
    for (const name of ["A\ud800", "\udc00B", "x\ud83d"]) {
      const result = v.safeParse(PlaceOrderRequest, order(name));
      expect(result.issues?.map((i) => [v.getDotPath(i), i.message])).toEqual([["customer.name", "must not contain control characters or lone surrogates"]]);
    }
    expect(v.is(PlaceOrderRequest, order("Ada 🧑‍🚀"))).toBe(true);
  });

  test.each([["name", "Tea\ud800"], ["description", "Leaves \udfff"]])("the catalog refuses a lone surrogate in a product's %s", (field, value) => {
    const product = { sku: "S", name: "Tea", description: "", priceCents: 1, [field]: value };
    expect(v.safeParse(CreateProductRequest, product).issues?.map((i) => v.getDotPath(i))).toEqual([field]);
    expect(v.safeParse(UpdateProductRequest, { [field]: value }).issues?.map((i) => v.getDotPath(i))).toEqual([field]);
  });

  test("the catalog refuses a lone surrogate in a stock adjustment's reason", () => {
    expect(v.safeParse(StockAdjustmentRequest, { delta: 1, reason: "count\ud800" }).issues?.map((i) => v.getDotPath(i))).toEqual(["reason"]);
  });
});

describe("email: WHATWG HTML's valid email address, as <input type=email> applies it", () => {
  test.each(["o'neil@example.com", "x!y@example.com", "user@xn--bcher-kva.de", "kbd@example", "a.b+c@sub-1.example.co.uk", "#!$%&'*+-/=?^_`{}|~@example.org"])("accepts %s", (email) => {
    expect(v.is(EmailAddress, email)).toBe(true);
  });

  test.each(["not-an-email", "a@", "@example.com", "a b@example.com", "a@-example.com", "a@example-.com", "a@exa_mple.com", "a@example..com",
    "ünï@example.de", "a@bücher.de", '"quoted"@example.com', `a@${"l".repeat(64)}.com`, `${"x".repeat(250)}@a.bc`])("refuses %s", (email) => {
    expect(v.is(EmailAddress, email)).toBe(false);
  });

  test("the checkout form refuses exactly what the API refuses", () => {
    const emails = fc.oneof(fc.string({ unit: "binary-ascii", maxLength: 30 }), fc.emailAddress(), fc.stringMatching(/^[a-z'!.]{1,8}@[a-z0-9.-]{0,12}$/));
    fc.assert(fc.property(emails, (email) => {
      expect(checkContact({ name: "Ada", email }).email === undefined).toBe(v.is(EmailAddress, email));
    }), { seed: SEED, numRuns: RUNS });
    expect(checkContact({ name: "Ada", email: "kbd@example" })).toEqual({});
    expect(checkContact({ name: "A\ud800", email: "ada@example.com" }).name).toBe("Your name must not contain control characters or lone surrogates.");
  });

  test("the checkout's address refuses exactly what the API refuses, each field with a sentence of its own", () => {
    const line = fc.oneof(anyText(200), fc.string({ maxLength: 205 }), fc.constantFrom("", "   ", "a\u0007b", "\ud800"));
    const addresses = fc.record({
      name: line, line1: line, line2: line, city: line, postalCode: line,
      country: fc.oneof(fc.constantFrom(...COUNTRY_CODES), fc.constantFrom("", "XK", "EU", "gb", "GBR")),
    });
    fc.assert(fc.property(addresses, (address) => {
      const errors = checkAddress(address);
      expect(Object.keys(errors).length === 0).toBe(v.is(ShippingAddress, address));
      for (const message of Object.values(errors)) expect(message).toMatch(/^[A-Z].*\.$/);
    }), { seed: SEED, numRuns: RUNS });
    expect(checkAddress({ name: "", line1: "1 Main St", line2: "", city: "Oslo", postalCode: "0150", country: "" }))
      .toEqual({ name: "Please enter who the parcel is for.", country: "Please choose a country." });
  });

  test("the API's issues about the address go next to their fields", () => {
    const placed = placeIssues([{ path: "shippingAddress.postalCode", message: "postalCode is required" }, { path: "customer.email", message: "email is not a valid address" }], "validation_failed");
    expect(placed.address).toEqual({ postalCode: "The postal code is required." });
    expect(placed.fields).toEqual({ email: "Email is not a valid address." });
  });
});

describe("imageUrl: a path on this site, nothing a browser resolves elsewhere", () => {
  const SITE = "https://shop.example";

  test.each(["/\\evil.example/x.svg", "//evil.example/x.svg", "/images//x.svg", "/\t/evil.example/x.svg", "/\n/evil.example", "/a\u0001b.svg", "/a b.svg",
    "https://cdn.example/x.png", "http://x/y.svg", "javascript:alert(1)", "data:image/svg+xml,<svg/>", "images/x.svg", "/", "\\\\evil.example\\x.svg"])("refuses %j", (path) => {
    expect(v.is(ImagePath, path)).toBe(false);
  });

  test("every path it accepts resolves, as a browser's URL parser reads it, on this site", () => {
    const paths = fc.oneof(anyImagePath, fc.string({ unit: fc.constantFrom("/", "\\", ".", "a", "%", "2", "F", "\t", " ", "@", ":", "?", "#"), maxLength: 12 }).map((s) => `/${s}`));
    fc.assert(fc.property(paths, (path) => {
      if (v.is(ImagePath, path)) expect(new URL(v.parse(ImagePath, path), `${SITE}/products/x`).origin).toBe(SITE);
    }), { seed: SEED, numRuns: RUNS });
    expect(v.is(ImagePath, "/images/house-espresso.svg")).toBe(true);
  });
});
