import { useRef, useState } from "preact/hooks";
import { answer, api, ApiError, type PlaceOrderBody } from "../api.ts";
import { announce } from "../announce.ts";
import { cart, useCart } from "../cart.ts";
import { checkAddress, checkContact, NO_LONGER_SOLD, placeIssues, type Address, type Contact, type PlacedIssues } from "../checkoutForm.ts";
import { AddressFields, ADDRESS_IDS } from "../components/AddressFields.tsx";
import { Failure } from "../components/Failure.tsx";
import { Field } from "../components/Field.tsx";
import { Page } from "../components/Page.tsx";
import { likelyCountry } from "../countries.ts";
import { CURRENCY } from "../../src/orders/fields.ts";
import { money } from "../format.ts";
import { newIdempotencyKey } from "../idempotencyKey.ts";
import { placedOrders } from "../placedOrders.ts";
import { Link, navigate } from "../router.tsx";
import { useLiveProducts } from "../liveStock.ts";

const NO_ISSUES: PlacedIssues = { fields: {}, address: {}, lines: {}, general: [] };

type FieldErrors = Pick<PlacedIssues, "fields" | "address">;

/** The element id of the first field, in the form's order, that `errors` holds one for. */
const firstInvalid = ({ fields, address }: FieldErrors) =>
  (["name", "email"] as const).find((field) => fields[field])
  ?? (Object.keys(ADDRESS_IDS) as (keyof typeof ADDRESS_IDS)[]).filter((field) => address[field]).map((field) => ADDRESS_IDS[field])[0];

/** Whether the order went through is unknown when the request got no answer; a retry is safe either way. */
function failureDetail(error: ApiError) {
  if (error.code === "offline") return "We can't tell whether your order went through. Trying again is safe: it will never place your order twice.";
  if (error.code === "rate_limited") return "Your order was not placed: we take only a few orders a minute from each customer. Your cart is saved; please try again in a minute.";
  if (error.code === "unavailable") return "Your order was not placed: part of our system is briefly unavailable. Your cart is saved; please try again in a moment.";
  return "Your order was not placed. Your cart is saved; please try again.";
}

export function CheckoutPage() {
  const lines = useCart();
  // A product taken off sale while the shopper checks out stays on the page and says so: gone
  // without a word, it would leave an empty page, or an order without it.
  const products = useLiveProducts({ ids: lines.map((line) => line.productId).join(","), limit: "100" }, { enabled: lines.length > 0, keepArchived: true });
  const [contact, setContact] = useState<Contact>({ name: "", email: "" });
  const [touched, setTouched] = useState<Partial<Record<keyof Contact, boolean>>>({});
  const [address, setAddress] = useState<Address>(() => ({ name: "", line1: "", line2: "", city: "", postalCode: "", country: likelyCountry() }));
  const [addressTouched, setAddressTouched] = useState<Partial<Record<keyof Address, boolean>>>({});
  const [issues, setIssues] = useState<PlacedIssues>(NO_ISSUES);
  const [failure, setFailure] = useState<ApiError>();
  const [submitting, setSubmitting] = useState(false);
  // One key per checkout attempt, kept through double clicks and retries: the API then answers
  // every repeat with the same order instead of placing another.
  const attemptKey = useRef<string | undefined>(undefined);
  const busy = useRef(false);

  const byId = new Map(products.data?.map((product) => [product.id, product]));
  const rows = lines.flatMap((line) => {
    const product = byId.get(line.productId);
    return product ? [{ ...line, product }] : [];
  });
  const total = rows.reduce((sum, row) => sum + row.quantity * row.product.priceCents, 0);

  const ownErrors = checkContact(contact);
  const errorOf = (field: keyof Contact) => issues.fields[field] ?? (touched[field] ? ownErrors[field] : undefined);
  const addressErrors = checkAddress(address);
  const addressErrorOf = (field: keyof Address) => issues.address[field] ?? (addressTouched[field] ? addressErrors[field] : undefined);

  const edit = (field: keyof Contact) => (value: string) => {
    setContact((current) => ({ ...current, [field]: value }));
    // The parcel is for the shopper until they say otherwise.
    if (field === "name") setAddress((current) => (current.name === contact.name.trim() ? { ...current, name: value.trim() } : current));
    setIssues((current) => ({ ...current, fields: { ...current.fields, [field]: undefined } }));
  };
  const editAddress = (field: keyof Address) => (value: string) => {
    setAddress((current) => ({ ...current, [field]: value }));
    setIssues((current) => ({ ...current, address: { ...current.address, [field]: undefined } }));
  };

  const focusFirstInvalid = (errors: FieldErrors) => {
    const id = firstInvalid(errors);
    if (id) document.getElementById(id)?.focus();
  };

  async function placeOrder() {
    if (busy.current) return;
    busy.current = true;
    setSubmitting(true);
    setFailure(undefined);
    setIssues(NO_ISSUES);
    attemptKey.current ??= newIdempotencyKey();
    try {
      const order: PlaceOrderBody = {
        customer: { name: contact.name.trim(), email: contact.email.trim() },
        shippingAddress: {
          name: address.name.trim(), line1: address.line1.trim(), city: address.city.trim(), postalCode: address.postalCode.trim(), country: address.country,
          ...(address.line2.trim() ? { line2: address.line2.trim() } : {}),
        },
        items: rows.map(({ product, quantity }) => ({ productId: product.id, quantity })),
      };
      const placed = await answer(api.orders.$post({ json: order, header: { "Idempotency-Key": attemptKey.current } }));
      placedOrders.remember({
        id: placed.id, createdAt: new Date().toISOString(), currency: CURRENCY, totalCents: total,
        items: rows.map(({ product, quantity }) => ({ productId: product.id, name: product.name, quantity, unitPriceCents: product.priceCents })),
      });
      cart.clear();
      announce("Thank you, your order is in.");
      navigate(`/orders/${placed.id}`);
    } catch (error) {
      const failed = error instanceof ApiError ? error : new ApiError(0, "offline", String(error));
      if (failed.status === 400 && failed.issues.length > 0) {
        const placed = placeIssues(failed.issues, failed.code);
        setIssues(placed);
        focusFirstInvalid(placed);
      } else {
        setFailure(failed);
      }
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  }

  const onSubmit = (event: Event) => {
    event.preventDefault();
    setTouched({ name: true, email: true });
    setAddressTouched({ name: true, line1: true, city: true, postalCode: true, country: true });
    if (firstInvalid({ fields: ownErrors, address: addressErrors })) return focusFirstInvalid({ fields: ownErrors, address: addressErrors });
    void placeOrder();
  };

  if (lines.length === 0) {
    return (
      <Page title="Checkout">
        <div class="empty">
          <p>There's nothing to check out yet: your cart is empty.</p>
          <Link href="/" class="button">Browse coffee &amp; tea</Link>
        </div>
      </Page>
    );
  }

  return (
    <Page title="Checkout">
      {products.error && !products.data && <Failure error={products.error} onRetry={products.reload} />}
      {!products.data && products.loading && <p class="loading">Fetching your cart…</p>}
      {rows.length > 0 && (
        <div class="checkout-layout">
          <form class="checkout-form" noValidate onSubmit={onSubmit} aria-describedby="checkout-note">
            <h2>Your details</h2>
            <p id="checkout-note" class="muted">We only use these for this order. All fields are required unless marked optional.</p>
            <Field
              id="name" label="Name" value={contact.name} error={errorOf("name")}
              autocomplete="name"
              onValue={edit("name")} onBlur={() => setTouched((t) => ({ ...t, name: true }))}
            />
            <Field
              id="email" label="Email" type="email" value={contact.email} error={errorOf("email")}
              autocomplete="email"
              onValue={edit("email")} onBlur={() => setTouched((t) => ({ ...t, email: true }))}
            />
            <AddressFields
              address={address} errorOf={addressErrorOf} onValue={editAddress}
              onBlur={(field) => () => setAddressTouched((t) => ({ ...t, [field]: true }))}
            />
            {issues.general.length > 0 && (
              <div class="notice notice-error" role="alert">{issues.general.map((message) => <p key={message}>{message}</p>)}</div>
            )}
            {failure && (
              <Failure error={failure} detail={failureDetail(failure)} onRetry={() => void placeOrder()} />
            )}
            {/* aria-disabled rather than disabled: the button keeps the keyboard focus while the order is sent. */}
            <button type="submit" class="button button-wide" aria-disabled={submitting}>
              {submitting ? "Placing your order…" : `Place order · ${money(total)}`}
            </button>
          </form>
          <aside class="summary" aria-labelledby="summary-title">
            <h2 id="summary-title">Order summary</h2>
            <ul class="summary-lines">
              {rows.map(({ product, quantity }, index) => {
                const issue = issues.lines[index] ?? (product.archived ? NO_LONGER_SOLD : undefined);
                return (
                  <li key={product.id}>
                    <span>{quantity} × {product.name}</span>
                    <span>{money(quantity * product.priceCents)}</span>
                    {issue && <p class="field-error">{issue}</p>}
                  </li>
                );
              })}
            </ul>
            <p class="subtotal"><span>Total</span> <strong>{money(total)}</strong></p>
            <Link href="/cart" class="secondary-link">Edit cart</Link>
          </aside>
        </div>
      )}
    </Page>
  );
}
