import { useRef, useState } from "preact/hooks";
import { answer, type ApiError, type Product } from "../api.ts";
import { CURRENCY } from "../../src/orders/fields.ts";
import { adminApi } from "../adminApi.ts";
import { centsOf, checkDraft, draftOf, emptyDraft, errorsFromApi, type DraftErrors, type ProductDraft } from "../catalogForms.ts";
import { FormField } from "./FormField.tsx";

type Props = { token: string; product?: Product; onSaved: (message: string) => void; onCancel: () => void; onDenied: () => void };

const ORDER: (keyof ProductDraft)[] = ["sku", "name", "description", "price", "stock", "imageUrl"];

/** Creates a product, or edits one (`product`); every error is shown under its field, the first one focused. */
export function ProductForm({ token, product, onSaved, onCancel, onDenied }: Props) {
  const creating = !product;
  const [draft, setDraft] = useState<ProductDraft>(product ? draftOf(product) : emptyDraft);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const prefix = creating ? "new-product" : `edit-${product.id}`;

  const focusFirst = (found: DraftErrors) => {
    const first = ORDER.find((field) => found[field]);
    if (first) form.current?.querySelector<HTMLElement>(`#${prefix}-${first}`)?.focus();
  };

  const edit = (field: keyof ProductDraft) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const found = checkDraft(draft, creating);
    setErrors(found);
    setFailure(undefined);
    if (Object.keys(found).length > 0) return focusFirst(found);
    const fields = {
      name: draft.name.trim(), description: draft.description.trim(), priceCents: centsOf(draft.price),
      ...(draft.imageUrl.trim() ? { imageUrl: draft.imageUrl.trim() } : {}),
    };
    setBusy(true);
    try {
      const products = adminApi(token).products;
      const saved = await answer(creating
        ? products.$post({ json: { ...fields, sku: draft.sku.trim(), stock: Number(draft.stock.trim()) } })
        : products[":id"].$patch({ param: { id: product.id }, json: fields }));
      onSaved("name" in saved ? `${saved.name} ${creating ? "created" : "saved"}.` : "Sent; the change applies in a moment.");
    } catch (error) {
      const failed = error as ApiError;
      if (failed.status === 401) return onDenied();
      const fromApi = errorsFromApi(failed);
      if (fromApi) {
        setErrors(fromApi);
        focusFirst(fromApi);
      } else setFailure(failed.message);
    } finally {
      setBusy(false);
    }
  }

  const input = (field: keyof ProductDraft, label: string, extra: { hint?: string; inputMode?: "decimal" | "numeric"; multiline?: boolean } = {}) => (
    <FormField id={`${prefix}-${field}`} label={label} error={errors[field]} hint={extra.hint}>
      {(described) => extra.multiline
        ? <textarea id={`${prefix}-${field}`} rows={3} value={draft[field]} onInput={edit(field)} {...described} />
        : <input id={`${prefix}-${field}`} type="text" inputMode={extra.inputMode} spellcheck={false} value={draft[field]} onInput={edit(field)} {...described} />}
    </FormField>
  );

  return (
    <form ref={form} class="catalog-form" onSubmit={submit} noValidate aria-label={creating ? "New product" : `Edit ${product.name}`}>
      <h3>{creating ? "New product" : `Edit ${product.name}`}</h3>
      {failure && <p class="notice notice-error" role="alert">{failure}</p>}
      {creating && input("sku", "SKU", { hint: "Names the product for good; it cannot change later." })}
      {input("name", "Name")}
      {input("description", "Description", { multiline: true })}
      {input("price", `Price (${CURRENCY})`, { inputMode: "decimal" })}
      {creating && input("stock", "Opening stock", { inputMode: "numeric" })}
      {input("imageUrl", "Image", { hint: "A path on this site, like /images/house-espresso.svg. Optional." })}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>{busy ? "Saving…" : creating ? "Create product" : "Save changes"}</button>
        <button type="button" class="link-button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
