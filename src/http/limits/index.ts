import type { Config } from "../../config.ts";
import { addressKey } from "./addressKey.ts";
import { Lru } from "./lru.ts";
import { StreamSlots, type Refusal, type Slot } from "./streamSlots.ts";
import { TokenBuckets } from "./tokenBucket.ts";
import { UnitAllowance } from "./unitAllowance.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the edge allows each client, kept in this instance's memory: N instances allow N times as much. */
export type Limits = {
  /** 0 when the order may be placed now; otherwise the seconds the client should wait. */
  placeOrder(session: string, client: { readonly address: string }, nowMs: number): number;
  /** The most units (the sum of quantities) one order may have. */
  unitsPerOrder: number;
  /**
   * Takes the units of order `orderId` from its session's and its client address's daily allowance,
   * with how to give them back; or, over either, which one and what remains of it.
   */
  takeUnits(orderId: string, session: string, client: { readonly address: string }, units: number, nowMs: number):
    { giveBack(): void } | { over: "session" | "address"; allowed: number; remaining: number };
  /** A cancelled order's units no longer count against its session's and address's allowances (those this instance keeps). */
  orderCancelled(orderId: string): void;
  streams: { open(session: string, address: string): Slot | Refusal; readonly count: number };
  /** How long a stream waits for an order that is not in the database before it ends. */
  unknownOrderStreamMs: number;
};

/** An order is in the database within a second when all is well: an id still unknown after this is given up. */
const UNKNOWN_ORDER_STREAM_MS = 2 * 60_000;

export type LimitSettings = Pick<Config,
  | "RATE_LIMITS" | "ORDERS_PER_MINUTE_PER_SESSION" | "ORDERS_PER_MINUTE_PER_ADDRESS" | "UNITS_PER_ORDER"
  | "UNITS_PER_SESSION_PER_DAY" | "UNITS_PER_ADDRESS_PER_DAY" | "STREAMS_PER_SESSION" | "STREAMS_PER_ADDRESS" | "STREAMS_PER_INSTANCE">;

const perMinute = (n: number) => new TokenBuckets({ capacity: n, perSecond: n / 60 });

/**
 * The limits from the settings. RATE_LIMITS=off lifts every rate and every per-client cap, so a
 * load test from one address measures the pipeline, not the limiter; the cap on the instance's
 * open streams stays, as it protects the instance itself.
 */
export function createLimits(settings: LimitSettings): Limits {
  const streamsOfInstance = settings.STREAMS_PER_INSTANCE;
  if (settings.RATE_LIMITS === "off") {
    return {
      placeOrder: () => 0,
      unitsPerOrder: Infinity,
      takeUnits: () => ({ giveBack() {} }),
      orderCancelled() {},
      streams: new StreamSlots({ perSession: Infinity, perAddress: Infinity, perInstance: streamsOfInstance }),
      unknownOrderStreamMs: UNKNOWN_ORDER_STREAM_MS,
    };
  }
  const bySession = perMinute(settings.ORDERS_PER_MINUTE_PER_SESSION);
  const byAddress = perMinute(settings.ORDERS_PER_MINUTE_PER_ADDRESS);
  const sessionUnits = new UnitAllowance({ units: settings.UNITS_PER_SESSION_PER_DAY, windowMs: DAY_MS });
  const addressUnits = new UnitAllowance({ units: settings.UNITS_PER_ADDRESS_PER_DAY, windowMs: DAY_MS });
  const taken = new Lru<string, () => void>(100_000);
  return {
    placeOrder(session, client, nowMs) {
      // The address first: a client that drops its cookie gets a new session, never a new address.
      return byAddress.take(addressKey(client.address), nowMs) || bySession.take(session, nowMs);
    },
    unitsPerOrder: settings.UNITS_PER_ORDER,
    takeUnits(orderId, session, client, n, nowMs) {
      const address = addressKey(client.address);
      const fromAddress = addressUnits.take(address, n, nowMs);
      if (!fromAddress) return { over: "address", allowed: settings.UNITS_PER_ADDRESS_PER_DAY, remaining: Math.max(0, addressUnits.remaining(address, nowMs)) };
      const fromSession = sessionUnits.take(session, n, nowMs);
      if (!fromSession) {
        fromAddress();
        return { over: "session", allowed: settings.UNITS_PER_SESSION_PER_DAY, remaining: Math.max(0, sessionUnits.remaining(session, nowMs)) };
      }
      const giveBack = () => {
        fromAddress();
        fromSession();
        taken.delete(orderId);
      };
      taken.set(orderId, giveBack);
      return { giveBack };
    },
    orderCancelled: (orderId) => taken.get(orderId)?.(),
    streams: byAddressKey(new StreamSlots({ perSession: settings.STREAMS_PER_SESSION, perAddress: settings.STREAMS_PER_ADDRESS, perInstance: streamsOfInstance })),
    unknownOrderStreamMs: UNKNOWN_ORDER_STREAM_MS,
  };
}

const byAddressKey = (slots: StreamSlots): Limits["streams"] => ({
  open: (session, address) => slots.open(session, addressKey(address)),
  get count() { return slots.count; },
});
