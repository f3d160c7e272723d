import { useEffect, useRef, useState } from "preact/hooks";
import * as v from "valibot";
import { refusalOf, type LifecycleCommand } from "../../src/orders/lifecycle.ts";
import { CancelReason, ShipRequest } from "../../src/orders/schemas.ts";
import type { AdminApi } from "../adminApi.ts";
import { answer, type ApiError, type OrderStatus } from "../api.ts";
import { Field } from "./Field.tsx";
import { FormField } from "./FormField.tsx";

/** Sends one command; answers the failure, if any (the order is refreshed either way). */
export type Send = (label: string, request: (admin: AdminApi) => Promise<unknown>) => Promise<ApiError | undefined>;

/** Whether the admin may send `command` to an order in `status`, by the order's own rules. */
const mayAdmin = (status: OrderStatus, command: LifecycleCommand) =>
  status !== "pending" && refusalOf({ status, items: [] }, command) === undefined;

const NOT_DONE: Record<string, string> = { Ship: "Not shipped", Deliver: "Not delivered", Cancel: "Not cancelled" };

type Shipment = { carrier: string; trackingNumber: string };

function shipmentErrors(shipment: Shipment) {
  const errors: Partial<Record<keyof Shipment, string>> = {};
  for (const [field, label] of [["carrier", "the carrier"], ["trackingNumber", "the tracking number"]] as const) {
    const issue = v.safeParse(ShipRequest.entries[field], shipment[field]).issues?.[0];
    if (issue?.type === "min_length") errors[field] = `Please enter ${label}.`;
    else if (issue) errors[field] = `Please check ${label}: it ${issue.message.startsWith(`${field} `) ? issue.message.slice(field.length + 1) : issue.message}.`;
  }
  return errors;
}

/**
 * What may be done next with an order, and only that, as its rules say: ship (with carrier and
 * tracking number) a confirmed one, deliver a shipped one, cancel one not shipped yet, after
 * confirming. A refusal (the order moved on meanwhile: a customer cancelled, another tab shipped)
 * is said next to the buttons, in the API's words.
 */
export function OrderActions({ id, status, send }: { id: string; status: OrderStatus; send: Send }) {
  const [shipment, setShipment] = useState<Shipment>({ carrier: "", trackingNumber: "" });
  const [checked, setChecked] = useState(false);
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const question = useRef<HTMLHeadingElement>(null);

  useEffect(() => { if (confirmingCancel) question.current?.focus(); }, [confirmingCancel]);

  const param = { id };
  const canShip = mayAdmin(status, { type: "ShipOrder", data: { carrier: "", trackingNumber: "" } });
  const canDeliver = mayAdmin(status, { type: "DeliverOrder", data: {} });
  const canCancel = mayAdmin(status, { type: "CancelOrder", data: { by: "admin" } });
  const errors = checked ? shipmentErrors(shipment) : {};

  const run = async (label: string, request: (admin: AdminApi) => Promise<unknown>) => {
    if (busy) return false;
    setBusy(true);
    setFailure(undefined);
    const failed = await send(label, request);
    setBusy(false);
    if (failed) setFailure(`${NOT_DONE[label]}: ${failed.message}.`);
    return !failed;
  };

  const ship = async (event: Event) => {
    event.preventDefault();
    setChecked(true);
    const found = shipmentErrors(shipment);
    if (found.carrier || found.trackingNumber) return document.getElementById(found.carrier ? "ship-carrier" : "ship-tracking")?.focus();
    const json = { carrier: shipment.carrier.trim(), trackingNumber: shipment.trackingNumber.trim() };
    await run("Ship", (admin) => answer(admin.orders[":id"].ship.$post({ param, json })));
  };
  const cancel = async (event: Event) => {
    event.preventDefault();
    const why = v.safeParse(CancelReason, reason);
    if (!why.success) return setFailure("Not cancelled: please keep the reason to 200 characters or fewer, in plain text.");
    if (await run("Cancel", (admin) => answer(admin.orders[":id"].cancel.$post({ param, json: why.output ? { reason: why.output } : {} })))) setConfirmingCancel(false);
  };

  if (!canShip && !canDeliver && !canCancel) {
    return (
      <div class="order-actions">
        {failure && <p class="notice notice-error" role="alert">{failure}</p>}
        <p class="muted">Nothing more to do with this order.</p>
      </div>
    );
  }
  return (
    <div class="order-actions">
      {failure && <p class="notice notice-error" role="alert">{failure}</p>}
      {status === "placed" && <p class="muted">It can be shipped once it is confirmed, in a moment.</p>}
      {canShip && (
        <form class="catalog-form" aria-labelledby="ship-title" noValidate onSubmit={ship}>
          <h5 id="ship-title">Ship</h5>
          <Field id="ship-carrier" label="Carrier" autocomplete="off" value={shipment.carrier} error={errors.carrier}
            onValue={(carrier) => setShipment((s) => ({ ...s, carrier }))} />
          <Field id="ship-tracking" label="Tracking number" autocomplete="off" value={shipment.trackingNumber} error={errors.trackingNumber}
            onValue={(trackingNumber) => setShipment((s) => ({ ...s, trackingNumber }))} />
          <div class="form-actions"><button type="submit" class="button" aria-disabled={busy}>Mark as shipped</button></div>
        </form>
      )}
      {canDeliver && (
        <p class="form-actions">
          <button type="button" class="button" aria-disabled={busy} onClick={() => run("Deliver", (admin) => answer(admin.orders[":id"].deliver.$post({ param })))}>
            Mark as delivered
          </button>
        </p>
      )}
      {canCancel && !confirmingCancel && (
        <p class="form-actions">
          <button type="button" class="button button-quiet" onClick={() => setConfirmingCancel(true)}>Cancel order</button>
        </p>
      )}
      {canCancel && confirmingCancel && (
        <form class="cancel-confirm" aria-labelledby="admin-cancel-title" noValidate onSubmit={cancel}>
          <h5 id="admin-cancel-title" ref={question} tabIndex={-1}>Cancel this order?</h5>
          <p>Its units go back to stock and the customer sees it cancelled by the shop. This can't be undone.</p>
          <FormField id="admin-cancel-reason" label="Reason, shown to the customer (optional)">
            {(described) => <input id="admin-cancel-reason" type="text" value={reason} {...described} onInput={(e) => setReason(e.currentTarget.value)} />}
          </FormField>
          <div class="form-actions">
            <button type="submit" class="button button-danger" aria-disabled={busy}>Yes, cancel it</button>
            <button type="button" class="button button-quiet" onClick={() => setConfirmingCancel(false)}>Keep it</button>
          </div>
        </form>
      )}
    </div>
  );
}
