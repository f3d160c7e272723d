import type { Overview } from "../adminApi.ts";
import { figure } from "../format.ts";

const REASONS = [["out_of_stock", "out of stock"], ["unknown_product", "unknown product"], ["invalid_order", "invalid order"]] as const;

type Counts = { [K in "ordersByStatus" | "rejectedByReason" | "deadLetters"]: NonNullable<Overview[K]> };

/** Stored orders by status; pending ones are still in Kafka, which the lag below counts. */
export function OrderCounts({ counts }: { counts: Counts }) {
  const { ordersByStatus: by, rejectedByReason: why, deadLetters } = counts;
  const reasons = REASONS.filter(([reason]) => why[reason] > 0).map(([reason, label]) => `${figure(why[reason])} ${label}`);
  return (
    <dl class="stats">
      <div class="stat" data-stat="placed"><dt>Placed</dt><dd>{figure(by.placed)}</dd></div>
      <div class="stat stat-ok" data-stat="confirmed"><dt>Confirmed</dt><dd>{figure(by.confirmed)}</dd></div>
      <div class="stat stat-ok" data-stat="shipped"><dt>Shipped</dt><dd>{figure(by.shipped)}</dd></div>
      <div class="stat stat-ok" data-stat="delivered"><dt>Delivered</dt><dd>{figure(by.delivered)}</dd></div>
      <div class="stat" data-stat="cancelled"><dt>Cancelled</dt><dd>{figure(by.cancelled)}</dd></div>
      <div class="stat stat-bad" data-stat="rejected">
        <dt>Rejected</dt><dd>{figure(by.rejected)}</dd>
        {reasons.length > 0 && <dd class="stat-note">{reasons.join(", ")}</dd>}
      </div>
      <div class={deadLetters.waiting > 0 ? "stat stat-warn" : "stat"} data-stat="dead-letters">
        <dt>Dead letters waiting</dt><dd>{figure(deadLetters.waiting)}</dd>
        <dd class="stat-note">{figure(deadLetters.total)} in all</dd>
      </div>
    </dl>
  );
}
