import { useEffect, useState } from "preact/hooks";
import { answer, type Product } from "../api.ts";
import { adminApi } from "../adminApi.ts";
import { money } from "../format.ts";
import { usePolling } from "../usePolling.ts";
import { MovementList } from "./MovementList.tsx";
import { ProductForm } from "./ProductForm.tsx";
import { RestockForm } from "./RestockForm.tsx";

/** At or below this many units, a row is highlighted: the same line the storefront's "Only N left" draws. */
const LOW_STOCK = 5;

type Selection = { mode: "new" } | { mode: "product"; id: string };

function StockCell({ stock }: { stock: number }) {
  if (stock <= 0) return <td class="numeric stock-out">0 <span class="stock-note">sold out</span></td>;
  if (stock <= LOW_STOCK) return <td class="numeric stock-low">{stock} <span class="stock-note">low</span></td>;
  return <td class="numeric">{stock}</td>;
}

/**
 * The catalog on the operations page: every product with its stock, low and sold-out rows marked,
 * archived ones too. Choosing one opens its restock and edit forms and its stock ledger.
 */
export function CatalogAdmin({ token, onDenied }: { token: string; onDenied: () => void }) {
  const products = usePolling(token, (admin) => admin.products, {});
  const [selected, setSelected] = useState<Selection>();
  const [outcome, setOutcome] = useState("");

  useEffect(() => { if (products.error?.status === 401) onDenied(); }, [products.error]);

  const product = selected?.mode === "product" ? products.data?.find((p) => p.id === selected.id) : undefined;
  const saved = (message: string) => {
    setOutcome(message);
    products.refresh();
  };
  const archive = async (p: Product, archived: boolean) => {
    try {
      await answer(adminApi(token).products[":id"].$patch({ param: { id: p.id }, json: { archived } }));
      saved(archived ? `${p.name} archived: no longer sold, still in old orders.` : `${p.name} is for sale again.`);
    } catch (error) {
      setOutcome(`${p.name} was not changed: ${(error as Error).message}`);
    }
  };

  return (
    <>
      <p class="replay-outcome" role="status" aria-live="polite" data-testid="catalog-outcome">{outcome}</p>
      <p class="admin-toolbar">
        <span class="muted">{products.data ? `${products.data.filter((p) => !p.archived).length} for sale, ${products.data.filter((p) => p.archived).length} archived` : "Loading…"}</span>
        <button type="button" class="button button-small" onClick={() => setSelected({ mode: "new" })}>New product</button>
      </p>
      {selected?.mode === "new" && (
        <ProductForm token={token} onDenied={onDenied} onCancel={() => setSelected(undefined)}
          onSaved={(message) => { saved(message); setSelected(undefined); }} />
      )}
      {products.data && (
        <div class="table-scroll" role="region" aria-labelledby="catalog-caption" tabIndex={0}>
          <table class="data-table catalog-table">
            <caption id="catalog-caption" class="visually-hidden">Products and their stock</caption>
            <thead><tr><th scope="col">Product</th><th scope="col" class="numeric">Price</th><th scope="col" class="numeric">Stock</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {products.data.map((p) => (
                <tr key={p.id} data-product-id={p.id} class={p.archived ? "archived" : undefined}>
                  <th scope="row">
                    {p.name}
                    <span class="sku">{p.sku}{p.archived && <> · <strong>archived</strong></>}</span>
                  </th>
                  <td class="numeric">{money(p.priceCents)}</td>
                  <StockCell stock={p.stock} />
                  <td class="actions">
                    <button type="button" class="button button-small" aria-expanded={selected?.mode === "product" && selected.id === p.id}
                      onClick={() => setSelected(selected?.mode === "product" && selected.id === p.id ? undefined : { mode: "product", id: p.id })}>
                      Manage<span class="visually-hidden"> {p.name}</span>
                    </button>
                    <button type="button" class="link-button" onClick={() => archive(p, !p.archived)}>
                      {p.archived ? "Sell again" : "Archive"}<span class="visually-hidden"> {p.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {product && (
        <div class="catalog-detail" key={product.id}>
          <RestockForm token={token} product={product} onSaved={saved} onDenied={onDenied} />
          <ProductForm token={token} product={product} onDenied={onDenied} onCancel={() => setSelected(undefined)} onSaved={saved} />
          <MovementList token={token} productId={product.id} name={product.name} />
        </div>
      )}
    </>
  );
}
