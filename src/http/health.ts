import { Hono } from "hono";
import type { ApiDeps, Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { error, json, retryAfter } from "./docs/responses.ts";
import { ApiError } from "./errors.ts";

const status = (value: string) => json({ type: "object", properties: { status: { const: value } }, required: ["status"] });

export function healthRoutes({ notReady, metrics }: ApiDeps) {
  return new Hono<Env>()
    .get("/healthz", documented({ summary: "Liveness", responses: { 200: { description: "The process serves", content: status("ok") } } }),
      (c) => c.json({ status: "ok" }))
    .get("/readyz", documented({
      summary: "Readiness",
      responses: { 200: { description: "Ready", content: status("ready") }, 503: error("unavailable: what is not ready, one issue each", retryAfter) },
    }), async (c) => {
      const missing = await notReady();
      if (missing.length === 0) return c.json({ status: "ready" });
      throw new ApiError(503, "unavailable", `not ready: ${missing.join(", ")}`,
        missing.map((what) => ({ path: what, message: `${what} is not ready` })), { "Retry-After": "2" });
    })
    .get("/metrics", documented({
      summary: "Prometheus metrics",
      responses: { 200: { description: "Text exposition format", content: { "text/plain": { schema: { type: "string" } } } } },
    }), async (c) => c.text(await metrics.registry.metrics(), 200, { "Content-Type": metrics.registry.contentType }));
}
