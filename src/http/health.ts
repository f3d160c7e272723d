import { Hono } from "hono";
import type { ApiDeps, Env } from "./deps.ts";
import { ApiError } from "./errors.ts";

export function healthRoutes({ notReady, metrics }: ApiDeps) {
  return new Hono<Env>()
    .get("/healthz", (c) => c.json({ status: "ok" }))
    .get("/readyz", async (c) => {
      const missing = await notReady();
      if (missing.length === 0) return c.json({ status: "ready" });
      throw new ApiError(503, "unavailable", `not ready: ${missing.join(", ")}`,
        missing.map((what) => ({ path: what, message: `${what} is not ready` })), { "Retry-After": "2" });
    })
    .get("/metrics", async (c) => c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType }));
}
