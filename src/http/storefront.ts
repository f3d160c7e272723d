import storefront from "../../public/index.html";
import { productImages } from "../../public/images/index.ts";

/** Client-side pages: each answers with the storefront, which routes in the browser. */
const PAGES = ["/", "/cart", "/checkout", "/orders", "/orders/:id"] as const;

/**
 * Routes for Bun.serve: the bundled storefront (Hono cannot serve an HTML bundle) and the product
 * images, all embedded in the compiled binary.
 */
export async function storefrontRoutes() {
  const images = await Promise.all(Object.entries(productImages).map(async ([url, path]) => {
    const body = await Bun.file(path).bytes();
    return [url, new Response(body, { headers: { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" } })] as const;
  }));
  return {
    ...Object.fromEntries(PAGES.map((page) => [page, storefront])),
    ...Object.fromEntries(images),
  };
}
