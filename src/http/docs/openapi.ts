import pkg from "../../../package.json";
import { ErrorBody, IdempotencyKey, Order, OrderAccepted, PlaceOrderRequest, Product, StatusEvent } from "../../orders/schemas.ts";
import { DeadLetter, Overview } from "../../operations/schemas.ts";
import { jsonSchema } from "./jsonSchema.ts";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ "application/json": { schema } });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const uuidParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const adminOnly = { security: [{ adminToken: [] }] };
const notAdmin = error("Without the admin token, or with another one");

/** OpenAPI 3.1 for the HTTP API, generated from the valibot schemas the server validates with. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "shop", version: pkg.version, description: "An event-driven storefront: orders are accepted into Kafka and confirmed asynchronously." },
    paths: {
      "/api/products": {
        get: { summary: "The catalog", responses: { 200: { description: "Every product", content: json({ type: "array", items: ref("Product") }) } } },
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
      },
    },
  };
}
