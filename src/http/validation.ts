import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { InferInput } from "hono/validator";
import * as v from "valibot";
import type { Issue } from "./contract.ts";
import { described } from "./docs/described.ts";
import { ApiError, notFound } from "./errors.ts";

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

/** Each request's body as jsonBody parsed it, for its json validator to take without a wait. */
const parsedBodies = new WeakMap<Request, unknown>();

/** Refuses a body over 64 KiB with 413 before it is read. */
export const limitBody = () =>
  bodyLimit({ maxSize: MAX_BODY, onError: () => { throw new ApiError(413, "payload_too_large", "the body is larger than 64 KiB"); } });

/**
 * Reads a JSON body (with `optional`, no body at all is `{}`), answering 415 for another media type and 400 for bytes that are not JSON.
 * Before a `json` validator, which takes the body parsed here: the contract has these two answers,
 * where Hono's own validator reads a body of another type as `{}` and answers bytes that are not
 * JSON with an error of its own.
 */
export const jsonBody = ({ optional = false } = {}) =>
  createMiddleware(async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    // A body the route does not need may be left out, whatever type is declared for it: read as `{}`.
    if (optional && (await c.req.text()) === "") {
      parsedBodies.set(c.req.raw, {});
      return next();
    }
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json");
    }
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "the body is not valid JSON");
    }
    parsedBodies.set(c.req.raw, body);
    await next();
  });

type Fields = v.ObjectSchema<v.ObjectEntries, undefined>;

/**
 * What Hono's validator does (the checked value for `c.req.valid(target)`), but reading only what
 * the check reads. Hono's reads its target before any check: every header into an object, the query
 * into arrays, the body's text parsed once more (c.req.json() parses the text, not the JSON cached),
 * and splits the content type for each; on POST /api/orders that was about 3 % of the shop's CPU.
 * Typed for the client as sending what `S` takes (an optional parameter may be left out), where Hono
 * derives that from what the check returns (a defaulted one required).
 */
const validates = <T extends keyof ValidationTargets, S extends v.GenericSchema>(target: T, check: (c: Context) => v.InferOutput<S>) =>
  // Not async: each async layer costs a request a promise and a turn, and every check here is synchronous.
  ((c: Context, next: () => Promise<void>) => {
    c.req.addValidatedData(target, check(c) as {});
    return next();
  }) as MiddlewareHandler<any, string, {
    in: { [K in T]: T extends "json" ? v.InferInput<S> : InferInput<v.InferInput<S>, T> };
    out: { [K in T]: v.InferOutput<S> };
  }>;

/** The JSON body as `schema` gives it, for `c.req.valid("json")`; after `jsonBody()`, which parsed it. The document's request body is `schema`. */
export const json = <S extends v.GenericSchema>(schema: S) =>
  described(validates<"json", S>("json", (c) => parseOrThrow(schema, parsedBodies.get(c.req.raw))), { body: schema });

/** The query as `schema` gives it, for `c.req.valid("query")`: the first value of each parameter, as c.req.query reads them. */
export const query = <S extends Fields>(schema: S) =>
  described(validates<"query", S>("query", (c) => parseOrThrow(schema, c.req.query(), "query")), { query: schema });

/** The path's parameters as `schema` gives them; one that no `what` can have is not found, as an unknown one is. */
export const param = <S extends Fields>(schema: S, what: string) =>
  described(validates<"param", S>("param", (c) => {
    const result = v.safeParse(schema, c.req.param());
    if (!result.success) throw notFound(what);
    return result.output;
  }), { path: schema });

/** An optional request header as `schema` gives it, for `c.req.valid("header")`; the document names it. */
export const optionalHeader = <S extends v.GenericSchema>(name: string, schema: S) => {
  const check = v.optional(schema);
  return described(validates<"header", typeof check>("header", (c) => parseOrThrow(check, c.req.header(name), `headers.${name}`)), { header: { name, schema } });
};
