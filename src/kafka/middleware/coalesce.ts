import type { BatchHandler } from "../message.ts";
import { MicroBatcher } from "../microBatcher.ts";

/**
 * Merges batches handed over at the same time (kafkajs gives each partition its own) into one call
 * of `handler`, so the whole fetch becomes one database transaction instead of one per partition.
 * While a call runs, newly arrived batches wait and go together into the next. Each caller learns
 * the outcome of the call that carried its items, and commits its own partition's offsets.
 */
export function coalesce<T>(handler: BatchHandler<T>, maxItems = 3_000): BatchHandler<T> {
  const batcher = new MicroBatcher<T[]>({
    run: (group) => handler(group.flatMap((w) => w.value)),
    caps: [{ size: (items) => items.length, max: maxItems }],
  });
  return (items) => batcher.add(items);
}
