import fc from "fast-check";
import * as v from "valibot";
import { CreateProductRequest, StockAdjustmentRequest, UpdateProductRequest } from "../../src/catalog/schemas.ts";
import { COUNTRY_CODES } from "../../src/orders/address.ts";
import { WHATWG_EMAIL } from "../../src/orders/fields.ts";
import { PlaceOrderRequest } from "../../src/orders/schemas.ts";

/**
 * Inputs the API's request schemas accept, generated rather than listed: text in any script,
 * astral characters, whitespace around, and the longest values allowed. Each arbitrary keeps only
 * what its schema accepts, so a test drives exactly the API's promise through the pipeline.
 */

/** A fixed seed, so a failure replays: `FC_SEED=<seed> bun test …` runs another. */
export const SEED = Number(process.env.FC_SEED ?? 20261206);

/** The first code points of `s` that fit in `max` UTF-16 units, never half an astral character. */
const fit = (s: string, max: number) => {
  let out = "";
  for (const c of s) {
    if (out.length + c.length > max) break;
    out += c;
  }
  return out;
};

const SPACE = fc.constantFrom("", " ", "  ", "\u00a0", "\u3000", "\u2003", "\ufeff");
const WRITTEN = fc.constantFrom("Ada Lovelace", "Zoë Ødegaard", "محمد بن موسى", "李小龍", "Ἀριστοτέλης", "Nguyễn Thị Minh Khai", "𝔄𝔡𝔞 🧑‍🚀", "José\u0301", "O'Brien-Smith", "ᏣᎳᎩ", "देवनागरी");

/**
 * Any UTF-16 code unit, lone surrogates and controls included: the schema, not the generator,
 * decides what is acceptable, so a rule the API lacks shows up as an accepted input a consumer refuses.
 */
const CODE_UNIT = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Text of at most `max` UTF-16 units as a person may type it, in any script, often the longest there is. */
export function anyText(max: number): fc.Arbitrary<string> {
  return fc.tuple(
    SPACE,
    fc.oneof(
      WRITTEN,
      fc.string({ unit: CODE_UNIT, minLength: 1, maxLength: Math.min(max, 40) }),
      fc.string({ unit: "binary", minLength: 1, maxLength: Math.min(max, 60) }),
      fc.string({ unit: "grapheme", minLength: 1, maxLength: Math.min(max, 60) }),
      fc.string({ unit: "binary", minLength: max, maxLength: max }).map((s) => fit(s, max)),
      fc.string({ unit: "grapheme", minLength: max, maxLength: max }).map((s) => fit(s, max)),
    ),
    SPACE,
  ).map(([before, s, after]) => before + s + after);
}

/** Addresses `<input type=email>` accepts: WHATWG's grammar, RFC-style ones that fit it, and the longest. */
export const anyEmail: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("o'neil@example.com", "x!y@example.com", "user@xn--bcher-kva.de", "kbd@example", "a.b+c@sub-1.example.co.uk"),
  fc.stringMatching(WHATWG_EMAIL),
  fc.emailAddress().filter((e) => WHATWG_EMAIL.test(e)),
  fc.stringMatching(WHATWG_EMAIL).filter((e) => e.length <= 254).map((e) => "x".repeat(254 - e.length) + e),
).filter((e) => e.length <= 254);

/** Addresses in any script, an optional second line, any assigned country. */
export const anyAddress = fc.record({
  name: anyText(200), line1: anyText(200), line2: fc.option(anyText(200), { nil: undefined }), city: anyText(200), postalCode: anyText(20),
  country: fc.constantFrom(...COUNTRY_CODES),
}, { requiredKeys: ["name", "line1", "city", "postalCode", "country"] });

/** POST /api/orders bodies over `productIds`, each one the schema accepts. */
export function orderBodies(productIds: readonly string[]) {
  const line = fc.record({ productId: fc.constantFrom(...productIds), quantity: fc.integer({ min: 1, max: 99 }) });
  return fc.record({
    customer: fc.record({ name: anyText(200), email: anyEmail }),
    shippingAddress: anyAddress,
    items: fc.uniqueArray(line, { selector: (l) => l.productId, minLength: 1, maxLength: Math.min(50, productIds.length) }),
  }).filter((body) => v.is(PlaceOrderRequest, body));
}

/** Same-origin image paths: segments in any script, encoded or not. */
export const anyImagePath = fc.array(
  fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), fc.webSegment().filter((s) => s.length > 0)),
  { minLength: 1, maxLength: 5 },
).map((segments) => `/${segments.join("/")}`);

/** POST /api/admin/products bodies, each with the sku `sku` (a test makes it unique before sending it). */
export const productBodies = (sku: string) =>
  fc.record({
    sku: fc.constant(sku),
    name: anyText(200),
    description: anyText(2000),
    priceCents: fc.integer({ min: 0, max: 100_000_000 }),
    imageUrl: anyImagePath,
    stock: fc.integer({ min: 0, max: 1_000_000 }),
  }, { requiredKeys: ["sku", "name", "description", "priceCents"] }).filter((body) => v.is(CreateProductRequest, body));

/** PATCH /api/admin/products/:id bodies: any non-empty set of changes. */
export const productChanges = fc.record({
  name: anyText(200),
  description: anyText(2000),
  priceCents: fc.integer({ min: 0, max: 100_000_000 }),
  imageUrl: anyImagePath,
  archived: fc.boolean(),
}, { requiredKeys: [] }).filter((body) => v.is(UpdateProductRequest, body));

/** POST /api/admin/products/:id/stock-adjustments bodies. */
export const stockAdjustments = fc.record({
  delta: fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((d) => d !== 0),
  reason: anyText(200),
}).filter((body) => v.is(StockAdjustmentRequest, body));

/**
 * Hostile inputs for messages any producer may write: what a field must never hold, generated, for
 * the attacks in test/faults. Unlike the arbitraries above, each is meant to be refused or handled,
 * never to pass as it is.
 */

/** Times a producer may write that are not RFC 3339, or not a real moment between 2000 and 2100. */
export const oddTimestamps = fc.oneof(
  fc.constantFrom("2026-01-01T00:00:00+05", "2026-01-01T00:00:00+0530", "2026-W01-1T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    "2026-02-30T00:00:00Z", "2026-01-01T23:59:60Z", "2026-01-01T00:00:00.1234567890123Z", "1970-01-01T00:00:00Z", "", "Invalid Date", "2026-01-01"),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "Invalid Date" : d.toISOString())),
  fc.integer(),
);

/** Numbers JSON can carry that a count, an amount or a delta must not be, written as raw JSON text. */
export const oddJsonNumbers = fc.oneof(
  fc.constantFrom("1.5", "-0", "0", "-1", "100", "1000001", "-1000001", "9007199254740992", "-9007199254740993", "1e308", "1e400",
    "123456789012345678901234567890", "0.1e1", "null", "\"1\"", "true"),
  fc.double().map((d) => (Number.isFinite(d) ? JSON.stringify(d) : "null")),
  fc.bigInt().map(String),
);

/** Text with one character no field stores: NUL, another control character, or half a surrogate pair. */
export const unstorableText = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\u0000", "\ud800", "\udfff", "\u001b", "\u007f", "\u0085", "\ud83d"), fc.string({ maxLength: 20 }))
  .map(([a, bad, b]) => a + bad + b);

/** Text over every field's bound, up to over the 256 KiB a message may be. */
export const hugeText = fc.constantFrom(201, 1_001, 2_001, 100_000, 300_000).map((n) => "x".repeat(n));

/** Anything a text field may be sent instead: short text, unstorable or huge text, or any JSON value. */
export const oddText = fc.oneof(fc.string({ maxLength: 30 }), unstorableText, hugeText, fc.jsonValue());
