import { randomOrderBody, sessionCookies } from "./catalog.ts";
import { Histogram, type LatencySummary } from "./latency.ts";
import type { OutcomeWatcher } from "./outcomes.ts";

/**
 * Above this many unanswered POSTs an arrival is dropped and counted as an error, so that a stalled
 * shop cannot make the bench pile up requests without bound. bench.ts raises Bun's own limit of
 * simultaneous fetches (256) to the same number, or Bun would queue arrivals silently.
 */
export const MAX_IN_FLIGHT = 4_096;
/** Well over the shop's own 5 s wait for Kafka's acknowledgement, so its 503 is seen, not a client timeout. */
const REQUEST_TIMEOUT_MS = 12_000;
const CUSTOMER = { name: "Bench Customer", email: "bench@example.com" };

const errorKind = (error: unknown) => ((error as Error)?.name === "TimeoutError" ? "timeout" : "network");
const ms = (from: number, to = performance.now()) => to - from;

/**
 * `backlog` is accepted minus confirmed, the orders inside the pipeline; `outstanding` also counts
 * the POSTs not answered yet, so that a shop slow to accept cannot look as if it kept up.
 */
export type BacklogPoint = { t: number; offered: number; accepted: number; confirmed: number; backlog: number; outstanding: number };

export type OpenResult = {
  rate: number; seconds: number; offered: number; accepted: number; confirmed: number;
  /** Seconds the offering actually took (a little over `seconds` when the bench fell behind). */
  offeredForS: number;
  acceptedPerS: number; confirmedPerS: number; errors: Record<string, number>; errorCount: number;
  /** From the moment the order was due to be sent to the moment its OrderConfirmed was seen on Kafka. */
  latencyMs: LatencySummary;
  /** From send to the 202. */
  acceptMs: LatencySummary;
  /** How late the bench sent against its schedule: large values mean the bench itself could not keep up (or, with `connections`, that orders waited for the wire). */
  sendLatenessMs: LatencySummary;
  backlog: BacklogPoint[];
  /**
   * The shop's CPU time (every thread of it) from the start of the offering to the last confirmation,
   * per order confirmed. Unlike orders/s, it does not move with how the consumers happened to be
   * scheduled against the requests, so a cost of a few percent shows in a single pair of runs.
   */
  shopCpuMsPerOrder?: number;
};

/** One open-loop run: its counters while it runs, its result after. */
export class OpenRun {
  readonly kind = "open";
  offered = 0;
  accepted = 0;
  confirmed = 0;
  inFlight = 0;
  readonly errors: Record<string, number> = {};
  readonly latency = new Histogram();
  readonly accept = new Histogram();
  readonly lateness = new Histogram();
  readonly backlog: BacklogPoint[] = [];
  /** Correlation ids of orders whose outcome has not been seen yet. */
  readonly awaiting = new Set<string>();
  readonly started = performance.now();
  private offeringEnded = NaN;
  private lastConfirmedAt = NaN;
  closed = false;

  constructor(readonly rate: number, readonly seconds: number) {}

  error(kind: string): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  get elapsedS(): number { return ms(this.started) / 1000; }
  get backlogNow(): number { return this.accepted - this.confirmed; }
  get errorCount(): number { return Object.values(this.errors).reduce((a, b) => a + b, 0); }

  snapshot(): void {
    this.backlog.push({
      t: Math.round(this.elapsedS * 100) / 100, offered: this.offered, accepted: this.accepted, confirmed: this.confirmed,
      backlog: this.backlogNow, outstanding: this.offered - this.confirmed - this.errorCount,
    });
  }

  confirmedAt(at: number): void {
    this.confirmed++;
    this.lastConfirmedAt = at;
  }

  endOffering(): void { this.offeringEnded = performance.now(); }

  result(): OpenResult {
    const offeringS = ms(this.started, this.offeringEnded) / 1000;
    const confirmingS = ms(this.started, Number.isNaN(this.lastConfirmedAt) ? this.offeringEnded : this.lastConfirmedAt) / 1000;
    return {
      rate: this.rate, seconds: this.seconds, offered: this.offered, accepted: this.accepted, confirmed: this.confirmed,
      offeredForS: Math.round(offeringS * 100) / 100,
      acceptedPerS: Math.round(this.accepted / offeringS),
      confirmedPerS: Math.round(this.confirmed / Math.max(offeringS, confirmingS)),
      errors: this.errors, errorCount: this.errorCount,
      latencyMs: this.latency.summary(), acceptMs: this.accept.summary(), sendLatenessMs: this.lateness.summary(),
      backlog: this.backlog,
    };
  }
}

/**
 * Offers `rate` orders per second for `seconds`, each sent when it is due by the clock, whatever
 * the previous ones are doing (an open loop: a slow shop faces the same arrivals, as on a busy day).
 * Then waits up to `drainSeconds` for the outstanding outcomes; an order still unconfirmed by then
 * counts as `not_confirmed`. With `abandonAt`, offering stops early once that many orders are
 * outstanding: the run has failed already, and more load would only bury the next run in backlog.
 */
export async function openLoop({ url, rate, seconds, drainSeconds, catalog, outcomes, runId, onRun, abandonAt = Infinity, connections = Infinity }: {
  url: string; rate: number; seconds: number; drainSeconds: number; catalog: readonly string[];
  outcomes: OutcomeWatcher; runId: string; onRun?: (run: OpenRun) => void; abandonAt?: number;
  /** Orders on the wire at once, at most; the rest wait their turn here, in the order they were due. */
  connections?: number;
}): Promise<OpenResult> {
  const run = new OpenRun(rate, seconds);
  onRun?.(run);
  const total = Math.max(1, Math.round(rate * seconds));
  const dueAt = (n: number) => run.started + (n * 1000) / rate;

  let onWire = 0;
  const queued: (() => void)[] = [];
  /** Posts now, or once fewer than `connections` orders are on the wire; nothing after the run has closed. */
  const onTheWire = (post: () => Promise<void>) => {
    const go = () => {
      if (run.closed) return void queued.splice(0);
      onWire++;
      void post().finally(() => {
        onWire--;
        queued.shift()?.();
      });
    };
    if (onWire < connections) go();
    else queued.push(go);
  };

  const post = (seq: number, id: string, due: number) => {
    const sentAt = performance.now();
    run.lateness.record(sentAt - due);
    return fetch(`${url}/api/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": id, cookie: sessionCookies[seq % sessionCookies.length]! },
      body: randomOrderBody(catalog, CUSTOMER),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).then(async (response) => {
      await response.arrayBuffer();
      if (run.closed) return;
      if (response.status === 202) {
        run.accepted++;
        run.accept.record(ms(sentAt));
        return;
      }
      run.error(`http_${response.status}`);
      run.awaiting.delete(id);
      outcomes.forget(id);
    }, (error) => {
      if (run.closed) return;
      run.error(errorKind(error));
      run.awaiting.delete(id);
      outcomes.forget(id);
    }).finally(() => { run.inFlight--; });
  };

  const send = (due: number) => {
    const seq = run.offered++;
    if (run.inFlight >= MAX_IN_FLIGHT) return run.error("dropped_in_flight_cap");
    const id = `${runId}-${seq}`;
    run.awaiting.add(id);
    outcomes.expect(id, (outcome, at) => {
      if (run.closed || !run.awaiting.delete(id)) return;
      if (outcome.kind === "confirmed") {
        run.confirmedAt(at);
        run.latency.record(at - due);
      } else {
        run.error(`rejected_${outcome.reason}`);
      }
    });
    run.inFlight++;
    onTheWire(() => post(seq, id, due));
  };

  const snapshots = setInterval(() => run.snapshot(), 1_000);
  while (run.offered < total && run.offered - run.confirmed - run.errorCount < abandonAt) {
    const due = Math.min(total, Math.floor((ms(run.started) / 1000) * rate) + 1);
    while (run.offered < due) send(dueAt(run.offered));
    // At least a millisecond: a shorter Bun.sleep spins rather than sleeps, which cost the bench half
    // a core at 2,000 orders/s; orders due within the same millisecond go out together instead.
    await Bun.sleep(Math.max(1, dueAt(run.offered) - performance.now()));
  }
  run.endOffering();
  run.snapshot();

  const drainUntil = performance.now() + drainSeconds * 1000;
  while ((run.inFlight > 0 || run.awaiting.size > 0) && performance.now() < drainUntil) await Bun.sleep(20);
  clearInterval(snapshots);
  run.snapshot();

  // What is still unanswered or unconfirmed now missed the drain window.
  run.closed = true;
  for (let i = 0; i < run.inFlight; i++) run.error("timeout");
  for (const id of run.awaiting) {
    outcomes.forget(id);
    run.error("not_confirmed");
  }
  return run.result();
}

export type ProductsResult = {
  concurrency: number; seconds: number; requests: number; ok: number; requestsPerS: number;
  errors: Record<string, number>; errorCount: number; latencyMs: LatencySummary; bytesPerResponse: number;
};

export class ProductsRun {
  readonly kind = "products";
  requests = 0;
  ok = 0;
  bytes = 0;
  readonly errors: Record<string, number> = {};
  readonly latency = new Histogram();
  readonly started = performance.now();

  constructor(readonly concurrency: number, readonly seconds: number) {}

  get elapsedS(): number { return ms(this.started) / 1000; }
  get errorCount(): number { return Object.values(this.errors).reduce((a, b) => a + b, 0); }

  error(kind: string): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + 1;
  }

  result(): ProductsResult {
    const s = this.elapsedS;
    return {
      concurrency: this.concurrency, seconds: this.seconds, requests: this.requests, ok: this.ok,
      requestsPerS: Math.round(this.ok / s), errors: this.errors, errorCount: this.errorCount,
      latencyMs: this.latency.summary(), bytesPerResponse: this.ok ? Math.round(this.bytes / this.ok) : 0,
    };
  }
}

/** GET /api/products from `concurrency` loops, each a returning visitor sending its next request when the last one answered. */
export async function productsLoop({ url, concurrency, seconds, onRun }: {
  url: string; concurrency: number; seconds: number; onRun?: (run: ProductsRun) => void;
}): Promise<ProductsResult> {
  const run = new ProductsRun(concurrency, seconds);
  onRun?.(run);
  const until = run.started + seconds * 1000;
  const loop = async (_: unknown, i: number) => {
    const headers = { cookie: sessionCookies[i % sessionCookies.length]! };
    while (performance.now() < until) {
      const sentAt = performance.now();
      try {
        const response = await fetch(`${url}/api/products`, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const body = await response.arrayBuffer();
        run.requests++;
        if (response.status !== 200) {
          run.error(`http_${response.status}`);
          continue;
        }
        run.ok++;
        run.bytes += body.byteLength;
        run.latency.record(ms(sentAt));
      } catch (error) {
        run.requests++;
        run.error(errorKind(error));
        await Bun.sleep(10); // a refused connection fails at once; do not spin
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return run.result();
}
