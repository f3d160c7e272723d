import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import fc from "fast-check";
import { commandIdOf } from "../../src/http/orderCommands.ts";
import { envelope } from "../../src/orders/envelope.ts";
import { eventId } from "../../src/orders/ids.ts";
import type { LifecycleCommand } from "../../src/orders/lifecycle.ts";
import { isAdvance, type OrderStatus } from "../../src/orders/status.ts";
import { SEED } from "../support/arbitraries.ts";
import { sql } from "../support/db.ts";
import { shippingAddress, type StatusEvent } from "../support/http.ts";
import { produce, stopProducing, topics, watch, type Seen, type Watcher } from "../support/kafka.ts";
import { createProducts } from "../support/load.ts";
import { startShop, whatItSays, type RunningShop } from "../support/shop.ts";

const ORDERS = 300;
const SESSIONS = 40;
const PRODUCTS = 6;
/** Less than the orders ask for in all, so some are refused out_of_stock and cancellations make room for later ones. */
const STOCK = 75;
const PLACEMENTS_PER_SECOND = 15;
const SETTLE_MS = 90_000;
const ADMIN_TOKEN = `admin-${crypto.randomUUID()}`;
const RUN = crypto.randomUUID().slice(0, 8);

/**
 * What happens to an order once it is accepted. Cancels race the placement (the API answers 404
 * until the order is stored, a CancelOrder produced straight to Kafka lands behind its PlaceOrder)
 * or the confirmation; a ship races a cancel once confirmed.
 */
const FATES = ["keep", "customer", "admin", "both", "kafka", "lateCancel", "ship", "deliver", "shipOrCancel"] as const;
type Fate = (typeof FATES)[number];
const CANCELLED_UNLESS_REJECTED: readonly Fate[] = ["customer", "admin", "both", "kafka", "lateCancel"];

const orderPlan = fc.record({
  placeOn: fc.nat(1),
  actOn: fc.nat(1),
  session: fc.nat(SESSIONS - 1),
  cart: fc.uniqueArray(fc.record({ product: fc.nat(PRODUCTS - 1), quantity: fc.integer({ min: 1, max: 3 }) }), { selector: (l) => l.product, minLength: 1, maxLength: 3 }),
  fate: fc.constantFrom(...FATES),
  by: fc.constantFrom("customer" as const, "admin" as const),
  /** Copies of each accepted command produced to Kafka again, as a redelivery would. */
  redeliveries: fc.nat(3),
});
type OrderPlan = typeof orderPlan extends fc.Arbitrary<infer T> ? T : never;
const schedule = fc.record({
  orders: fc.array(orderPlan, { minLength: ORDERS, maxLength: ORDERS }),
  victim: fc.nat(1),
  killAfter: fc.integer({ min: Math.floor(ORDERS * 0.3), max: Math.floor(ORDERS * 0.6) }),
});
const plan = fc.sample(schedule, { seed: SEED, numRuns: 1 })[0]!;
const observer = 1 - plan.victim;

const shops: RunningShop[] = [];
const followers = new Map<string, Follower>();
let watcher: Watcher;
const cookies: string[] = [];

beforeAll(async () => {
  const started = await Promise.all([
    startShop({ ADMIN_TOKEN }, "cancellations-a"),
    startShop({ ADMIN_TOKEN }, "cancellations-b"),
    watch([topics.placed, topics.rejected, topics.confirmed, topics.cancelled, topics.shipped, topics.delivered, topics.refused, topics.dlq]),
  ]);
  shops.push(started[0], started[1]);
  watcher = started[2];
  // One cookie per session before anything races: two first requests of a session would be two sessions.
  for (let s = 0; s < SESSIONS; s++) {
    const response = await fetch(`${shops[s % 2]!.url}/api/orders?limit=1`);
    await response.arrayBuffer();
    cookies.push(response.headers.get("set-cookie")!.split(";")[0]!);
  }
}, 120_000);
afterAll(async () => {
  await Promise.all([...followers.values()].map((f) => f.stop()));
  await stopProducing();
  await watcher?.stop();
  expect(await Promise.all(shops.map((s) => s.stop()))).toEqual([0, 0]);
}, 30_000);

type Caller = { cookie: string } | { admin: true };

/**
 * One request on instance `on`, or on the other while that one is down; 404 (the order not yet
 * stored) and 503 are asked again until `deadline`, with a growing pause.
 */
async function call(on: number, path: string, caller: Caller, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}, deadline = Date.now() + 60_000): Promise<Response> {
  const headers = {
    ...("admin" in caller ? { authorization: `Bearer ${ADMIN_TOKEN}` } : { cookie: caller.cookie }),
    ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    ...init.headers,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(shops[(on + attempt) % 2]!.url + path, {
        method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: AbortSignal.timeout(10_000),
      });
      if ((response.status !== 404 && response.status !== 503) || Date.now() > deadline) return response;
      await response.arrayBuffer();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await Bun.sleep(Math.min(25 * 2 ** attempt, 500));
  }
}

/** The status events of one order as its stream on the instance that is never killed shows them. */
function follow(orderId: string) {
  const seen: StatusEvent[] = [];
  const waking = new Set<() => void>();
  const wake = () => { for (const w of waking) w(); };
  const controller = new AbortController();
  const read = (async () => {
    const response = await fetch(`${shops[observer]!.url}/api/orders/${orderId}/events`, { signal: controller.signal });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: status$/m.test(block)) {
          seen.push(JSON.parse(block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5)).join("\n")));
          wake();
        }
      }
    }
  })().catch((error) => { if (!controller.signal.aborted) broken = String(error); }).finally(() => { closed = true; wake(); });
  let closed = false;
  let broken: string | undefined;
  return {
    seen,
    /** Why the stream ended before it was stopped, if it failed: the observer is never killed, so it never should. */
    get broken() { return broken; },
    /** The first status among `statuses` the stream shows, or its last one if it closes first. */
    async reached(statuses: readonly string[], timeoutMs = 60_000): Promise<string | undefined> {
      const found = () => seen.find((e) => statuses.includes(e.status))?.status ?? (closed ? seen.at(-1)?.status : undefined);
      const until = Date.now() + timeoutMs;
      while (found() === undefined) {
        if (Date.now() > until) throw new Error(`order ${orderId}: none of ${statuses} on its stream within ${timeoutMs} ms; saw ${seen.map((e) => e.status)}`);
        await new Promise<void>((resolve) => {
          const woken = () => { clearTimeout(timer); waking.delete(woken); resolve(); };
          const timer = setTimeout(woken, until - Date.now());
          waking.add(woken);
        });
      }
      return found();
    },
    stop: async () => { controller.abort(); await read; },
  };
}
type Follower = ReturnType<typeof follow>;

/** The command ids the shop was given (a 202, or produced to Kafka): each must be decided once. */
const sent = new Set<string>();

async function produceAgain(orderId: string, command: LifecycleCommand, copies: number) {
  if (copies === 0) return;
  const value = JSON.stringify(envelope(command.type, orderId, command.data, commandIdOf(orderId, command.type)));
  await produce(topics.commands, Array.from({ length: copies }, () => ({ key: orderId, value, headers: { type: command.type, "correlation-id": `again-${orderId}` } })));
  sent.add(commandIdOf(orderId, command.type));
}

/** A lifecycle request: 202 (sent, then produced again `p.redeliveries` times) or 409 (the status forbids it). */
async function send(p: OrderPlan, orderId: string, on: number, command: LifecycleCommand, caller: Caller) {
  const action = { CancelOrder: "cancel", ShipOrder: "ship", DeliverOrder: "deliver" }[command.type];
  const path = "admin" in caller ? `/api/admin/orders/${orderId}/${action}` : `/api/orders/${orderId}/${action}`;
  const body = command.type === "CancelOrder" ? { reason: command.data.reason } : command.type === "ShipOrder" ? command.data : undefined;
  const response = await call(on, path, caller, { method: "POST", body });
  const answer = await response.json();
  if (response.status === 202) {
    sent.add(answer.commandId);
    await produceAgain(orderId, command, p.redeliveries);
  } else if (response.status !== 409) throw new Error(`${command.type} of ${orderId} answered ${response.status} ${JSON.stringify(answer)}`);
}

const cancel = (by: "customer" | "admin"): LifecycleCommand => ({ type: "CancelOrder", data: { by, reason: `changed my mind ${RUN}` } });
const ship = (orderId: string): LifecycleCommand => ({ type: "ShipOrder", data: { carrier: "DHL", trackingNumber: `T-${orderId.slice(0, 8)}` } });
const DELIVER: LifecycleCommand = { type: "DeliverOrder", data: {} };

async function live(p: OrderPlan, orderId: string, follower: Follower) {
  const customer = { cookie: cookies[p.session]! };
  const asked = p.by === "admin" ? { admin: true as const } : customer;
  const other = 1 - p.actOn;
  switch (p.fate) {
    case "keep": return;
    case "customer": await send(p, orderId, p.actOn, cancel("customer"), customer); return;
    case "admin": await send(p, orderId, p.actOn, cancel("admin"), { admin: true }); return;
    case "both":
      await Promise.all([send(p, orderId, p.actOn, cancel("customer"), customer), send(p, orderId, other, cancel("admin"), { admin: true })]);
      return;
    case "kafka": await produceAgain(orderId, cancel(p.by), Math.max(1, p.redeliveries)); return;
  }
  if (await follower.reached(["confirmed", "rejected"]) !== "confirmed") return;
  switch (p.fate) {
    case "lateCancel": await send(p, orderId, p.actOn, cancel(p.by), asked); return;
    case "shipOrCancel":
      await Promise.all([send(p, orderId, p.actOn, ship(orderId), { admin: true }), send(p, orderId, other, cancel(p.by), asked)]);
      return;
    case "ship": await send(p, orderId, p.actOn, ship(orderId), { admin: true }); return;
    case "deliver":
      await send(p, orderId, p.actOn, ship(orderId), { admin: true });
      if (await follower.reached(["shipped"]) === "shipped") await send(p, orderId, other, DELIVER, { admin: true });
  }
}

async function place(i: number, p: OrderPlan, productIds: string[]): Promise<string> {
  const response = await call(p.placeOn, "/api/orders", { cookie: cookies[p.session]! }, {
    method: "POST",
    headers: { "idempotency-key": `${RUN}-${i}` },
    body: {
      customer: { name: `Racer ${i}`, email: `racer-${RUN}-${i}@example.com` }, shippingAddress,
      items: p.cart.map((l) => ({ productId: productIds[l.product]!, quantity: l.quantity })),
    },
  });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`order ${i} answered ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** Each step after the one before it in time never goes back in the lifecycle; steps of the same instant in the order given. */
function backwards(steps: { status: OrderStatus; at: number }[]): string | undefined {
  const sorted = steps.map((s, i) => ({ ...s, i })).sort((a, b) => a.at - b.at || a.i - b.i);
  for (let k = 1; k < sorted.length; k++) {
    if (!isAdvance(sorted[k - 1]!.status, sorted[k]!.status)) return sorted.map((s) => `${s.status}@${new Date(s.at).toISOString()}`).join(" → ");
  }
}

type Row = {
  id: string; status: OrderStatus; created_at: Date; updated_at: Date; placed_at: Date | null; confirmed_at: Date | null;
  shipped_at: Date | null; delivered_at: Date | null; cancelled_at: Date | null;
  items: { productId: string; quantity: number }[]; movements: { productId: string; kind: string; delta: number }[];
};

describe("faults: cancels racing placement and confirmation on two instances, one killed with -9", () => {
  test(`${ORDERS} orders from ${SESSIONS} sessions, cancelled, shipped and delivered as they are placed: units come back exactly once, nothing moves backwards`, async () => {
    const products = await createProducts(PRODUCTS, STOCK);
    const productIds = [...products.keys()];
    const fates: Promise<void>[] = [];
    const accepted: { id: string; plan: OrderPlan }[] = [];
    let restarted: Promise<void> | undefined;
    const killAndRestart = async () => {
      const victim = shops[plan.victim]!;
      await victim.kill();
      shops[plan.victim] = await startShop({ ADMIN_TOKEN, PORT: String(victim.port) }, `cancellations-${"ab"[plan.victim]}`, "/healthz");
    };

    const started = Date.now();
    let next = 0;
    const lane = async () => {
      for (let i = next++; i < ORDERS; i = next++) {
        const due = started + (i / PLACEMENTS_PER_SECOND) * 1000;
        if (due > Date.now()) await Bun.sleep(due - Date.now());
        const p = plan.orders[i]!;
        const id = await place(i, p, productIds);
        accepted.push({ id, plan: p });
        const follower = follow(id);
        followers.set(id, follower);
        fates.push(live(p, id, follower));
        if (accepted.length === plan.killAfter) restarted = killAndRestart();
      }
    };
    await Promise.all(Array.from({ length: 8 }, lane));
    await restarted;
    await Promise.all(fates);
    const ids = accepted.map((a) => a.id);
    expect(new Set(ids).size).toBe(ORDERS);

    // Settled for this test: no order still placed (or not stored), and every command given decided.
    for (const until = Date.now() + SETTLE_MS; ;) {
      const [state] = await sql<[{ unstored: number; placed: number; undecided: number }]>`
        SELECT (SELECT count(*)::int FROM unnest(${ids}::uuid[]) a(id) LEFT JOIN orders o ON o.id = a.id WHERE o.id IS NULL) AS unstored,
               (SELECT count(*)::int FROM orders WHERE id = ANY(${ids}::uuid[]) AND status = 'placed') AS placed,
               (SELECT count(*)::int FROM unnest(${[...sent]}::uuid[]) c(id) LEFT JOIN order_events e ON e.command_id = c.id WHERE e.id IS NULL) AS undecided`;
      if (state.unstored + state.placed + state.undecided === 0) break;
      if (Date.now() > until) throw new Error(`not settled within ${SETTLE_MS} ms: ${JSON.stringify(state)}\n${(await Promise.all(shops.map((s) => whatItSays(s)))).join("\n")}`);
      await Bun.sleep(250);
    }

    const rows = await sql<Row[]>`
      SELECT o.id::text, o.status, o.created_at, o.updated_at, o.placed_at, o.confirmed_at, o.shipped_at, o.delivered_at, o.cancelled_at,
        COALESCE((SELECT json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity)) FROM order_items i WHERE i.order_id = o.id), '[]') AS items,
        COALESCE((SELECT json_agg(json_build_object('productId', m.product_id, 'kind', m.kind, 'delta', m.delta)) FROM stock_movements m WHERE m.order_id = o.id), '[]') AS movements
      FROM orders o
      WHERE o.id = ANY(${ids}::uuid[]) OR o.id IN (SELECT order_id FROM order_items WHERE product_id = ANY(${productIds}))`;
    // Every order holding these products is one the test placed: none was made by a retry the test lost count of.
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    const byId = new Map(rows.map((r) => [r.id, r]));
    const decided = new Map((await sql<{ command_id: string; type: string }[]>`
      SELECT command_id::text, type FROM order_events WHERE order_id = ANY(${ids}::uuid[])`).map((e) => [e.command_id, e.type]));

    // Every outcome is on its topic before the events are compared with the database.
    const expectedEvents = rows.flatMap((r) => [
      r.status === "rejected" ? eventId(r.id, "OrderRejected") : eventId(r.id, "OrderPlaced"),
      ...(r.confirmed_at ? [eventId(r.id, "OrderConfirmed")] : []),
    ]).concat([...sent].map((c) => eventId(c, decided.get(c)!)));
    const unpublished = (seen: Seen[]) => {
      const published = new Set(seen.map((m) => m.json?.id));
      return expectedEvents.filter((e) => !published.has(e));
    };
    // What is still missing at the deadline is reported with the rest below.
    await watcher.until((seen) => unpublished(seen).length === 0, 60_000, `${expectedEvents.length} outcome events`).catch(() => {});
    // The streams catch up with the database: what a customer last saw is what is stored.
    const lagging = (await Promise.all(accepted.map(({ id }) => followers.get(id)!.reached([byId.get(id)!.status], 30_000).then(() => [], (error) => [String(error)])))).flat();
    await Promise.all([...followers.values()].map((f) => f.stop()));

    // The stock: never below zero at any step of the ledger, which sums to it, and what the orders hold is what left it.
    const stock = await sql<{ id: string; stock: number; ledger: number; held: number; below_zero: number; misreplayed: number }[]>`
      SELECT p.id, p.stock,
        (SELECT COALESCE(sum(m.delta), 0)::int FROM stock_movements m WHERE m.product_id = p.id) AS ledger,
        (SELECT COALESCE(sum(i.quantity), 0)::int FROM order_items i JOIN orders o ON o.id = i.order_id
          WHERE i.product_id = p.id AND o.status IN ('placed', 'confirmed', 'shipped', 'delivered')) AS held,
        (SELECT count(*)::int FROM stock_movements m WHERE m.product_id = p.id AND m.stock_after < 0) AS below_zero,
        (SELECT count(*)::int FROM (SELECT m.stock_after, sum(m.delta) OVER (ORDER BY m.id) AS running FROM stock_movements m WHERE m.product_id = p.id) r
          WHERE r.running <> r.stock_after) AS misreplayed
      FROM products p WHERE p.id = ANY(${productIds})`;
    const byOrder = new Map<string, Seen[]>();
    for (const m of watcher.seen) if (m.key && byId.has(m.key)) byOrder.set(m.key, [...(byOrder.get(m.key) ?? []), m]);
    const STATUS_OF: Record<string, OrderStatus> = {
      [topics.placed]: "placed", [topics.rejected]: "rejected", [topics.confirmed]: "confirmed",
      [topics.cancelled]: "cancelled", [topics.shipped]: "shipped", [topics.delivered]: "delivered",
    };

    const wrong: string[] = [...unpublished(watcher.seen).map((e) => `event ${e} never published`), ...lagging];
    expect(stock.length).toBe(PRODUCTS);
    for (const s of stock) {
      const counted = { stock: s.stock, ledger: s.ledger, stockPlusHeld: s.stock + s.held, belowZero: s.below_zero, misreplayed: s.misreplayed };
      const right = { stock: s.stock, ledger: s.stock, stockPlusHeld: STOCK, belowZero: 0, misreplayed: 0 };
      if (!Bun.deepEquals(counted, right) || s.stock < 0) wrong.push(`product ${s.id}: ${JSON.stringify(counted)}, expected ${JSON.stringify(right)}`);
    }
    const tally: Record<string, number> = {};
    for (const { id, plan: p } of accepted) {
      const r = byId.get(id)!;
      const fault = (what: string) => wrong.push(`${id} (${p.fate}, ${r.status}): ${what}`);
      tally[`${p.fate} → ${r.status}`] = (tally[`${p.fate} → ${r.status}`] ?? 0) + 1;
      const placed = r.status !== "rejected";

      // Placement settled exactly once: confirmed, rejected, or cancelled while placed (and then never confirmed).
      if (placed !== (r.placed_at !== null)) fault("placed_at disagrees with the status");
      if (placed && r.confirmed_at === null && r.status !== "cancelled") fault("placed but neither confirmed nor cancelled");
      if (r.shipped_at && r.cancelled_at) fault("both shipped and cancelled");

      // The ledger: reserved once if placed, given back once per product if cancelled, each line its own quantity.
      const lines = (kind: string, sign: number) => r.items.map((i) => `${kind} ${i.productId} ${sign * i.quantity}`);
      const expected = [...(placed ? lines("order", -1) : []), ...(r.status === "cancelled" ? lines("cancellation", 1) : [])].sort();
      const actual = r.movements.map((m) => `${m.kind} ${m.productId} ${m.delta}`).sort();
      if (JSON.stringify(actual) !== JSON.stringify(expected)) fault(`movements ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);

      // What the test asked for happened, or lost a race it was allowed to lose.
      if (placed && CANCELLED_UNLESS_REJECTED.includes(p.fate) && r.status !== "cancelled") fault("a cancel of a placed order did not cancel it");
      if (placed && p.fate === "keep" && r.status !== "confirmed") fault("left alone but not confirmed");
      if (placed && p.fate === "ship" && r.status !== "shipped") fault("not shipped");
      if (placed && p.fate === "deliver" && r.status !== "delivered") fault("not delivered");
      if (placed && p.fate === "shipOrCancel" && r.status !== "shipped" && r.status !== "cancelled") fault("neither shipped nor cancelled");

      // The stored history, the events and the stream each move only forward.
      const timeline = ([["pending", r.created_at], ["placed", r.placed_at], ["confirmed", r.confirmed_at], ["shipped", r.shipped_at],
        ["delivered", r.delivered_at], ["cancelled", r.cancelled_at], ["rejected", r.status === "rejected" ? r.updated_at : null]] as const)
        .filter(([, at]) => at !== null).map(([status, at]) => ({ status, at: at!.getTime() }));
      const storedBack = backwards(timeline);
      if (storedBack) fault(`stored timeline goes back: ${storedBack}`);
      if (timeline.at(-1)!.status !== r.status) fault(`timeline ends ${timeline.at(-1)!.status}`);

      const messages = byOrder.get(id) ?? [];
      if (messages.some((m) => m.topic === topics.dlq)) fault("a message of it was dead-lettered");
      // A republished event is the same event: every copy of an id says the same (its keys in any order, as jsonb keeps them).
      const copies = new Map<string, Seen>();
      for (const m of messages) {
        if (m.topic === topics.dlq) continue;
        const first = copies.get(m.json.id) ?? m;
        if (!Bun.deepEquals(first.json, m.json)) fault(`two copies of ${m.json.type} ${m.json.id} differ: ${first.value} / ${m.value}`);
        copies.set(m.json.id, first);
      }
      const distinct = (topic: string) => [...new Map(messages.filter((m) => m.topic === topic).map((m) => [m.json.id, m.json])).values()];
      const count = (topic: string) => distinct(topic).length;
      if (count(topics.placed) + count(topics.rejected) !== 1) fault(`${count(topics.placed)} OrderPlaced, ${count(topics.rejected)} OrderRejected`);
      if (count(topics.confirmed) !== (r.confirmed_at ? 1 : 0)) fault(`${count(topics.confirmed)} OrderConfirmed`);
      if (count(topics.shipped) !== (r.shipped_at ? 1 : 0)) fault(`${count(topics.shipped)} OrderShipped`);
      if (count(topics.delivered) !== (r.delivered_at ? 1 : 0)) fault(`${count(topics.delivered)} OrderDelivered`);
      const cancellations = distinct(topics.cancelled);
      if (cancellations.length !== (r.cancelled_at ? 1 : 0)) fault(`${cancellations.length} OrderCancelled`);
      const returned = cancellations[0]?.data.returned.map((l: { productId: string; quantity: number }) => `${l.productId} ${l.quantity}`).sort();
      if (cancellations.length === 1 && JSON.stringify(returned) !== JSON.stringify(r.items.map((i) => `${i.productId} ${i.quantity}`).sort())) fault(`returned ${returned}`);
      for (const refusal of distinct(topics.refused)) {
        if (decided.get(refusal.data.commandId) !== "OrderCommandRefused") fault(`a ${refusal.data.command} decided as ${decided.get(refusal.data.commandId)} was also refused`);
      }
      const published = [...new Map(messages.filter((m) => STATUS_OF[m.topic]).map((m) => [m.json.id, m])).values()]
        .map((m) => ({ status: STATUS_OF[m.topic]!, at: Date.parse(m.json.occurredAt) }));
      const eventsBack = backwards([{ status: "pending" as OrderStatus, at: r.created_at.getTime() }, ...published]);
      if (eventsBack) fault(`events go back: ${eventsBack}`);

      const follower = followers.get(id)!;
      if (follower.broken) fault(`its stream broke: ${follower.broken}`);
      const streamed = follower.seen.map((e) => e.status as OrderStatus);
      if (streamed.some((s, k) => k > 0 && !isAdvance(streamed[k - 1]!, s))) fault(`stream went ${streamed.join(" → ")}`);
    }
    console.log(`seed ${SEED}: ${accepted.length} orders, instance ${"ab"[plan.victim]} killed after ${plan.killAfter}, ${sent.size} commands; ${JSON.stringify(tally)}`);
    if (wrong.length > 0) console.log(`replay: FC_SEED=${SEED} bun test test/faults/cancellations.test.ts`);
    expect(wrong).toEqual([]);
  }, 240_000);
});
