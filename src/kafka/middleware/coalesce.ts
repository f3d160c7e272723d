import type { Casualty, Inbound, Middleware } from "../message.ts";
import { MicroBatcher } from "../microBatcher.ts";

type Batch = { messages: Inbound[]; given: Casualty[] };

/**
 * Merges batches handed over at the same time (kafkajs gives each partition its own) into one call
 * of the rest of the chain, so the whole fetch becomes one database transaction instead of one per
 * partition. While a call runs, newly arrived batches wait and go together into the next. Each
 * caller learns the outcome of the call that carried its messages, and the casualties among them
 * only, and commits its own partition's offsets.
 */
export function coalesce(maxItems = 3_000): Middleware {
  return (next) => {
    const batcher = new MicroBatcher<Batch>({
      run: async (group) => {
        const casualties = await next(group.flatMap((w) => w.value.messages));
        const owner = new Map(group.flatMap((w) => w.value.messages.map((m) => [m, w.value] as const)));
        for (const c of casualties) owner.get(c.message)!.given.push(c);
      },
      caps: [{ size: (b) => b.messages.length, max: maxItems }],
    });
    return async (messages) => {
      const batch: Batch = { messages, given: [] };
      await batcher.add(batch);
      return batch.given;
    };
  };
}
