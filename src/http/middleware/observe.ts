import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { Logger } from "../../log.ts";
import type { Metrics } from "../../metrics.ts";

/** Counts and times every request by its route pattern (never the raw path, which has ids in it). */
export const observe = (metrics: Metrics, log: Logger) =>
  createMiddleware<{ Variables: { requestId: string } }>(async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routePath(c, -1);
    metrics.httpRequests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.httpDuration.observe({ route }, seconds);
    if (c.res.status >= 500) log.warn("request failed", { requestId: c.get("requestId"), method: c.req.method, route, status: c.res.status });
    else if (log.enabled("debug")) log.debug("request", { requestId: c.get("requestId"), method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) });
  });
