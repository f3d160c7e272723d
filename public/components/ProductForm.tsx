import { useState } from "preact/hooks";
import { answer, type ListedCategory, type Product } from "../api.ts";
import { CURRENCY } from "../../src/orders/fields.ts";
import { adminApi } from "../adminApi.ts";
import { centsOf, checkDraft, draftOf, emptyDraft, errorsFromApi, type ProductDraft } from "../catalogForms.ts";
import { useAdminForm } from "../useAdminForm.ts";
import { FormField } from "./FormField.tsx";

type Props = {
  token: string; product?: Product; categories: readonly ListedCategory[]; onSaved: (message: string) => void; onCancel: () => void; onDenied: () => void;
};

const ORDER: (keyof ProductDraft)[] = ["sku", "name", "description", "price", "stock", "category", "imageUrl"];

/** Creates a product, or edits one (`product`); every error is shown under its field, the first one focused. */
export function ProductForm({ token, product, categories, onSaved, onCancel, onDenied }: Props) {
  const creating = !product;
  const [draft, setDraft] = useState<ProductDraft>(product ? draftOf(product) : emptyDraft);
  const prefix = creating ? "new-product" : `edit-${product.id}`;
  const { form, errors, failure, busy, submit, clear } = useAdminForm({ prefix, order: ORDER, onSaved, onDenied });

  const edit = (field: keyof ProductDraft) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setDraft((d) => ({ ...d, [field]: value }));
    clear(field);
  };

  const send = async () => {
    const fields = {
      name: draft.name.trim(), description: draft.description.trim(), priceCents: centsOf(draft.price),
      ...(draft.imageUrl.trim() ? { imageUrl: draft.imageUrl.trim() } : {}),
      categoryId: draft.category || null,
    };
    const products = adminApi(token).products;
    const saved = await answer(creating
      ? products.$post({ json: { ...fields, sku: draft.sku.trim(), stock: Number(draft.stock.trim()) } })
      : products[":id"].$patch({ param: { id: product.id }, json: fields }));
    return "name" in saved ? `${saved.name} ${creating ? "created" : "saved"}.` : "Sent; the change applies in a moment.";
  };

  const input = (field: keyof ProductDraft, label: string, extra: { hint?: string; inputMode?: "decimal" | "numeric"; multiline?: boolean } = {}) => (
    <FormField id={`${prefix}-${field}`} label={label} error={errors[field]} hint={extra.hint}>
      {(described) => extra.multiline
        ? <textarea id={`${prefix}-${field}`} rows={3} value={draft[field]} onInput={edit(field)} {...described} />
        : <input id={`${prefix}-${field}`} type="text" inputMode={extra.inputMode} spellcheck={false} value={draft[field]} onInput={edit(field)} {...described} />}
    </FormField>
  );

  return (
    <form ref={form} class="catalog-form" noValidate aria-label={creating ? "New product" : `Edit ${product.name}`}
      onSubmit={(event) => { event.preventDefault(); void submit(checkDraft(draft, creating), send, errorsFromApi); }}>
      <h3>{creating ? "New product" : `Edit ${product.name}`}</h3>
      {failure && <p class="notice notice-error" role="alert">{failure}</p>}
      {creating && input("sku", "SKU", { hint: "Names the product for good; it cannot change later." })}
      {input("name", "Name")}
      {input("description", "Description", { multiline: true })}
      {input("price", `Price (${CURRENCY})`, { inputMode: "decimal" })}
      {creating && input("stock", "Opening stock", { inputMode: "numeric" })}
      <FormField id={`${prefix}-category`} label="Category" error={errors.category}>
        {(described) => (
          <select id={`${prefix}-category`} value={draft.category} onChange={edit("category")} {...described}>
            <option value="">None</option>
            {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        )}
      </FormField>
      {input("imageUrl", "Image", { hint: "A path on this site, like /images/house-espresso.svg. Optional." })}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>{busy ? "Saving…" : creating ? "Create product" : "Save changes"}</button>
        <button type="button" class="link-button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
