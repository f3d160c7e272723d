import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import postgres from "postgres";
import { makeCertificates } from "../support/certificates.ts";
import { kafka } from "../support/kafka.ts";
import { readStatusEvents, session, shippingAddress } from "../support/http.ts";
import { startPrivatePostgres, type PrivatePostgres } from "../support/privatePostgres.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

let certs: Awaited<ReturnType<typeof makeCertificates>>;
let server: PrivatePostgres;
let shop: RunningShop | undefined;
const prefix = `pgtls${crypto.randomUUID().slice(0, 8)}.`;

const url = (sslmode: string) => `postgres://postgres@127.0.0.1:${server.port}/shop?sslmode=${sslmode}`;

/** Runs `select 1` over DATABASE_URL as the binary would; the error's message when it cannot. */
async function query(databaseUrl: string): Promise<string> {
  const sql = postgres(databaseUrl, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    return "ok";
  } catch (error) {
    return (error as Error).message;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

beforeAll(async () => {
  certs = await makeCertificates();
  server = await startPrivatePostgres({ tls: certs });
}, 120_000);

afterAll(async () => {
  const code = await shop?.stop();
  await server?.remove();
  if (certs) await rm(certs.dir, { recursive: true, force: true });
  const admin = kafka.admin();
  await admin.connect();
  const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  await admin.disconnect();
  expect(code).toBe(0);
}, 90_000);

describe("PostgreSQL over TLS: DATABASE_URL with sslmode", () => {
  test("sslmode=require encrypts; verify-full checks the certificate against the CAs; a client that does not encrypt is refused", async () => {
    expect(await query(url("require"))).toBe("ok");
    expect(await query(url("disable"))).toMatch(/no encryption|pg_hba/);
    // This process has no NODE_EXTRA_CA_CERTS: the test CA's certificate cannot be verified.
    expect(await query(url("verify-full"))).toMatch(/certificate/i);
  }, 60_000);

  test("the shop binary with sslmode=verify-full and NODE_EXTRA_CA_CERTS starts, serves, and confirms an order", async () => {
    shop = await startShop({ DATABASE_URL: url("verify-full"), NODE_EXTRA_CA_CERTS: certs.ca, KAFKA_TOPIC_PREFIX: prefix }, "managed-postgres");
    const response = await session(shop.url).postOrder({ customer: { name: "Ada Lovelace", email: "ada@example.com" }, shippingAddress, items: [{ productId: "prd_house-espresso", quantity: 1 }] });
    expect(response.status).toBe(202);
    const events = await readStatusEvents(shop.url, (await response.json()).id);
    expect(events.at(-1)?.status).toBe("confirmed");
  }, 120_000);
});

