import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Issue } from "./contract.ts";

export type ErrorCode =
  | "invalid_json" | "validation_failed" | "unknown_product" | "payload_too_large" | "unsupported_media_type"
  | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "headers_too_large" | "rate_limited"
  | "unavailable" | "internal";

/** Thrown anywhere in a route; answered as the contract's error envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
    readonly headers: Record<string, string> = {},
    /** Says which rule refused it, for a 409 that has more than one possible cause. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export const conflict = (message: string, reason?: string) => new ApiError(409, "conflict", message, undefined, {}, reason);

export const unavailable = (what: string) =>
  new ApiError(503, "unavailable", `${what} is unavailable, try again shortly`, undefined, { "Retry-After": "2" });

/** 429 with the whole seconds to wait, at least one. */
export const rateLimited = (message: string, seconds: number) =>
  new ApiError(429, "rate_limited", message, undefined, { "Retry-After": String(Math.max(1, Math.ceil(seconds))) });

export const notFound = (what = "resource") => new ApiError(404, "not_found", `${what} not found`);

export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json({ error: {
    code: error.code, ...(error.reason ? { reason: error.reason } : {}), message: error.message, ...(error.issues ? { issues: error.issues } : {}),
  } }, error.status);
}
