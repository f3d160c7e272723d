import { useId } from "preact/hooks";
import { cart, MAX_QUANTITY } from "../cart.ts";

/** Minus, a typed number, plus; every change goes straight to the cart, kept within 1 and the stock. */
export function QuantityInput({ productId, name, quantity, stock }: { productId: string; name: string; quantity: number; stock: number }) {
  const id = useId();
  const max = Math.max(1, Math.min(stock, MAX_QUANTITY));
  const set = (next: number) => cart.setQuantity(productId, next, stock);
  return (
    <div class="quantity">
      <label for={id} class="visually-hidden">Quantity of {name}</label>
      <button type="button" class="qty-step" aria-label={`One less ${name}`} disabled={quantity <= 1} onClick={() => set(quantity - 1)}>−</button>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={1}
        max={max}
        value={quantity}
        // Each keystroke goes to the cart, not only the committed value: any render (a stock update,
        // the catalog refreshed) sets the field back to the cart's quantity, which erased a number
        // typed but not yet committed.
        onInput={(event) => {
          const typed = Number.parseInt(event.currentTarget.value, 10);
          if (Number.isInteger(typed) && typed >= 1) set(typed);
        }}
        onChange={(event) => {
          // The cart may not change (nonsense, or already at the limit), so nothing would re-render the field.
          event.currentTarget.value = String(cart.quantityOf(productId));
        }}
      />
      <button type="button" class="qty-step" aria-label={`One more ${name}`} disabled={quantity >= max} onClick={() => set(quantity + 1)}>+</button>
    </div>
  );
}
