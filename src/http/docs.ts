import { Hono } from "hono";
import type { RouterRoute } from "hono/types";
import type { ApiDeps, Env } from "./deps.ts";
import { asyncApiDocument } from "./docs/asyncapi.ts";
import { documented } from "./docs/described.ts";
import { openApiDocument } from "./docs/openapi.ts";
import { json } from "./docs/responses.ts";

/**
 * The API documents, built once: the OpenAPI one from `routes`, the app's, on the first request for
 * it, since this route is among them and so mounted before they are all there.
 */
export function docRoutes({ brokers, ns }: Pick<ApiDeps, "brokers" | "ns">, routes: () => readonly RouterRoute[]) {
  let openapi: ReturnType<typeof openApiDocument> | undefined;
  const asyncapi = asyncApiDocument(brokers, ns);
  return new Hono<Env>()
    .get("/openapi.json", documented({ summary: "This document", responses: { 200: { description: "OpenAPI 3.2", content: json({ type: "object" }) } } }),
      (c) => c.json((openapi ??= openApiDocument(routes()))))
    .get("/asyncapi.json", documented({ summary: "The topics and their messages", responses: { 200: { description: "AsyncAPI 3", content: json({ type: "object" }) } } }),
      (c) => c.json(asyncapi));
}
