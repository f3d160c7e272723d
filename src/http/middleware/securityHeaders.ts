import { createMiddleware } from "hono/factory";

/**
 * Sent with every response: the API's here, the storefront's HTML and assets from storefront.ts.
 * The storefront is built to need nothing looser: no inline scripts or style attributes, no other
 * origins; its images are same-origin paths, the only ones a product's imageUrl may name
 * (orders/fields.ts ImagePath), and data: allows small inline icons in CSS.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // For browsers that predate frame-ancestors.
  "X-Frame-Options": "DENY",
};

const ENTRIES = Object.entries(SECURITY_HEADERS);

export const securityHeaders = () =>
  createMiddleware(async (c, next) => {
    await next();
    for (const [name, value] of ENTRIES) c.res.headers.set(name, value);
  });
