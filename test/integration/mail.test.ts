import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { envelope } from "../../src/orders/envelope.ts";
import { createProduct, sql } from "../support/db.ts";
import { readStatusEvents, session, shippingAddress, type StatusEvent } from "../support/http.ts";
import { namespace } from "../../src/kafka/topics.ts";
import { deleteTopics, kafka, produce, stopProducing } from "../support/kafka.ts";
import { startMailpit, type Mailpit } from "../support/mailpit.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const SHOP_URL = "https://shop.example";
// Topics and groups of this file's own: the notifier reads only its events, and reading them all
// again (the last test) is quick whatever ran before in the run's namespace.
const { prefix, topics, groups } = namespace(`${process.env.KAFKA_TOPIC_PREFIX ?? ""}mail-${crypto.randomUUID().slice(0, 8)}.`);
let mailpit: Mailpit;
let shop: RunningShop;

// Mailpit takes mail for example.com only: any other recipient is refused with a 5xx.
const start = () => startShop({
  ADMIN_TOKEN, SMTP_URL: mailpit.smtpUrl, SMTP_FROM: "Shop <orders@shop.example>", SHOP_URL, KAFKA_TOPIC_PREFIX: prefix,
}, "mail");
beforeAll(async () => {
  mailpit = await startMailpit({ allowedRecipients: "@example\\.com$" });
  shop = await start();
}, 120_000);
afterAll(async () => {
  await stopProducing();
  expect(await shop?.stop()).toBe(0);
  await mailpit?.close();
  await deleteTopics(Object.values(topics));
}, 30_000);

const address = (tag: string) => `${tag}-${crypto.randomUUID().slice(0, 8)}@example.com`;
const post = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(body) });
const is = (status: string) => (e: StatusEvent) => e.status === status;

/** An order of two lines placed by a browser of its own, once it is settled. */
async function order(email: string, { name = "Ada Lovelace", stock = 10 } = {}) {
  const [tea, cups] = await Promise.all([createProduct({ stock, priceCents: 1250, name: "Assam tea" }), createProduct({ stock: 10, priceCents: 399, name: "Tea cup" })]);
  const browser = session(shop.url);
  const response = await browser.postOrder({ customer: { name, email }, shippingAddress, items: [{ productId: tea, quantity: 2 }, { productId: cups, quantity: 3 }] });
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as { id: string };
  const status = (await readStatusEvents(shop.url, id)).at(-1)!.status;
  return { id, status, browser };
}

/**
 * Commits the first offset of every partition of `topics` for the stopped group, as
 * kafka-consumer-groups.sh --reset-offsets --to-earliest does, and returns how many messages they
 * hold. One member joins for all the topics (kafkajs's admin.setOffsets joins once a topic, 5 s each).
 */
async function rewind(groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  const member = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await Promise.all([admin.connect(), member.connect()]);
  try {
    const first = (await Promise.all(topics.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, ...p }))))).flat();
    await member.subscribe({ topics, fromBeginning: true });
    const joined = new Promise((resolve) => member.on(member.events.GROUP_JOIN, resolve));
    // It reads nothing and commits nothing of its own: only the offsets below.
    await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => { member.pause(topics.map((topic) => ({ topic }))); } });
    await joined;
    await member.commitOffsets(first.map(({ topic, partition, low }) => ({ topic, partition, offset: low })));
    return first.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await Promise.all([admin.disconnect(), member.disconnect()]);
  }
}

/** The notifications row of an order's mail of `kind`, once recorded: just after the SMTP server's answer. */
async function recorded(orderId: string, kind = "confirmed") {
  for (const until = Date.now() + 30_000; ; await Bun.sleep(50)) {
    const [row] = await sql`SELECT status, message_id, recipient, error FROM notifications WHERE order_id = ${orderId} AND kind = ${kind}`;
    if (row) return row;
    if (Date.now() > until) throw new Error(`no ${kind} mail of order ${orderId} recorded within 30 s`);
  }
}

/** The mail to `email` whose subject matches, once it arrived. */
async function mailTo(email: string, subject: RegExp) {
  for (let count = 1; ; count++) {
    const found = (await mailpit.waitFor(email, count)).find((m) => subject.test(m.Subject));
    if (found) return mailpit.message(found.ID);
  }
}

describe("order mails", () => {
  test("confirmed: the lines, quantities, prices and total in HTML and plain text, a deterministic Message-ID and a link with a token", async () => {
    const email = address("confirmed");
    const { id, status } = await order(email);
    expect(status).toBe("confirmed");
    const mail = await mailTo(email, new RegExp(`^Your order ${id.slice(0, 8).toUpperCase()} is confirmed$`));
    expect(mail.From.Address).toBe("orders@shop.example");
    expect(mail.To.map((t) => t.Address)).toEqual([email]);
    for (const part of [mail.Text, mail.HTML]) {
      expect(part).toContain("Assam tea");
      expect(part).toContain("$25.00");
      expect(part).toContain("Tea cup");
      expect(part).toContain("$11.97");
      expect(part).toContain("$36.97");
    }
    expect(mail.Text).toContain("2 x Assam tea: $25.00");
    expect(mail.Text).toContain("Total: $36.97");
    expect(mail.Text).toMatch(new RegExp(`See your order: ${SHOP_URL}/orders/${id}\\?token=[\\w-]{30}\\.[\\w-]{22}\\r?\\n`));
    expect(mail.MessageID).toMatch(/^[0-9a-f-]{36}@shop\.example$/);
    expect(await recorded(id)).toEqual({ status: "sent", message_id: `<${mail.MessageID}>`, recipient: email, error: null });
  }, 60_000);

  test("the mail's link opens that one order in another browser, to read and to cancel; nothing else", async () => {
    const email = address("link");
    const [{ id }, { id: otherId }] = await Promise.all([order(email), order(address("other-order"))]);
    const mail = await mailTo(email, /is confirmed$/);
    const link = new URL(/See your order: (\S+)/.exec(mail.Text)![1]!);
    const token = link.searchParams.get("token")!;
    const phone = session(shop.url);
    expect((await phone.request(`/api/orders/${id}`)).status).toBe(404);
    const seen = await phone.request(`/api/orders/${id}?token=${token}`);
    expect(seen.status).toBe(200);
    expect(await seen.json()).toMatchObject({ id, status: "confirmed", totalCents: 3697, customer: { email } });
    const elsewhere = await phone.request(`/api/orders/${otherId}?token=${token}`);
    expect({ status: elsewhere.status, body: await elsewhere.json() }).toMatchObject({ status: 403, body: { error: { code: "forbidden", reason: "link_invalid" } } });
    // Its own orders only: the token opens no list.
    expect(await (await phone.request(`/api/orders?token=${token}`)).json()).toEqual([]);
    const cancelling = readStatusEvents(shop.url, id, 30_000, is("cancelled"));
    expect((await phone.request(`/api/orders/${id}/cancel?token=${token}`, { method: "POST" })).status).toBe(202);
    await cancelling;
    expect((await phone.request(`/api/orders/${otherId}/cancel?token=${token}`, { method: "POST" })).status).toBe(403);
  }, 60_000);

  test("rejected says why; cancelled says why; shipped names the carrier and tracking number", async () => {
    const rejectedTo = address("rejected");
    const rejected = await order(rejectedTo, { stock: 1 });
    expect(rejected.status).toBe("rejected");

    const lifeTo = address("life");
    const shipped = await order(lifeTo);
    const cancelledTo = address("cancelled");
    const cancelled = await order(cancelledTo);
    const shipping = readStatusEvents(shop.url, shipped.id, 30_000, is("shipped"));
    expect((await fetch(`${shop.url}/api/admin/orders/${shipped.id}/ship`, post({ carrier: "Royal Mail", trackingNumber: "RM123456789GB" }))).status).toBe(202);
    await shipping;
    const cancelling = readStatusEvents(shop.url, cancelled.id, 30_000, is("cancelled"));
    expect((await cancelled.browser.request(`/api/orders/${cancelled.id}/cancel`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ reason: "ordered the wrong tea" }) })).status).toBe(202);
    await cancelling;

    const refused = await mailTo(rejectedTo, /could not be placed$/);
    expect(refused.Text).toContain("sold out");
    const gone = await mailTo(cancelledTo, /is cancelled$/);
    expect((await mailpit.search(`to:"${cancelledTo}"`)).map((m) => m.Subject.split(" ").slice(3).join(" ")).sort()).toEqual(["is cancelled", "is confirmed"]);
    expect(gone.Text).toContain("Cancelled at your request: ordered the wrong tea");
    const parcel = await mailTo(lifeTo, /is on its way$/);
    for (const part of [parcel.Text, parcel.HTML]) {
      expect(part).toContain("Royal Mail");
      expect(part).toContain("RM123456789GB");
    }
  }, 90_000);

  test("a recipient the server refuses with a 5xx is recorded failed, once; the others are sent", async () => {
    const refusedTo = `ada-${crypto.randomUUID().slice(0, 8)}@refused.example`;
    const refused = await order(refusedTo);
    const fine = address("after-refused");
    await order(fine);
    await mailpit.waitFor(fine);
    expect(await recorded(refused.id)).toMatchObject({ status: "failed", error: expect.stringMatching(/^5\d\d /) });
    expect((await sql`SELECT count(*)::int AS n FROM notifications WHERE order_id = ${refused.id}`)[0]!.n).toBe(1);
    expect(await mailpit.search(`to:"${refusedTo}"`)).toEqual([]);
  }, 60_000);

  test("nothing a customer typed reaches a header or the HTML as markup; a command's address list is refused", async () => {
    const email = address("markup");
    const name = `Eve <img src=x onerror=alert(1)> "Bcc: x@example.com" & co`;
    const { id } = await order(email, { name });
    const mail = await mailTo(email, /is confirmed$/);
    expect(mail.HTML).not.toContain("<img src=x");
    expect(mail.HTML).toContain("Hello Eve &lt;img src=x onerror=alert(1)> &quot;Bcc: x@example.com&quot; &amp; co,");
    expect(mail.Text).toContain(`Hello ${name},`);
    const headers = await mailpit.headers(mail.ID);
    expect(headers.Bcc).toBeUndefined();
    expect(headers.To).toEqual([email]);
    expect(mail.Subject).not.toContain("Eve");

    // An API refuses a line break in a name (400); a producer writing commands itself can still
    // send two addresses as one: no server is asked, and neither address gets mail.
    const [victim, other] = [address("victim"), address("other")];
    const productId = await createProduct({ stock: 5 });
    const orderId = crypto.randomUUID();
    await produce(topics.commands, [{
      key: orderId,
      value: JSON.stringify(envelope("PlaceOrder", orderId, { customer: { name: "Mallory", email: `${victim}, ${other}` }, items: [{ productId, quantity: 1 }] })),
      headers: { type: "PlaceOrder" },
    }]);
    // Rejected as invalid_order, too, for its address: its mail is the rejection's.
    expect(await recorded(orderId, "rejected")).toMatchObject({ status: "failed", error: "not one valid email address: no server was asked" });
    expect(await mailpit.search(`to:"${victim}"`)).toEqual([]);
    expect(await mailpit.search(`to:"${other}"`)).toEqual([]);
    expect(id).toBeString();
  }, 60_000);

  test("the notifier's offsets reset to the start: every event is read again, and still one mail per order and kind", async () => {
    const email = address("again");
    await order(email);
    await mailpit.waitFor(email);
    expect(await shop.stop()).toBe(0);
    // Counted once the shop has stopped: a mail is recorded just after Mailpit shows it.
    const before = await mailpit.total();
    const sent = (await sql`SELECT count(*)::int AS n FROM notifications`)[0]!.n as number;
    const events = await rewind(groups.notifier, [topics.confirmed, topics.rejected, topics.cancelled, topics.shipped]);
    shop = await start();
    // The notifier has read everything again once its lag is 0.
    for (const until = Date.now() + 60_000; ; await Bun.sleep(250)) {
      const metrics = await (await fetch(`${shop.url}/metrics`)).text();
      const lag = [...metrics.matchAll(new RegExp(`^shop_consumer_lag_messages\\{group="${groups.notifier}",[^}]*\\} (\\d+)$`, "gm"))];
      if (lag.length > 0 && lag.every((m) => m[1] === "0")) break;
      if (Date.now() > until) throw new Error("the notifier did not read its topics again within 60 s");
    }
    // Every event of this file's was handled again, and sent nothing.
    expect(events).toBeGreaterThan(0);
    const handled = /^shop_consumer_attempts_total\{group="[^"]+shop-notifier",outcome="ok"\} (\d+)$/m.exec(await (await fetch(`${shop.url}/metrics`)).text());
    expect(Number(handled?.[1])).toBeGreaterThan(0);
    expect(await mailpit.total()).toBe(before);
    expect((await sql`SELECT count(*)::int AS n FROM notifications`)[0]!.n).toBe(sent);
  }, 120_000);
});
