import { useEffect, useRef } from "preact/hooks";
import { refusalOf } from "../../src/orders/lifecycle.ts";
import { announce } from "../announce.ts";
import { api, type Order, type OrderStatus } from "../api.ts";
import { AddressBlock } from "../components/AddressBlock.tsx";
import { CancelOrder } from "../components/CancelOrder.tsx";
import { Failure } from "../components/Failure.tsx";
import { Page } from "../components/Page.tsx";
import { StatusTimeline } from "../components/StatusTimeline.tsx";
import { money, shortId, when } from "../format.ts";
import { describeStatus, furthest, STATUS_LABEL } from "../orderStatus.ts";
import { usePreloaded } from "../preload.ts";
import { Link } from "../router.tsx";
import { useApi, type Resource } from "../useApi.ts";
import { useOrderStatus } from "../useOrderStatus.ts";

/** Items and total; the API has them only once the order is in the database, and only for its owner. */
function OrderDetails({ id, order, stillPending }: { id: string; order: Resource<Order>; stillPending: boolean }) {
  if (order.data) {
    return (
      <>
        <table class="order-items">
          <caption class="visually-hidden">Items in order {shortId(id)}</caption>
          <thead><tr><th scope="col">Item</th><th scope="col">Qty</th><th scope="col">Price</th></tr></thead>
          <tbody>
            {order.data.items.map((item) => (
              <tr key={item.productId}>
                <td>{item.name}</td>
                <td>{item.quantity}</td>
                <td>{money(item.quantity * item.unitPriceCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot><tr><th scope="row" colSpan={2}>Total</th><td data-testid="order-total">{money(order.data.totalCents)}</td></tr></tfoot>
        </table>
        <p class="muted">For {order.data.customer.name} · {order.data.customer.email}</p>
        {order.data.shippingAddress && (
          <div class="shipping-to">
            <h3>Shipping to</h3>
            <AddressBlock address={order.data.shippingAddress} />
          </div>
        )}
      </>
    );
  }
  if (order.error?.status === 404) {
    return stillPending
      ? <p class="muted">Your items and total appear here as soon as the order is placed.</p>
      : <p class="muted">The items of this order are shown only in the browser that placed it.</p>;
  }
  if (order.error?.status === 403) {
    return (
      <p class="notice notice-error" role="alert">
        {order.error.reason === "link_expired"
          ? "This link from your mail has expired, so it no longer shows the order."
          : "This link does not open this order: it may have been changed on the way."}{" "}
        The browser you ordered with still shows it under My orders.
      </p>
    );
  }
  if (order.error) return <Failure error={order.error} onRetry={order.reload} />;
  return <p class="loading">Fetching your order…</p>;
}

/** The customer may cancel while the order's rules allow it; a pending order is not in the shop to cancel yet. */
const customerMayCancel = (status: OrderStatus) =>
  status !== "pending" && refusalOf({ status, items: [] }, { type: "CancelOrder", data: { by: "customer" } }) === undefined;

export function OrderPage({ id }: { id: string }) {
  const live = useOrderStatus(id);
  // Rendered on the server for whoever may read the order, the page starts from the order it was rendered with.
  const preloaded = usePreloaded();
  // A link from the order's mails carries a token that opens this order in any browser.
  const token = new URLSearchParams(preloaded?.search ?? location.search).get("token") ?? undefined;
  const order = useApi(api.orders[":id"], { param: { id: encodeURIComponent(id) }, query: token ? { token } : {} }, preloaded?.order);
  const status = furthest(live.latest?.status, order.data?.status);
  const reason = live.latest?.reason ?? order.data?.reason;
  // Whether the order's own answer has come once: a reload later keeps the page as it stands.
  const answered = useRef(false);
  if (order.data || order.error) answered.current = true;

  // The API answers 404 until the order is in the database, which is when it leaves "pending"; each
  // later status brings details only the order has (the carrier, the cancellation's reason).
  useEffect(() => {
    if (status !== "pending" && status !== order.data?.status) order.reload();
  }, [status]);

  // Said once, through the page's one live region: the status shown below is not a live region,
  // so a change is never read out by two at the same instant. The stream's first event is the
  // status the page opened with, not news.
  const announced = useRef<OrderStatus>(undefined);
  const latest = live.events.length > 1 ? live.latest : undefined;
  useEffect(() => {
    if (!latest || announced.current === latest.status) return;
    announced.current = latest.status;
    announce(`Order ${shortId(id)}: ${STATUS_LABEL[latest.status]}. ${describeStatus(latest.status, latest.reason)}`);
  }, [latest?.status]);

  // The stream refuses only ids that cannot be orders; any well-formed id is "pending" until stored.
  if (live.connection === "lost" && order.error?.status === 404 && !live.latest) {
    return (
      <Page title="Order not found" noindex>
        <div class="empty">
          <p>We can't find an order with this number. Please check the link, or look under My orders.</p>
          <Link href="/orders" class="button">My orders</Link>
        </div>
      </Page>
    );
  }

  // Until the order's own answer is in, its panels would grow as it arrives and push each other
  // about (a layout shift of 0.36 on a phone): they come whole, once it is.
  if (!answered.current) {
    return (
      <Page title={`Order ${shortId(id)}`} lead={"\u00a0"}>
        <p class="loading">Fetching your order…</p>
      </Page>
    );
  }

  return (
    // The line the date will take is kept from the start: filled in later, it would push the page down.
    // Only its owner (or a mailed link) sees an order: to anyone else the page is kept out of search engines.
    <Page title={`Order ${shortId(id)}`} lead={order.data ? `Ordered ${when(order.data.createdAt)}` : "\u00a0"} noindex={!order.data}>
      <div class="order-layout">
        <section class={`status-panel status-${status}`} aria-labelledby="status-title">
          <h2 id="status-title" tabIndex={-1}>Status</h2>
          <div class="status-now" data-status={status}>
            <p class="status-label">{STATUS_LABEL[status]}</p>
            <p class="status-sentence">{describeStatus(status, reason)}</p>
          </div>
          <StatusTimeline
            status={status} steps={[...live.events, ...(order.data?.timeline ?? [])]}
            shipment={order.data?.shipment} cancellation={order.data?.cancellation}
          />
          {order.data && customerMayCancel(status) && <CancelOrder id={id} token={token} onRefused={order.reload} />}
          {live.connection === "reconnecting" && (
            <p class="notice notice-quiet">Live updates paused: we're reconnecting to the shop…</p>
          )}
          {live.connection === "lost" && (
            <div class="notice notice-error" role="alert">
              <p>Live updates stopped.</p>
              <button type="button" class="button" onClick={live.restart}>Try again</button>
            </div>
          )}
        </section>

        <section class="order-details" aria-labelledby="details-title">
          <h2 id="details-title">Your order</h2>
          <OrderDetails id={id} order={order} stillPending={status === "pending"} />
          <p class="actions">
            <Link href="/" class="button">Continue shopping</Link>
            <Link href="/orders" class="secondary-link">All my orders</Link>
          </p>
        </section>
      </div>
    </Page>
  );
}
