import { useEffect, useRef, useState } from "preact/hooks";
import type { AdminOrder, OrderEvent } from "../../src/orders/schemas.ts";
import { adminApi, type AdminApi } from "../adminApi.ts";
import { ApiError } from "../api.ts";
import { money, plural, shortId, stamp, when } from "../format.ts";
import { describeStatus, STATUS_LABEL } from "../orderStatus.ts";
import { usePolling } from "../usePolling.ts";
import { AddressBlock } from "./AddressBlock.tsx";
import { OrderActions } from "./OrderActions.tsx";
import { StatusTimeline } from "./StatusTimeline.tsx";

const EVENT_LABEL: Record<OrderEvent["type"], string> = {
  OrderCancelled: "Cancelled", OrderShipped: "Shipped", OrderDelivered: "Delivered", OrderCommandRefused: "Refused",
};

/** What an event's data says, in a line: the carrier, who cancelled and why, what was refused. */
function eventLine({ type, data }: OrderEvent) {
  const said = (key: string) => (typeof data[key] === "string" ? data[key] : undefined);
  if (type === "OrderShipped") return `${said("carrier")}, tracking number ${said("trackingNumber")}`;
  if (type === "OrderCancelled") {
    const units = Array.isArray(data.returned) ? data.returned.reduce((n: number, line: { quantity?: number }) => n + (line.quantity ?? 0), 0) : 0;
    return `by the ${said("by") === "customer" ? "customer" : "shop"}${said("reason") ? `: “${said("reason")}”` : ""}; ${plural(units, "unit")} back in stock`;
  }
  if (type === "OrderCommandRefused") return `${said("command")}: ${said("reason")?.replaceAll("_", " ")} (the order was ${said("status") ?? "unknown"})`;
  return "";
}

type Props = { token: string; id: string; onBack: () => void; onDenied: () => void };

/**
 * One order as the owner ships it: where it stands, the packing slip (address and items), what
 * happened to it, and what may be done next. Polled, so a customer's cancellation shows up here.
 */
export function OrderDetail({ token, id, onBack, onDenied }: Props) {
  const order = usePolling(token, (admin) => admin.orders[":id"], { param: { id } });
  const heading = useRef<HTMLHeadingElement>(null);
  const [outcome, setOutcome] = useState("");

  useEffect(() => { heading.current?.focus(); }, []);
  useEffect(() => { if (order.error?.status === 401) onDenied(); }, [order.error]);

  const sent = (message: string) => {
    setOutcome(message);
    order.refresh();
  };
  const send = async (label: string, request: (admin: AdminApi) => Promise<unknown>) => {
    try {
      await request(adminApi(token));
      sent(`${label} sent for order ${shortId(id)}: its status follows in a moment.`);
      return undefined;
    } catch (error) {
      const failed = error instanceof ApiError ? error : new ApiError(0, "offline", String(error));
      if (failed.status === 401) onDenied();
      if (failed.status === 409) order.refresh();
      return failed;
    }
  };

  const data: AdminOrder | undefined = order.data;
  return (
    <article class="order-detail" aria-labelledby="order-detail-title" data-order-id={id}>
      <p><button type="button" class="link-button" onClick={onBack}>← All orders</button></p>
      <h3 id="order-detail-title" ref={heading} tabIndex={-1}>Order {shortId(id)}</h3>
      {data?.traceUrl && (
        <p class="order-trace">
          <a href={data.traceUrl} target="_blank" rel="noopener" data-testid="order-trace">Trace in Jaeger<span class="visually-hidden"> (opens in a new tab)</span></a>
        </p>
      )}
      <p class="replay-outcome" role="status" data-testid="order-outcome">{outcome}</p>
      {!data && (order.error ? <p class="notice notice-quiet">Can't read this order ({order.error.message}); trying again every 2 seconds.</p> : <p class="loading">Reading the order…</p>)}
      {data && (
        <div class="order-detail-grid">
          <section aria-labelledby="detail-status-title">
            <h4 id="detail-status-title">Status: <span class={`status-badge status-${data.status}`} data-status={data.status}>{STATUS_LABEL[data.status]}</span></h4>
            <p class="muted">{data.status === "rejected" ? describeStatus(data.status, data.reason) : `Placed ${when(data.createdAt)} by ${data.customer.name} (${data.customer.email}).`}</p>
            <StatusTimeline status={data.status} steps={data.timeline} shipment={data.shipment} cancellation={data.cancellation} />
            <OrderActions id={id} status={data.status} send={send} />
          </section>
          <section class="packing-slip" aria-labelledby="packing-title">
            <h4 id="packing-title">Packing slip</h4>
            {data.shippingAddress ? <AddressBlock address={data.shippingAddress} /> : <p class="muted">Placed before checkout asked for an address: ask the customer, {data.customer.email}.</p>}
            <ul class="packing-items" aria-label="Items to pack">
              {data.items.map((item) => (
                <li key={item.productId}><strong>{item.quantity} ×</strong> {item.name} <span class="muted">{money(item.quantity * item.unitPriceCents)}</span></li>
              ))}
            </ul>
            <p class="subtotal"><span>Total</span> <strong>{money(data.totalCents)}</strong></p>
          </section>
          <section aria-labelledby="events-title">
            <h4 id="events-title">Events</h4>
            {data.events.length === 0
              ? <p class="muted">Nothing since it was placed.</p>
              : (
                <ol class="order-events">
                  {data.events.map((event) => (
                    <li key={event.commandId} data-event={event.type}>
                      <strong>{EVENT_LABEL[event.type]}</strong> <time dateTime={event.at}>{stamp(event.at)}</time>
                      <span class="event-line">{eventLine(event)}</span>
                    </li>
                  ))}
                </ol>
              )}
          </section>
        </div>
      )}
    </article>
  );
}
