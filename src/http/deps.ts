import type { StatusFeed } from "../db/statusFeed.ts";
import type { Namespace } from "../kafka/topics.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { StockEvent } from "../catalog/schemas.ts";
import type { CatalogAdmin } from "../operations/catalog.ts";
import type { Operations } from "../operations/index.ts";
import type { Envelope } from "../orders/envelope.ts";
import type { OrderState } from "../orders/lifecycle.ts";
import type { Order, OrderEvent, Viewer } from "../orders/schemas.ts";
import type { OrderSearch } from "../orders/search.ts";
import type { Product } from "../catalog/schemas.ts";
import type { Limits } from "./limits/index.ts";
import type { Client } from "./middleware/client.ts";
import type { RequestTrace } from "../tracing/requestTrace.ts";
import type { JaegerUi } from "./orderTrace.ts";
import type { ProductSearch } from "../catalog/search.ts";
import type { ListedCategory } from "../catalog/categories.ts";

/** What the HTTP layer needs from the world, small enough to give a route test in memory. */
export type ApiDeps = {
  catalog: {
    /** A page of products on sale (db/productSearch.ts); undefined when the search names a category that does not exist. */
    search(search: ProductSearch): Promise<{ items: Product[]; nextCursor: string | null } | undefined>;
    /** Every category, with its products on sale. */
    categories(): Promise<ListedCategory[]>;
    get(id: string): Promise<Product | undefined>;
    /** The product on sale whose page is /products/<slug>. */
    bySlug(slug: string): Promise<Product | undefined>;
    /** For the sitemaps: how far the listing order of products on sale goes (0 with none)… */
    lastListed(): Promise<number>;
    /** …and its slugs, a batch at a time, listed after `after` and at most `upTo`, in that order. */
    listedSlugs(after: number, upTo: number, limit: number): Promise<{ listed: number; slug: string }[]>;
    /** Where each of these products stands now (an unknown id is left out). */
    stock(ids: string[]): Promise<StockEvent[]>;
    /** The ids among `ids` that name no product. */
    unknown(ids: string[]): Promise<string[]>;
  };
  orders: {
    get(id: string, viewer: Viewer): Promise<Order | undefined>;
    list(viewer: Viewer, limit: number): Promise<Order[]>;
    /** Where an order the viewer may see stands, for the lifecycle's rules; undefined if it is not one. */
    state(id: string, viewer: Viewer): Promise<OrderState | undefined>;
    /** A lifecycle command's outcome, once the worker decided it. */
    outcome(commandId: string): Promise<{ type: string; data: Record<string, unknown> } | undefined>;
    search(query: OrderSearch): Promise<{ items: Order[]; nextCursor: string | null }>;
    /** An order with what happened to it after its placement, oldest first. */
    history(id: string): Promise<OrderEvent[]>;
  };
  /**
   * Resolves once Kafka acknowledged the command; rejects when it did not, or not before `deadline`.
   * `trace` is the request's (undefined with tracing off), which the command's trace goes on from.
   */
  sendCommand(command: Envelope, correlationId: string, deadline: number, trace: RequestTrace | undefined): Promise<void>;
  statusFeed: Pick<StatusFeed, "watch">;
  limits: Limits;
  /** SHOP_URL: the origin of absolute links (canonical, Open Graph, sitemap); unset, the request's. */
  shopUrl: string | undefined;
  /** SITEMAP_URLS_PER_FILE: product URLs in each sitemap file (at most 50,000). */
  sitemapUrlsPerFile: number;
  /** JAEGER_UI_URL and OTEL_SERVICE_NAME: where an admin's order links to its traces; undefined, it links nowhere. */
  jaegerUi: JaegerUi | undefined;
  /** TRUST_PROXY: take the client's address and scheme from the X-Forwarded-* headers. */
  trustProxy: boolean;
  /** Every stock or availability change, for the storefront's live stock. */
  stockFeed: { onStock(listener: (change: StockEvent) => void): () => void };
  /** False once the instance is shutting down: new requests are then refused with 503. */
  accepting(): boolean;
  /** The names of what is not ready yet; empty when ready. */
  notReady(): Promise<string[]>;
  /** The operations page's figures and dead letters; the routes let only the admin reach them. */
  operations: Operations;
  /** The catalog as the operations page manages it. */
  catalogAdmin: CatalogAdmin;
  idempotencySecret: string;
  sessionSecret: string;
  /** Signs and checks the links in mails that open one order (orders/orderLinks.ts). */
  linkSecret: string;
  /** The Kafka brokers, named in the AsyncAPI document. */
  brokers: readonly string[];
  /** The topic names, as the AsyncAPI document gives them. */
  ns: Namespace;
  adminToken: string | undefined;
  metrics: Metrics;
  log: Logger;
};

export type Env = { Variables: { requestId: string; client: Client; session: string; owner: () => string; admin: boolean; trace: RequestTrace | undefined } };
