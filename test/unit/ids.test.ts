import { describe, expect, test } from "bun:test";
import { eventId, idempotentOrderId, newOrderId, ownerOf } from "../../src/orders/ids.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("ids", () => {
  test("new order ids are random UUIDs", () => {
    const ids = new Set(Array.from({ length: 1000 }, newOrderId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(UUID);
  });

  test("the same Idempotency-Key and email give the same order id; anything else another", () => {
    const id = idempotentOrderId("secret", "key-1", "ada@example.com");
    expect(id).toMatch(UUID);
    expect(id[14]).toBe("8");
    expect(idempotentOrderId("secret", "key-1", " ADA@example.com ")).toBe(id);
    expect(idempotentOrderId("secret", "key-2", "ada@example.com")).not.toBe(id);
    expect(idempotentOrderId("secret", "key-1", "bob@example.com")).not.toBe(id);
    expect(idempotentOrderId("other-secret", "key-1", "ada@example.com")).not.toBe(id);
  });

  test("ids are what every earlier version made of the same inputs: a repeated key or a republished event still collapses", () => {
    // HMAC-SHA-256 and SHA-256 laid out as UUIDv8, as node:crypto computed them before Bun's hashers.
    expect(idempotentOrderId("secret", "key-1", "ada@example.com")).toBe("f994af49-bad9-835f-b374-3d090e19ac45");
    expect(eventId("00000000-0000-0000-0000-000000000000", "OrderPlaced")).toBe("f360d95f-ae16-8f15-8d0a-4a4fd1cab731");
  });

  test("an event's id is fixed by its order and type", () => {
    expect(eventId("o1", "OrderPlaced")).toBe(eventId("o1", "OrderPlaced"));
    expect(eventId("o1", "OrderPlaced")).not.toBe(eventId("o1", "OrderConfirmed"));
    expect(eventId("o1", "OrderPlaced")).not.toBe(eventId("o2", "OrderPlaced"));
  });

  test("the owner reference is the session's SHA-256, never the session itself", () => {
    // SHA-256("abc") from FIPS 180-2, in base64url.
    expect(ownerOf("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    expect(ownerOf("sid-2")).not.toBe(ownerOf("sid-1"));
  });
});
