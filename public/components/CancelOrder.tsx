import { useEffect, useRef, useState } from "preact/hooks";
import * as v from "valibot";
import { CancelReason } from "../../src/orders/schemas.ts";
import { answer, api, ApiError } from "../api.ts";
import { FormField } from "./FormField.tsx";

type Stage = "asking" | "confirming" | "sending" | "sent";

/** `token`: the mailed link's, when the page was opened from a mail. */
type Props = { id: string; token?: string; onRefused: () => void };

/**
 * Cancel, for the customer while the order may still be cancelled: one click asks, a second
 * confirms, with a reason if they like. Once the shop took the request the status follows on the
 * order's events; a 409 means the order moved on meanwhile (shipped, say), and the page reloads it.
 */
export function CancelOrder({ id, token, onRefused }: Props) {
  const [stage, setStage] = useState<Stage>("asking");
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string>();
  const [failure, setFailure] = useState<ApiError>();
  const [refused, setRefused] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const question = useRef<HTMLHeadingElement>(null);
  const wasConfirming = useRef(false);

  useEffect(() => {
    if (stage === "confirming") question.current?.focus();
    else if (stage === "asking" && wasConfirming.current) opener.current?.focus();
    wasConfirming.current = stage === "confirming";
  }, [stage]);

  async function send(event: Event) {
    event.preventDefault();
    if (stage === "sending") return;
    const checked = v.safeParse(CancelReason, reason);
    if (!checked.success) return setReasonError("Please keep the reason to 200 characters or fewer, in plain text.");
    setStage("sending");
    setFailure(undefined);
    try {
      await answer(api.orders[":id"].cancel.$post({ param: { id }, query: token ? { token } : {}, json: checked.output ? { reason: checked.output } : {} }));
      setStage("sent");
    } catch (error) {
      const failed = error instanceof ApiError ? error : new ApiError(0, "offline", String(error));
      if (failed.status === 409) {
        setRefused(true);
        setStage("asking");
        onRefused();
      } else {
        setFailure(failed);
        setStage("confirming");
      }
    }
  }

  if (refused) {
    return <p class="notice notice-error" role="alert">This order can no longer be cancelled: it has moved on in the meantime. Its status above is up to date.</p>;
  }
  if (stage === "sent") return <p class="muted cancel-sent">Cancelling your order…</p>;
  if (stage === "asking") {
    return (
      <p class="actions">
        <button type="button" ref={opener} class="button button-quiet" onClick={() => setStage("confirming")}>Cancel order</button>
      </p>
    );
  }
  return (
    <form class="cancel-confirm" aria-labelledby="cancel-question" noValidate onSubmit={send}>
      <h3 id="cancel-question" ref={question} tabIndex={-1}>Cancel this order?</h3>
      <p>Nothing will be sent, and its items go back on our shelves. This can't be undone.</p>
      <FormField id="cancel-reason" label="Why are you cancelling? (optional)" error={reasonError}>
        {(described) => (
          <input
            id="cancel-reason" type="text" value={reason} {...described}
            onInput={(e) => { setReason(e.currentTarget.value); setReasonError(undefined); }}
          />
        )}
      </FormField>
      {failure && (
        <p class="notice notice-error" role="alert">
          Your order was not cancelled: {failure.code === "offline" ? "we couldn't reach the shop" : failure.code === "unavailable" ? "part of our system is briefly unavailable" : failure.message}. Please try again.
        </p>
      )}
      <div class="form-actions">
        <button type="submit" class="button button-danger" aria-disabled={stage === "sending"}>
          {stage === "sending" ? "Cancelling…" : "Yes, cancel the order"}
        </button>
        <button type="button" class="button button-quiet" onClick={() => setStage("asking")}>Keep my order</button>
      </div>
    </form>
  );
}
