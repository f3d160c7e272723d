import { afterAll, describe, expect, test } from "bun:test";
import { namespace } from "../../src/kafka/topics.ts";
import { DATABASE_URL, sql } from "../support/db.ts";
import { deleteTopics } from "../support/kafka.ts";
import { startShop } from "../support/shop.ts";

// Databases and topics of this file's own: the shops it starts serve HTTP only and touch nothing else.
const base = new URL(DATABASE_URL).pathname.slice(1);
const databases = { C: `${base}_ctype_c`, "C.UTF-8": `${base}_ctype_utf8` };
const { prefix, topics } = namespace(`${process.env.KAFKA_TOPIC_PREFIX ?? ""}locale-${crypto.randomUUID().slice(0, 8)}.`);

afterAll(async () => {
  for (const database of Object.values(databases)) await sql`DROP DATABASE IF EXISTS ${sql(database)} WITH (FORCE)`;
  await deleteTopics(Object.values(topics));
}, 30_000);

/** What the shop logs at `warn` while it starts on a new database of that LC_CTYPE. */
async function warningsOnA(ctype: keyof typeof databases): Promise<{ msg: string; ctype?: string }[]> {
  const database = databases[ctype];
  await sql`DROP DATABASE IF EXISTS ${sql(database)} WITH (FORCE)`;
  await sql.unsafe(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE '${ctype}'`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${database}`;
  const shop = await startShop({ DATABASE_URL: url.href, KAFKA_TOPIC_PREFIX: prefix, ROLES: "api" }, `locale-${ctype}`, "/healthz");
  expect(await shop.stop()).toBe(0);
  return (await Bun.file(shop.logFile).text()).split("\n").filter(Boolean).map((line) => JSON.parse(line)).filter((record) => record.level === "warn");
}

describe("the database's LC_CTYPE", () => {
  test("C: the shop says at start, once, that search will not find names outside ASCII; C.UTF-8: not a word of it", async () => {
    const onC = (await warningsOnA("C")).filter((w) => w.msg.includes("LC_CTYPE"));
    expect(onC.map((w) => w.ctype)).toEqual(["C"]);
    expect(onC[0]!.msg).toContain("product search will not find names in letters outside ASCII");
    expect((await warningsOnA("C.UTF-8")).filter((w) => w.msg.includes("LC_CTYPE"))).toEqual([]);
  }, 120_000);
});
