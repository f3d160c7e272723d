import { basename } from "node:path";
import favicon from "../../public/favicon.svg" with { type: "file" };
import storefront from "../../public/index.html";
import { productImages } from "../../public/images/index.ts";
import { SECURITY_HEADERS } from "./middleware/securityHeaders.ts";
import { clientOf } from "./middleware/client.ts";
import { encodeOnce, pickEncoded, type Encoded } from "./middleware/compression.ts";
import { headerBytes } from "./middleware/headerLimit.ts";
import type { Sessions } from "./middleware/session.ts";

/** Client-side pages: each answers with the storefront, which routes in the browser. */
const PAGES = ["/", "/cart", "/checkout", "/orders", "/orders/:id", "/categories/:slug", "/admin"] as const;
/** In a compiled binary the app renders these on the server (http/pages/), from the built HTML. */
const SERVER_RENDERED: readonly string[] = ["/", "/categories/:slug", "/orders/:id"];

/** Built assets have content-hashed names, so a browser may keep them for good. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** The HTML names the current assets: always check it is still the latest. */
const REVALIDATE = "no-cache";

type Page = Encoded | ((request: Request, server: Bun.Server<unknown>) => Response);
type Handler = (request: Request, server: Bun.Server<unknown>) => Response | Promise<Response>;
type Routes = Record<string, Page | Bun.HTMLBundle>;
/** A route that answers GET and HEAD only: any other method falls through to the app's 405. */
type Readable = { GET: Page; HEAD: Page };

/** How the pages hand a browser its session: the same signed cookie as the API's. */
export type PageSessions = { sessions: Sessions; trustProxy: boolean };

/**
 * With an ETag, which Bun would give a static route itself, had headerLimited not made it a function;
 * compressed here, once, rather than for every browser that asks.
 */
async function staticResponse(path: string, headers: Record<string, string>, cacheControl: string): Promise<Encoded> {
  const body = await Bun.file(path).bytes();
  const all = new Headers({ ...headers, ...SECURITY_HEADERS, "Cache-Control": cacheControl });
  if (!all.has("etag")) all.set("ETag", `"${Bun.hash(body).toString(16)}"`);
  return encodeOnce(body, all);
}

/**
 * The storefront as plain static responses, so that they carry the security headers (an HTMLBundle
 * route cannot). Only a compiled binary knows its bundle's files: the built HTML, which asks for
 * each asset by its name at the root (`/chunk-….js`), and the assets.
 */
async function builtPages(files: NonNullable<Bun.HTMLBundle["files"]>, { sessions, trustProxy }: PageSessions): Promise<Routes> {
  const routes: Routes = {};
  for (const file of files) {
    if (file.path === storefront.index) {
      const encoded = await staticResponse(file.path, file.headers, REVALIDATE);
      // A browser's first response already sets its session, as the contract says.
      const withSession = (request: Request, server: Bun.Server<unknown>) => {
        const page = pickEncoded(encoded, request).clone();
        const { https } = clientOf(request, server, trustProxy);
        if (!sessions.read(request.headers.get("cookie"), https)) page.headers.set("Set-Cookie", sessions.issue(https).setCookie);
        return page;
      };
      for (const path of PAGES) if (!SERVER_RENDERED.includes(path)) routes[path] = withSession;
    } else {
      routes[`/${basename(file.path)}`] = await staticResponse(file.path, file.headers, IMMUTABLE);
    }
  }
  return routes;
}

/**
 * Routes for Bun.serve: the storefront (Hono cannot serve an HTML bundle) and the product images,
 * all embedded in the compiled binary. Run from source (`bun src/main.ts`), Bun bundles the
 * storefront itself, without the security headers.
 */
export async function storefrontRoutes(pageSessions: PageSessions): Promise<Record<string, Readable | Bun.HTMLBundle>> {
  const pages = storefront.files
    ? await builtPages(storefront.files, pageSessions)
    : Object.fromEntries(PAGES.map((path) => [path, storefront]));
  const images = await Promise.all(Object.entries(productImages).map(async ([url, path]) =>
    [url, await staticResponse(path, { "Content-Type": "image/svg+xml" }, "public, max-age=86400")] as const));
  // Browsers ask for /favicon.ico on pages that name no icon, such as an API answer opened in a tab.
  const icon = await staticResponse(favicon, { "Content-Type": "image/svg+xml" }, "public, max-age=86400");
  return readOnly({ ...pages, ...Object.fromEntries(images), "/favicon.ico": icon });
}

/** Every route but a bundle's own (from source) answers GET and HEAD alone. */
function readOnly(routes: Routes): Record<string, Readable | Bun.HTMLBundle> {
  return Object.fromEntries(Object.entries(routes).map(([path, route]) =>
    [path, typeof route === "function" || "identity" in route ? { GET: route, HEAD: route } : route]));
}

/** A static response in the encoding asked for, or 304 when the browser already holds it: what Bun does for a static route. */
function revalidated(encoded: Encoded, request: Request): Response {
  const page = pickEncoded(encoded, request);
  const etag = page.headers.get("etag");
  return etag && request.headers.get("if-none-match") === etag ? new Response(null, { status: 304, headers: page.headers }) : page.clone();
}

/**
 * Bun.serve answers its routes without the app, so the app's header limit would never see them:
 * each route hands a request whose headers pass `maxBytes` to `app`, whose headerLimit answers it
 * with the contract's 431. A bundle (run from source) cannot be wrapped and goes unguarded.
 */
export function headerLimited(routes: Record<string, Readable | Bun.HTMLBundle>, maxBytes: number, app: Handler): Record<string, { GET: Handler; HEAD: Handler } | Bun.HTMLBundle> {
  const guard = (page: Page): Handler => (request, server) =>
    headerBytes(request.headers) > maxBytes ? app(request, server) : typeof page === "function" ? page(request, server) : revalidated(page, request);
  return Object.fromEntries(Object.entries(routes).map(([path, route]) =>
    [path, "GET" in route ? { GET: guard(route.GET), HEAD: guard(route.HEAD) } : route]));
}
