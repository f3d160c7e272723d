import { createMiddleware } from "hono/factory";

/** Who is on the other end, as far as the shop can tell. */
export type Client = { readonly address: string; https: boolean };

type RequestIP = { requestIP(request: Request): { address: string } | null };

/** The last value of a comma-separated header: the one the nearest proxy, the trusted one, added. */
const lastOf = (header: string | null) => header?.split(",").at(-1)?.trim() || undefined;

/**
 * The socket's address and scheme. Behind a reverse proxy the socket is the proxy's, so with
 * `trustProxy` (TRUST_PROXY) they come from the X-Forwarded-For and X-Forwarded-Proto it adds
 * instead; without it those headers are ignored, since any client can send them.
 */
export function clientOf(request: Request, server: unknown, trustProxy: boolean): Client {
  // Each header stands alone: a proxy may add one without the other, and the scheme it reports is
  // what the browser used, whatever the socket says.
  const forwarded = trustProxy ? lastOf(request.headers.get("x-forwarded-for")) : undefined;
  const proto = trustProxy ? lastOf(request.headers.get("x-forwarded-proto")) : undefined;
  const https = proto ? proto.toLowerCase() === "https" : request.url.startsWith("https:");
  if (forwarded) return { address: forwarded, https };
  // Looked up only when a limit asks: with rate limits off no request needs it, and it is not free.
  let address: string | undefined;
  return {
    get address() { return address ??= (server as Partial<RequestIP> | undefined)?.requestIP?.(request)?.address ?? "unknown"; },
    https,
  };
}

export const client = (trustProxy: boolean) =>
  createMiddleware<{ Variables: { client: Client } }>(async (c, next) => {
    c.set("client", clientOf(c.req.raw, c.env, trustProxy));
    await next();
  });
