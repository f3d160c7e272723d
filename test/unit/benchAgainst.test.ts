import { expect, test } from "bun:test";
import { alternate, runArgs, sideBySide, type Build } from "../../scripts/bench/against.ts";
import { parseOptions, type Options } from "../../scripts/bench/args.ts";
import type { OpenResult } from "../../scripts/bench/load.ts";
import type { Measured, Phase } from "../../scripts/bench/report.ts";

const none = { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
const window = { loadAverageAtStart: [0, 0, 0], benchCpuPct: { mean: 0, peak: 0 }, shopPeakRssMB: 100 } as unknown as Measured<OpenResult>["window"];

/** One open run at 500/s of a shop that confirms `confirmedPerS` with a p99 of `p99` ms. */
function openPhase(confirmedPerS: number, p99: number): Phase {
  const result = {
    label: "open 500/s", rate: 500, seconds: 30, offered: 15_000, accepted: 15_000, confirmed: confirmedPerS * 30, offeredForS: 30,
    acceptedPerS: 500, confirmedPerS, errors: {}, errorCount: 0, latencyMs: { ...none, p99 }, acceptMs: none, sendLatenessMs: none, backlog: [], window,
  };
  return { phase: "open", result };
}

const before: Build = { name: "main~1", binary: "/before/shop" };
const after: Build = { name: "this checkout", binary: "/after/shop" };

/** A scripted pair of shops: `after` confirms 10/s fewer and is 5 ms slower, and each run adds 1/s (a machine warming up). */
async function sitting(alternations: number) {
  const order: string[] = [];
  const runs = await alternate([before, after], alternations, async (build, n) => {
    order.push(`${n} ${build.name}`);
    return { phases: build === before ? [openPhase(490 + n, 40)] : [openPhase(480 + n, 45)] };
  });
  return { order, runs };
}

test("the builds take turns, each going first every other time, so that a drift over the sitting weighs on both", async () => {
  const { order, runs } = await sitting(3);
  expect(order).toEqual(["1 main~1", "2 this checkout", "3 this checkout", "4 main~1", "5 main~1", "6 this checkout"]);
  expect(runs.map((r) => r.build)).toEqual([before, after, after, before, before, after]);
});

test("side by side: each run's figure in the order they ran, the medians, and the change marked when it is worse", async () => {
  const { runs } = await sitting(3);
  const lines = sideBySide([before, after], runs).split("\n");
  expect(lines[0]).toBe("bench --against: 6 runs, main~1 and this checkout turn about (each run's figure in the order they ran → median)");
  const row = (name: string) => lines.find((l) => l.startsWith(name))!.split(/\s{2,}/);
  expect(row("open 500/s confirmed/s")).toEqual(["open 500/s confirmed/s", "491 494 495 → 494", "482 483 486 → 483", "-2% (worse)"]);
  expect(row("open 500/s p99 ms")).toEqual(["open 500/s p99 ms", "40 40 40 → 40", "45 45 45 → 45", "+13% (worse)"]);
  expect(row("shop peak RSS MB")).toEqual(["shop peak RSS MB", "100 100 100 → 100", "100 100 100 → 100", "+0%"]);
});

test("with --mail, the mails sent and the event to mail bounds are figures too, lower better for the bounds", async () => {
  const runs = await alternate([before, after], 2, async (build) => ({
    phases: [openPhase(200, 300)],
    mail: build === before ? { sent: 4000, failed: 0, p50SecondsAtMost: 3, p99SecondsAtMost: 10 } : { sent: 4000, failed: 0, p50SecondsAtMost: 1, p99SecondsAtMost: 2 },
  }));
  const lines = sideBySide([before, after], runs).split("\n");
  const row = (name: string) => lines.find((l) => l.startsWith(name))!.split(/\s{2,}/);
  expect(row("mails sent")).toEqual(["mails sent", "4,000 4,000 → 4,000", "4,000 4,000 → 4,000", "+0%"]);
  expect(row("event to mail p99 s ≤")).toEqual(["event to mail p99 s ≤", "10 10 → 10", "2.0 2.0 → 2.0", "-80%"]);
});

test("every run of both builds gets the same load; only the binary and the report differ", () => {
  const options = parseOptions(["--against", "main~1", "--mode", "open", "--rate", "4000", "--duration", "20"], {}) as Options;
  expect(options.against).toBe("main~1");
  expect(options.alternations).toBe(3);
  const [a, b] = [runArgs(options, "/before/shop", "/r/1.json"), runArgs(options, "/after/shop", "/r/2.json")];
  expect(a).toEqual(["--mode", "open", "--rate", "4000", "--concurrency", "64", "--max-duration", "60", "--drain", "15", "--shop", "/before/shop", "--report", "/r/1.json", "--duration", "20", "--warm-up", "20"]);
  expect(a.filter((x) => !x.startsWith("/"))).toEqual(b.filter((x) => !x.startsWith("/")));
  expect(parseOptions(runArgs(options, "/before/shop", "/r/1.json"), {})).toMatchObject({ mode: "open", rate: 4000, duration: 20, warmUp: 20, shop: "/before/shop", against: undefined });
});

test("--against drives the shops it builds, never a --url", () => {
  expect(() => parseOptions(["--against", "HEAD~1", "--url", "http://127.0.0.1:3000"], {})).toThrow("--against runs both builds itself");
});

test("--tracing: both builds' runs trace into the collector at JAEGER_OTLP_URL, at the shop's default sampling; never with --url", () => {
  const options = parseOptions(["--against", "main~1", "--mode", "open", "--tracing"], { JAEGER_OTLP_URL: "http://127.0.0.1:14318" }) as Options;
  expect(options.tracing).toBe("http://127.0.0.1:14318");
  expect(parseOptions(runArgs(options, "/before/shop", "/r/1.json"), {})).toMatchObject({ mode: "open", tracing: "http://127.0.0.1:4318", shop: "/before/shop" });
  expect((parseOptions([], {}) as Options).tracing).toBeUndefined();
  expect(() => parseOptions(["--tracing", "--url", "http://127.0.0.1:3000"], {})).toThrow("--tracing sets the bench's own shop's OTEL_* settings");
});

test("--mail: both builds' runs mail through a Mailpit of the bench's own; never with --url, nor for the modes that place no orders", () => {
  const options = parseOptions(["--against", "main~1", "--mode", "max", "--mail"], {}) as Options;
  expect(parseOptions(runArgs(options, "/before/shop", "/r/1.json"), {})).toMatchObject({ mode: "max", mail: true, shop: "/before/shop" });
  expect((parseOptions([], {}) as Options).mail).toBe(false);
  expect(() => parseOptions(["--mail", "--url", "http://127.0.0.1:3000"], {})).toThrow("--mail gives the bench's own shop a Mailpit");
  expect(() => parseOptions(["--mail", "--mode", "search"], {})).toThrow("--mail goes with the modes that place orders");
});
