import { describe, expect, test } from "bun:test";
import { addressKey } from "../../src/http/limits/addressKey.ts";
import { createLimits } from "../../src/http/limits/index.ts";
import { Lru } from "../../src/http/limits/lru.ts";
import { StreamSlots } from "../../src/http/limits/streamSlots.ts";
import { TokenBuckets } from "../../src/http/limits/tokenBucket.ts";
import { UnitAllowance } from "../../src/http/limits/unitAllowance.ts";
import { DEFAULT_LIMITS } from "../support/apiDeps.ts";

describe("TokenBuckets", () => {
  test("a burst up to the capacity, then the rate; each key has its own bucket", () => {
    const buckets = new TokenBuckets({ capacity: 3, perSecond: 0.5 });
    expect([0, 0, 0].map(() => buckets.take("a", 1_000))).toEqual([0, 0, 0]);
    expect(buckets.take("a", 1_000)).toBe(2);
    expect(buckets.take("b", 1_000)).toBe(0);
    // Half a token back after a second: a second more to wait.
    expect(buckets.take("a", 2_000)).toBe(1);
    expect(buckets.take("a", 3_000)).toBe(0);
    expect(buckets.take("a", 3_000)).toBeGreaterThan(0);
  });

  test("never holds more than the capacity, however long a key was quiet", () => {
    const buckets = new TokenBuckets({ capacity: 2, perSecond: 1 });
    buckets.take("a", 0);
    expect([0, 0, 0].map(() => buckets.take("a", 1_000_000))).toEqual([0, 0, 1]);
  });
});

describe("UnitAllowance", () => {
  test("units over a sliding window; given-back units count no more", () => {
    const units = new UnitAllowance({ units: 10, windowMs: 1_000 });
    expect(units.take("s", 6, 0)).toBeFunction();
    expect(units.take("s", 5, 100)).toBeUndefined();
    const giveBack = units.take("s", 4, 200)!;
    expect(units.remaining("s", 300)).toBe(0);
    giveBack();
    expect(units.remaining("s", 300)).toBe(4);
    expect(units.remaining("other", 300)).toBe(10);
    // The first order leaves the window after a second.
    expect(units.remaining("s", 1_001)).toBe(10);
  });
});

describe("units per session and per address", () => {
  test("a client that drops its cookie still meets its address's cap, and a cancelled order's units count no more", () => {
    const limits = createLimits({ ...DEFAULT_LIMITS, UNITS_PER_SESSION_PER_DAY: 50, UNITS_PER_ADDRESS_PER_DAY: 60 });
    const here = { address: "203.0.113.9" };
    expect(limits.takeUnits("o1", "s1", here, 20, 0)).toHaveProperty("giveBack");
    expect(limits.takeUnits("o2", "s1", here, 20, 0)).toHaveProperty("giveBack");
    expect(limits.takeUnits("o3", "s1", here, 20, 0)).toEqual({ over: "session", allowed: 50, remaining: 10 });
    // A new session, the same address: 20 more fit, not 50.
    expect(limits.takeUnits("o4", "s2", here, 20, 0)).toHaveProperty("giveBack");
    expect(limits.takeUnits("o5", "s3", here, 1, 0)).toEqual({ over: "address", allowed: 60, remaining: 0 });
    expect(limits.takeUnits("o6", "s4", { address: "203.0.113.10" }, 20, 0)).toHaveProperty("giveBack");

    limits.orderCancelled("o1");
    limits.orderCancelled("o1");
    expect(limits.takeUnits("o7", "s1", here, 20, 0)).toHaveProperty("giveBack");
    expect(limits.takeUnits("o8", "s5", here, 1, 0)).toEqual({ over: "address", allowed: 60, remaining: 0 });
  });

  test("refused by its session, an order takes nothing from its address", () => {
    const limits = createLimits({ ...DEFAULT_LIMITS, UNITS_PER_SESSION_PER_DAY: 5, UNITS_PER_ADDRESS_PER_DAY: 10 });
    const here = { address: "203.0.113.9" };
    expect(limits.takeUnits("o1", "s1", here, 6, 0)).toMatchObject({ over: "session" });
    expect(limits.takeUnits("o2", "s2", here, 5, 0)).toHaveProperty("giveBack");
    expect(limits.takeUnits("o3", "s3", here, 5, 0)).toHaveProperty("giveBack");
  });
});

describe("StreamSlots", () => {
  test("refuses past the cap of a session, of an address and of the instance, and frees a slot on release", () => {
    const slots = new StreamSlots({ perSession: 2, perAddress: 3, perInstance: 4 });
    const a = slots.open("s1", "10.0.0.1");
    expect(a).toHaveProperty("release");
    slots.open("s1", "10.0.0.1");
    expect(slots.open("s1", "10.0.0.1")).toEqual({ refused: "session" });
    slots.open("s2", "10.0.0.1");
    expect(slots.open("s3", "10.0.0.1")).toEqual({ refused: "address" });
    slots.open("s3", "10.0.0.2");
    expect(slots.open("s4", "10.0.0.3")).toEqual({ refused: "instance" });
    expect(slots.count).toBe(4);
    if ("release" in a) { a.release(); a.release(); }
    expect(slots.count).toBe(3);
    expect(slots.open("s1", "10.0.0.1")).toHaveProperty("release");
  });
});

describe("Lru", () => {
  test("forgets the least recently used key past its size", () => {
    const lru = new Lru<string, number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.get("a");
    lru.set("c", 3);
    expect([lru.get("a"), lru.get("b"), lru.get("c"), lru.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe("createLimits", () => {
  test("the address's bucket and the session's both apply", () => {
    const limits = createLimits({ ...DEFAULT_LIMITS, ORDERS_PER_MINUTE_PER_SESSION: 2, ORDERS_PER_MINUTE_PER_ADDRESS: 3 });
    expect([limits.placeOrder("s1", { address: "a" }, 0), limits.placeOrder("s1", { address: "a" }, 0)]).toEqual([0, 0]);
    expect(limits.placeOrder("s1", { address: "a" }, 0)).toBe(30);
    expect(limits.placeOrder("s2", { address: "a" }, 0)).toBe(20);
    expect(limits.placeOrder("s3", { address: "b" }, 0)).toBe(0);
  });

  test("RATE_LIMITS=off lifts every rate and per-client cap, and keeps the instance's stream cap", () => {
    const limits = createLimits({ ...DEFAULT_LIMITS, RATE_LIMITS: "off", STREAMS_PER_INSTANCE: 3, UNITS_PER_ORDER: 1 });
    for (let i = 0; i < 1_000; i++) expect(limits.placeOrder("s", { address: "a" }, 0)).toBe(0);
    expect(limits.unitsPerOrder).toBe(Infinity);
    expect(limits.takeUnits("o", "s", { address: "a" }, 1_000_000, 0)).toHaveProperty("giveBack");
    for (let i = 0; i < 3; i++) expect(limits.streams.open("s", "a")).toHaveProperty("release");
    expect(limits.streams.open("s", "a")).toEqual({ refused: "instance" });
  });
});

describe("addressKey", () => {
  test.each([
    ["203.0.113.9", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:db8:1:2::9", "2001:db8:1:2::/64"],
    ["2001:DB8:0001::", "2001:db8:1:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["fe80::1%eth0", "fe80:0:0:0::/64"],
  ])("%s counts as %s", (address, key) => {
    expect(addressKey(address)).toBe(key);
  });

  test("two addresses of one IPv6 /64 share its order bucket", () => {
    const limits = createLimits({ ...DEFAULT_LIMITS, ORDERS_PER_MINUTE_PER_ADDRESS: 1 });
    expect(limits.placeOrder("s1", { address: "2001:db8:1:2::a" }, 0)).toBe(0);
    expect(limits.placeOrder("s2", { address: "2001:db8:1:2::b" }, 0)).toBeGreaterThan(0);
    expect(limits.placeOrder("s3", { address: "2001:db8:1:3::a" }, 0)).toBe(0);
  });
});
