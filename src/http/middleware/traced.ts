import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH, ATTR_URL_SCHEME } from "@opentelemetry/semantic-conventions";
import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import { contextOfRequest, tracer } from "../../tracing/spans.ts";

/**
 * A server span for each request, named by its route pattern, continuing the caller's trace when it
 * sends a traceparent. The span is the active context while the request is handled, so the command
 * it publishes is produced inside it. Hand-written rather than @hono/otel: that one records url.full,
 * query string and all, and an order's link carries its access token there.
 */
export const traced = () =>
  createMiddleware(async (c, next) => {
    const parent = contextOfRequest(c.req.raw.headers);
    const method = c.req.method;
    const span = tracer().startSpan(method, { kind: SpanKind.SERVER }, parent);
    // Attributes only for the spans that are kept: 99 in 100 are not.
    const kept = span.isRecording();
    if (kept) span.setAttributes({ [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: c.req.path, [ATTR_URL_SCHEME]: c.req.url.slice(0, c.req.url.indexOf(":")) });
    try {
      await context.with(trace.setSpan(parent, span), next);
    } finally {
      if (kept) {
        const route = routePath(c, -1);
        span.updateName(`${method} ${route}`);
        span.setAttributes({ [ATTR_HTTP_ROUTE]: route, [ATTR_HTTP_RESPONSE_STATUS_CODE]: c.res.status });
        if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
  });
