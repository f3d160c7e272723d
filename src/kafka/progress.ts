import type { Failure } from "../failure.ts";

/** A consumer with messages waiting, in hand or on its partitions, that commits nothing for this long is stalled. */
export const STALL_MS = 30_000;

export type LastError = Failure & { at: string };

/**
 * Whether a consumer moves. It is stalled when it has held a batch for STALL_MS without committing
 * anything, or when its partitions have had messages waiting for STALL_MS and it has committed
 * nothing meanwhile: a consumer that cannot even fetch holds no batch, and only the lag shows it.
 * A consumer with nothing to do is never stalled.
 */
export class Progress {
  private holding = 0;
  private since = 0;
  /** Since when the lag seen on this instance's partitions has been above zero with no commit. */
  private waitingSince: number | undefined;
  lastError: LastError | null = null;

  constructor(readonly groupId: string, readonly topics: readonly string[], private readonly stallMs = STALL_MS) {}

  took() {
    if (this.holding++ === 0) this.since = Date.now();
  }

  committed() {
    this.since = Date.now();
    this.waitingSince = undefined;
  }

  released() {
    this.holding = Math.max(0, this.holding - 1);
  }

  failed(failure: Failure) {
    this.lastError = { ...failure, at: new Date().toISOString() };
  }

  /** The messages waiting on the partitions this instance owns, as last measured. */
  lagged(messages: number, now = Date.now()) {
    this.waitingSince = messages > 0 ? (this.waitingSince ?? now) : undefined;
  }

  stalled(now = Date.now()): boolean {
    return (this.holding > 0 && now - this.since >= this.stallMs)
      || (this.waitingSince !== undefined && now - this.waitingSince >= this.stallMs);
  }
}
