import * as v from "valibot";
import pkg from "../../../package.json";
import { DeadLetter, DeadLetterIdParam, DeadLetterListQuery, Overview } from "../../operations/schemas.ts";
import { Order, OrderAccepted, OrderIdParam, OrderListQuery, PlaceOrderRequest, ProductId, StatusEvent } from "../../orders/schemas.ts";
import {
  AppliedAdjustment, CommandAccepted, CreateProductRequest, MovementListQuery, Product, StockAdjustmentRequest, StockEvent, StockMovement, UpdateProductRequest,
} from "../../catalog/schemas.ts";
import { ErrorBody, IdempotencyKey } from "../contract.ts";
import { jsonSchema } from "./jsonSchema.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const header = (description: string, schema: object) => ({ description, schema });
const error = (description: string, headers?: Record<string, object>) => ({ description, ...(headers ? { headers } : {}), content: json(ref("Error")) });
const adminOnly = { security: [{ adminToken: [] }] };

/** A path parameter, described by the very schema its route checks it with. */
const pathParam = (name: string, schema: v.GenericSchema) => ({ name, in: "path", required: true, schema: jsonSchema(schema) });

/** One parameter per entry of the schema its route parses the query with; a default is what parsing gives. */
const queryParams = (schema: v.ObjectSchema<v.ObjectEntries, undefined>) =>
  Object.entries(schema.entries).map(([name, entry]) => {
    const required = entry.type !== "optional";
    const described = jsonSchema(entry, "output");
    return { name, in: "query", required, schema: required ? described : { ...described, default: v.parse(entry, undefined) } };
  });

const retryAfter = { "Retry-After": header("Seconds to wait before trying again", { type: "string", pattern: "^[0-9]+$" }) };
const allow = { Allow: header("The methods this path answers", { type: "string" }) };

/** What any route may answer whatever it does: another method (405), headers over 16 KiB (431) or a failure of our own (500). */
const everyRoute = {
  405: error("method_not_allowed: this path does not answer that method", allow),
  431: error("headers_too_large: the request's headers are over 16 KiB"),
  500: error("internal: something unexpected went wrong on the server"),
};

/** What any /api route may answer as well, from the middleware in front of every one. */
const everyApiRoute = {
  ...everyRoute,
  401: error("unauthorized: an Authorization header that is not `Bearer <admin token>`"),
  503: error("unavailable: PostgreSQL or Kafka is unreachable, or this instance is shutting down", retryAfter),
};

/** A server-sent event stream, with the schema of the JSON in each named event's `data`. */
const eventStream = (events: Record<string, object>) => ({
  description: "An event stream",
  content: {
    "text/event-stream": {
      schema: { type: "string", description: "Server-sent events; `x-sse-events` gives, for each event name, the schema of the JSON in its `data`." },
      "x-sse-events": events,
    },
  },
});
const tooManyStreams = error("rate_limited: too many open event streams for this session, this client address or this instance", retryAfter);

/** What a route that reads a JSON body answers for one it cannot read. */
const jsonBodyErrors = {
  413: error("payload_too_large: the body is over 64 KiB"),
  415: error("unsupported_media_type: Content-Type is not application/json"),
};

const notAdmin = error("unauthorized: without the admin token, or with another one");
const productParam = pathParam("id", ProductId);
const pending = { description: "Not applied within 5 s: the command's id; it is in Kafka and will be applied", content: json(ref("CommandAccepted")) };

/**
 * An admin catalog route: it publishes a command made of its JSON body and answers with the outcome
 * once a worker applied it, or 202 when none did within 5 s.
 */
const catalogCommand = (summary: string, description: string, { product = false, body, applied: [applied, answer], invalid, conflict }: {
  product?: boolean; body: string; applied: [description: string, schema: string]; invalid: string; conflict: string;
}) => ({
  summary, description, ...adminOnly,
  ...(product ? { parameters: [productParam] } : {}),
  requestBody: { required: true, content: json({ type: "object", ...ref(body) }) },
  responses: {
    ...everyApiRoute,
    200: { description: applied, content: json(ref(answer)) }, 202: pending, 400: error(invalid), 401: notAdmin,
    ...(product ? { 404: error("not_found: no such product") } : {}),
    409: error(conflict), ...jsonBodyErrors,
  },
});

/** OpenAPI 3.1 for the HTTP API, generated from the valibot schemas the server validates with. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "shop", version: pkg.version, description: "An event-driven storefront: orders are accepted into Kafka and confirmed asynchronously." },
    paths: {
      "/api/products": {
        get: {
          summary: "The catalog",
          responses: { ...everyApiRoute, 200: { description: "Every product", content: json({ type: "array", items: ref("Product") }) } },
        },
      },
      "/api/products/events": {
        get: {
          summary: "Stock changes as server-sent events",
          description: "`event: stock` on every stock or availability change of any product, whichever instance made it.",
          responses: {
            ...everyApiRoute,
            200: eventStream({ stock: ref("StockEvent") }),
            429: tooManyStreams,
          },
        },
      },
      "/api/products/{id}": {
        get: {
          summary: "One product",
          parameters: [pathParam("id", ProductId)],
          responses: { ...everyApiRoute, 200: { description: "The product", content: json(ref("Product")) }, 404: error("not_found: no such product") },
        },
      },
      "/api/orders": {
        post: {
          summary: "Place an order",
          description: "Answers 202 once the PlaceOrder command is durably in Kafka; the order then moves to placed and confirmed, or rejected.",
          parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: jsonSchema(IdempotencyKey) }],
          requestBody: { required: true, content: json({ type: "object", ...ref("PlaceOrderRequest") }) },
          responses: {
            ...everyApiRoute,
            202: {
              description: "Accepted",
              headers: { Location: header("The order's address", { type: "string", pattern: "^/api/orders/" }) },
              content: json(ref("OrderAccepted")),
            },
            400: error("invalid_json, validation_failed (with issues; path `items` when over the units per order or the session's units per day) or unknown_product (with issues)"),
            ...jsonBodyErrors,
            429: error("rate_limited: too many orders from this session or this client address", retryAfter),
            503: error("unavailable: Kafka did not acknowledge the command (retry with the same Idempotency-Key), PostgreSQL is unreachable, or this instance is shutting down", retryAfter),
          },
        },
        get: {
          summary: "The caller's orders, newest first (every order for the admin)",
          parameters: queryParams(OrderListQuery),
          responses: {
            ...everyApiRoute,
            200: { description: "Orders", content: json({ type: "array", items: ref("Order") }) },
            400: error("validation_failed: limit out of range"),
          },
        },
      },
      "/api/orders/{id}": {
        get: {
          summary: "One order",
          parameters: [pathParam("id", OrderIdParam)],
          responses: {
            ...everyApiRoute,
            200: { description: "The order", content: json(ref("Order")) },
            404: error("not_found: not yet persisted, unknown, not the caller's, or not an order id"),
          },
        },
      },
      "/api/orders/{id}/events": {
        get: {
          summary: "The order's status as server-sent events",
          description: "Sends the current status at once (pending if not yet persisted), then each change as `event: status`; closes after a terminal status, after 2 minutes for an id never persisted, and after 10 minutes at most.",
          parameters: [pathParam("id", OrderIdParam)],
          responses: {
            ...everyApiRoute,
            200: eventStream({ status: ref("StatusEvent") }),
            404: error("not_found: the id is not an order id (an unknown one streams `pending`)"),
            429: tooManyStreams,
          },
        },
      },
      "/api/admin/overview": {
        get: {
          summary: "Orders by status, orders per second over the last 10 minutes, consumer lag, dead-letter counts",
          ...adminOnly,
          responses: { ...everyApiRoute, 200: { description: "The overview", content: json(ref("Overview")) }, 401: notAdmin },
        },
      },
      "/api/admin/dead-letters": {
        get: {
          summary: "Dead letters, newest first",
          ...adminOnly,
          parameters: queryParams(DeadLetterListQuery),
          responses: {
            ...everyApiRoute,
            200: { description: "Dead letters", content: json({ type: "array", items: ref("DeadLetter") }) },
            400: error("validation_failed: limit out of range"),
            401: notAdmin,
          },
        },
      },
      "/api/admin/dead-letters/{id}/replay": {
        post: {
          summary: "Publish a dead letter's original message to its source topic again",
          description: "The same key and bytes, the original headers without the dlq-* ones. Answers once Kafka acknowledged it; the message is then processed, or dead-lettered again as a new dead letter with its new reason. A dead letter is replayed once.",
          ...adminOnly,
          parameters: [pathParam("id", DeadLetterIdParam)],
          responses: {
            ...everyApiRoute,
            200: { description: "Replayed: the dead letter, with replayedAt", content: json(ref("DeadLetter")) },
            401: notAdmin,
            404: error("not_found: no such dead letter"),
            409: error("conflict: already replayed, or its source topic is not one the shop consumes"),
            503: error("unavailable: Kafka did not acknowledge it (nothing was marked, try again), PostgreSQL is unreachable, or this instance is shutting down", retryAfter),
          },
        },
      },
      "/api/admin/products": {
        get: {
          summary: "Every product, archived ones too", ...adminOnly,
          responses: { ...everyApiRoute, 200: { description: "Products", content: json({ type: "array", items: ref("Product") }) }, 401: notAdmin },
        },
        post: catalogCommand("Create a product", "Publishes UpsertProduct on catalog.commands and answers with the product once a worker applied it.", {
          body: "CreateProductRequest", applied: ["Created", "Product"], invalid: "invalid_json, or validation_failed with an issue per field", conflict: "conflict, reason duplicate_sku",
        }),
      },
      "/api/admin/products/{id}": {
        patch: catalogCommand("Change a product: name, description, price, image, archived", "A new price applies to orders placed after it. An archived product is not listed and cannot be ordered.", {
          product: true, body: "UpdateProductRequest", applied: ["The product as it now is", "Product"], invalid: "invalid_json, or validation_failed with an issue per field", conflict: "conflict, reason duplicate_sku",
        }),
      },
      "/api/admin/products/{id}/stock-adjustments": {
        post: catalogCommand("Move a product's stock, with a reason", "Publishes AdjustStock; a worker applies it under the same row lock as order placement and records it in the stock ledger.", {
          product: true, body: "StockAdjustmentRequest", applied: ["Applied", "AppliedAdjustment"], invalid: "invalid_json, or validation_failed", conflict: "conflict, reason would_go_negative: it would take stock below zero; nothing changed",
        }),
      },
      "/api/admin/products/{id}/movements": {
        get: {
          summary: "The product's stock ledger, newest first",
          ...adminOnly,
          parameters: [productParam, ...queryParams(MovementListQuery)],
          responses: {
            ...everyApiRoute,
            200: { description: "Movements", content: json({ type: "array", items: ref("StockMovement") }) },
            400: error("validation_failed: limit out of range"), 401: notAdmin, 404: error("not_found: no such product"),
          },
        },
      },
      "/api/openapi.json": {
        get: { summary: "This document", responses: { ...everyApiRoute, 200: { description: "OpenAPI 3.1", content: json({ type: "object" }) } } },
      },
      "/api/asyncapi.json": {
        get: { summary: "The topics and their messages", responses: { ...everyApiRoute, 200: { description: "AsyncAPI 3", content: json({ type: "object" }) } } },
      },
      "/healthz": {
        get: {
          summary: "Liveness",
          responses: { ...everyRoute, 200: { description: "The process serves", content: json({ type: "object", properties: { status: { const: "ok" } }, required: ["status"] }) } },
        },
      },
      "/readyz": {
        get: {
          summary: "Readiness",
          responses: {
            ...everyRoute,
            200: { description: "Ready", content: json({ type: "object", properties: { status: { const: "ready" } }, required: ["status"] }) },
            503: error("unavailable: what is not ready, one issue each", retryAfter),
          },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics",
          responses: { ...everyRoute, 200: { description: "Text exposition format", content: { "text/plain": { schema: { type: "string" } } } } },
        },
      },
    },
    components: {
      securitySchemes: { adminToken: { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN the shop was started with" } },
      schemas: {
        Product: jsonSchema(Product),
        PlaceOrderRequest: jsonSchema(PlaceOrderRequest),
        OrderAccepted: jsonSchema(OrderAccepted),
        Order: jsonSchema(Order),
        StatusEvent: jsonSchema(StatusEvent),
        Error: jsonSchema(ErrorBody),
        Overview: jsonSchema(Overview),
        DeadLetter: jsonSchema(DeadLetter),
        StockEvent: jsonSchema(StockEvent),
        CreateProductRequest: jsonSchema(CreateProductRequest),
        UpdateProductRequest: jsonSchema(UpdateProductRequest),
        StockAdjustmentRequest: jsonSchema(StockAdjustmentRequest),
        AppliedAdjustment: jsonSchema(AppliedAdjustment),
        CommandAccepted: jsonSchema(CommandAccepted),
        StockMovement: jsonSchema(StockMovement),
      },
    },
  };
}
