import type { ListedCategory, Product } from "../api.ts";
import { money } from "../format.ts";

/** At or below this many units, a row is highlighted: the same line the storefront's "Only N left" draws. */
const LOW_STOCK = 5;

function StockCell({ stock }: { stock: number }) {
  if (stock <= 0) return <td class="numeric stock-out">0 <span class="stock-note">sold out</span></td>;
  if (stock <= LOW_STOCK) return <td class="numeric stock-low">{stock} <span class="stock-note">low</span></td>;
  return <td class="numeric">{stock}</td>;
}

type Props = {
  products: readonly Product[];
  categories: ReadonlyMap<string, ListedCategory>;
  caption: string;
  selected?: string;
  onManage: (product: Product) => void;
  onArchive: (product: Product, archived: boolean) => void;
};

/** Products with their category, price and stock, low and sold-out rows marked, each to manage, archive or sell again. */
export function ProductTable({ products, categories, caption, selected, onManage, onArchive }: Props) {
  const id = `${caption.toLowerCase().replace(/\W+/g, "-")}-caption`;
  return (
    <div class="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table class="data-table catalog-table">
        <caption id={id} class="visually-hidden">{caption}</caption>
        <thead><tr><th scope="col">Product</th><th scope="col">Category</th><th scope="col" class="numeric">Price</th><th scope="col" class="numeric">Stock</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.id} data-product-id={p.id} class={p.archived ? "archived" : undefined}>
              <th scope="row">
                {p.name}
                <span class="sku">{p.sku}{p.archived && <> · <strong>archived</strong></>}</span>
              </th>
              <td>{p.categoryId ? categories.get(p.categoryId)?.name ?? "…" : <span class="muted">None</span>}</td>
              <td class="numeric">{money(p.priceCents)}</td>
              <StockCell stock={p.stock} />
              <td class="actions">
                <button type="button" class="button button-small" aria-expanded={selected === p.id} onClick={() => onManage(p)}>
                  Manage<span class="visually-hidden"> {p.name}</span>
                </button>
                <button type="button" class="link-button" onClick={() => onArchive(p, !p.archived)}>
                  {p.archived ? "Sell again" : "Archive"}<span class="visually-hidden"> {p.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
