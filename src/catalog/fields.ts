import * as v from "valibot";
import { typed } from "../orders/fields.ts";

/**
 * The catalog's fields, one definition each for the admin API, the catalog commands and the
 * catalog admin's forms (which import this file alone, so the storefront bundles no more).
 */

export const Sku = v.pipe(
  v.string("sku is required"), v.trim(), v.minLength(1, "sku is required"), v.maxLength(64, "sku is at most 64 characters"),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "sku is letters, digits, dots, dashes and underscores"),
);
export const ProductName = typed("name", 200);
export const Description = typed("description", 2000, { optional: true });
export const PriceCents = v.pipe(
  v.number("price must be a number"), v.integer("price is a whole number of cents"),
  v.minValue(0, "price cannot be negative"), v.maxValue(100_000_000, "price is at most 1,000,000.00"),
);
export const MAX_UNITS = 1_000_000;
export const OpeningStock = v.pipe(
  v.number("stock must be a number"), v.integer("stock is a whole number"),
  v.minValue(0, "stock cannot be negative"), v.maxValue(MAX_UNITS, `stock is at most ${MAX_UNITS}`),
);
export const StockReason = typed("reason", 200);
export const CategoryName = typed("name", 100);
/** A category's part of its storefront address, `/categories/<slug>`: kept when the category is renamed, so links stay good. */
export const CategorySlug = v.pipe(
  v.string("slug is required"), v.trim(), v.minLength(1, "slug is required"), v.maxLength(60, "slug is at most 60 characters"),
  v.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "slug is lower-case letters and digits, words joined by single dashes"),
);
/** The slug a category's name suggests: "Thé vert & Matcha" → "the-vert-matcha" (empty for a name with no Latin letter or digit). */
export const categorySlugOf = (name: string) =>
  name.normalize("NFKD").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "");
