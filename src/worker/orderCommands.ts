import type { Tx } from "../db/client.ts";
import type { Handler, Item, Produced } from "../kafka/message.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import type { LifecycleCommandEnvelope, OrderCommandEnvelope, PlaceOrderEnvelope } from "../orders/envelope.ts";
import { orderLifecycle } from "./orderLifecycle.ts";
import { placeOrders } from "./placeOrders.ts";

type Run =
  | { kind: "place"; items: Item<PlaceOrderEnvelope>[] }
  | { kind: "lifecycle"; items: Item<LifecycleCommandEnvelope>[] };

const isPlacement = (item: Item<OrderCommandEnvelope>): item is Item<PlaceOrderEnvelope> => item.value.type === "PlaceOrder";

/** The batch cut where it changes from placements to other commands and back, keeping their order. */
function runsOf(items: Item<OrderCommandEnvelope>[]): Run[] {
  const runs: Run[] = [];
  for (const item of items) {
    const kind = isPlacement(item) ? "place" : "lifecycle";
    const last = runs.at(-1);
    if (last?.kind === kind) (last.items as Item<OrderCommandEnvelope>[]).push(item);
    else runs.push({ kind, items: [item] } as Run);
  }
  return runs;
}

/**
 * orders.commands, in its order: an order's CancelOrder follows its PlaceOrder on the partition, so
 * each run of placements is placed as one batch before the commands after it are decided, all in
 * the chain's one transaction. Under a flood of orders a batch is one run: placement stays batched.
 */
export function orderCommands(deps: { log: Logger; metrics: Metrics }): Handler<OrderCommandEnvelope, Tx> {
  const place = placeOrders(deps);
  const lifecycle = orderLifecycle(deps);
  return async (tx, items) => {
    const produced: Produced[] = [];
    for (const run of runsOf(items)) {
      produced.push(...(run.kind === "place" ? await place(tx, run.items) : await lifecycle(tx, run.items)));
    }
    return produced;
  };
}
