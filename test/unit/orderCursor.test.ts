import { describe, expect, test } from "bun:test";
import { decodeCursor, encodeCursor } from "../../src/orders/search.ts";

const id = "00000000-0000-4000-8000-000000000000";
const raw = (text: string) => Buffer.from(text).toString("base64url");

describe("the admin search's cursor", () => {
  test("a cursor the API gave reads back as it was", () => {
    const cursor = { createdAt: "2026-02-28T23:59:59.123456Z", id };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  // Of the right shape, these reached PostgreSQL, which refused the time: a 500.
  test.each(["2026-13-45T99:99:99.000000Z", "2026-02-30T00:00:00.000000Z", "2026-04-31T12:00:00.000000Z", "2026-01-01T24:00:00.000000Z"])(
    "a time that does not exist, %s, is no cursor", (createdAt) => {
      expect(decodeCursor(raw(`${createdAt}|${id}`))).toBeUndefined();
    });

  test("another shape is no cursor", () => {
    expect(decodeCursor("0".repeat(200))).toBeUndefined();
    expect(decodeCursor(raw(`2026-01-01T00:00:00.000Z|${id}`))).toBeUndefined();
  });
});
