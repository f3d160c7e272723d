import { envelope } from "../orders/envelope.ts";
import { eventId } from "../orders/ids.ts";
import { refusalOf, type LifecycleCommand, type OrderState } from "../orders/lifecycle.ts";
import type { Viewer } from "../orders/schemas.ts";
import { within } from "../waiting.ts";
import type { ApiDeps } from "./deps.ts";
import type { RequestTrace } from "../tracing/requestTrace.ts";
import { conflict, notFound, unavailable } from "./errors.ts";

/** How long a request waits for Kafka's acknowledgement before answering 503. */
export const ACK_TIMEOUT_MS = 5_000;

/**
 * One id per order and kind of command, whoever sends it and however often: a repeated request, a
 * customer's cancel racing the admin's, is the same command, which the worker decides once.
 */
export const commandIdOf = (orderId: string, type: LifecycleCommand["type"]) => eventId(orderId, type);

const REFUSED_MESSAGE = {
  unknown_order: "the order is not in the shop yet",
  not_cancellable: "the order can no longer be cancelled",
  not_shippable: "only a confirmed order can be shipped",
  not_deliverable: "only a shipped order can be delivered",
} as const;

/** Whether a stored outcome is what `command` asks for: then asking again answers as the first time did. */
function sameOutcome(outcome: { type: string; data: Record<string, unknown> }, command: LifecycleCommand): boolean {
  switch (command.type) {
    case "CancelOrder": return outcome.type === "OrderCancelled";
    case "DeliverOrder": return outcome.type === "OrderDelivered";
    case "ShipOrder":
      return outcome.type === "OrderShipped" && outcome.data.carrier === command.data.carrier && outcome.data.trackingNumber === command.data.trackingNumber;
  }
}

/**
 * Sends a lifecycle command for an order the viewer may see, once the order's rules allow it as the
 * order stands: 404 for an order the viewer cannot see (or not yet stored), 409 with the rule's
 * reason for one it forbids, 503 when Kafka does not acknowledge. A command already decided
 * answers as it was decided. A race the API cannot see (the admin ships while the customer
 * cancels) the worker decides, and the loser's refusal is an event of its own.
 */
export async function sendOrderCommand(
  deps: Pick<ApiDeps, "orders" | "sendCommand" | "log">,
  { orderId, viewer, command, requestId, trace }: { orderId: string; viewer: Viewer; command: LifecycleCommand; requestId: string; trace: RequestTrace | undefined },
): Promise<{ id: string; commandId: string }> {
  const state: OrderState | undefined = await deps.orders.state(orderId, viewer);
  if (!state) throw notFound("order");
  const commandId = commandIdOf(orderId, command.type);
  const decided = await deps.orders.outcome(commandId);
  if (decided) {
    if (sameOutcome(decided, command)) return { id: orderId, commandId };
    const reason = decided.type === "OrderCommandRefused" ? String(decided.data.reason) : refusalOf(state, command) ?? "not_allowed";
    throw conflict(REFUSED_MESSAGE[reason as keyof typeof REFUSED_MESSAGE] ?? "the order's status forbids it", reason);
  }
  const refused = refusalOf(state, command);
  if (refused) throw conflict(REFUSED_MESSAGE[refused], refused);
  try {
    await within(ACK_TIMEOUT_MS, deps.sendCommand(envelope(command.type, orderId, command.data, commandId), requestId, Date.now() + ACK_TIMEOUT_MS, trace));
  } catch (error) {
    deps.log.warn(`${command.type} not acknowledged by Kafka`, { requestId, orderId, err: error });
    throw unavailable("the order queue");
  }
  deps.log.info(`${command.type} accepted`, { requestId, correlationId: requestId, orderId, commandId });
  return { id: orderId, commandId };
}
