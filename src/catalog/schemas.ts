import * as v from "valibot";
import { ENVELOPE_VERSION, OccurredAt } from "../orders/envelope.ts";
import { CURRENCY, ImagePath, text } from "../orders/fields.ts";
import { Description, MAX_UNITS, OpeningStock, PriceCents, ProductName, Sku, StockReason } from "./fields.ts";
import { Category, CATEGORY_REJECTION_REASONS, CategoryId, CreateCategoryRequest, RenameCategoryRequest } from "./categories.ts";
import { Cents, Limit, ProductId } from "../orders/schemas.ts";

/** What the API answers: used for the types and for the OpenAPI document, never to parse. */
export const Product = v.object({
  id: v.string(),
  sku: v.string(),
  /** Its page is /products/<slug>: given at creation, unique, and kept through renames so the address keeps working. */
  slug: v.pipe(v.string(), v.description("The product page's address is /products/<slug> (percent-encoded): unique, given when the product is created and never changed, renames included")),
  name: v.string(),
  description: v.string(),
  priceCents: Cents,
  currency: v.literal(CURRENCY),
  stock: v.pipe(v.number(), v.integer(), v.minValue(0)),
  imageUrl: v.string(),
  archived: v.boolean(),
  categoryId: v.pipe(v.nullable(v.string()), v.description("The id of its category (GET /api/categories), or null")),
});
export type Product = v.InferOutput<typeof Product>;

/** What GET /api/products answers: a page, and where the next one starts (null after the last). */
export const ProductPage = v.object({ items: v.array(Product), nextCursor: v.nullable(v.string()) });

export const DEFAULT_IMAGE = "/images/house-espresso.svg";

/** The body of POST /api/admin/products. */
export const CreateProductRequest = v.strictObject({
  sku: Sku,
  name: ProductName,
  description: Description,
  priceCents: PriceCents,
  imageUrl: v.optional(ImagePath, DEFAULT_IMAGE),
  stock: v.optional(OpeningStock, 0),
  categoryId: v.optional(v.nullable(CategoryId), null),
});
export type CreateProductRequest = v.InferOutput<typeof CreateProductRequest>;

/** The body of PATCH /api/admin/products/:id: the sku names a product for good and stock moves only by adjustments. */
export const UpdateProductRequest = v.pipe(
  v.strictObject({
    name: v.optional(ProductName),
    description: v.optional(Description),
    priceCents: v.optional(PriceCents),
    imageUrl: v.optional(ImagePath),
    archived: v.optional(v.boolean("archived is true or false")),
    categoryId: v.optional(v.nullable(CategoryId)),
  }),
  v.check((changes) => Object.keys(changes).length > 0, "change at least one of name, description, priceCents, imageUrl, archived, categoryId"),
  // Says the check in the API document, which cannot read it from a function.
  v.metadata({ minProperties: 1 }),
);
export type UpdateProductRequest = v.InferOutput<typeof UpdateProductRequest>;

/** The body of POST /api/admin/products/:id/stock-adjustments. */
export const StockAdjustmentRequest = v.strictObject({
  delta: v.pipe(
    v.number("delta must be a number"), v.integer("delta is a whole number"),
    v.minValue(-MAX_UNITS, `delta is at least -${MAX_UNITS}`), v.maxValue(MAX_UNITS, `delta is at most ${MAX_UNITS}`),
    v.notValue(0, "delta cannot be zero"),
  ),
  reason: StockReason,
});
export type StockAdjustmentRequest = v.InferOutput<typeof StockAdjustmentRequest>;

const Actor = text(200);

const EnvelopeBase = { id: v.pipe(v.string(), v.uuid()), occurredAt: OccurredAt, version: v.literal(ENVELOPE_VERSION) };
const CatalogEnvelopeBase = { ...EnvelopeBase, productId: ProductId };
/** A category's messages carry its id where a product's carry the product's, and are keyed by it. */
const CategoryEnvelopeBase = { ...EnvelopeBase, categoryId: CategoryId };

export const UpsertProductData = v.variant("action", [
  v.object({ action: v.literal("create"), product: CreateProductRequest, actor: Actor }),
  v.object({ action: v.literal("update"), changes: UpdateProductRequest, actor: Actor }),
]);
export type UpsertProductData = v.InferOutput<typeof UpsertProductData>;

export const AdjustStockData = v.object({ ...StockAdjustmentRequest.entries, actor: Actor });
export type AdjustStockData = v.InferOutput<typeof AdjustStockData>;

export const UpsertCategoryData = v.variant("action", [
  v.object({ action: v.literal("create"), category: CreateCategoryRequest, actor: Actor }),
  v.object({ action: v.literal("rename"), ...RenameCategoryRequest.entries, actor: Actor }),
]);
export type UpsertCategoryData = v.InferOutput<typeof UpsertCategoryData>;

export const UpsertProductEnvelope = v.object({ type: v.literal("UpsertProduct"), ...CatalogEnvelopeBase, data: UpsertProductData });
export const AdjustStockEnvelope = v.object({ type: v.literal("AdjustStock"), ...CatalogEnvelopeBase, data: AdjustStockData });
export const UpsertCategoryEnvelope = v.object({ type: v.literal("UpsertCategory"), ...CategoryEnvelopeBase, data: UpsertCategoryData });
/** What catalog.commands carries. */
export const CatalogCommandEnvelope = v.variant("type", [UpsertProductEnvelope, AdjustStockEnvelope, UpsertCategoryEnvelope]);
export type CatalogCommandEnvelope = v.InferOutput<typeof CatalogCommandEnvelope>;
export type ProductCommandEnvelope = Exclude<CatalogCommandEnvelope, { type: "UpsertCategory" }>;
export type CategoryCommandEnvelope = Extract<CatalogCommandEnvelope, { type: "UpsertCategory" }>;

/** The key of a catalog message: the id of the product, or of the category, it is about. */
export const catalogKey = (envelope: { productId: string } | { categoryId: string }) =>
  "categoryId" in envelope ? envelope.categoryId : envelope.productId;

export const PRODUCT_REJECTION_REASONS = ["duplicate_sku", "unknown_product", "unknown_category"] as const;
export type ProductRejectionReason = (typeof PRODUCT_REJECTION_REASONS)[number];

export const StockAdjusted = v.object({
  adjustmentId: v.pipe(v.string(), v.uuid()), delta: v.number(), reason: v.string(), actor: v.string(), stock: v.number(),
});
export const StockAdjustmentRejected = v.object({
  adjustmentId: v.pipe(v.string(), v.uuid()), delta: v.number(), reason: v.literal("would_go_negative"), stock: v.number(),
});

export const ProductChangedEnvelope = v.object({ type: v.literal("ProductChanged"), ...CatalogEnvelopeBase, data: Product });
export const ProductChangeRejectedEnvelope = v.object({
  type: v.literal("ProductChangeRejected"), ...CatalogEnvelopeBase, data: v.object({ commandId: v.pipe(v.string(), v.uuid()), reason: v.picklist(PRODUCT_REJECTION_REASONS) }),
});
export const CategoryChangedEnvelope = v.object({ type: v.literal("CategoryChanged"), ...CategoryEnvelopeBase, data: Category });
export const CategoryChangeRejectedEnvelope = v.object({
  type: v.literal("CategoryChangeRejected"), ...CategoryEnvelopeBase, data: v.object({ commandId: v.pipe(v.string(), v.uuid()), reason: v.picklist(CATEGORY_REJECTION_REASONS) }),
});
export const StockAdjustedEnvelope = v.object({ type: v.literal("StockAdjusted"), ...CatalogEnvelopeBase, data: StockAdjusted });
export const StockAdjustmentRejectedEnvelope = v.object({ type: v.literal("StockAdjustmentRejected"), ...CatalogEnvelopeBase, data: StockAdjustmentRejected });

/** The answer to a stock adjustment that was applied. */
export const AppliedAdjustment = v.object({ id: v.pipe(v.string(), v.uuid()), productId: v.string(), delta: v.number(), stock: v.number() });
export type AppliedAdjustment = v.InferOutput<typeof AppliedAdjustment>;

/** The answer when a command was not applied within the wait: it still will be. */
export const CommandAccepted = v.object({ id: v.string() });

/** One stock movement of a product's ledger. */
export const StockMovement = v.object({
  id: v.pipe(v.string(), v.regex(/^\d+$/)),
  kind: v.picklist(["opening", "order", "adjustment", "cancellation"]),
  delta: v.number(),
  stockAfter: v.number(),
  orderId: v.nullable(v.string()),
  reason: v.nullable(v.string()),
  actor: v.nullable(v.string()),
  at: v.pipe(v.string(), v.isoTimestamp()),
});
export type StockMovement = v.InferOutput<typeof StockMovement>;

export const MovementListQuery = v.object({ limit: Limit(200, 50) });

/** GET /api/admin/products: every product, or only the archived ones (or only those on sale). */
export const AdminProductListQuery = v.object({
  archived: v.optional(v.pipe(
    v.picklist(["true", "false"], "archived is true or false"), v.transform((s) => s === "true"),
    v.description("true: only the archived products; false: only those on sale; left out: every product"),
  )),
});

/** What GET /api/products/events sends as `event: stock`. */
export const StockEvent = v.object({ id: v.string(), stock: v.number(), archived: v.boolean() });
export type StockEvent = v.InferOutput<typeof StockEvent>;
