import type { BatchHandler } from "../message.ts";

type Waiting<T> = { items: T[]; resolve: () => void; reject: (error: unknown) => void };

/**
 * Merges batches handed over at the same time (kafkajs gives each partition its own) into one call
 * of `handler`, so the whole fetch becomes one database transaction instead of one per partition.
 * While a call runs, newly arrived batches wait and go together into the next. Each caller learns
 * the outcome of the call that carried its items, and commits its own partition's offsets.
 */
export function coalesce<T>(handler: BatchHandler<T>, maxItems = 2_000): BatchHandler<T> {
  let waiting: Waiting<T>[] = [];
  let running = false;

  const drain = async () => {
    running = true;
    try {
      while (waiting.length > 0) {
        let count = 0;
        let n = 0;
        while (n < waiting.length && (n === 0 || count + waiting[n]!.items.length <= maxItems)) count += waiting[n++]!.items.length;
        const group = waiting.splice(0, n);
        try {
          await handler(group.flatMap((w) => w.items));
          for (const w of group) w.resolve();
        } catch (error) {
          for (const w of group) w.reject(error);
        }
      }
    } finally {
      running = false;
    }
  };

  return (items) => new Promise<void>((resolve, reject) => {
    waiting.push({ items, resolve, reject });
    // A microtask later, so that partitions handed over in the same tick share the first call too.
    if (!running) queueMicrotask(() => { if (!running) void drain(); });
  });
}
