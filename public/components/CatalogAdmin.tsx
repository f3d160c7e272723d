import { useEffect, useState } from "preact/hooks";
import { answer, api, type Product } from "../api.ts";
import { adminApi } from "../adminApi.ts";
import { plural } from "../format.ts";
import { useApi } from "../useApi.ts";
import { usePolling } from "../usePolling.ts";
import { CategoryAdmin } from "./CategoryAdmin.tsx";
import { MovementList } from "./MovementList.tsx";
import { Pager } from "./Pager.tsx";
import { ProductForm } from "./ProductForm.tsx";
import { ProductTable } from "./ProductTable.tsx";
import { RestockForm } from "./RestockForm.tsx";

/** Products a page of the table shows: a shared test database holds thousands, a real shop 100,000. */
const PAGE_SIZE = 20;

type Selection = { mode: "new" } | { mode: "product"; id: string };

/**
 * The catalog on the operations page: its categories, then the products on sale a page at a time
 * through GET /api/products (searched, by category, the page on screen refreshed every 2 s, never the
 * whole catalog), and the archived ones on request. Choosing a product opens its restock and edit
 * forms and its stock ledger.
 */
export function CatalogAdmin({ token, onDenied }: { token: string; onDenied: () => void }) {
  const categories = useApi(api.categories, {});
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState({ q: "", category: "" });
  /** The cursor of each page after the first that was opened, the current one last. */
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = usePolling(token, () => api.products, {
    query: { limit: String(PAGE_SIZE), ...(search.q && { q: search.q }), ...(search.category && { category: search.category }), ...(cursor && { cursor }) },
  });
  const [showArchived, setShowArchived] = useState(false);
  const archived = usePolling(token, (admin) => admin.products, { query: { archived: "true" } }, { enabled: showArchived });
  const [selected, setSelected] = useState<Selection>();
  const [outcome, setOutcome] = useState("");

  useEffect(() => { if (archived.error?.status === 401) onDenied(); }, [archived.error]);

  const byId = new Map((categories.data ?? []).map((c) => [c.id, c]));
  const shown = [...(page.data?.items ?? []), ...(showArchived ? archived.data ?? [] : [])];
  const product = selected?.mode === "product" ? shown.find((p) => p.id === selected.id) : undefined;
  const saved = (message: string) => {
    setOutcome(message);
    page.refresh();
    archived.refresh();
    categories.reload();
  };
  const find = (q: string, category: string) => {
    setSearch({ q, category });
    setCursors([]);
  };
  const manage = (p: Product) => setSelected(selected?.mode === "product" && selected.id === p.id ? undefined : { mode: "product", id: p.id });
  const archive = async (p: Product, archive: boolean) => {
    try {
      await answer(adminApi(token).products[":id"].$patch({ param: { id: p.id }, json: { archived: archive } }));
      saved(archive ? `${p.name} archived: no longer sold, still in old orders.` : `${p.name} is for sale again.`);
    } catch (error) {
      setOutcome(`${p.name} was not changed: ${(error as Error).message}`);
    }
  };
  const list = categories.data ?? [];
  const nextCursor = page.data?.nextCursor;

  return (
    <>
      <p class="replay-outcome" role="status" aria-live="polite" data-testid="catalog-outcome">{outcome}</p>
      <h3>Categories</h3>
      <CategoryAdmin token={token} categories={list} onSaved={saved} onDenied={onDenied} />
      <h3>Products on sale</h3>
      <form role="search" class="product-search" aria-label="Find products" onSubmit={(event) => { event.preventDefault(); find(typed.trim(), search.category); }}>
        <div class="field">
          <label for="catalog-admin-q">Find products</label>
          <input id="catalog-admin-q" type="search" value={typed} maxLength={100} autoComplete="off" spellcheck={false} aria-describedby="catalog-admin-q-hint"
            onInput={(event) => setTyped(event.currentTarget.value)} />
          <p class="field-hint" id="catalog-admin-q-hint">Words of a name or description, or a lot number</p>
        </div>
        <div class="field">
          <label for="catalog-admin-category">Category</label>
          <select id="catalog-admin-category" value={search.category} onChange={(event) => find(typed.trim(), event.currentTarget.value)}>
            <option value="">Every category</option>
            {list.map((c) => <option key={c.id} value={c.slug}>{c.name}</option>)}
          </select>
        </div>
        <button type="submit" class="button">Find</button>
      </form>
      <p class="admin-toolbar">
        <span class="muted">
          {page.data ? `Page ${cursors.length + 1}: ${page.data.items.length === 0 ? "no products" : plural(page.data.items.length, "product")}${search.q ? ` matching “${search.q}”` : ""}` : "Loading…"}
        </span>
        <button type="button" class="button button-small" onClick={() => setSelected({ mode: "new" })}>New product</button>
      </p>
      {selected?.mode === "new" && (
        <ProductForm token={token} categories={list} onDenied={onDenied} onCancel={() => setSelected(undefined)}
          onSaved={(message) => { saved(message); setSelected(undefined); }} />
      )}
      {page.data && page.data.items.length > 0 && (
        <ProductTable products={page.data.items} categories={byId} caption="Products on sale and their stock"
          selected={product?.id} onManage={manage} onArchive={archive} />
      )}
      <Pager label="Pages of products" page={cursors.length + 1} hasNext={Boolean(nextCursor)} back="Previous page" forward="Next page"
        onBack={() => setCursors((c) => c.slice(0, -1))} onForward={() => nextCursor && setCursors((c) => [...c, nextCursor])} />
      <p>
        <button type="button" class="link-button" aria-expanded={showArchived} onClick={() => setShowArchived((s) => !s)}>
          {showArchived ? "Hide archived products" : "Show archived products"}
        </button>
      </p>
      {showArchived && archived.data && (archived.data.length === 0
        ? <p class="muted">No product is archived.</p>
        : <ProductTable products={archived.data} categories={byId} caption="Archived products" selected={product?.id} onManage={manage} onArchive={archive} />)}
      {product && (
        <div class="catalog-detail" key={product.id}>
          <RestockForm token={token} product={product} onSaved={saved} onDenied={onDenied} />
          <ProductForm token={token} product={product} categories={list} onDenied={onDenied} onCancel={() => setSelected(undefined)} onSaved={saved} />
          <MovementList token={token} productId={product.id} name={product.name} />
        </div>
      )}
    </>
  );
}
