import * as v from "valibot";
import { text } from "../orders/fields.ts";
import { CategoryName, CategorySlug } from "./fields.ts";

/** A category's id: made by the API (`cat_<uuid>`) or by a seed (`cat_<slug>`); any text a key can be. */
export const CategoryId = v.pipe(text(100), v.minLength(1, "categoryId is required"));

/** A category as the catalog's events carry it. */
export const Category = v.object({ id: v.string(), slug: v.string(), name: v.string() });
export type Category = v.InferOutput<typeof Category>;

/** What GET /api/categories lists: a category and how many of its products are on sale. */
export const ListedCategory = v.object({
  ...Category.entries,
  productCount: v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Its products on sale (not archived)")),
});
export type ListedCategory = v.InferOutput<typeof ListedCategory>;

/** The body of POST /api/admin/categories. */
export const CreateCategoryRequest = v.strictObject({ name: CategoryName, slug: CategorySlug });
export type CreateCategoryRequest = v.InferOutput<typeof CreateCategoryRequest>;

/** The body of PATCH /api/admin/categories/:id: a new name; the slug stays, so the category's address does too. */
export const RenameCategoryRequest = v.strictObject({ name: CategoryName });
export type RenameCategoryRequest = v.InferOutput<typeof RenameCategoryRequest>;

export const CATEGORY_REJECTION_REASONS = ["duplicate_slug", "unknown_category"] as const;
export type CategoryRejectionReason = (typeof CATEGORY_REJECTION_REASONS)[number];
