import { isTerminal, type Order, type OrderStatus } from "../api.ts";
import { stamp } from "../format.ts";
import { STATUS_LABEL } from "../orderStatus.ts";

type Step = { status: OrderStatus; at: string };
type Props = { status: OrderStatus; steps: readonly Step[]; shipment?: Order["shipment"]; cancellation?: Order["cancellation"] };

/** The steps an order in `status` goes through, those it skipped left out once it is cancelled. */
function path(status: OrderStatus, reached: ReadonlySet<OrderStatus>): OrderStatus[] {
  if (status === "rejected") return ["pending", "rejected"];
  if (status === "cancelled") return ["pending", "placed", ...(reached.has("confirmed") ? ["confirmed" as const] : []), "cancelled"];
  return ["pending", "placed", "confirmed", "shipped", "delivered"];
}

function detail(step: OrderStatus, { shipment, cancellation }: Props) {
  if (step === "shipped" && shipment) return `${shipment.carrier} · tracking number ${shipment.trackingNumber}`;
  if (step === "cancelled" && cancellation) {
    const by = cancellation.by === "customer" ? "By you" : "By the shop";
    return cancellation.reason ? `${by}: “${cancellation.reason}”` : by;
  }
  return undefined;
}

/**
 * Every step of the order's life, each with the time it happened: the stored timeline's, or, for a
 * step the stored order does not have yet, the time the events stream reported it.
 */
export function StatusTimeline(props: Props) {
  const { status, steps } = props;
  const seenAt = new Map(steps.map((step) => [step.status, step.at]));
  const shown = path(status, new Set(seenAt.keys()));
  const reached = shown.indexOf(status);
  const finished = isTerminal(status);
  return (
    <ol class="timeline" aria-label="Order progress">
      {shown.map((step, index) => {
        const state = index < reached || (index === reached && finished) ? "done" : index === reached ? "current" : "upcoming";
        const at = state === "upcoming" ? undefined : seenAt.get(step);
        const more = state === "upcoming" ? undefined : detail(step, props);
        return (
          <li key={step} class={`step step-${state} step-${step}`} aria-current={index === reached ? "step" : undefined} data-step={step}>
            <span class="step-dot" aria-hidden="true" />
            <span class="step-text">
              <span class="step-label">{STATUS_LABEL[step]}</span>
              {more && <span class="step-detail">{more}</span>}
            </span>
            {at && <time dateTime={at}>{stamp(at)}</time>}
            {state !== "current" && <span class="visually-hidden">{state === "done" ? "(done)" : "(to come)"}</span>}
          </li>
        );
      })}
    </ol>
  );
}
