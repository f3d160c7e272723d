import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import nodemailer from "nodemailer";
import { composeMail, messageIdOf } from "../../src/notifications/mail.tsx";
import { messageOf, verdictOf } from "../../src/notifications/smtp.ts";
import { SmtpUnavailable } from "../../src/failure.ts";
import type { Order } from "../../src/orders/schemas.ts";

const FROM = "Shop <orders@shop.example>";
const base: Order = {
  id: "0b6f2c1e-7d1a-4c55-9b2e-3f0c2a9d8e71", status: "confirmed", customer: { name: "Ada", email: "ada@example.com" },
  timeline: [], items: [{ productId: "p1", name: "Assam tea", quantity: 2, unitPriceCents: 1250 }], totalCents: 2500, currency: "USD",
  createdAt: "2026-12-07T10:00:00.000Z", updatedAt: "2026-12-07T10:00:00.000Z",
};
const raw = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
/** The message nodemailer would send, as text: its header lines, then the body. */
async function rendered(order: Order, kind: Parameters<typeof composeMail>[0]["kind"] = "confirmed") {
  const info = await raw.sendMail(messageOf(composeMail({ kind, order, link: "https://shop.example/orders/x?token=t", from: FROM }), FROM));
  const text = (info.message as Buffer).toString("utf8");
  return { headers: text.slice(0, text.indexOf("\n\n")).split("\n"), envelope: info.envelope };
}

describe("order mails, composed", () => {
  test("whatever the customer's name, the cancel reason, the carrier or the tracking number hold, no header and no element comes of them (generated, fixed seed)", async () => {
    const typed = fc.string({ maxLength: 60, unit: fc.constantFrom(..."ab <>&\"'\r\n:;=/\\", "Bcc: x@evil.example", "<script>", "\u2028") });
    await fc.assert(fc.asyncProperty(typed, typed, typed, typed, async (name, reason, carrier, trackingNumber) => {
      const order: Order = { ...base, status: "shipped", customer: { name, email: "ada@example.com" }, cancellation: { by: "customer", reason }, shipment: { carrier, trackingNumber } };
      for (const kind of ["confirmed", "cancelled", "shipped"] as const) {
        const mail = composeMail({ kind, order, link: "https://shop.example/orders/x?token=t", from: FROM });
        expect(mail.subject).toMatch(/^Your order 0B6F2C1E (is confirmed|is cancelled|is on its way)$/);
        expect(mail.html).not.toMatch(/<(script|x|b)[\s>]/i);
        const { headers, envelope } = await rendered(order, kind);
        expect(headers.filter((h) => !/^\s/.test(h)).map((h) => h.slice(0, h.indexOf(":")))).toEqual(
          ["From", "To", "Subject", "Message-ID", "Date", "MIME-Version", "Content-Type"],
        );
        expect(headers).toContain("To: ada@example.com");
        expect(envelope).toEqual({ from: "orders@shop.example", to: ["ada@example.com"] });
      }
    }), { seed: 22, numRuns: 60 });
  });

  test("the Message-ID is the same for an order and kind, and differs between kinds and orders", () => {
    expect(messageIdOf(base.id, "confirmed", FROM)).toBe(messageIdOf(base.id, "confirmed", FROM));
    expect(messageIdOf(base.id, "confirmed", FROM)).toMatch(/^<[0-9a-f-]{36}@shop\.example>$/);
    expect(messageIdOf(base.id, "shipped", FROM)).not.toBe(messageIdOf(base.id, "confirmed", FROM));
    expect(messageIdOf(crypto.randomUUID(), "confirmed", FROM)).not.toBe(messageIdOf(base.id, "confirmed", FROM));
  });

  test("a 5xx is the mail's failure for good; a 4xx, 503, no answer or refused credentials wait; anything else is the chain's", () => {
    expect(verdictOf({ code: "EENVELOPE", responseCode: 550, permanent: true, response: "550 5.1.1 no such user" })).toEqual({ sent: false, error: "550 5.1.1 no such user" });
    for (const error of [
      { code: "EENVELOPE", responseCode: 451, permanent: false, response: "451 try later" },
      { code: "EENVELOPE", responseCode: 503, permanent: false, response: "503 bad sequence" },
      { code: "ECONNECTION", message: "connect ECONNREFUSED" },
      { code: "ETIMEDOUT", message: "timeout" },
      { code: "EAUTH", responseCode: 535, permanent: true, response: "535 bad credentials" },
    ]) expect(() => verdictOf(error)).toThrow(SmtpUnavailable);
    expect(() => verdictOf(new TypeError("a bug"))).toThrow(TypeError);
  });
});
