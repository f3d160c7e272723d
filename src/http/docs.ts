import { Hono } from "hono";
import type { ApiDeps, Env } from "./deps.ts";
import { asyncApiDocument } from "./docs/asyncapi.ts";
import { openApiDocument } from "./docs/openapi.ts";

/** The API documents, built once from the schemas at start. */
export function docRoutes({ brokers, ns }: Pick<ApiDeps, "brokers" | "ns">) {
  const openapi = openApiDocument();
  const asyncapi = asyncApiDocument(brokers, ns);
  return new Hono<Env>()
    .get("/openapi.json", (c) => c.json(openapi))
    .get("/asyncapi.json", (c) => c.json(asyncapi));
}
