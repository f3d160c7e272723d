import type { Category, ListedCategory } from "../catalog/categories.ts";
import type { Sql } from "./client.ts";

/** Every category with its products on sale, by name: a few dozen rows, their counts kept by the catalog consumer. */
export const listCategories = (sql: Sql) =>
  sql<ListedCategory[]>`SELECT id, slug, name, product_count AS "productCount" FROM categories ORDER BY name, id`;

export async function getCategory(sql: Sql, id: string): Promise<Category | undefined> {
  const [row] = await sql<Category[]>`SELECT id, slug, name FROM categories WHERE id = ${id}`;
  return row;
}

export async function slugTaken(sql: Sql, slug: string): Promise<boolean> {
  const [row] = await sql`SELECT 1 FROM categories WHERE slug = ${slug}`;
  return row !== undefined;
}
