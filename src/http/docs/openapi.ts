import pkg from "../../../package.json";
import { ErrorBody, IdempotencyKey, Order, OrderAccepted, PlaceOrderRequest, Product, StatusEvent } from "../../orders/schemas.ts";
import { DeadLetter, Overview } from "../../operations/schemas.ts";
import {
  AppliedAdjustment, CommandAccepted, CreateProductRequest, StockAdjustmentRequest, StockEvent, StockMovement, UpdateProductRequest,
} from "../../catalog/schemas.ts";
import { jsonSchema } from "./jsonSchema.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const uuidParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const adminOnly = { security: [{ adminToken: [] }] };
const notAdmin = error("Without the admin token, or with another one");
const productParam = { name: "id", in: "path", required: true, schema: { type: "string" } };
const pending = { description: "Not applied within 5 s: the command's id; it is in Kafka and will be applied", content: json(ref("CommandAccepted")) };
const queueDown = error("Kafka did not acknowledge the command; nothing was sent");

/** OpenAPI 3.1 for the HTTP API, generated from the valibot schemas the server validates with. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "shop", version: pkg.version, description: "An event-driven storefront: orders are accepted into Kafka and confirmed asynchronously." },
    paths: {
      "/api/products": {
        get: { summary: "The catalog", responses: { 200: { description: "Every product", content: json({ type: "array", items: ref("Product") }) } } },
      },
      "/api/products/events": {
        get: {
          summary: "Stock changes as server-sent events",
          description: "`event: stock` on every stock or availability change of any product, whichever instance made it.",
          responses: { 200: { description: "An event stream; each data line is a StockEvent", content: { "text/event-stream": { schema: ref("StockEvent") } } } },
        },
      },
      "/api/products/{id}": {
        get: {
          summary: "One product",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { 200: { description: "The product", content: json(ref("Product")) }, 404: error("No such product") },
        },
      },
      "/api/orders": {
        post: {
          summary: "Place an order",
          description: "Answers 202 once the PlaceOrder command is durably in Kafka; the order then moves to placed and confirmed, or rejected.",
          parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: jsonSchema(IdempotencyKey) }],
          requestBody: { required: true, content: json(ref("PlaceOrderRequest")) },
          responses: {
            202: { description: "Accepted", headers: { Location: { schema: { type: "string" } } }, content: json(ref("OrderAccepted")) },
            400: error("invalid_json, validation_failed (with issues) or unknown_product"),
            401: error("An Authorization header that is not the admin token"),
            413: error("Body over 64 KiB"),
            415: error("Content-Type is not application/json"),
            503: error("Kafka did not acknowledge the command; retry with the same Idempotency-Key"),
          },
        },
        get: {
          summary: "The caller's orders, newest first (every order for the admin)",
          parameters: [{ name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } }],
          responses: { 200: { description: "Orders", content: json({ type: "array", items: ref("Order") }) }, 400: error("limit out of range"), 401: error("Wrong admin token") },
        },
      },
      "/api/orders/{id}": {
        get: {
          summary: "One order",
          parameters: [uuidParam],
          responses: { 200: { description: "The order", content: json(ref("Order")) }, 404: error("Not yet persisted, unknown, or not the caller's") },
        },
      },
      "/api/orders/{id}/events": {
        get: {
          summary: "The order's status as server-sent events",
          description: "Sends the current status at once (pending if not yet persisted), then each change as `event: status`; closes after a terminal status.",
          parameters: [uuidParam],
          responses: { 200: { description: "An event stream; each data line is a StatusEvent", content: { "text/event-stream": { schema: ref("StatusEvent") } } } },
        },
      },
      "/api/admin/overview": {
        get: {
          summary: "Orders by status, orders per second over the last 10 minutes, consumer lag, dead-letter counts",
          ...adminOnly,
          responses: { 200: { description: "The overview", content: json(ref("Overview")) }, 401: notAdmin },
        },
      },
      "/api/admin/dead-letters": {
        get: {
          summary: "Dead letters, newest first",
          ...adminOnly,
          parameters: [{ name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } }],
          responses: { 200: { description: "Dead letters", content: json({ type: "array", items: ref("DeadLetter") }) }, 400: error("limit out of range"), 401: notAdmin },
        },
      },
      "/api/admin/dead-letters/{id}/replay": {
        post: {
          summary: "Publish a dead letter's original message to its source topic again",
          description: "The same key and bytes, the original headers without the dlq-* ones. Answers once Kafka acknowledged it; the message is then processed, or dead-lettered again as a new dead letter with its new reason. A dead letter is replayed once.",
          ...adminOnly,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", pattern: "^[1-9][0-9]*$" } }],
          responses: {
            200: { description: "Replayed: the dead letter, with replayedAt", content: json(ref("DeadLetter")) },
            401: notAdmin,
            404: error("No such dead letter"),
            409: error("conflict: already replayed, or its source topic is not one the shop consumes"),
            503: error("Kafka did not acknowledge it; nothing was marked, try again"),
          },
        },
      },
      "/api/admin/products": {
        get: { summary: "Every product, archived ones too", ...adminOnly, responses: { 200: { description: "Products", content: json({ type: "array", items: ref("Product") }) }, 401: notAdmin } },
        post: {
          summary: "Create a product",
          description: "Publishes UpsertProduct on catalog.commands and answers with the product once a worker applied it.",
          ...adminOnly,
          requestBody: { required: true, content: json(ref("CreateProductRequest")) },
          responses: {
            200: { description: "Created", content: json(ref("Product")) }, 202: pending,
            400: error("validation_failed, with an issue per field"), 401: notAdmin, 409: error("conflict, reason duplicate_sku"), 503: queueDown,
          },
        },
      },
      "/api/admin/products/{id}": {
        patch: {
          summary: "Change a product: name, description, price, image, archived",
          description: "A new price applies to orders placed after it. An archived product is not listed and cannot be ordered.",
          ...adminOnly,
          parameters: [productParam],
          requestBody: { required: true, content: json(ref("UpdateProductRequest")) },
          responses: {
            200: { description: "The product as it now is", content: json(ref("Product")) }, 202: pending,
            400: error("validation_failed, with an issue per field"), 401: notAdmin, 404: error("No such product"), 503: queueDown,
          },
        },
      },
      "/api/admin/products/{id}/stock-adjustments": {
        post: {
          summary: "Move a product's stock, with a reason",
          description: "Publishes AdjustStock; a worker applies it under the same row lock as order placement and records it in the stock ledger.",
          ...adminOnly,
          parameters: [productParam],
          requestBody: { required: true, content: json(ref("StockAdjustmentRequest")) },
          responses: {
            200: { description: "Applied", content: json(ref("AppliedAdjustment")) }, 202: pending,
            400: error("validation_failed"), 401: notAdmin, 404: error("No such product"),
            409: error("conflict, reason would_go_negative: it would take stock below zero; nothing changed"), 503: queueDown,
          },
        },
      },
      "/api/admin/products/{id}/movements": {
        get: {
          summary: "The product's stock ledger, newest first",
          ...adminOnly,
          parameters: [productParam, { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } }],
          responses: { 200: { description: "Movements", content: json({ type: "array", items: ref("StockMovement") }) }, 400: error("limit out of range"), 401: notAdmin, 404: error("No such product") },
        },
      },
      "/healthz": { get: { summary: "Liveness", responses: { 200: { description: "The process serves" } } } },
      "/readyz": { get: { summary: "Readiness", responses: { 200: { description: "Ready" }, 503: error("What is not ready") } } },
      "/metrics": { get: { summary: "Prometheus metrics", responses: { 200: { description: "Text exposition format", content: { "text/plain": { schema: { type: "string" } } } } } } },
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
