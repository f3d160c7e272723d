import type { Context } from "hono";
import type { Env } from "../deps.ts";

/** A Host header that is a host name or an IP literal, with a port or without. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * Where absolute links point: SHOP_URL, or the address the request came to, its scheme as
 * TRUST_PROXY has it. A Host header that is not a host is not repeated into links.
 */
export function originOf(c: Context<Env>, shopUrl: string | undefined): string {
  if (shopUrl) return shopUrl;
  const host = c.req.header("host");
  return `${c.get("client").https ? "https" : "http"}://${host && HOST.test(host) ? host : new URL(c.req.url).host}`;
}
