import { Hono } from "hono";
import * as v from "valibot";
import { CancelRequest, OrderIdParam, ShipRequest } from "../orders/schemas.ts";
import { OrderSearchQuery } from "../orders/search.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { error, jsonBodyErrors, ok, retryAfter } from "./docs/responses.ts";
import { notFound } from "./errors.ts";
import { sendOrderCommand } from "./orderCommands.ts";
import { reasonOf } from "./orders.ts";
import { orderTraceUrl } from "./orderTrace.ts";
import { json, jsonBody, limitBody, param, query } from "./validation.ts";

const orderId = param(v.object({ id: OrderIdParam }), "order");

const commandAnswers = (conflict: string) => ({
  202: ok("Accepted: the command's id; the status follows on the order's events stream", "OrderCommandAccepted"),
  404: error("not_found: not yet persisted, unknown, or not an order id"),
  409: error(`conflict, reason ${conflict}`),
  503: error("unavailable: Kafka did not acknowledge the command, or PostgreSQL is unreachable", retryAfter),
});

/** The operations page's orders: find them, see what happened to each, ship, deliver or cancel them. */
export function adminOrderRoutes(deps: ApiDeps) {
  const { orders } = deps;
  const admin = { admin: true } as const;
  return new Hono<Env>()
    .get("/", documented({
      summary: "Orders, newest first, by status and search",
      description: "`q` matches an order id prefix, an email from its start, or (a `q` with no digit) each word of a name from its start. Pages follow `nextCursor`, which never repeats or skips an order while new ones arrive.",
      responses: { 200: ok("A page of orders", "OrderPage"), 400: error("validation_failed: a parameter out of range") },
    }), query(OrderSearchQuery), async (c) => c.json(await orders.search(c.req.valid("query"))))
    .get("/:id", documented({
      summary: "One order with its history",
      description: "With JAEGER_UI_URL set, `traceUrl` is Jaeger's search page for the order's traces.",
      responses: { 200: ok("The order and its events, oldest first", "AdminOrder"), 404: error("not_found: not yet persisted, unknown, or not an order id") },
    }), orderId, async (c) => {
      const { id } = c.req.valid("param");
      const [order, events] = await Promise.all([orders.get(id, admin), orders.history(id)]);
      if (!order) throw notFound("order");
      const traceUrl = deps.jaegerUi && orderTraceUrl(deps.jaegerUi, order, Date.now());
      return c.json({ ...order, events, ...(traceUrl && { traceUrl }) });
    })
    .post("/:id/ship", documented({
      summary: "Record that a confirmed order's parcel left",
      responses: { ...commandAnswers("not_shippable: the order is not confirmed, or was shipped with another carrier or tracking number"), 400: error("invalid_json or validation_failed"), ...jsonBodyErrors },
    }), orderId, limitBody(), jsonBody(), json(ShipRequest), async (c) =>
      c.json(await sendOrderCommand(deps, {
        orderId: c.req.valid("param").id, viewer: admin, requestId: c.get("requestId"), trace: c.get("trace"), command: { type: "ShipOrder", data: c.req.valid("json") },
      }), 202))
    .post("/:id/deliver", documented({
      summary: "Record that a shipped order arrived",
      responses: commandAnswers("not_deliverable: the order is not shipped"),
    }), orderId, async (c) =>
      c.json(await sendOrderCommand(deps, {
        orderId: c.req.valid("param").id, viewer: admin, requestId: c.get("requestId"), trace: c.get("trace"), command: { type: "DeliverOrder", data: {} },
      }), 202))
    .post("/:id/cancel", documented({
      summary: "Cancel an order that is not shipped yet",
      description: "Its units go back to stock. Optional body `{ reason }`.",
      responses: { ...commandAnswers("not_cancellable: the order is shipped, delivered, rejected or cancelled"), 400: error("invalid_json or validation_failed"), ...jsonBodyErrors },
    }), orderId, limitBody(), jsonBody({ optional: true }), json(CancelRequest), async (c) => {
      const { id } = c.req.valid("param");
      const accepted = await sendOrderCommand(deps, {
        orderId: id, viewer: admin, requestId: c.get("requestId"), trace: c.get("trace"),
        command: { type: "CancelOrder", data: { by: "admin", ...reasonOf(c.req.valid("json")) } },
      });
      deps.limits.orderCancelled(id);
      return c.json(accepted, 202);
    });
}
