import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { classify } from "../failure.ts";
import { adminRoutes } from "./admin.ts";
import { categoryRoutes } from "./categories.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { ApiError, errorResponse, notFound, unavailable } from "./errors.ts";
import { docRoutes } from "./docs.ts";
import { described } from "./docs/described.ts";
import { error, retryAfter } from "./docs/responses.ts";
import { healthRoutes } from "./health.ts";
import { admin } from "./middleware/admin.ts";
import { client } from "./middleware/client.ts";
import { compression } from "./middleware/compression.ts";
import { headerLimit } from "./middleware/headerLimit.ts";
import { observe } from "./middleware/observe.ts";
import { securityHeaders } from "./middleware/securityHeaders.ts";
import { traced } from "./middleware/traced.ts";
import { session, sessions } from "./middleware/session.ts";
import { methodNotAllowed } from "./methodNotAllowed.ts";
import { notFoundPage, wantsPage } from "./notFoundPage.ts";
import { orderRoutes } from "./orders.ts";
import { pageRoutes } from "./pages/routes.tsx";
import { sitemapRoutes } from "./pages/sitemapRoutes.ts";
import { productRoutes } from "./products.ts";
import { tracingOn } from "../tracing/setup.ts";

/** A caller's X-Request-Id longer than this is replaced: it goes into every log line and Kafka header of the order. */
const MAX_REQUEST_ID = 100;

/** Headers a browser sends, cookies included, fit with room to spare; Bun's default limit too. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * The JSON API: one middleware stack, one error envelope, a sub-app per resource. `storefrontPaths`
 * are the paths Bun.serve answers itself (GET and HEAD), so that other methods on them get a 405.
 */
export function createApp(deps: ApiDeps, storefrontPaths: readonly string[] = []) {
  const app = new Hono<Env>();
  // Outermost, so that it sees every answer as sent, errors included.
  app.use(compression(), securityHeaders());
  app.use(requestId({ limitLength: MAX_REQUEST_ID }));
  // Only when tracing is on: off, a request runs no tracing code at all.
  if (tracingOn()) app.use(traced());
  app.use(observe(deps.metrics, deps.log), headerLimit(MAX_HEADER_BYTES), client(deps.trustProxy));
  // Its 503 is, in the API document, every /api route's: this one's, and the one onError answers when a backing service is unreachable.
  app.use("/api/*", described(async (c, next) => {
    if (deps.accepting()) return next();
    c.header("Connection", "close");
    throw unavailable("this instance is shutting down; the service");
  }, { responses: { 503: error("unavailable: PostgreSQL or Kafka is unreachable, or this instance is shutting down", retryAfter) } }));
  const issuer = sessions(deps.sessionSecret);
  app.use("/api/*", session(issuer), described(admin(deps.adminToken), {
    responses: { 401: error("unauthorized: an Authorization header that is not `Bearer <admin token>`") },
  }));

  // Chained, so that the app's type holds every route: the storefront's typed client is made from it.
  const routed = app
    .route("/", healthRoutes(deps))
    .route("/api/products", productRoutes(deps))
    .route("/api/categories", categoryRoutes(deps))
    .route("/api/orders", orderRoutes(deps))
    .route("/api/admin", adminRoutes(deps))
    .route("/api", docRoutes(deps, () => app.routes))
    .route("/", pageRoutes(deps, issuer))
    .route("/", sitemapRoutes(deps));
  methodNotAllowed(app, storefrontPaths);

  app.notFound((c) => wantsPage(c.req.method, c.req.path) ? notFoundPage(c) : errorResponse(c, notFound()));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    deps.log.error("unhandled error", { requestId: c.get("requestId"), err: error, stack: (error as Error).stack });
    if (classify(error).transient) return errorResponse(c, new ApiError(503, "unavailable", "a backing service is unavailable, try again shortly", undefined, { "Retry-After": "2" }));
    return errorResponse(c, new ApiError(500, "internal", "something went wrong on our side"));
  });
  return routed;
}

/** Every route with its input and answers, for `hc<AppType>` in the browser (imported as a type only). */
export type AppType = ReturnType<typeof createApp>;
