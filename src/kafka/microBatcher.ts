export type Waiting<T> = { value: T; deadline: number; resolve: () => void; reject: (error: unknown) => void };

/** A bound on a batch: the most `size` may add up to over its values. The first value always goes, however large. */
export type Cap<T> = { size: (value: T) => number; max: number };

export type MicroBatcherOptions<T> = {
  /**
   * Runs one batch. A value it settles itself keeps that outcome; every other one is resolved when
   * it returns and rejected when it throws.
   */
  run: (batch: Waiting<T>[]) => Promise<void>;
  caps: readonly Cap<T>[];
  /** What a value whose deadline passed before its turn is rejected with: it is dropped, never run late. */
  expired?: () => unknown;
};

/**
 * Gathers what callers hand it while a batch runs, and runs it all as the next batch, within the
 * caps and in the order it came: an idle batcher runs at once (a microtask later, so that what is
 * handed over in the same tick shares the batch), a busy one runs fewer, larger batches. One batch
 * runs at a time.
 */
export class MicroBatcher<T> {
  private queue: Waiting<T>[] = [];
  private running = false;

  constructor(private readonly options: MicroBatcherOptions<T>) {}

  /** Resolves once the batch that carried `value` has run, or rejects with its failure. */
  add(value: T, deadline = Infinity): Promise<void> {
    const done = new Promise<void>((resolve, reject) => { this.queue.push({ value, deadline, resolve, reject }); });
    if (!this.running) queueMicrotask(() => void this.drain());
    return done;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let batch = this.take(); batch.length > 0; batch = this.take()) {
        try {
          await this.options.run(batch);
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private take(): Waiting<T>[] {
    const now = Date.now();
    this.queue = this.queue.filter((w) => w.deadline > now || (w.reject(this.options.expired?.()), false));
    const { caps } = this.options;
    const totals = caps.map(() => 0);
    let n = 0;
    for (; n < this.queue.length; n++) {
      const sizes = caps.map((cap) => cap.size(this.queue[n]!.value));
      if (n > 0 && caps.some((cap, i) => totals[i]! + sizes[i]! > cap.max)) break;
      sizes.forEach((size, i) => { totals[i]! += size; });
    }
    return this.queue.splice(0, n);
  }
}
