import { expect, test } from "bun:test";
import type { OpenResult } from "../../scripts/bench/load.ts";
import { findMaxRate } from "../../scripts/bench/max.ts";

const none = { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };

/**
 * A shop that confirms at most `shortCapacity` orders/s for a few seconds (its batches grow to
 * absorb a burst) but only `longCapacity` for a minute: what the 5 s steps and the 60 s run see.
 */
function shop(shortCapacity: number, longCapacity: number) {
  const rates: number[] = [];
  const runOpen = async (_label: string, rate: number, seconds: number): Promise<OpenResult> => {
    rates.push(rate);
    const capacity = seconds > 10 ? longCapacity : shortCapacity;
    const confirmedPerS = Math.min(rate, capacity);
    const backlog = Array.from({ length: seconds + 1 }, (_, t) => {
      const outstanding = (rate - confirmedPerS) * t;
      return { t, offered: rate * t, accepted: rate * t, confirmed: confirmedPerS * t, backlog: outstanding, outstanding };
    });
    return {
      rate, seconds, offered: rate * seconds, accepted: rate * seconds, confirmed: confirmedPerS * seconds, offeredForS: seconds,
      acceptedPerS: rate, confirmedPerS, errors: {}, errorCount: 0, latencyMs: none, acceptMs: none, sendLatenessMs: none, backlog,
    };
  };
  return { rates, runOpen };
}

test("when the short steps overrate the shop by far more than a step down, the long runs come down to what it confirmed", async () => {
  const { rates, runOpen } = shop(5_000, 3_000);
  const result = await findMaxRate(runOpen, 60, async () => {});
  expect(result.finals.map((f) => f.rate)).toEqual([result.finals[0]!.rate, 2_850]);
  expect(result.finals[0]!.rate).toBeGreaterThan(4_000);
  expect(result.sustainedRate).toBe(2_850);
  expect(rates.at(-1)).toBe(2_850);
});

test("a long run that nearly kept up steps down 15 %, not to just below what it confirmed", async () => {
  const { runOpen } = shop(4_000, 4_500);
  const result = await findMaxRate(runOpen, 60, async () => {});
  const [first, second] = result.finals.map((f) => f.rate);
  expect(first).toBeGreaterThan(4_500);
  expect(second).toBe(Math.round(first! * 0.85));
  expect(result.sustainedRate).toBe(second!);
});
