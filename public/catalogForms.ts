import * as v from "valibot";
import { CategoryName, CategorySlug, Description, OpeningStock, PriceCents, ProductName, Sku } from "../src/catalog/fields.ts";
import { ImagePath } from "../src/orders/fields.ts";
import type { ApiError, Product } from "./api.ts";

/** What the product form edits: text as typed, the price in dollars, the category's id ("" for none). */
export type ProductDraft = { sku: string; name: string; description: string; price: string; imageUrl: string; stock: string; category: string };
export type DraftErrors = Partial<Record<keyof ProductDraft, string>>;

export const emptyDraft: ProductDraft = { sku: "", name: "", description: "", price: "", imageUrl: "", stock: "0", category: "" };

export const draftOf = (p: Product): ProductDraft => ({
  sku: p.sku, name: p.name, description: p.description, price: (p.priceCents / 100).toFixed(2), imageUrl: p.imageUrl, stock: String(p.stock),
  category: p.categoryId ?? "",
});

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;
const WHOLE = /^\d{1,7}$/;

/**
 * What is wrong with `value` by the API's own definition of the field, in the form's words where
 * `words` has them for the rule that refused it (valibot's issue type), else in the API's.
 */
export function fieldError(schema: v.GenericSchema, value: unknown, words: Partial<Record<string, string>> = {}): string | undefined {
  const issue = v.safeParse(schema, value).issues?.[0];
  if (!issue) return undefined;
  return words[issue.type] ?? issue.message.charAt(0).toUpperCase() + issue.message.slice(1) + ".";
}

/** The rules the API checks, said before a round trip; the API's own answers land on the same fields. */
export function checkDraft(d: ProductDraft, creating: boolean): DraftErrors {
  const found: DraftErrors = {
    name: fieldError(ProductName, d.name, { min_length: "Enter a name.", max_length: "At most 200 characters." }),
    description: fieldError(Description, d.description, { max_length: "At most 2000 characters." }),
    price: PRICE.test(d.price.trim()) ? fieldError(PriceCents, centsOf(d.price)) : "Enter a price in dollars, like 12.50.",
    imageUrl: d.imageUrl.trim() ? fieldError(ImagePath, d.imageUrl, { regex: "Use a path on this site, like /images/house-espresso.svg." }) : undefined,
  };
  if (creating) {
    found.sku = fieldError(Sku, d.sku, { min_length: "Enter a sku.", regex: "Use letters, digits, dots, dashes and underscores.", max_length: "At most 64 characters." });
    found.stock = WHOLE.test(d.stock.trim()) ? fieldError(OpeningStock, Number(d.stock)) : "Enter a whole number of units, 0 or more.";
  }
  return Object.fromEntries(Object.entries(found).filter(([, error]) => error !== undefined));
}

export const centsOf = (price: string) => Math.round(Number(price.trim()) * 100);

/** The API's field names, for its issues and conflicts, mapped onto the form's. */
const FIELD: Record<string, keyof ProductDraft> = {
  sku: "sku", name: "name", description: "description", priceCents: "price", imageUrl: "imageUrl", stock: "stock", categoryId: "category",
};

/** The API's issues, each on the form's field `fields` maps its path to. */
function issuesOn<F extends string>(error: ApiError, fields: Record<string, F>): Partial<Record<F, string>> | undefined {
  const errors: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const field = fields[issue.path.split(".")[0]!];
    if (field) errors[field] ??= issue.message;
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

export function errorsFromApi(error: ApiError): DraftErrors | undefined {
  if (error.reason === "duplicate_sku") return { sku: "Another product has this sku." };
  return issuesOn(error, FIELD);
}

/** What the category form edits: a name, and the slug of its address. */
export type CategoryDraft = { name: string; slug: string };
export type CategoryErrors = Partial<Record<keyof CategoryDraft, string>>;

/** The rules the API checks on a category (a rename has no slug to check). */
export function checkCategory(d: CategoryDraft, creating: boolean): CategoryErrors {
  const found: CategoryErrors = { name: fieldError(CategoryName, d.name, { min_length: "Enter a name.", max_length: "At most 100 characters." }) };
  if (creating) {
    found.slug = fieldError(CategorySlug, d.slug, {
      min_length: "Enter the address's last part, like green-tea.", max_length: "At most 60 characters.",
      regex: "Use lower-case letters and digits, words joined by single dashes, like green-tea.",
    });
  }
  return Object.fromEntries(Object.entries(found).filter(([, error]) => error !== undefined));
}

export function categoryErrorsFromApi(error: ApiError): CategoryErrors | undefined {
  if (error.reason === "duplicate_slug") return { slug: "Another category has this address." };
  return issuesOn(error, { name: "name", slug: "slug" } as const);
}
