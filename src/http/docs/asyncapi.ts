import pkg from "../../../package.json";
import type { Namespace } from "../../kafka/topics.ts";
import {
  CancelOrderEnvelope, DeliverOrderEnvelope, OrderCancelledEnvelope, OrderCommandRefusedEnvelope, OrderConfirmedEnvelope, OrderDeliveredEnvelope,
  OrderPlacedEnvelope, OrderRejectedEnvelope, OrderShippedEnvelope, PlaceOrderEnvelope, ShipOrderEnvelope,
} from "../../orders/envelope.ts";
import {
  AdjustStockEnvelope, CategoryChangedEnvelope, CategoryChangeRejectedEnvelope, ProductChangedEnvelope, ProductChangeRejectedEnvelope,
  StockAdjustedEnvelope, StockAdjustmentRejectedEnvelope, UpsertCategoryEnvelope, UpsertProductEnvelope,
} from "../../catalog/schemas.ts";
import { jsonSchema } from "./jsonSchema.ts";

const headers = {
  type: "object",
  required: ["type", "correlation-id"],
  properties: {
    type: { type: "string", description: "The envelope's type" },
    "correlation-id": { type: "string", description: "The X-Request-Id of the HTTP request that started the order" },
  },
};
const keyedByOrder = { kafka: { key: { type: "string", format: "uuid", description: "The order id" } } };

const keyedByProduct = { kafka: { key: { type: "string", description: "The product id" } } };
const keyedByCategory = { kafka: { key: { type: "string", description: "The category id" } } };

const message = (name: string, summary: string, payload: object, bindings: object = keyedByOrder) =>
  ({ name, title: name, summary, contentType: "application/json", headers, payload, bindings });

const ORDER_COMMANDS = ["PlaceOrder", "CancelOrder", "ShipOrder", "DeliverOrder"];
const LIFECYCLE_COMMANDS = ["CancelOrder", "ShipOrder", "DeliverOrder"];
const CATALOG_COMMANDS = ["UpsertProduct", "AdjustStock", "UpsertCategory"];
const CATALOG_EVENTS = ["ProductChanged", "ProductChangeRejected", "StockAdjusted", "StockAdjustmentRejected", "CategoryChanged", "CategoryChangeRejected"];

/** AsyncAPI 3 for the topics and their envelopes, generated from the schemas the consumers decode with. */
export function asyncApiDocument(brokers: readonly string[], { topics, groups }: Namespace) {
  const channel = (address: string, names: string | string[], description: string) =>
    ({ address, description, messages: Object.fromEntries([names].flat().map((name) => [name, { $ref: `#/components/messages/${name}` }])) });
  const operation = (action: "send" | "receive", channelId: string, names: string | string[], summary: string, group?: string) => ({
    action, summary,
    channel: { $ref: `#/channels/${channelId}` },
    messages: [names].flat().map((name) => ({ $ref: `#/channels/${channelId}/messages/${name}` })),
    ...(group ? { bindings: { kafka: { groupId: { type: "string", enum: [group] } } } } : {}),
  });
  return {
    asyncapi: "3.0.0",
    info: { title: "shop order pipeline", version: pkg.version, description: "Every message is keyed by its order id (catalog messages by their product or category id) and carries the headers type and correlation-id." },
    defaultContentType: "application/json",
    servers: Object.fromEntries(brokers.map((host, i) => [`broker${i + 1}`, { host, protocol: "kafka", description: "A Kafka broker" }])),
    channels: {
      commands: channel(topics.commands, ORDER_COMMANDS, "Commands to place an order and then to cancel, ship or deliver it, keyed by order id; any producer may write them."),
      placed: channel(topics.placed, "OrderPlaced", "Orders persisted with their stock reserved."),
      rejected: channel(topics.rejected, "OrderRejected", "Orders refused, with the reason."),
      confirmed: channel(topics.confirmed, "OrderConfirmed", "Orders confirmed."),
      cancelled: channel(topics.cancelled, "OrderCancelled", "Orders cancelled, with the units returned to stock."),
      shipped: channel(topics.shipped, "OrderShipped", "Orders shipped, with carrier and tracking number."),
      delivered: channel(topics.delivered, "OrderDelivered", "Orders delivered."),
      refused: channel(topics.refused, "OrderCommandRefused", "Cancel, ship and deliver commands the order's status forbade, with the reason."),
      deadLetters: channel(topics.dlq, "DeadLetter", "Messages that can never be processed, unchanged, with headers saying why and where from."),
      catalogCommands: channel(topics.catalogCommands, CATALOG_COMMANDS, "Changes to the catalog and its stock, keyed by product id (a category's by category id)."),
      catalogEvents: channel(topics.catalogEvents, CATALOG_EVENTS, "What became of each catalog command, keyed as the command."),
    },
    operations: {
      sendPlaceOrder: operation("send", "commands", "PlaceOrder", "POST /api/orders publishes a command"),
      receivePlaceOrder: operation("receive", "commands", "PlaceOrder", "The command consumer places or rejects the order", groups.commands),
      sendOrderPlaced: operation("send", "placed", "OrderPlaced", "Published once the order is stored"),
      receiveOrderPlaced: operation("receive", "placed", "OrderPlaced", "The event consumer confirms the order", groups.events),
      sendOrderRejected: operation("send", "rejected", "OrderRejected", "Published once a rejection is stored"),
      sendOrderConfirmed: operation("send", "confirmed", "OrderConfirmed", "Published once the confirmation is stored"),
      sendLifecycleCommand: operation("send", "commands", LIFECYCLE_COMMANDS, "The order's customer or the admin cancels it; the admin ships or delivers it"),
      receiveLifecycleCommand: operation("receive", "commands", LIFECYCLE_COMMANDS, "The command consumer decides it by the order's rules, in the order's partition order", groups.commands),
      sendOrderCancelled: operation("send", "cancelled", "OrderCancelled", "Published once the cancellation and the returned stock are stored"),
      sendOrderShipped: operation("send", "shipped", "OrderShipped", "Published once the shipment is stored"),
      sendOrderDelivered: operation("send", "delivered", "OrderDelivered", "Published once the delivery is stored"),
      sendOrderCommandRefused: operation("send", "refused", "OrderCommandRefused", "Published once a refusal is stored"),
      sendDeadLetter: operation("send", "deadLetters", "DeadLetter", "A consumer gives up on a message"),
      receiveDeadLetter: operation("receive", "deadLetters", "DeadLetter", "Kept in PostgreSQL for the operations page, which can replay it", groups.deadLetters),
      sendCatalogCommand: operation("send", "catalogCommands", CATALOG_COMMANDS, "The operations page's API publishes a catalog change"),
      receiveCatalogCommand: operation("receive", "catalogCommands", CATALOG_COMMANDS, "The catalog consumer applies it under the products' row locks", groups.catalog),
      sendCatalogEvent: operation("send", "catalogEvents", CATALOG_EVENTS, "Published once the change, or its refusal, is stored"),
    },
    components: {
      messages: {
        PlaceOrder: message("PlaceOrder", "Place an order", jsonSchema(PlaceOrderEnvelope)),
        OrderPlaced: message("OrderPlaced", "An order was placed", jsonSchema(OrderPlacedEnvelope)),
        OrderRejected: message("OrderRejected", "An order was rejected", jsonSchema(OrderRejectedEnvelope)),
        OrderConfirmed: message("OrderConfirmed", "An order was confirmed", jsonSchema(OrderConfirmedEnvelope)),
        CancelOrder: message("CancelOrder", "Cancel an order that is placed or confirmed", jsonSchema(CancelOrderEnvelope)),
        ShipOrder: message("ShipOrder", "Record that a confirmed order's parcel left", jsonSchema(ShipOrderEnvelope)),
        DeliverOrder: message("DeliverOrder", "Record that a shipped order arrived", jsonSchema(DeliverOrderEnvelope)),
        OrderCancelled: message("OrderCancelled", "An order was cancelled and its units returned", jsonSchema(OrderCancelledEnvelope)),
        OrderShipped: message("OrderShipped", "An order was shipped", jsonSchema(OrderShippedEnvelope)),
        OrderDelivered: message("OrderDelivered", "An order was delivered", jsonSchema(OrderDeliveredEnvelope)),
        OrderCommandRefused: message("OrderCommandRefused", "A cancel, ship or deliver command the order's status forbade", jsonSchema(OrderCommandRefusedEnvelope)),
        UpsertProduct: message("UpsertProduct", "Create a product, or change some of its fields", jsonSchema(UpsertProductEnvelope), keyedByProduct),
        AdjustStock: message("AdjustStock", "Move a product's stock by delta units, never below zero", jsonSchema(AdjustStockEnvelope), keyedByProduct),
        ProductChanged: message("ProductChanged", "A product as it is after a change", jsonSchema(ProductChangedEnvelope), keyedByProduct),
        ProductChangeRejected: message("ProductChangeRejected", "A create with a sku already taken, or a change to a product that does not exist", jsonSchema(ProductChangeRejectedEnvelope), keyedByProduct),
        StockAdjusted: message("StockAdjusted", "An adjustment applied, with the stock after it", jsonSchema(StockAdjustedEnvelope), keyedByProduct),
        StockAdjustmentRejected: message("StockAdjustmentRejected", "An adjustment refused: it would take stock below zero", jsonSchema(StockAdjustmentRejectedEnvelope), keyedByProduct),
        UpsertCategory: message("UpsertCategory", "Create a category, or rename it (its slug stays)", jsonSchema(UpsertCategoryEnvelope), keyedByCategory),
        CategoryChanged: message("CategoryChanged", "A category as it is after a create or a rename", jsonSchema(CategoryChangedEnvelope), keyedByCategory),
        CategoryChangeRejected: message("CategoryChangeRejected", "A create with a slug already taken, or a rename of a category that does not exist", jsonSchema(CategoryChangeRejectedEnvelope), keyedByCategory),
        DeadLetter: {
          name: "DeadLetter", title: "DeadLetter", summary: "The original message, unchanged",
          headers: {
            type: "object",
            required: ["dlq-reason", "dlq-source-topic", "dlq-source-partition", "dlq-source-offset"],
            properties: {
              "dlq-reason": { type: "string" },
              "dlq-source-topic": { type: "string" },
              "dlq-source-partition": { type: "string", pattern: "^\\d+$" },
              "dlq-source-offset": { type: "string", pattern: "^\\d+$" },
            },
          },
          payload: { description: "The original bytes, whatever they were" },
        },
      },
    },
  };
}
