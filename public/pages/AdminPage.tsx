import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../api.ts";
import { adminToken, type Overview } from "../adminApi.ts";
import { AdminOrders } from "../components/AdminOrders.tsx";
import { CatalogAdmin } from "../components/CatalogAdmin.tsx";
import { DeadLetterTable } from "../components/DeadLetterTable.tsx";
import { LagTable } from "../components/LagTable.tsx";
import { MailCounts } from "../components/MailCounts.tsx";
import { OrderCounts } from "../components/OrderCounts.tsx";
import { OrdersChart } from "../components/OrdersChart.tsx";
import { Page } from "../components/Page.tsx";
import { StalledConsumers } from "../components/StalledConsumers.tsx";
import { TokenForm } from "../components/TokenForm.tsx";
import { clock, figure } from "../format.ts";
import { usePolling } from "../usePolling.ts";

const DEAD_LETTERS_SHOWN = 50;

/** Said once, quietly, instead of an alert every two seconds while a backing service is down. */
function Stale({ error, at }: { error?: ApiError; at?: Date }) {
  if (!error) return null;
  return (
    <p class="notice notice-quiet">
      Can't refresh right now ({error.message}). {at ? `Showing what was true at ${clock(at.toISOString())}; ` : ""}trying again every 2 seconds.
    </p>
  );
}

/** The figures PostgreSQL gives, or why there are none: the consumers' panel says what is stuck. */
function StoredFigures({ overview: { ordersByStatus, rejectedByReason, deadLetters, ordersPerSecond } }: { overview: Overview }) {
  if (!ordersByStatus || !rejectedByReason || !deadLetters || !ordersPerSecond) {
    return <p class="notice notice-quiet">PostgreSQL did not answer in time: the order counts are unknown for now.</p>;
  }
  return (
    <>
      <OrderCounts counts={{ ordersByStatus, rejectedByReason, deadLetters }} />
      <OrdersChart rate={ordersPerSecond} />
    </>
  );
}

/**
 * Polls every 2 s rather than streaming: the figures are aggregates over PostgreSQL and Kafka with
 * no change feed to follow, one request answers each, and a hidden tab stops asking.
 */
function Dashboard({ token, onDenied, onSignOut }: { token: string; onDenied: () => void; onSignOut: () => void }) {
  const overview = usePolling(token, (admin) => admin.overview, {});
  const letters = usePolling(token, (admin) => admin["dead-letters"], { query: { limit: String(DEAD_LETTERS_SHOWN) } });

  useEffect(() => {
    if (overview.error?.status === 401 || letters.error?.status === 401) onDenied();
  }, [overview.error, letters.error]);

  return (
    <>
      <p class="admin-toolbar">
        <span class="muted">{overview.at ? `Live · updated ${clock(overview.at.toISOString())}` : "Loading…"}</span>
        <button type="button" class="link-button" onClick={onSignOut}>Forget the token</button>
      </p>
      <div class="admin-grid">
        <section class="panel" aria-labelledby="orders-title">
          <h2 id="orders-title">Orders</h2>
          <Stale error={overview.error} at={overview.at} />
          {overview.data ? <StoredFigures overview={overview.data} /> : !overview.error && <p class="loading">Counting orders…</p>}
        </section>

        <section class="panel" aria-labelledby="lag-title">
          <h2 id="lag-title">Consumers</h2>
          {overview.data && <StalledConsumers stalled={overview.data.stalledConsumers} />}
          {overview.data && <LagTable lag={overview.data.consumerLag} />}
        </section>

        <section class="panel" aria-labelledby="mail-title">
          <h2 id="mail-title">Customer mail</h2>
          {overview.data && <MailCounts mails={overview.data.mails} />}
        </section>

        <section class="panel panel-wide" aria-labelledby="order-desk-title">
          <h2 id="order-desk-title">Find, ship and cancel orders</h2>
          <AdminOrders token={token} onDenied={onDenied} />
        </section>

        <section class="panel panel-wide" aria-labelledby="catalog-title">
          <h2 id="catalog-title">Catalog and stock</h2>
          <CatalogAdmin token={token} onDenied={onDenied} />
        </section>

        <section class="panel panel-wide" aria-labelledby="dead-letters-title">
          <h2 id="dead-letters-title">Dead letters</h2>
          <p class="muted">
            Messages that could not be processed, newest first
            {overview.data?.deadLetters && overview.data.deadLetters.total > DEAD_LETTERS_SHOWN ? ` (the ${DEAD_LETTERS_SHOWN} newest of ${figure(overview.data.deadLetters.total)})` : ""}.
            Fix the cause, then replay: the message goes back to its topic unchanged.
          </p>
          <Stale error={letters.error} at={letters.at} />
          {letters.data
            ? <DeadLetterTable letters={letters.data} token={token} onReplayed={letters.refresh} onDenied={onDenied} />
            : !letters.error && <p class="loading">Fetching dead letters…</p>}
        </section>
      </div>
    </>
  );
}

/** /admin: the shop's operations at a glance, behind the admin token. */
export function AdminPage() {
  const [token, setToken] = useState(adminToken.read);
  const [denied, setDenied] = useState(false);

  const signIn = (entered: string) => {
    adminToken.save(entered);
    setDenied(false);
    setToken(entered);
  };
  const signOut = (refused: boolean) => {
    adminToken.forget();
    setDenied(refused);
    setToken(null);
  };

  return (
    <Page title="Operations" lead="Orders, consumers, shipping, the catalog and its stock, and dead letters, live.">
      {token
        ? <Dashboard key={token} token={token} onDenied={() => signOut(true)} onSignOut={() => signOut(false)} />
        : <TokenForm denied={denied} onToken={signIn} />}
    </Page>
  );
}
