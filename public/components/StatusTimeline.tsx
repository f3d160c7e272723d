import { isTerminal, type OrderStatus, type StatusEvent } from "../api.ts";
import { clock } from "../format.ts";
import { STATUS_LABEL } from "../orderStatus.ts";

/** pending → placed → confirmed, or pending → rejected; each step with the time it was seen, when known. */
export function StatusTimeline({ status, events }: { status: OrderStatus; events: readonly StatusEvent[] }) {
  const steps: OrderStatus[] = status === "rejected" ? ["pending", "rejected"] : ["pending", "placed", "confirmed"];
  const reached = steps.indexOf(status);
  const finished = isTerminal(status);
  const seenAt = new Map(events.map((event) => [event.status, event.at]));
  return (
    <ol class="timeline" aria-label="Order progress">
      {steps.map((step, index) => {
        const state = index < reached || (index === reached && finished) ? "done" : index === reached ? "current" : "upcoming";
        const at = seenAt.get(step);
        return (
          <li key={step} class={`step step-${state} step-${step}`} aria-current={index === reached ? "step" : undefined}>
            <span class="step-dot" aria-hidden="true" />
            <span class="step-label">{STATUS_LABEL[step]}</span>
            {at && <time dateTime={at}>{clock(at)}</time>}
            {state !== "current" && <span class="visually-hidden">{state === "done" ? "(done)" : "(to come)"}</span>}
          </li>
        );
      })}
    </ol>
  );
}
