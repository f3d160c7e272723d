import { api, type Order, type OrderStatus } from "../api.ts";
import { Failure } from "../components/Failure.tsx";
import { Page } from "../components/Page.tsx";
import { money, plural, shortId, when } from "../format.ts";
import { furthest, STATUS_LABEL } from "../orderStatus.ts";
import { placedOrders } from "../placedOrders.ts";
import { Link } from "../router.tsx";
import { useApi } from "../useApi.ts";
import { useOrderStatus } from "../useOrderStatus.ts";

/**
 * Placement settles within seconds, by itself; what follows waits on the shop, days apart. So a
 * listed order is followed live only until it is confirmed (or rejected), not held open for days,
 * each stream counting against the session's cap.
 */
const placementSettled = (status: OrderStatus) => status !== "pending" && status !== "placed";

/** An order's status as listed, kept current over the event stream until its placement is settled. */
function StatusBadge({ order }: { order: Order }) {
  const live = useOrderStatus(order.id, !placementSettled(order.status), placementSettled);
  const status = furthest(order.status, live.latest?.status);
  return <span class={`status-badge status-${status}`} data-status={status}>{STATUS_LABEL[status]}</span>;
}

export function OrdersPage() {
  const server = useApi(api.orders, { query: {} });
  // Orders this browser placed that the server has not stored yet come first: they are the newest.
  const orders = { ...server, data: server.data && [...placedOrders.notYetListed(server.data), ...server.data] };
  return (
    <Page title="My orders" lead="Orders placed from this browser, newest first.">
      {orders.error && <Failure error={orders.error} onRetry={orders.reload} />}
      {!orders.data && orders.loading && <p class="loading">Fetching your orders…</p>}
      {orders.data?.length === 0 && (
        <div class="empty">
          <p>No orders yet. Your orders will appear here once you've placed one.</p>
          <Link href="/" class="button">Browse coffee &amp; tea</Link>
        </div>
      )}
      {orders.data && orders.data.length > 0 && (
        <ul class="order-list" aria-label="Your orders">
          {orders.data.map((order) => (
            <li key={order.id} class="order-row" data-order-id={order.id}>
              <div>
                <Link href={`/orders/${order.id}`} class="order-link">Order {shortId(order.id)}</Link>
                <p class="muted">{when(order.createdAt)} · {plural(order.items.reduce((n, item) => n + item.quantity, 0), "item")}</p>
                <p class="order-items-brief">{order.items.map((item) => `${item.quantity} × ${item.name}`).join(", ")}</p>
              </div>
              <div class="order-row-end">
                <StatusBadge order={order} />
                <span class="price">{money(order.totalCents)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
