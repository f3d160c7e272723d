import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as v from "valibot";
import type { Viewer } from "../db/orders.ts";
import { envelope } from "../orders/envelope.ts";
import { idempotentOrderId, newOrderId } from "../orders/ids.ts";
import { IdempotencyKey, OrderIdParam, OrderListQuery, PlaceOrderRequest, type PlaceOrderData } from "../orders/schemas.ts";
import type { ApiDeps, Env } from "./deps.ts";
import { ApiError, notFound, unavailable } from "./errors.ts";
import { orderEvents } from "./orderEvents.ts";
import { jsonBody, parseOrThrow } from "./validation.ts";

const MAX_BODY = 64 * 1024;
/** How long a request waits for Kafka's acknowledgement before answering 503. */
const ACK_TIMEOUT_MS = 5_000;

const viewerOf = (c: { get(key: "admin"): boolean; get(key: "owner"): () => string }): Viewer =>
  c.get("admin") ? { admin: true } : { admin: false, owner: c.get("owner")() };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: Timer;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no acknowledgement within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function orderRoutes(deps: ApiDeps) {
  const { catalog, orders, sendCommand, idempotencySecret, metrics, log } = deps;

  return new Hono<Env>()
    .post(
      "/",
      bodyLimit({ maxSize: MAX_BODY, onError: () => { throw new ApiError(413, "payload_too_large", "the body is larger than 64 KiB"); } }),
      async (c) => {
        const request = parseOrThrow(PlaceOrderRequest, await jsonBody(c));
        const key = c.req.header("idempotency-key");
        if (key !== undefined) parseOrThrow(IdempotencyKey, key, "headers.Idempotency-Key");

        const productIds = request.items.map((i) => i.productId);
        const unknown = await catalog.unknown(productIds);
        if (unknown.length > 0) {
          throw new ApiError(400, "unknown_product", `unknown product: ${unknown.join(", ")}`,
            unknown.map((id) => ({ path: `items.${productIds.indexOf(id)}.productId`, message: `no product has the id ${id}` })));
        }

        const orderId = key === undefined ? newOrderId() : idempotentOrderId(idempotencySecret, key, request.customer.email);
        const data: PlaceOrderData = { customer: request.customer, items: request.items, owner: c.get("owner")() };
        const requestId = c.get("requestId");
        try {
          await withTimeout(sendCommand(envelope("PlaceOrder", orderId, data), requestId, Date.now() + ACK_TIMEOUT_MS), ACK_TIMEOUT_MS);
        } catch (error) {
          log.warn("PlaceOrder not acknowledged by Kafka", { requestId, orderId, err: error });
          throw unavailable("the order queue");
        }
        metrics.ordersAccepted.inc();
        log.info("order accepted", { requestId, correlationId: requestId, orderId, items: request.items.length });
        c.header("Location", `/api/orders/${orderId}`);
        return c.json({ id: orderId, status: "pending" as const }, 202);
      },
    )
    .get("/", async (c) => {
      const { limit } = parseOrThrow(OrderListQuery, { limit: c.req.query("limit") }, "query");
      return c.json(await orders.list(viewerOf(c), limit));
    })
    .get("/:id", async (c) => {
      const id = c.req.param("id");
      const order = v.is(OrderIdParam, id) ? await orders.get(id, viewerOf(c)) : undefined;
      if (!order) throw notFound("order");
      return c.json(order);
    })
    .get("/:id/events", orderEvents(deps));
}
