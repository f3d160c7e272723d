import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { syntheticCategories, syntheticProduct } from "../../scripts/catalog/synthetic.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const SCRIPT = join(import.meta.dir, "..", "..", "scripts", "seedCatalog.ts");
const TOKEN = `seed-${crypto.randomUUID()}`;
/** A seed of this run's own, so the products it makes are its own in a namespace other tests share. */
const SEED = Math.floor(Math.random() * 1_000_000);

let shop: RunningShop;

beforeAll(async () => {
  shop = await startShop({ ADMIN_TOKEN: TOKEN }, "seed-catalog");
}, 120_000);

afterAll(async () => {
  await shop?.stop();
});

/** `token` null: no ADMIN_TOKEN at all. */
async function seed(args: string[], token: string | null = TOKEN) {
  const env: Record<string, string | undefined> = { ...process.env, ADMIN_TOKEN: token ?? undefined };
  if (token === null) delete env.ADMIN_TOKEN;
  const proc = Bun.spawn([process.execPath, SCRIPT, "--url", shop.url, "--seed", String(SEED), ...args], {
    env,
    stdout: "pipe", stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code };
}

describe("bun run seed-catalog", () => {
  test("makes the products through the admin API, and run again makes none twice", async () => {
    const first = await seed(["--products", "25"]);
    expect(first.code).toBe(0);
    expect(first.out).toContain("25 made, 0 there already, 0 failed");

    const listed = await (await fetch(`${shop.url}/api/admin/products`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json() as { sku: string; name: string; stock: number }[];
    const categories = new Map((await (await fetch(`${shop.url}/api/categories`)).json() as { id: string; slug: string }[]).map((c) => [c.slug, c.id]));
    for (const category of syntheticCategories) expect(categories.has(category.slug)).toBe(true);
    for (let i = 0; i < 25; i++) {
      const wanted = syntheticProduct(SEED, i);
      expect(listed.find((p) => p.sku === wanted.sku)).toMatchObject({ name: wanted.name, stock: wanted.stock, categoryId: categories.get(wanted.category) });
    }

    const again = await seed(["--products", "30"]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("5 made, 25 there already, 0 failed");
  }, 120_000);

  test("without the shop's admin token nothing is made, and it says why", async () => {
    const wrong = await seed(["--products", "3"], "not-the-token");
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain("401");
    const none = await seed(["--products", "3"], null);
    expect(none.code).toBe(2);
    expect(none.err).toContain("ADMIN_TOKEN");
  }, 60_000);
});
