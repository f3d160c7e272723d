import { context, SpanStatusCode } from "@opentelemetry/api";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH, ATTR_URL_SCHEME } from "@opentelemetry/semantic-conventions";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { startRequestTrace, type RequestTrace } from "../../tracing/requestTrace.ts";

/**
 * A server span for each request of a trace that is kept, named by its route pattern, continuing the
 * caller's trace when it sends a traceparent; the span is the active context while the request is
 * handled. Every request's trace, kept or not, is `c.var.trace`, for the command it sends. Hand-written
 * rather than @hono/otel: that one records url.full, query string and all, and an order's link
 * carries its access token there; and it makes a span for every request, kept or not.
 */
export const traced = () =>
  createMiddleware<{ Variables: { trace: RequestTrace | undefined } }>(async (c, next) => {
    const method = c.req.method;
    const request = startRequestTrace(c.req.raw.headers, method);
    c.set("trace", request);
    if ("handOn" in request) return next();
    const { span } = request;
    span.setAttributes({ [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: c.req.path, [ATTR_URL_SCHEME]: c.req.url.slice(0, c.req.url.indexOf(":")) });
    try {
      await context.with(request.parent, next);
    } finally {
      const route = routePath(c, -1);
      span.updateName(`${method} ${route}`);
      span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: c.res.status });
      if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
