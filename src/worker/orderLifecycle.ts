import type { Tx } from "../db/client.ts";
import { notifyStatusChanges } from "../db/orders.ts";
import { applyTransitions, findOutcomes, lockOrders, recordOutcomes, returnStock, type Return, type StoredEvent, type Transition } from "../db/lifecycle.ts";
import { correlationOf, type Handler, type Item, type Produced } from "../kafka/message.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { envelope, type LifecycleCommandEnvelope } from "../orders/envelope.ts";
import { eventId } from "../orders/ids.ts";
import { decide, type OrderState } from "../orders/lifecycle.ts";
import { tracedBy } from "../tracing/spans.ts";

type Deps = { log: Logger; metrics: Metrics };

/** An outcome as a message: its id derives from its command's, so publishing it again is the same event. */
const asEvent = (o: StoredEvent) => ({ key: o.orderId, body: envelope(o.type, o.orderId, o.data, eventId(o.commandId, o.type), o.at) });

/**
 * CancelOrder, ShipOrder, DeliverOrder → for a batch, in its order: each command is decided once
 * by the order's rules (orders/lifecycle.ts) on the order as the commands before it left it, and
 * what was decided is written with the order's new status, its returned stock and the outcome, in
 * the chain's transaction. A command decided before (a redelivery, a repeated request) publishes
 * its stored outcome again and changes nothing, so units go back exactly once.
 */
export function orderLifecycle({ log, metrics }: Deps): Handler<LifecycleCommandEnvelope, Tx> {
  return async (tx, items) => {
    const stored = await findOutcomes(tx, items.map((i) => i.value.id));
    const fresh = new Map<string, Item<LifecycleCommandEnvelope>>();
    for (const item of items) if (!stored.has(item.value.id) && !fresh.has(item.value.id)) fresh.set(item.value.id, item);
    const orders = await lockOrders(tx, [...new Set([...fresh.values()].map((i) => i.value.orderId))]);
    // Once the locks are held: a confirmation this batch waited for is then in the past, so a
    // cancellation after it is never stamped before it.
    const at = new Date();

    const decided = new Map<string, StoredEvent>();
    const transitions = new Map<string, Transition>();
    const returns: Return[] = [];
    for (const [commandId, { value: command, message }] of fresh) {
      const order = orders.get(command.orderId);
      const decision = decide(order, command);
      if ("refused" in decision) {
        decided.set(commandId, {
          orderId: command.orderId, commandId, at, type: "OrderCommandRefused",
          data: { commandId, command: command.type, reason: decision.refused, status: order?.status ?? null },
        });
        metrics.orderCommandsRefused.inc({ command: command.type, reason: decision.refused });
        log.info("order command refused", { orderId: command.orderId, command: command.type, reason: decision.refused, correlationId: correlationOf(message) });
        continue;
      }
      decided.set(commandId, { orderId: command.orderId, commandId, at, ...decision.event });
      // The next command for this order in the batch is decided on what this one made of it.
      orders.set(command.orderId, { ...order!, status: decision.status } satisfies OrderState);
      const before = transitions.get(command.orderId);
      const { event } = decision;
      transitions.set(command.orderId, {
        ...before, orderId: command.orderId, status: decision.status,
        ...(event.type === "OrderShipped" ? { shipment: event.data } : {}),
        ...(event.type === "OrderCancelled" ? { cancellation: { by: event.data.by, reason: event.data.reason } } : {}),
      });
      if (event.type === "OrderCancelled") {
        returns.push(...event.data.returned.map((r) => ({ orderId: command.orderId, ...r })));
        metrics.ordersCancelled.inc({ by: event.data.by });
      } else if (event.type === "OrderShipped") metrics.ordersShipped.inc();
      else metrics.ordersDelivered.inc();
      log.info(`order ${decision.status}`, { orderId: command.orderId, correlationId: correlationOf(message) });
    }

    const causes = new Map([...fresh.values()].map(({ value, message }) => [value.orderId, message]));
    await Promise.all([
      applyTransitions(tx, [...transitions.values()], at),
      returnStock(tx, returns, at),
      recordOutcomes(tx, [...decided.values()]),
      notifyStatusChanges(tx, [...transitions.values()].map((t) => ({ id: t.orderId, status: t.status, at: at.toISOString(), ...tracedBy(causes.get(t.orderId)!.headers) }))),
    ]);

    const produced: Produced[] = [];
    const published = new Set<string>();
    for (const { message, value } of items) {
      if (published.has(value.id)) continue;
      published.add(value.id);
      produced.push({ cause: message, event: asEvent(stored.get(value.id) ?? decided.get(value.id)!) });
    }
    if (stored.size > 0) log.info("repeated order commands republished", { commands: [...stored.keys()] });
    return produced;
  };
}
