import { useState } from "preact/hooks";
import type { ListedCategory } from "../api.ts";
import { figure } from "../format.ts";
import { CategoryForm } from "./CategoryForm.tsx";

type Props = { token: string; categories: readonly ListedCategory[]; onSaved: (message: string) => void; onDenied: () => void };
type Open = { mode: "new" } | { mode: "rename"; id: string };

/** The catalog's categories on the operations page: each with its address and its products on sale; new ones and renames. */
export function CategoryAdmin({ token, categories, onSaved, onDenied }: Props) {
  const [open, setOpen] = useState<Open>();
  const renaming = open?.mode === "rename" ? categories.find((c) => c.id === open.id) : undefined;
  const saved = (message: string) => {
    setOpen(undefined);
    onSaved(message);
  };

  return (
    <>
      <p class="admin-toolbar">
        <span class="muted">{categories.length === 1 ? "1 category" : `${figure(categories.length)} categories`}</span>
        <button type="button" class="button button-small" onClick={() => setOpen({ mode: "new" })}>New category</button>
      </p>
      {open?.mode === "new" && <CategoryForm token={token} onSaved={saved} onCancel={() => setOpen(undefined)} onDenied={onDenied} />}
      {renaming && <CategoryForm key={renaming.id} token={token} category={renaming} onSaved={saved} onCancel={() => setOpen(undefined)} onDenied={onDenied} />}
      {categories.length > 0 && (
        <div class="table-scroll" role="region" aria-labelledby="categories-caption" tabIndex={0}>
          <table class="data-table catalog-table">
            <caption id="categories-caption" class="visually-hidden">Categories</caption>
            <thead><tr><th scope="col">Category</th><th scope="col">Address</th><th scope="col" class="numeric">On sale</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {categories.map((c) => (
                <tr key={c.id} data-category-id={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>/categories/{c.slug}</td>
                  <td class="numeric">{figure(c.productCount)}</td>
                  <td class="actions">
                    <button type="button" class="button button-small" aria-expanded={renaming?.id === c.id}
                      onClick={() => setOpen(renaming?.id === c.id ? undefined : { mode: "rename", id: c.id })}>
                      Rename<span class="visually-hidden"> {c.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
