import type { Failure } from "../failure.ts";

/** A consumer holding messages it has not committed for this long is stalled. */
export const STALL_MS = 30_000;

export type LastError = Failure & { at: string };

/**
 * Whether a consumer moves: it is stalled when it has held a batch for STALL_MS without committing
 * anything (a consumer with nothing to do holds no batch, so an idle one is never stalled).
 */
export class Progress {
  private holding = 0;
  private since = 0;
  lastError: LastError | null = null;

  constructor(readonly groupId: string, readonly topic: string, private readonly stallMs = STALL_MS) {}

  took() {
    if (this.holding++ === 0) this.since = Date.now();
  }

  committed() {
    this.since = Date.now();
  }

  released() {
    this.holding = Math.max(0, this.holding - 1);
  }

  failed(failure: Failure) {
    this.lastError = { ...failure, at: new Date().toISOString() };
  }

  stalled(now = Date.now()): boolean {
    return this.holding > 0 && now - this.since >= this.stallMs;
  }
}
