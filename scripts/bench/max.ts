import type { OpenResult } from "./load.ts";

/**
 * Runs the open loop at `rate` for `seconds`, then waits up to `drain` seconds for the outcomes;
 * offering stops early once `abandonAt` orders are outstanding.
 */
export type RunOpen<R extends OpenResult> = (label: string, rate: number, seconds: number, drain: number, abandonAt: number) => Promise<R>;

export type Verdict = { sustained: boolean; why: string };
export type Judged<R extends OpenResult = OpenResult> = R & { label: string; verdict: Verdict };

export type MaxResult<R extends OpenResult = OpenResult> = {
  /** The highest rate whose long run was sustained; 0 when none was. */
  sustainedRate: number;
  final?: Judged<R>;
  ramp: Judged<R>[];
  finals: Judged<R>[];
  criteria: string;
};

const FIRST_RATE = 200;
const GROWTH = 1.3;
const CEILING = 12_000;
/** Short steps find the knee quickly; the long run at the end is what counts. */
const STEP_SECONDS = 5;
const STEP_DRAIN_SECONDS = 10;
/** Halvings of the gap between the last sustained step and the first that was not: 30 % steps become about 8 %. */
const REFINEMENTS = 2;
/**
 * A long run that fails is tried again this much slower, or just below what it confirmed per second
 * when that is lower (short steps can overrate the shop by far more than one step down), at most
 * this many times in all.
 */
const BACKOFF = 0.85;
const HEADROOM = 0.95;
const FINAL_ATTEMPTS = 4;

/** A run this far behind (seconds of arrivals outstanding) has failed; it stops rather than pile up more. */
const ABANDON_S = 5;

const MAX_ERROR_RATIO = 0.01;
const MAX_GROWTH_S = 0.5;
const MAX_OUTSTANDING_S = 1;

const CRITERIA = `sustained: errors ≤ ${MAX_ERROR_RATIO * 100} % of offered; the outstanding orders (offered, neither confirmed nor failed) `
  + `grew by at most ${MAX_GROWTH_S} s of arrivals from a third of the run to its end; and at most ${MAX_OUTSTANDING_S} s of arrivals were outstanding at its end`;

/** Whether a run kept up with its arrivals: the backlog stayed flat and small, and errors were rare. */
function judge(r: OpenResult): Verdict {
  const offering = r.backlog.filter((p) => p.t <= r.offeredForS + 0.01);
  const end = offering.at(-1);
  const third = offering.find((p) => p.t >= r.offeredForS / 3) ?? offering[0];
  if (!end || !third) return { sustained: false, why: "no samples" };
  const errorRatio = r.errorCount / Math.max(1, r.offered);
  if (errorRatio > MAX_ERROR_RATIO) return { sustained: false, why: `${(errorRatio * 100).toFixed(1)} % errors` };
  const grew = end.outstanding - third.outstanding;
  if (grew > MAX_GROWTH_S * r.rate) return { sustained: false, why: `outstanding grew by ${grew} from t=${third.t}s to t=${end.t}s` };
  if (end.outstanding > MAX_OUTSTANDING_S * r.rate) return { sustained: false, why: `${end.outstanding} outstanding at the end of offering` };
  return { sustained: true, why: `outstanding ${third.outstanding} → ${end.outstanding}, ${(errorRatio * 100).toFixed(2)} % errors` };
}

/**
 * The highest rate the shop sustains: a ramp of short steps (×1.3 each) up to the first step that
 * is not sustained, a few halvings of the gap, then a long run at the best rate found, stepping
 * down when that run is not sustained, to just below what it did confirm when that is lower. `settle` waits for the shop to work off any backlog before
 * each measured run, so that no run pays for the one before.
 */
export async function findMaxRate<R extends OpenResult>(runOpen: RunOpen<R>, finalSeconds: number, settle: () => Promise<void>): Promise<MaxResult<R>> {
  const ramp: Judged<R>[] = [];
  const step = async (label: string, rate: number, seconds: number, drain: number): Promise<Judged<R>> => {
    await settle();
    const result = await runOpen(label, rate, seconds, drain, ABANDON_S * rate);
    return { ...result, label, verdict: judge(result) };
  };

  let good = 0;
  let bad = Infinity;
  for (let rate = FIRST_RATE; rate <= CEILING; rate = Math.round(rate * GROWTH)) {
    const judged = await step(`max ramp ${rate}/s`, rate, STEP_SECONDS, STEP_DRAIN_SECONDS);
    ramp.push(judged);
    if (!judged.verdict.sustained) {
      bad = rate;
      break;
    }
    good = rate;
  }
  for (let i = 0; i < REFINEMENTS && good > 0 && bad < Infinity; i++) {
    const rate = Math.round((good + bad) / 2);
    const judged = await step(`max refine ${rate}/s`, rate, STEP_SECONDS, STEP_DRAIN_SECONDS);
    ramp.push(judged);
    if (judged.verdict.sustained) good = rate;
    else bad = rate;
  }

  const finals: Judged<R>[] = [];
  for (let rate = good, attempt = 0; rate > 0 && attempt < FINAL_ATTEMPTS; attempt++) {
    const judged = await step(`max final ${rate}/s`, rate, finalSeconds, STEP_DRAIN_SECONDS);
    finals.push(judged);
    if (judged.verdict.sustained) return { sustainedRate: rate, final: judged, ramp, finals, criteria: CRITERIA };
    rate = Math.round(Math.min(rate * BACKOFF, judged.confirmedPerS * HEADROOM));
  }
  return { sustainedRate: 0, final: finals.at(-1), ramp, finals, criteria: CRITERIA };
}
