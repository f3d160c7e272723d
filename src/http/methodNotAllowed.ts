import type { Hono } from "hono";
import type { Env } from "./deps.ts";
import { ApiError } from "./errors.ts";

/**
 * Answers 405 with `Allow` for a known path asked with another method. The methods come from the
 * routes the app has, so they cannot drift from them; call it after every route is mounted.
 * `readOnlyPaths` are served outside the app (the storefront's, by Bun.serve's routes) for GET and
 * HEAD; the other methods fall through to the app, and get their 405 here too.
 */
export function methodNotAllowed(app: Hono<Env>, readOnlyPaths: readonly string[] = []): void {
  const allowed = new Map<string, Set<string>>(readOnlyPaths.map((path) => [path, new Set(["GET", "HEAD"])]));
  for (const { path, method } of app.routes) {
    if (method === "ALL") continue;
    const methods = allowed.get(path) ?? new Set<string>();
    methods.add(method);
    // Hono answers HEAD with the GET route.
    if (method === "GET") methods.add("HEAD");
    allowed.set(path, methods);
  }
  for (const [path, methods] of allowed) {
    const allow = [...methods].sort().join(", ");
    app.all(path, () => {
      throw new ApiError(405, "method_not_allowed", `this path answers ${allow} only`, undefined, { Allow: allow });
    });
  }
}
