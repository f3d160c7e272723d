import type { ApiDeps } from "../../src/http/deps.ts";
import { createLimits, type LimitSettings } from "../../src/http/limits/index.ts";
import { namespace } from "../../src/kafka/topics.ts";
import { createLogger } from "../../src/log.ts";
import { createMetrics } from "../../src/metrics.ts";

const unused = (what: string) => () => { throw new Error(`${what} is not used by this test`); };

/** The shop's defaults for the edge's limits, as config.ts has them. */
export const DEFAULT_LIMITS: LimitSettings = {
  RATE_LIMITS: "on", ORDERS_PER_MINUTE_PER_SESSION: 6, ORDERS_PER_MINUTE_PER_ADDRESS: 30, UNITS_PER_ORDER: 20,
  UNITS_PER_SESSION_PER_DAY: 50, UNITS_PER_ADDRESS_PER_DAY: 200, STREAMS_PER_SESSION: 10, STREAMS_PER_ADDRESS: 50, STREAMS_PER_INSTANCE: 2000,
};

/** Dependencies for an in-memory app (`createApp(testDeps({...}))`): whatever a test does not give throws if used. */
export function testDeps(overrides: Partial<ApiDeps> = {}, limits: Partial<LimitSettings> = {}): ApiDeps {
  return {
    catalog: { search: unused("catalog.search"), categories: unused("catalog.categories"), get: unused("catalog.get"), bySlug: unused("catalog.bySlug"), lastListed: unused("catalog.lastListed"), listedSlugs: unused("catalog.listedSlugs"), stock: unused("catalog.stock"), unknown: unused("catalog.unknown") },
    orders: {
      get: unused("orders.get"), list: unused("orders.list"), state: unused("orders.state"), outcome: unused("orders.outcome"),
      search: unused("orders.search"), history: unused("orders.history"),
    },
    sendCommand: unused("sendCommand"),
    statusFeed: { watch: unused("statusFeed.watch") },
    stockFeed: { onStock: unused("stockFeed.onStock") },
    limits: createLimits({ ...DEFAULT_LIMITS, ...limits }),
    shopUrl: undefined,
    sitemapUrlsPerFile: 50_000,
    jaegerUi: undefined,
    trustProxy: false,
    accepting: () => true,
    notReady: async () => [],
    operations: { overview: unused("operations.overview"), deadLetters: unused("operations.deadLetters"), replay: unused("operations.replay") },
    catalogAdmin: {
      list: unused("catalogAdmin.list"), get: unused("catalogAdmin.get"), skuTaken: unused("catalogAdmin.skuTaken"),
      movements: unused("catalogAdmin.movements"), send: unused("catalogAdmin.send"),
      category: unused("catalogAdmin.category"), slugTaken: unused("catalogAdmin.slugTaken"),
    },
    idempotencySecret: "idempotency-secret-for-tests",
    sessionSecret: "session-secret-for-tests",
    linkSecret: "link-secret-for-tests",
    brokers: [],
    ns: namespace(""),
    adminToken: undefined,
    metrics: createMetrics(),
    log: createLogger("error", {}, () => {}),
    ...overrides,
  };
}
