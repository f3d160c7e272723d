import type { Inbound } from "../kafka/message.ts";
import { decode, OrderPlacedEnvelope, PlaceOrderEnvelope } from "../orders/envelope.ts";

export const decodePlaceOrder = (m: Inbound) => decode(PlaceOrderEnvelope, m.value);
export const decodeOrderPlaced = (m: Inbound) => decode(OrderPlacedEnvelope, m.value);
