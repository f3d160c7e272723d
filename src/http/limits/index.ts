import type { Config } from "../../config.ts";
import { addressKey } from "./addressKey.ts";
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
  /** Takes a session's units for an order, with how to give them back; or, over its daily allowance, what remains of it. */
  takeUnits(session: string, units: number, nowMs: number): { giveBack(): void } | { remaining: number };
  /** The units a session may order in 24 hours. */
  unitsPerSessionPerDay: number;
  streams: { open(session: string, address: string): Slot | Refusal; readonly count: number };
  /** How long a stream waits for an order that is not in the database before it ends. */
  unknownOrderStreamMs: number;
};

/** An order is in the database within a second when all is well: an id still unknown after this is given up. */
const UNKNOWN_ORDER_STREAM_MS = 2 * 60_000;

export type LimitSettings = Pick<Config,
  | "RATE_LIMITS" | "ORDERS_PER_MINUTE_PER_SESSION" | "ORDERS_PER_MINUTE_PER_ADDRESS" | "UNITS_PER_ORDER"
  | "UNITS_PER_SESSION_PER_DAY" | "STREAMS_PER_SESSION" | "STREAMS_PER_ADDRESS" | "STREAMS_PER_INSTANCE">;

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
      unitsPerSessionPerDay: Infinity,
      streams: new StreamSlots({ perSession: Infinity, perAddress: Infinity, perInstance: streamsOfInstance }),
      unknownOrderStreamMs: UNKNOWN_ORDER_STREAM_MS,
    };
  }
  const bySession = perMinute(settings.ORDERS_PER_MINUTE_PER_SESSION);
  const byAddress = perMinute(settings.ORDERS_PER_MINUTE_PER_ADDRESS);
  const units = new UnitAllowance({ units: settings.UNITS_PER_SESSION_PER_DAY, windowMs: DAY_MS });
  return {
    placeOrder(session, client, nowMs) {
      // The address first: a client that drops its cookie gets a new session, never a new address.
      return byAddress.take(addressKey(client.address), nowMs) || bySession.take(session, nowMs);
    },
    unitsPerOrder: settings.UNITS_PER_ORDER,
    takeUnits(session, n, nowMs) {
      const giveBack = units.take(session, n, nowMs);
      return giveBack ? { giveBack } : { remaining: Math.max(0, units.remaining(session, nowMs)) };
    },
    unitsPerSessionPerDay: settings.UNITS_PER_SESSION_PER_DAY,
    streams: byAddressKey(new StreamSlots({ perSession: settings.STREAMS_PER_SESSION, perAddress: settings.STREAMS_PER_ADDRESS, perInstance: streamsOfInstance })),
    unknownOrderStreamMs: UNKNOWN_ORDER_STREAM_MS,
  };
}

const byAddressKey = (slots: StreamSlots): Limits["streams"] => ({
  open: (session, address) => slots.open(session, addressKey(address)),
  get count() { return slots.count; },
});
