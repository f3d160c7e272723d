import { renderToStaticMarkup } from "preact-render-to-string";
import type { ComponentChildren } from "preact";
import { eventId } from "../orders/ids.ts";
import type { Order } from "../orders/schemas.ts";
import type { RejectionReason } from "../orders/status.ts";

/** The events that mail the customer, and the kind of mail each sends. */
export const MAIL_KINDS = { OrderConfirmed: "confirmed", OrderRejected: "rejected", OrderCancelled: "cancelled", OrderShipped: "shipped" } as const;
export type MailKind = (typeof MAIL_KINDS)[keyof typeof MAIL_KINDS];

/** What a mail says, in the storefront's words. */
const HEADLINE: Record<MailKind, string> = {
  confirmed: "is confirmed",
  rejected: "could not be placed",
  cancelled: "is cancelled",
  shipped: "is on its way",
};
const SENTENCE: Record<MailKind, string> = {
  confirmed: "Your order is confirmed. Thank you for shopping with us! We'll let you know when it ships.",
  rejected: "Sorry, we couldn't place your order.",
  cancelled: "This order is cancelled: nothing will be sent, and its items are back on our shelves.",
  shipped: "Your parcel is on its way.",
};
const REJECTION: Record<RejectionReason, string> = {
  out_of_stock: "One of your items sold out before we could set it aside. Nothing was reserved.",
  unknown_product: "One of your items is no longer in our catalog.",
  invalid_order: "Something in this order didn't add up (a quantity we can't fill, perhaps).",
};

export type OutgoingMail = { to: string; subject: string; text: string; html: string; messageId: string };

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const money = (cents: number) => dollars.format(cents / 100);
const shortId = (id: string) => id.slice(0, 8).toUpperCase();

/**
 * The same order's mail of a kind always has this id, so a receiving server can drop the copy sent
 * again after a crash between the SMTP server's answer and the notifications row.
 */
export const messageIdOf = (orderId: string, kind: MailKind, from: string) => {
  const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? "shop.localhost";
  return `<${eventId(orderId, `mail:${kind}`)}@${domain}>`;
};

/** The reason shown, if the mail's kind has one. */
function reasonOf(kind: MailKind, order: Order): string | undefined {
  if (kind === "rejected") return REJECTION[order.reason ?? "invalid_order"];
  if (kind === "cancelled") {
    const by = order.cancellation?.by === "admin" ? "by the shop" : "at your request";
    return order.cancellation?.reason ? `Cancelled ${by}: ${order.cancellation.reason}` : `Cancelled ${by}.`;
  }
  return undefined;
}

const palette = { ink: "#2b2118", muted: "#6b5d50", line: "#e6dbcf", bg: "#faf6f1", accent: "#9a4a1f" };
const cell = { padding: "6px 8px", borderBottom: `1px solid ${palette.line}`, textAlign: "left" } as const;

function Layout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="en">
      <head><meta charSet="utf-8" /><title>{title}</title></head>
      <body style={{ margin: 0, background: palette.bg, color: palette.ink, fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", lineHeight: 1.5 }}>
        <div style={{ maxWidth: "560px", margin: "0 auto", padding: "24px" }}>
          <p style={{ fontFamily: "Georgia, serif", fontSize: "20px", margin: "0 0 16px" }}>Shop</p>
          <div style={{ background: "#fff", border: `1px solid ${palette.line}`, borderRadius: "14px", padding: "20px" }}>{children}</div>
        </div>
      </body>
    </html>
  );
}

function Lines({ order }: { order: Order }) {
  return (
    <table style={{ width: "100%", borderCollapse: "collapse", margin: "12px 0" }}>
      <thead><tr><th style={cell}>Item</th><th style={cell}>Qty</th><th style={{ ...cell, textAlign: "right" }}>Price</th></tr></thead>
      <tbody>
        {order.items.map((item) => (
          <tr key={item.productId}>
            <td style={cell}>{item.name}</td>
            <td style={cell}>{item.quantity}</td>
            <td style={{ ...cell, textAlign: "right" }}>{money(item.quantity * item.unitPriceCents)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot><tr><th style={cell} colSpan={2}>Total</th><td style={{ ...cell, textAlign: "right", fontWeight: 700 }}>{money(order.totalCents)}</td></tr></tfoot>
    </table>
  );
}

function OrderMail({ kind, order, link, subject }: { kind: MailKind; order: Order; link: string; subject: string }) {
  const reason = reasonOf(kind, order);
  return (
    <Layout title={subject}>
      <h1 style={{ fontSize: "20px", margin: "0 0 8px" }}>Order {shortId(order.id)} {HEADLINE[kind]}</h1>
      <p>Hello {order.customer.name},</p>
      <p>{SENTENCE[kind]}</p>
      {reason && <p><strong>Why:</strong> {reason}</p>}
      {kind === "shipped" && order.shipment && (
        <p><strong>Carrier:</strong> {order.shipment.carrier}<br /><strong>Tracking number:</strong> {order.shipment.trackingNumber}</p>
      )}
      <p style={{ color: palette.muted }}>Status: {kind}</p>
      {order.items.length > 0 && <Lines order={order} />}
      <p><a href={link} style={{ color: palette.accent, fontWeight: 600 }}>See your order</a></p>
      <p style={{ color: palette.muted, fontSize: "13px" }}>This link opens this one order on any device. Keep it to yourself.</p>
    </Layout>
  );
}

function plainText(kind: MailKind, order: Order, link: string): string {
  const reason = reasonOf(kind, order);
  return [
    `Hello ${order.customer.name},`,
    "",
    SENTENCE[kind],
    ...(reason ? ["", `Why: ${reason}`] : []),
    ...(kind === "shipped" && order.shipment ? ["", `Carrier: ${order.shipment.carrier}`, `Tracking number: ${order.shipment.trackingNumber}`] : []),
    "",
    `Order ${shortId(order.id)}, status: ${kind}`,
    ...order.items.map((i) => `${i.quantity} x ${i.name}: ${money(i.quantity * i.unitPriceCents)}`),
    ...(order.items.length > 0 ? [`Total: ${money(order.totalCents)}`] : []),
    "",
    `See your order: ${link}`,
    "",
  ].join("\n");
}

/**
 * The customer's mail about an order: a subject of the shop's own words and the order's short id
 * (nothing a customer typed goes into a header), an HTML part rendered from the components above,
 * whose text Preact escapes, and the same in plain text.
 */
export function composeMail({ kind, order, link, from }: { kind: MailKind; order: Order; link: string; from: string }): OutgoingMail {
  const subject = `Your order ${shortId(order.id)} ${HEADLINE[kind]}`;
  return {
    to: order.customer.email,
    subject,
    text: plainText(kind, order, link),
    html: `<!doctype html>${renderToStaticMarkup(<OrderMail kind={kind} order={order} link={link} subject={subject} />)}`,
    messageId: messageIdOf(order.id, kind, from),
  };
}
