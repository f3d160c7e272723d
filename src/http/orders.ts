import { Hono } from "hono";
import * as v from "valibot";
import { envelope } from "../orders/envelope.ts";
import { idempotentOrderId, newOrderId } from "../orders/ids.ts";
import { CancelRequest, OrderIdParam, OrderListQuery, PlaceOrderRequest, type PlaceOrderData, type Viewer } from "../orders/schemas.ts";
import { IdempotencyKey } from "./contract.ts";
import { within } from "../waiting.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { documented } from "./docs/described.ts";
import { error, eventStream, header, jsonBodyErrors, limitOutOfRange, ok, okList, ref, retryAfter, tooManyStreams } from "./docs/responses.ts";
import { ApiError, notFound, rateLimited, unavailable } from "./errors.ts";
import { ACK_TIMEOUT_MS, sendOrderCommand } from "./orderCommands.ts";
import { orderEvents } from "./orderEvents.ts";
import { linkToken, orderViewer } from "./orderLink.ts";
import { json, jsonBody, limitBody, optionalHeader, param, query } from "./validation.ts";

const idempotencyKey = optionalHeader("Idempotency-Key", IdempotencyKey);

const orderId = param(v.object({ id: OrderIdParam }), "order");

export const viewerOf = (c: { get(key: "admin"): boolean; get(key: "owner"): () => string }): Viewer =>
  c.get("admin") ? { admin: true } : { admin: false, owner: c.get("owner")() };

/** A reason given, trimmed; none when left out or blank. */
export const reasonOf = ({ reason }: { reason?: string }) => (reason ? { reason } : {});

export function orderRoutes(deps: ApiDeps) {
  const { catalog, orders, sendCommand, idempotencySecret, linkSecret, limits, metrics, log } = deps;

  return new Hono<Env>()
    .post(
      "/",
      documented({
        summary: "Place an order",
        description: "Answers 202 once the PlaceOrder command is durably in Kafka; the order then moves to placed and confirmed, or rejected.",
        responses: {
          202: { ...ok("Accepted", "OrderAccepted"), headers: { Location: header("The order's address", { type: "string", pattern: "^/api/orders/" }) } },
          400: error("invalid_json, validation_failed (with issues; path `items` when over the units per order, or the session's or the client address's units per day) or unknown_product (with issues)"),
          ...jsonBodyErrors,
          429: error("rate_limited: too many orders from this session or this client address", retryAfter),
          503: error("unavailable: Kafka did not acknowledge the command (retry with the same Idempotency-Key), PostgreSQL is unreachable, or this instance is shutting down", retryAfter),
        },
      }),
      async (c, next) => {
        const wait = limits.placeOrder(c.get("session"), c.get("client"), performance.now());
        if (wait > 0) throw rateLimited("too many orders from this client; try again after Retry-After seconds", wait);
        await next();
      },
      limitBody(),
      jsonBody(),
      json(PlaceOrderRequest),
      idempotencyKey,
      async (c) => {
        const request = c.req.valid("json");
        const key = c.req.valid("header");
        const units = request.items.reduce((sum, item) => sum + item.quantity, 0);
        if (units > limits.unitsPerOrder) {
          throw new ApiError(400, "validation_failed", "the request is not valid",
            [{ path: "items", message: `an order has at most ${limits.unitsPerOrder} units in all (this one has ${units})` }]);
        }

        const productIds = request.items.map((i) => i.productId);
        const unknown = await catalog.unknown(productIds);
        if (unknown.length > 0) {
          throw new ApiError(400, "unknown_product", `unknown product: ${unknown.join(", ")}`,
            unknown.map((id) => ({ path: `items.${productIds.indexOf(id)}.productId`, message: `no product has the id ${id}` })));
        }

        const orderId = key === undefined ? newOrderId() : idempotentOrderId(idempotencySecret, key, request.customer.email);
        // Taken before the command is sent, so that concurrent orders cannot all pass the check.
        const allowance = limits.takeUnits(orderId, c.get("session"), c.get("client"), units, Date.now());
        if ("over" in allowance) {
          throw new ApiError(400, "validation_failed", "the request is not valid", [{
            path: "items",
            message: `a ${allowance.over === "session" ? "session" : "client address"} may order at most ${allowance.allowed} units in 24 hours; ${allowance.remaining} remain`,
          }]);
        }

        const data: PlaceOrderData = { customer: request.customer, shippingAddress: request.shippingAddress, items: request.items, owner: c.get("owner")() };
        const requestId = c.get("requestId");
        try {
          await within(ACK_TIMEOUT_MS, sendCommand(envelope("PlaceOrder", orderId, data), requestId, Date.now() + ACK_TIMEOUT_MS, c.get("trace")));
        } catch (error) {
          allowance.giveBack();
          log.warn("PlaceOrder not acknowledged by Kafka", { requestId, orderId, err: error });
          throw unavailable("the order queue");
        }
        metrics.ordersAccepted.inc();
        log.info("order accepted", { requestId, correlationId: requestId, orderId, items: request.items.length });
        c.header("Location", `/api/orders/${orderId}`);
        return c.json({ id: orderId, status: "pending" as const }, 202);
      },
    )
    .get("/", documented({
      summary: "The caller's orders, newest first (every order for the admin)",
      responses: { 200: okList("Orders", "Order"), 400: limitOutOfRange },
    }), query(OrderListQuery), async (c) => c.json(await orders.list(viewerOf(c), c.req.valid("query").limit)))
    .get("/:id", documented({
      summary: "One order",
      description: "The caller's, or any order with `token`, the token of the link in the order's mails.",
      responses: {
        200: ok("The order", "Order"), 404: error("not_found: not yet persisted, unknown, not the caller's, or not an order id"),
        403: error("forbidden, reason link_expired or link_invalid: the token is expired, forged, or for another order"),
      },
    }), orderId, linkToken, async (c) => {
      const { id } = c.req.valid("param");
      const order = await orders.get(id, orderViewer(c, { orderId: id, token: c.req.valid("query").token, secret: linkSecret }));
      if (!order) throw notFound("order");
      return c.json(order);
    })
    .post("/:id/cancel", documented({
      summary: "Cancel one of the caller's orders",
      description: "While the order is placed or confirmed, by its session or with `token`, the token of the link in the order's mails. Answers 202 once the CancelOrder command is in Kafka; the status follows on the order's events stream. Asking again answers the same.",
      responses: {
        202: ok("Accepted: the command's id", "OrderCommandAccepted"),
        400: error("invalid_json or validation_failed: reason over 200 characters"),
        ...jsonBodyErrors,
        403: error("forbidden, reason link_expired or link_invalid: the token is expired, forged, or for another order"),
        404: error("not_found: not yet persisted, unknown, not the caller's, or not an order id"),
        409: error("conflict, reason not_cancellable: the order is shipped, delivered, rejected or cancelled"),
        503: error("unavailable: Kafka did not acknowledge the command, or PostgreSQL is unreachable", retryAfter),
      },
    }), orderId, linkToken, limitBody(), jsonBody({ optional: true }), json(CancelRequest), async (c) => {
      const { id } = c.req.valid("param");
      const viewer = orderViewer(c, { orderId: id, token: c.req.valid("query").token, secret: linkSecret });
      const accepted = await sendOrderCommand(deps, {
        orderId: id, viewer, requestId: c.get("requestId"), trace: c.get("trace"),
        command: { type: "CancelOrder", data: { by: viewer.admin ? "admin" : "customer", ...reasonOf(c.req.valid("json")) } },
      });
      limits.orderCancelled(id);
      return c.json(accepted, 202);
    })
    .get("/:id/events", documented({
      summary: "The order's status as server-sent events",
      description: "Sends the current status at once (pending if not yet persisted), then each change as `event: status`; closes after a terminal status, after 2 minutes for an id never persisted, and after 10 minutes at most.",
      responses: {
        200: eventStream({ status: ref("StatusEvent") }),
        404: error("not_found: the id is not an order id (an unknown one streams `pending`)"),
        429: tooManyStreams,
      },
    }), orderId, orderEvents(deps));
}
