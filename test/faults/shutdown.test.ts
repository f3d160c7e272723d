import { describe, expect, test } from "bun:test";
import { expectInvariants } from "../support/invariants.ts";
import { topics, watch } from "../support/kafka.ts";
import { createProducts, placeOrders, randomCart } from "../support/load.ts";
import { startShop } from "../support/shop.ts";

describe("faults: graceful shutdown", () => {
  test("SIGTERM under load: requests in flight are answered, the binary exits 0 within 10 s, nothing accepted is lost", async () => {
    const products = await createProducts(4, 500);
    const watcher = await watch([topics.placed, topics.rejected, topics.confirmed]);
    const first = await startShop({}, "sigterm");
    let target = first.url;
    const load = placeOrders({ urls: () => [target], count: 600, concurrency: 8, perSecond: 150, deadline: Date.now() + 60_000, cart: () => randomCart([...products.keys()]) });

    await Bun.sleep(1_500);
    const signalled = performance.now();
    first.proc.kill("SIGTERM");
    const readiness = await (async () => {
      for (;;) {
        const r = await fetch(`${first.url}/readyz`).catch(() => undefined);
        if (!r || r.status !== 200) return r && { status: r.status, body: await r.json() };
      }
    })();
    expect(readiness).toEqual({ status: 503, body: { error: expect.objectContaining({ code: "unavailable", message: "not ready: shutting down" }) } });
    expect(await first.proc.exited).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(10_000);

    const second = await startShop({ PORT: String(first.port) }, "sigterm");
    target = second.url;
    const { accepted, answers } = await load;
    expect(Object.keys(answers).filter((status) => status.startsWith("5") && status !== "503")).toEqual([]);
    await expectInvariants({ accepted, products, watcher });
    await watcher.stop();
    expect(await second.stop()).toBe(0);
  }, 120_000);
});
