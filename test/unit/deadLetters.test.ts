import { describe, expect, test } from "bun:test";
import type { Tx } from "../../src/db/client.ts";
import { previewValue } from "../../src/operations/deadLetters.ts";
import type { Inbound } from "../../src/kafka/message.ts";
import { deadLetterRow, storeDeadLetters } from "../../src/worker/storeDeadLetters.ts";
import { sql } from "../support/db.ts";

const dlqMessage = (offset: string, headers: Record<string, string>, key: string | null = "order-1"): Inbound => ({
  topic: "orders.dlq", partition: 3, offset, key, value: Buffer.from("{}"), headers, rawHeaders: headers, headerFault: null, timestamp: new Date("2026-01-01T00:00:00.000Z"),
});
const dlqHeaders = { type: "PlaceOrder", "dlq-reason": "not JSON", "dlq-source-topic": "orders.commands", "dlq-source-partition": "2", "dlq-source-offset": "41" };

describe("deadLetterRow", () => {
  test("reads where the message came from and why out of its dlq-* headers, and keeps them all", () => {
    expect(deadLetterRow(dlqMessage("7", dlqHeaders))).toEqual({
      dlqPartition: 3, dlqOffset: "7", sourceTopic: "orders.commands", sourcePartition: 2, sourceOffset: "41",
      key: "order-1", value: Buffer.from("{}"), headers: dlqHeaders, reason: "not JSON", deadAt: new Date("2026-01-01T00:00:00.000Z"),
    });
  });

  test("anyone may write to orders.dlq: missing or malformed headers are stored as unknown, NUL characters replaced", () => {
    const row = deadLetterRow(dlqMessage("8", { "dlq-source-partition": "two", "dlq-source-offset": "-1", "x-odd": "a\0b" }, null));
    expect(row).toMatchObject({ sourceTopic: null, sourcePartition: null, sourceOffset: null, key: "", headers: { "x-odd": "a\uFFFDb" } });
    expect(row.reason).toStartWith("unknown");
    expect(deadLetterRow(dlqMessage("9", { ...dlqHeaders, "dlq-source-partition": "99999999999" })).sourcePartition).toBeNull();
  });
});

describe("storeDeadLetters", () => {
  test("a batch in one insert, in the chain's transaction, producing nothing; a redelivery is the same dead letter", async () => {
    const partition = 1_000 + Math.floor(Math.random() * 1_000_000);
    const letters = [dlqMessage("1", dlqHeaders), dlqMessage("2", dlqHeaders)].map((m) => ({ ...m, partition })).map((message) => ({ message, value: message }));
    const rolledBack = new Error("rolled back");
    await sql.begin(async (tx) => {
      expect(await storeDeadLetters(tx as unknown as Tx, letters)).toEqual([]);
      expect(await storeDeadLetters(tx as unknown as Tx, letters.slice(1))).toEqual([]);
      const rows = await tx<{ dlqOffset: string }[]>`SELECT dlq_offset::text AS "dlqOffset" FROM dead_letters WHERE dlq_partition = ${partition} ORDER BY dlq_offset`;
      expect(rows.map((r) => r.dlqOffset)).toEqual(["1", "2"]);
      throw rolledBack;
    }).catch((error) => { if (error !== rolledBack) throw error; });
    expect(await sql`SELECT 1 FROM dead_letters WHERE dlq_partition = ${partition}`).toHaveLength(0);
  });
});

describe("previewValue", () => {
  test("UTF-8 text is shown as text, and exactly as base64", () => {
    expect(previewValue(Buffer.from("{\"a\":\"é\"}"), 10)).toEqual({ bytes: 10, truncated: false, utf8: true, text: "{\"a\":\"é\"}", base64: Buffer.from("{\"a\":\"é\"}").toString("base64") });
  });

  test("bytes that are not UTF-8 are flagged", () => {
    expect(previewValue(Buffer.from([0xff, 0xfe, 0x41]), 3)).toMatchObject({ utf8: false, base64: "//5B" });
  });

  test("a character cut in half at the end of a truncated preview is still UTF-8", () => {
    const bytes = Buffer.from("aé");
    expect(previewValue(bytes.subarray(0, 2), 3)).toMatchObject({ utf8: true, truncated: true, bytes: 3 });
    expect(previewValue(bytes.subarray(0, 2), 2)).toMatchObject({ utf8: false, truncated: false });
  });
});
