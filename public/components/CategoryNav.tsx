import { api } from "../api.ts";
import { Link } from "../router.tsx";
import { useApi } from "../useApi.ts";

/**
 * Every category, each a link to its page (/categories/<slug>), the one on screen marked as the
 * current page. In the footer of every page: it comes after the page's content, so appearing once
 * the list is read moves nothing on screen.
 */
export function CategoryNav() {
  const categories = useApi(api.categories, {});
  if (!categories.data || categories.data.length === 0) return null;
  return (
    <nav class="category-nav" aria-labelledby="category-nav-title">
      <h2 id="category-nav-title">Shop by category</h2>
      <ul>
        {categories.data.map((c) => <li key={c.id}><Link href={`/categories/${c.slug}`}>{c.name}</Link></li>)}
      </ul>
    </nav>
  );
}
