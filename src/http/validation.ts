import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as v from "valibot";
import type { Issue } from "./contract.ts";
import { ApiError } from "./errors.ts";

export function toIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ""): Issue[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue);
    return { path: [prefix, path].filter(Boolean).join(".") || "(body)", message: issue.message };
  });
}

export function parseOrThrow<S extends v.GenericSchema>(schema: S, input: unknown, prefix = ""): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) throw new ApiError(400, "validation_failed", "the request is not valid", toIssues(result.issues, prefix));
  return result.output;
}

const MAX_BODY = 64 * 1024;

/** Refuses a body over 64 KiB with 413 before it is read. */
export const limitBody = () =>
  bodyLimit({ maxSize: MAX_BODY, onError: () => { throw new ApiError(413, "payload_too_large", "the body is larger than 64 KiB"); } });

/** Reads a JSON body, answering 415 for another media type and 400 for bytes that are not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json");
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "the body is not valid JSON");
  }
}
