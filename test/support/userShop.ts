import { expect } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import { startShop } from "./shop.ts";

const POLL_MS = 250;

/**
 * The namespace a user's ./scripts/start.sh runs in: the environment as it was before the test run
 * took a namespace of its own (test/support/namespace.ts).
 */
export const userNamespace = loadConfig({
  ...process.env,
  DATABASE_URL: process.env.USER_DATABASE_URL || undefined,
  KAFKA_TOPIC_PREFIX: process.env.USER_KAFKA_TOPIC_PREFIX || undefined,
});

export type UserShop = Awaited<ReturnType<typeof watchUserShop>>;

/**
 * A shop as a user runs it: the user's database, topics and groups on the default servers (beside a
 * user's own shop, if one runs, it shares the partitions as a second instance would; it is sent no
 * orders). Its /readyz is asked every 250 ms until `expectAlwaysReady`. A test file that stops, kills,
 * pauses or slows a service starts it last before its tests (a failed beforeAll gets no afterAll, and
 * this one must not outlive the run) and checks it after everything else in afterAll: had the tests
 * touched a server a user's shop runs on, a poll would have answered something other than 200.
 */
export async function watchUserShop() {
  const shop = await startShop({ DATABASE_URL: userNamespace.DATABASE_URL, KAFKA_TOPIC_PREFIX: userNamespace.KAFKA_TOPIC_PREFIX }, "user-shop");
  const started = Date.now();
  const seconds = (at: number) => ((at - started) / 1000).toFixed(2);
  // Consecutive polls with the same answer are one span, so a long outage reads as one line.
  const spans: { from: number; to: number; first: number; polls: number; answer: string }[] = [];
  let polls = 0;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const at = Date.now();
      const answer = await fetch(`${shop.url}/readyz`, { signal: AbortSignal.timeout(5_000) })
        .then(async (r) => (r.status === 200 ? undefined : `${r.status} ${await r.text()}`), (error) => `no answer (${error})`);
      polls++;
      const last = spans.at(-1);
      if (answer && last?.answer === answer && last.first + last.polls === polls) Object.assign(last, { to: at, polls: last.polls + 1 });
      else if (answer) spans.push({ from: at, to: at, first: polls, polls: 1, answer });
      await Bun.sleep(Math.max(0, at + POLL_MS - Date.now()));
    }
  })();
  return {
    url: shop.url,
    /** Stops polling, then the shop: every poll must have answered 200, and the shop exited cleanly. */
    async expectAlwaysReady() {
      polling = false;
      await poller;
      const notReady = spans.map((s) => `${seconds(s.from)}–${seconds(s.to)} s, ${s.polls} polls: ${s.answer}`);
      console.log(`user's shop: ${polls} polls of /readyz over ${seconds(Date.now())} s, ${spans.reduce((n, s) => n + s.polls, 0)} not 200`);
      const code = await shop.stop();
      expect(polls).toBeGreaterThan(0);
      expect({ notReady, code }).toEqual({ notReady: [], code: 0 });
    },
  };
}
