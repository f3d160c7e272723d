import { Hono } from "hono";
import { validator } from "hono/validator";
import * as v from "valibot";
import { envelope } from "../orders/envelope.ts";
import { idempotentOrderId, newOrderId } from "../orders/ids.ts";
import { OrderIdParam, OrderListQuery, PlaceOrderRequest, type PlaceOrderData, type Viewer } from "../orders/schemas.ts";
import { IdempotencyKey } from "./contract.ts";
import { within } from "../waiting.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { ApiError, notFound, rateLimited, unavailable } from "./errors.ts";
import { orderEvents } from "./orderEvents.ts";
import { json, jsonBody, limitBody, param, parseOrThrow, query } from "./validation.ts";

/** How long a request waits for Kafka's acknowledgement before answering 503. */
const ACK_TIMEOUT_MS = 5_000;

const idempotencyKey = validator("header", (_value, c) =>
  parseOrThrow(v.optional(IdempotencyKey), c.req.header("idempotency-key"), "headers.Idempotency-Key"));

const orderId = param(v.object({ id: OrderIdParam }), "order");

const viewerOf = (c: { get(key: "admin"): boolean; get(key: "owner"): () => string }): Viewer =>
  c.get("admin") ? { admin: true } : { admin: false, owner: c.get("owner")() };

export function orderRoutes(deps: ApiDeps) {
  const { catalog, orders, sendCommand, idempotencySecret, limits, metrics, log } = deps;

  return new Hono<Env>()
    .post(
      "/",
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

        // Taken before the command is sent, so that concurrent orders cannot all pass the check.
        const allowance = limits.takeUnits(c.get("session"), units, Date.now());
        if ("remaining" in allowance) {
          throw new ApiError(400, "validation_failed", "the request is not valid", [{
            path: "items",
            message: `a session may order at most ${limits.unitsPerSessionPerDay} units in 24 hours; ${allowance.remaining} remain`,
          }]);
        }

        const orderId = key === undefined ? newOrderId() : idempotentOrderId(idempotencySecret, key, request.customer.email);
        const data: PlaceOrderData = { customer: request.customer, items: request.items, owner: c.get("owner")() };
        const requestId = c.get("requestId");
        try {
          await within(ACK_TIMEOUT_MS, sendCommand(envelope("PlaceOrder", orderId, data), requestId, Date.now() + ACK_TIMEOUT_MS));
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
    .get("/", query(OrderListQuery), async (c) => c.json(await orders.list(viewerOf(c), c.req.valid("query").limit)))
    .get("/:id", orderId, async (c) => {
      const order = await orders.get(c.req.valid("param").id, viewerOf(c));
      if (!order) throw notFound("order");
      return c.json(order);
    })
    .get("/:id/events", orderId, orderEvents(deps));
}
