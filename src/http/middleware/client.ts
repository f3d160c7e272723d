import { createMiddleware } from "hono/factory";

/** Who is on the other end, as far as the shop can tell. */
export type Client = { address: string; https: boolean };

type RequestIP = { requestIP(request: Request): { address: string } | null };

/** The last value of a comma-separated header: the one the nearest proxy, the trusted one, added. */
const lastOf = (header: string | null) => header?.split(",").at(-1)?.trim() || undefined;

/**
 * The socket's address and scheme. Behind a reverse proxy the socket is the proxy's, so with
 * `trustProxy` (TRUST_PROXY) they come from the X-Forwarded-For and X-Forwarded-Proto it adds
 * instead; without it those headers are ignored, since any client can send them.
 */
export function clientOf(request: Request, server: unknown, trustProxy: boolean): Client {
  if (trustProxy) {
    const forwarded = lastOf(request.headers.get("x-forwarded-for"));
    const proto = lastOf(request.headers.get("x-forwarded-proto"));
    if (forwarded) return { address: forwarded, https: proto === "https" };
  }
  const address = (server as Partial<RequestIP> | undefined)?.requestIP?.(request)?.address ?? "unknown";
  return { address, https: request.url.startsWith("https:") };
}

export const client = (trustProxy: boolean) =>
  createMiddleware<{ Variables: { client: Client } }>(async (c, next) => {
    c.set("client", clientOf(c.req.raw, c.env, trustProxy));
    await next();
  });
