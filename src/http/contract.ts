import * as v from "valibot";

/** The Idempotency-Key header of POST /api/orders. */
export const IdempotencyKey = v.pipe(
  v.string(),
  v.minLength(1, "Idempotency-Key is 1..255 printable ASCII characters"),
  v.maxLength(255, "Idempotency-Key is 1..255 printable ASCII characters"),
  v.regex(/^[\x20-\x7e]+$/, "Idempotency-Key is 1..255 printable ASCII characters"),
);

/** One refused field of a request: where, as a dot path, and why. */
export const Issue = v.object({ path: v.string(), message: v.string() });
export type Issue = v.InferOutput<typeof Issue>;

/** The body of every refusal and failure the API answers. */
export const ErrorBody = v.object({
  error: v.object({
    code: v.string(),
    reason: v.optional(v.pipe(v.string(), v.description("For a 409 conflict: which rule refused it, e.g. would_go_negative or duplicate_sku"))),
    message: v.string(),
    issues: v.optional(v.array(Issue)),
  }),
});
export type ErrorBody = v.InferOutput<typeof ErrorBody>;
