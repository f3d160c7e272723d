import type { StockMovement } from "../adminApi.ts";
import { shortId, when } from "../format.ts";
import { usePolling } from "../usePolling.ts";

const KIND: Record<StockMovement["kind"], string> = { opening: "Opening stock", order: "Order", adjustment: "Adjustment", cancellation: "Cancelled order" };

/** A product's stock ledger, newest first: every order's units and every adjustment, with why and by whom. */
export function MovementList({ token, productId, name }: { token: string; productId: string; name: string }) {
  const movements = usePolling(token, (admin) => admin.products[":id"].movements, { param: { id: encodeURIComponent(productId) }, query: { limit: "20" } });
  if (!movements.data) return <p class="loading">{movements.error ? movements.error.message : "Reading the ledger…"}</p>;
  return (
    <div class="table-scroll" role="region" aria-labelledby={`movements-${productId}`} tabIndex={0}>
      <table class="data-table movements">
        <caption id={`movements-${productId}`}>Stock movements of {name}, newest first</caption>
        <thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col" class="numeric">Change</th><th scope="col" class="numeric">Stock after</th></tr></thead>
        <tbody>
          {movements.data.map((m) => (
            <tr key={m.id}>
              <td>{when(m.at)}</td>
              <td>
                {KIND[m.kind]}
                {m.orderId && <> {shortId(m.orderId)}</>}
                {m.kind !== "order" && m.reason && <span class="movement-reason">{m.reason}{m.actor ? ` · ${m.actor}` : ""}</span>}
              </td>
              <td class="numeric">{m.delta > 0 ? `+${m.delta}` : m.delta}</td>
              <td class="numeric">{m.stockAfter}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
