import { createHash, createHmac } from "node:crypto";

/** Lays 16 bytes out as an RFC 9562 version-8 UUID: a name-derived id in the standard shape. */
function uuidV8(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const newOrderId = () => crypto.randomUUID();

/**
 * The same Idempotency-Key and email always give the same order id, on every instance, with no
 * lookup: duplicates then collapse on the order's primary key. The shared secret keeps the id
 * unguessable to anyone who knows the key and the email.
 */
export const idempotentOrderId = (secret: string, key: string, email: string) =>
  uuidV8(createHmac("sha256", secret).update(`${email.trim().toLowerCase()}\n${key}`).digest());

/** Every event about an order has a fixed id, so a republished event deduplicates downstream. */
export const eventId = (orderId: string, type: string) =>
  uuidV8(createHash("sha256").update(`${type}\n${orderId}`).digest());

/** The owner reference stored with an order: a hash of the session, never the session itself. */
export const ownerOf = (sessionId: string) => createHash("sha256").update(sessionId).digest("base64url");
