import type { Context } from "hono";
import { BUILT_INDEX } from "./storefrontIndex.ts";

/**
 * The storefront's own page, whose router shows its NotFoundPage for an address it does not know:
 * the same components as every other page, not a second template of them. Only a compiled binary
 * holds the built page; run from source (and in-process tests), a page that says so in plain words.
 */
const PAGE = BUILT_INDEX
  ?? `<!doctype html><html lang="en"><title>Page not found</title><h1>Page not found</h1><p><a href="/">Back to the shop</a></p></html>`;

/** Only a page a browser reads is answered so; the API's paths keep the contract's JSON 404. */
export function wantsPage(method: string, path: string): boolean {
  return (method === "GET" || method === "HEAD") && path !== "/api" && !path.startsWith("/api/");
}

/** no-cache: the address may serve a page after the next deploy. */
export const notFoundPage = (c: Context) => c.html(PAGE, 404, { "Cache-Control": "no-cache" });
