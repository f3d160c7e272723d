import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * How long a mailed link opens its order: long enough to follow a parcel from confirmation to
 * delivery, short enough that an old mail found in an inbox opens nothing.
 */
export const LINK_LIFETIME_DAYS = 30;
const LIFETIME_MS = LINK_LIFETIME_DAYS * 24 * 60 * 60 * 1000;

/** 16 bytes of the order id and 6 of the expiry (ms), then 16 of an HMAC-SHA256 over both, base64url. */
const SHAPE = /^([A-Za-z0-9_-]{30})\.([A-Za-z0-9_-]{22})$/;
/** Keeps these signatures apart from any other the same secret might make. */
const PURPOSE = "order-link\n";

const idBytes = (orderId: string) => Buffer.from(orderId.replaceAll("-", ""), "hex");
const idOf = (bytes: Buffer) => bytes.toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
const mac = (secret: string, payload: Buffer) =>
  createHmac("sha256", secret).update(PURPOSE).update(payload).digest().subarray(0, 16);

/**
 * A token that opens one order, to read it and cancel it while allowed, on any device, until it
 * expires. It names the order and its expiry; the HMAC under the shop's link secret makes it
 * unforgeable and, with 128 bits, unguessable.
 */
export function signOrderLink(secret: string, orderId: string, now = Date.now()): string {
  const payload = Buffer.alloc(22);
  idBytes(orderId).copy(payload, 0);
  payload.writeUIntBE(now + LIFETIME_MS, 16, 6);
  return `${payload.toString("base64url")}.${mac(secret, payload).toString("base64url")}`;
}

export type LinkCheck = { ok: true; orderId: string; expiresAt: Date } | { ok: false; why: "malformed" | "forged" | "expired" };

/** Which order a token opens, if this shop signed it and it has not expired. */
export function readOrderLink(secret: string, token: string, now = Date.now()): LinkCheck {
  const parts = SHAPE.exec(token);
  if (!parts) return { ok: false, why: "malformed" };
  const payload = Buffer.from(parts[1]!, "base64url");
  const signature = Buffer.from(parts[2]!, "base64url");
  // Base64's last character carries spare bits: only the one spelling this shop writes is the token.
  if (payload.toString("base64url") !== parts[1] || signature.toString("base64url") !== parts[2]) return { ok: false, why: "malformed" };
  if (!timingSafeEqual(mac(secret, payload), signature)) return { ok: false, why: "forged" };
  const expiresAt = payload.readUIntBE(16, 6);
  if (now >= expiresAt) return { ok: false, why: "expired" };
  return { ok: true, orderId: idOf(payload.subarray(0, 16)), expiresAt: new Date(expiresAt) };
}
