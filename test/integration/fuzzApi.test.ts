import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ownNamespace } from "../../scripts/namespace.ts";
import { customer, session, shippingAddress } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

/**
 * An outside OpenAPI fuzzer, Schemathesis, against the running binary's /api/openapi.json: every
 * answer must be one the document declares (status, media type, headers, body), none a 5xx, and no
 * request the document allows refused with a 4xx other than for state (an unknown id, a conflict).
 * Bounded: 127.0.0.1 only, a fixed seed, a few examples per operation, 60 s of fuzzing. The shop
 * runs in a namespace of its own, emptied first: the fuzzer's products and orders stay out of every
 * other test's catalog, and one run's findings do not depend on the runs before it.
 */

const ROOT = join(import.meta.dir, "..", "..");
const ADMIN_TOKEN = `fuzz-${crypto.randomUUID()}`;
const SEED = 19;
const FUZZ_SECONDS = 60;
const CHECKS = [
  "not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
  // positive_data_acceptance, but for the refusals only the shop's state decides (test/support/fuzzChecks.py).
  "response_schema_conformance", "allowed_requests_accepted",
];

let shop: RunningShop;
let schemathesis: string;

beforeAll(async () => {
  const install = Bun.spawn([join(ROOT, "scripts", "schemathesis.sh")], { stdout: "pipe", stderr: "inherit" });
  const path = (await new Response(install.stdout).text()).trim();
  expect(await install.exited).toBe(0);
  schemathesis = path;
  const namespace = await ownNamespace(`${process.env.TEST_NAMESPACE ?? "test"}_fuzz`, process.env, { fresh: true });
  shop = await startShop({ ...namespace, ADMIN_TOKEN }, "fuzz");
}, 300_000);
afterAll(async () => { expect(await shop?.stop()).toBe(0); });

const productIds = async () => ((await (await fetch(`${shop.url}/api/products?limit=100`)).json()) as { items: { id: string }[] }).items.map((p) => p.id);

/** A cursor the admin's order search gave: only such a one is valid, which no schema can say. */
async function realCursor() {
  const [productId] = await productIds();
  const buyer = session(shop.url);
  for (let i = 0; i < 2; i++) {
    expect((await buyer.postOrder({ customer, shippingAddress, items: [{ productId, quantity: 1 }] })).status).toBe(202);
  }
  for (const until = Date.now() + 30_000; Date.now() < until; await Bun.sleep(200)) {
    const page = await (await fetch(`${shop.url}/api/admin/orders?limit=1`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json() as { nextCursor?: string | null };
    if (page.nextCursor) return page.nextCursor;
  }
  throw new Error("no nextCursor within 30 s");
}

async function productCursor() {
  const page = await (await fetch(`${shop.url}/api/products?sort=name&limit=1`)).json() as { nextCursor: string | null };
  if (!page.nextCursor) throw new Error("GET /api/products gave no nextCursor: fewer than two products");
  return page.nextCursor;
}

test("Schemathesis finds no answer the OpenAPI document does not declare, and no allowed request refused", async () => {
  const dir = join(ROOT, ".artifacts", "fuzz", new Date().toISOString().replaceAll(":", "-"));
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "schemathesis.toml");
  // What only the shop's state makes valid, which no schema can say, is taken from the shop where the
  // fuzzer can use it: the ids of its products and a search's cursor.
  await Bun.write(config, [
    // The order stream sends the current status at once and stays open: its first event is checked.
    "max-stream-events = 1",
    "",
    "[dictionaries.products]",
    `values = ${JSON.stringify(await productIds())}`,
    "",
    "[[operations]]",
    'include-name = "POST /api/orders"',
    'parameters = { "body.items[*].productId" = { dictionary = "products" } }',
    "",
    "[[operations]]",
    'include-name = "GET /api/admin/orders"',
    `parameters = { "query.cursor" = ${JSON.stringify(await realCursor())} }`,
    "",
    // A product cursor belongs to its sort, and relevance needs q: with the sort pinned, the cursor is one it gave.
    "[[operations]]",
    'include-name = "GET /api/products"',
    `parameters = { "query.sort" = "name", "query.cursor" = ${JSON.stringify(await productCursor())} }`,
    "",
  ].join("\n"));

  const run = Bun.spawn([
    schemathesis, "--config-file", config, "run", `${shop.url}/api/openapi.json`,
    "--header", `Authorization: Bearer ${ADMIN_TOKEN}`,
    "--checks", CHECKS.join(","),
    // Says nothing until some stock moves, so a request would only wait for its timeout; eventStreams.test.ts checks its events.
    "--exclude-path", "/api/products/events",
    "--seed", String(SEED), "--max-examples", "10", "--max-time", String(FUZZ_SECONDS),
    "--request-timeout", "5", "--workers", "1",
    "--report", "junit", "--report-dir", dir,
  ], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", SCHEMATHESIS_HOOKS: "fuzzChecks", PYTHONPATH: join(ROOT, "test", "support") } });
  const [out, err, code] = await Promise.all([new Response(run.stdout).text(), new Response(run.stderr).text(), run.exited]);
  await Bun.write(join(dir, "output.txt"), out + err);
  if (code !== 0) console.error(`${out}\n${err}\n(report in ${dir})`);
  expect(code).toBe(0);
}, 180_000);
