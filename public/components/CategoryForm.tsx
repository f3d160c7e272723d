import { useState } from "preact/hooks";
import { categorySlugOf } from "../../src/catalog/fields.ts";
import { answer, type ListedCategory } from "../api.ts";
import { adminApi } from "../adminApi.ts";
import { categoryErrorsFromApi, checkCategory, type CategoryDraft } from "../catalogForms.ts";
import { useAdminForm } from "../useAdminForm.ts";
import { FormField } from "./FormField.tsx";

type Props = { token: string; category?: ListedCategory; onSaved: (message: string) => void; onCancel: () => void; onDenied: () => void };

/**
 * Creates a category, or renames one (`category`). A new category's address follows its name
 * until it is edited by hand; a category keeps its address for good, so a rename has none to edit.
 */
export function CategoryForm({ token, category, onSaved, onCancel, onDenied }: Props) {
  const creating = !category;
  const [draft, setDraft] = useState<CategoryDraft>({ name: category?.name ?? "", slug: category?.slug ?? "" });
  const [slugEdited, setSlugEdited] = useState(false);
  const prefix = creating ? "new-category" : `rename-${category.id}`;
  const { form, errors, failure, busy, submit, clear } = useAdminForm({ prefix, order: ["name", "slug"] as const, onSaved, onDenied });

  const send = async () => {
    const categories = adminApi(token).categories;
    const name = draft.name.trim();
    const saved = await answer(creating
      ? categories.$post({ json: { name, slug: draft.slug.trim() } })
      : categories[":id"].$patch({ param: { id: category.id }, json: { name } }));
    return "name" in saved ? `Category ${saved.name} ${creating ? "created" : "renamed"}.` : "Sent; the change applies in a moment.";
  };

  const onName = (event: Event) => {
    const name = (event.currentTarget as HTMLInputElement).value;
    setDraft((d) => ({ name, slug: creating && !slugEdited ? categorySlugOf(name) : d.slug }));
    if (slugEdited) clear("name");
    else clear("name", "slug");
  };
  const onSlug = (event: Event) => {
    const slug = (event.currentTarget as HTMLInputElement).value;
    setSlugEdited(true);
    setDraft((d) => ({ ...d, slug }));
    clear("slug");
  };

  const title = creating ? "New category" : `Rename ${category.name}`;
  return (
    <form ref={form} class="catalog-form" noValidate aria-label={title}
      onSubmit={(event) => { event.preventDefault(); void submit(checkCategory(draft, creating), send, categoryErrorsFromApi); }}>
      <h3>{title}</h3>
      {failure && <p class="notice notice-error" role="alert">{failure}</p>}
      <FormField id={`${prefix}-name`} label="Name" error={errors.name}>
        {(described) => <input id={`${prefix}-name`} type="text" value={draft.name} onInput={onName} {...described} />}
      </FormField>
      {creating && (
        <FormField id={`${prefix}-slug`} label="Address" error={errors.slug} hint="Its page is /categories/ and this, for good: a rename keeps it.">
          {(described) => <input id={`${prefix}-slug`} type="text" spellcheck={false} autoCapitalize="off" value={draft.slug} onInput={onSlug} {...described} />}
        </FormField>
      )}
      <div class="form-actions">
        <button type="submit" class="button" disabled={busy}>{busy ? "Saving…" : creating ? "Create category" : "Rename"}</button>
        <button type="button" class="link-button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
