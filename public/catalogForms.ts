import type { ApiError, Product } from "./api.ts";

/** What the product form edits: text as typed, the price in dollars. */
export type ProductDraft = { sku: string; name: string; description: string; price: string; imageUrl: string; stock: string };
export type DraftErrors = Partial<Record<keyof ProductDraft, string>>;

export const emptyDraft: ProductDraft = { sku: "", name: "", description: "", price: "", imageUrl: "", stock: "0" };

export const draftOf = (p: Product): ProductDraft => ({
  sku: p.sku, name: p.name, description: p.description, price: (p.priceCents / 100).toFixed(2), imageUrl: p.imageUrl, stock: String(p.stock),
});

const PRICE = /^\d{1,7}(\.\d{1,2})?$/;
const WHOLE = /^\d{1,7}$/;

/** The same rules the API checks, said before a round trip; the API's own answers land on the same fields. */
export function checkDraft(d: ProductDraft, creating: boolean): DraftErrors {
  const errors: DraftErrors = {};
  if (creating) {
    if (!d.sku.trim()) errors.sku = "Enter a sku.";
    else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(d.sku.trim())) errors.sku = "Use letters, digits, dots, dashes and underscores.";
    else if (d.sku.trim().length > 64) errors.sku = "At most 64 characters.";
    if (!WHOLE.test(d.stock.trim())) errors.stock = "Enter a whole number of units, 0 or more.";
  }
  if (!d.name.trim()) errors.name = "Enter a name.";
  else if (d.name.trim().length > 200) errors.name = "At most 200 characters.";
  if (d.description.trim().length > 2000) errors.description = "At most 2000 characters.";
  if (!PRICE.test(d.price.trim())) errors.price = "Enter a price in dollars, like 12.50.";
  if (d.imageUrl.trim() && !/^(\/[^/\s]|https:\/\/)\S*$/.test(d.imageUrl.trim())) errors.imageUrl = "Use a path starting with / or an https:// address.";
  return errors;
}

export const centsOf = (price: string) => Math.round(Number(price.trim()) * 100);

/** The API's field names, for its issues and conflicts, mapped onto the form's. */
const FIELD: Record<string, keyof ProductDraft> = { sku: "sku", name: "name", description: "description", priceCents: "price", imageUrl: "imageUrl", stock: "stock" };

export function errorsFromApi(error: ApiError): DraftErrors | undefined {
  if (error.reason === "duplicate_sku") return { sku: "Another product has this sku." };
  const errors: DraftErrors = {};
  for (const issue of error.issues) {
    const field = FIELD[issue.path.split(".")[0]!];
    if (field) errors[field] ??= issue.message;
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}
