import { useEffect, useRef } from "preact/hooks";
import { api } from "../api.ts";
import { Link } from "../router.tsx";
import { usePreloaded } from "../preload.ts";
import { useApi } from "../useApi.ts";

/**
 * Every category, each a link to its page (/categories/<slug>), the one on screen marked as the
 * current page and scrolled into the row: one row of links that scrolls sideways, its height kept
 * from the start, so that the list arriving after the page moves nothing on it.
 */
export function CategoryNav() {
  const categories = useApi(api.categories, {}, usePreloaded()?.categories);
  const row = useRef<HTMLElement>(null);
  useEffect(() => {
    row.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [categories.data]);
  return (
    <nav class="category-nav" aria-label="Categories" ref={row}>
      <ul>
        <li><Link href="/">All products</Link></li>
        {categories.data?.map((c) => <li key={c.id}><Link href={`/categories/${c.slug}`}>{c.name}</Link></li>)}
      </ul>
    </nav>
  );
}
