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
