import { api } from "../api.ts";
import { Failure } from "../components/Failure.tsx";
import { usePreloaded } from "../preload.ts";
import { useApi } from "../useApi.ts";
import { CatalogPage } from "./CatalogPage.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";

/** /categories/<slug>: the catalog of one category, under its name; a slug no category has is Page not found. */
export function CategoryPage({ slug }: { slug: string }) {
  const categories = useApi(api.categories, {}, usePreloaded()?.categories);
  const category = categories.data?.find((c) => c.slug === slug);
  if (category) return <CatalogPage category={category} />;
  if (categories.data) return <NotFoundPage />;
  if (categories.error) return <Failure error={categories.error} onRetry={categories.reload} />;
  return <p class="loading">Finding the shelf…</p>;
}
