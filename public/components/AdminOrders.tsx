import { useEffect, useRef, useState } from "preact/hooks";
import type { OrderStatus } from "../api.ts";
import { money, shortId, when } from "../format.ts";
import { STATUS_LABEL } from "../orderStatus.ts";
import { usePolling } from "../usePolling.ts";
import { OrderDetail } from "./OrderDetail.tsx";
import { Pager } from "./Pager.tsx";

const PAGE_SIZE = 10;
type Stored = Exclude<OrderStatus, "pending">;
/** The statuses an order can be stored with, in the order they come. */
const STORED: Stored[] = ["placed", "confirmed", "shipped", "delivered", "cancelled", "rejected"];

type Search = { q: string; status: Stored | "" };
type Query = { q?: string; status?: Stored; cursor?: string; limit: string };

type ResultsProps = {
  token: string; query: Query; searching: boolean; pages: number;
  onOpen: (id: string) => void; onPage: (cursor: string | null) => void; onDenied: () => void;
};

/**
 * One page of orders, kept current. Mounted afresh for each search and page, so the orders of the
 * last one never stand in for those of the next while it loads.
 */
function OrderResults({ token, query, searching, pages, onOpen, onPage, onDenied }: ResultsProps) {
  const found = usePolling(token, (admin) => admin.orders, { query });
  useEffect(() => { if (found.error?.status === 401) onDenied(); }, [found.error]);
  const orders = found.data?.items;
  const nextCursor = found.data?.nextCursor;
  return (
    <>
      {found.error && found.error.status !== 401 && <p class="notice notice-quiet">Can't search right now ({found.error.message}); trying again every 2 seconds.</p>}
      {!orders && !found.error && <p class="loading">Finding orders…</p>}
      {orders?.length === 0 && <p class="muted">No orders {searching ? "match this search" : "yet"}.</p>}
      {orders && orders.length > 0 && (
        <ul class="admin-orders" aria-label="Orders found, newest first">
          {orders.map((order) => (
            <li key={order.id} class="admin-order" data-order-id={order.id}>
              <button type="button" class="link-button order-open" data-open-order={order.id} onClick={() => onOpen(order.id)}>Order {shortId(order.id)}</button>
              <span class={`status-badge status-${order.status}`} data-status={order.status}>{STATUS_LABEL[order.status]}</span>
              <span class="admin-order-who">{order.customer.name} · {order.customer.email}</span>
              <span class="muted">{when(order.createdAt)} · {money(order.totalCents)}</span>
            </li>
          ))}
        </ul>
      )}
      <Pager label="Pages of orders" page={pages} hasNext={Boolean(nextCursor)} back="Newer orders" forward="Older orders"
        onBack={() => onPage(null)} onForward={() => nextCursor && onPage(nextCursor)} />
    </>
  );
}

/**
 * The operations page's orders: found by order number, email or name, filtered by status, newest
 * first, a page at a time (each page after the first by the cursor the one before gave, so
 * orders arriving meanwhile neither repeat nor hide one). Choosing one opens its detail in place
 * of the list, which is what fits a phone.
 */
export function AdminOrders({ token, onDenied }: { token: string; onDenied: () => void }) {
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState<Search>({ q: "", status: "" });
  const [cursors, setCursors] = useState<string[]>([]);
  const [open, setOpen] = useState<string>();
  const lastOpened = useRef<string>(undefined);

  // Back from an order's detail, the focus returns to the order it came from.
  useEffect(() => {
    if (!open && lastOpened.current) document.querySelector<HTMLElement>(`[data-open-order="${lastOpened.current}"]`)?.focus();
  }, [open]);

  const searchFor = (next: Search) => {
    setSearch(next);
    setCursors([]);
  };

  const cursor = cursors.at(-1);
  const query: Query = { ...(search.q ? { q: search.q } : {}), ...(search.status ? { status: search.status } : {}), ...(cursor ? { cursor } : {}), limit: String(PAGE_SIZE) };
  return (
    <>
      {open && <OrderDetail token={token} id={open} onDenied={onDenied} onBack={() => { lastOpened.current = open; setOpen(undefined); }} />}
      {/* Hidden, not gone, while an order is open: back from it, the list and the focus are where they were. */}
      <div hidden={Boolean(open)}>
        <form role="search" class="order-search" aria-label="Orders" onSubmit={(e) => { e.preventDefault(); searchFor({ ...search, q: typed.trim() }); }}>
          <div class="field">
            <label for="order-q">Search orders</label>
            <input id="order-q" type="search" value={typed} maxLength={200} aria-describedby="order-q-hint" spellcheck={false}
              onInput={(e) => setTyped(e.currentTarget.value)} />
            <p class="field-hint" id="order-q-hint">An order number, or the start of an email or a name</p>
          </div>
          <div class="field">
            <label for="order-status">Status</label>
            <select id="order-status" value={search.status} onChange={(e) => searchFor({ ...search, status: e.currentTarget.value as Search["status"] })}>
              <option value="">Any status</option>
              {STORED.map((status) => <option key={status} value={status}>{STATUS_LABEL[status]}</option>)}
            </select>
          </div>
          <button type="submit" class="button">Search</button>
        </form>
        <OrderResults
          key={JSON.stringify(query)} token={token} query={query} searching={Boolean(search.q || search.status)} pages={cursors.length + 1}
          onOpen={setOpen} onPage={(next) => setCursors((c) => (next ? [...c, next] : c.slice(0, -1)))} onDenied={onDenied}
        />
      </div>
    </>
  );
}
