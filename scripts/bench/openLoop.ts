/**
 * Sends `rate` requests a second for `seconds`, each on its schedule whether or not the ones before
 * have answered (an open loop, as shoppers arrive), and waits for the last. `send` gets the
 * request's number and the time it was due, from which its latency counts.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number, due: number) => Promise<void>): Promise<void> {
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    pending.push(send(i, due));
  }
  await Promise.all(pending);
}

/**
 * What the catalog, page and order benches send first, unmeasured: a shop that has just started opens its
 * database connections and prepares its statements on the first requests, which put about 40 of
 * them (200 ms at 200/s) over 100 ms. That is 1 % of a 20 s run, so a cold start alone would be
 * the p99. The targets are for a shop that has been serving.
 */
export const WARM_UP_SECONDS = 3;

/**
 * The order bench's warm-up (open mode, `--warm-up`). Placing orders runs far more of the shop's
 * code than a read, and Bun's JIT threads keep compiling it for longer: sampled every 5 s from
 * /proc/<pid>/task, they spent 1.1–1.4 s of CPU in the first 5 s at 2,000 and 4,000 orders/s, still
 * 0.3–0.8 s in the next 15, and 0.1–0.2 s from 20 s on. Measured after 3 s, a run paid for most of
 * that compiling, and more the more code a setting adds (tracing), which no long-running shop does.
 */
export const ORDER_WARM_UP_SECONDS = 20;
