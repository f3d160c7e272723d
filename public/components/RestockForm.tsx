import { useRef, useState } from "preact/hooks";
import { answer, type ApiError, type Product } from "../api.ts";
import { adminApi } from "../adminApi.ts";
import { StockReason } from "../../src/catalog/fields.ts";
import { fieldError } from "../catalogForms.ts";
import { FormField } from "./FormField.tsx";

type Props = { token: string; product: Product; onSaved: (message: string) => void; onDenied: () => void };
type Errors = { delta?: string; reason?: string };

/** Moves a product's stock by a number of units, up or down, with the reason the ledger keeps. */
export function RestockForm({ token, product, onSaved, onDenied }: Props) {
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const deltaInput = useRef<HTMLInputElement>(null);
  const reasonInput = useRef<HTMLInputElement>(null);
  const id = (field: string) => `restock-${product.id}-${field}`;

  const check = (): Errors => {
    const found: Errors = {};
    if (!/^[+-]?\d{1,7}$/.test(delta.trim()) || Number(delta) === 0) found.delta = "Enter a whole number of units other than 0: 24 to add, -3 to take away.";
    else if (product.stock + Number(delta) < 0) found.delta = `Only ${product.stock} in stock: at most -${product.stock}.`;
    const reasonError = fieldError(StockReason, reason, { min_length: "Say why, for the stock ledger.", max_length: "At most 200 characters." });
    if (reasonError) found.reason = reasonError;
    return found;
  };
  const focus = (found: Errors) => (found.delta ? deltaInput : reasonInput).current?.focus();

  async function submit(event: Event) {
    event.preventDefault();
    if (busy) return;
    const found = check();
    setErrors(found);
    setFailure(undefined);
    if (found.delta || found.reason) return focus(found);
    setBusy(true);
    try {
      const done = await answer(adminApi(token).products[":id"]["stock-adjustments"].$post({ param: { id: product.id }, json: { delta: Number(delta), reason: reason.trim() } }));
      setDelta("");
      setReason("");
      onSaved("stock" in done ? `${product.name}: ${done.stock} in stock.` : "Sent; the stock changes in a moment.");
    } catch (error) {
      const failed = error as ApiError;
      if (failed.status === 401) return onDenied();
      if (failed.reason === "would_go_negative") {
        setErrors({ delta: `That would take stock below zero. ${failed.message}.` });
        deltaInput.current?.focus();
      } else if (failed.issues.length > 0) {
        const fromApi: Errors = {};
        for (const issue of failed.issues) if (issue.path === "delta" || issue.path === "reason") fromApi[issue.path] ??= issue.message;
        setErrors(fromApi);
        focus(fromApi);
      } else setFailure(failed.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="catalog-form" onSubmit={submit} noValidate aria-label={`Restock ${product.name}`}>
      <h3>Restock {product.name}</h3>
      <p class="muted">{product.stock} in stock now.</p>
      {failure && <p class="notice notice-error" role="alert">{failure}</p>}
      <FormField id={id("delta")} label="Units to add (negative to take away)" error={errors.delta}>
        {(described) => <input ref={deltaInput} id={id("delta")} type="text" inputMode="numeric" value={delta}
          onInput={(e) => { setDelta(e.currentTarget.value); setErrors((x) => ({ ...x, delta: undefined })); }} {...described} />}
      </FormField>
      <FormField id={id("reason")} label="Reason" error={errors.reason}>
        {(described) => <input ref={reasonInput} id={id("reason")} type="text" value={reason} placeholder="Delivery from the roastery"
          onInput={(e) => { setReason(e.currentTarget.value); setErrors((x) => ({ ...x, reason: undefined })); }} {...described} />}
      </FormField>
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>{busy ? "Saving…" : "Adjust stock"}</button>
      </div>
    </form>
  );
}
