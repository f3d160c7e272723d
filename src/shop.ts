import type { Server } from "bun";
import type { Config } from "./config.ts";
import { connect } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { getOrder, listOrders } from "./db/orders.ts";
import { getProduct, knownProductIds, listProducts } from "./db/products.ts";
import { readSecret } from "./db/settings.ts";
import { listenForStatusChanges, postgresStatusSource, type StatusFeed } from "./db/statusFeed.ts";
import { listenForCatalogChanges, type CatalogFeed } from "./db/catalogFeed.ts";
import { createApp } from "./http/app.ts";
import type { ApiDeps } from "./http/deps.ts";
import { createLimits } from "./http/limits/index.ts";
import { sessions } from "./http/middleware/session.ts";
import { storefrontRoutes } from "./http/storefront.ts";
import { createKafka } from "./kafka/client.ts";
import { BatchingPublisher } from "./kafka/publisher.ts";
import { consumerLag } from "./kafka/lag.ts";
import { RenewingProducer } from "./kafka/producer.ts";
import { clusterReplication } from "./kafka/replication.ts";
import { ensureTopics, namespace } from "./kafka/topics.ts";
import type { Logger } from "./log.ts";
import { createMetrics, Sampled } from "./metrics.ts";
import { catalogAdmin } from "./operations/catalog.ts";
import { operations } from "./operations/index.ts";
import { readiness } from "./readiness.ts";
import { startWorker, type Worker } from "./worker/index.ts";

const STREAM_GRACE_MS = 2_000;
/**
 * Two pools, so that no amount of HTTP traffic can take a connection the consumers need. The
 * consumers hold one transaction per batch; the HTTP side's queries are short reads (event streams
 * share one status feed, which listens on a connection of its own).
 */
const CONSUMER_POOL = 10;
const HTTP_POOL = 10;
/**
 * How long a stopping instance keeps its port open answering /readyz with 503 (and new API requests
 * with 503), so a load balancer that polls readiness takes it out before connections are refused.
 */
const UNREADY_MS = 1_000;

export type Shop = { url?: string; stop(): Promise<void> };

/** Tries a start-up step until it works or `deadlineMs` passes: the services may still be starting. */
async function patiently<T>(what: string, log: Logger, step: () => Promise<T>, deadlineMs = 60_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5_000)) {
    try {
      return await step();
    } catch (error) {
      if (Date.now() + delay > until) throw new Error(`${what}: ${(error as Error).message}`);
      log.warn(`${what} failed, retrying`, { err: error, delayMs: delay });
      await Bun.sleep(delay);
    }
  }
}

/**
 * The last result of `load` for up to `ms`, one load at a time: the catalog is read by every
 * visitor, and stock a quarter of a second old is as good as fresh for browsing (orders are
 * checked against the locked rows, never against this).
 */
function freshFor<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  let at = 0;
  return () => {
    if (!value || performance.now() - at > ms) {
      at = performance.now();
      value = load();
      value.catch(() => { value = undefined; });
    }
    return value;
  };
}

/** Starts the roles asked for, sharing one Kafka client and one producer. */
export async function startShop(config: Config, log: Logger): Promise<Shop> {
  const roles = new Set(config.ROLES);
  const ns = namespace(config.KAFKA_TOPIC_PREFIX);
  const metrics = createMetrics();
  // postgres.js opens connections when a query needs one: a pool the roles do not use stays empty.
  const consumerSql = connect(config.DATABASE_URL, log.child({ component: "postgres", pool: "consumers" }), CONSUMER_POOL);
  const sql = connect(config.DATABASE_URL, log.child({ component: "postgres", pool: "http" }), HTTP_POOL);
  await patiently("database migration", log, () => migrate(sql, log));
  const idempotencySecret = await readSecret(sql, "idempotency_secret");
  const sessionSecret = await readSecret(sql, "session_secret");

  const kafka = createKafka(config, log);
  const admin = kafka.admin();
  await patiently("kafka topics", log, async () => {
    await admin.connect();
    const replication = await clusterReplication(admin, config.KAFKA_REPLICATION_FACTOR);
    const { created, underReplicated } = await ensureTopics(admin, ns.topics, config.KAFKA_PARTITIONS, replication);
    if (created.length > 0) log.info("topics created", { topics: created, partitions: config.KAFKA_PARTITIONS, ...replication });
    for (const { topic, replicas } of underReplicated) {
      log.warn(`topic ${topic} has ${replicas} replica${replicas === 1 ? "" : "s"} where this cluster calls for ${replication.replicationFactor}: losing a broker can lose its acknowledged messages; add replicas with kafka-reassign-partitions.sh (README, Running in production)`, { topic, replicas, replicationFactor: replication.replicationFactor });
    }
  });
  const producer = new RenewingProducer(kafka, log.child({ component: "producer" }));
  await patiently("kafka producer", log, () => producer.connect());
  const publisher = new BatchingPublisher(producer);
  metrics.measureLag(() => consumerLag(admin, ns.subscriptions));

  let stopping = false;
  let worker: Worker | undefined;
  let server: Server<unknown> | undefined;
  let statusFeed: StatusFeed | undefined;
  let catalogFeed: CatalogFeed | undefined;

  if (roles.has("worker")) {
    worker = await startWorker({ kafka, ns, sql: consumerSql, publisher, log, metrics });
    const consumers = worker.consumers;
    metrics.measureStalls(() => consumers.map((c) => ({ group: c.groupId, stalled: c.progress.stalled() })));
  }

  if (roles.has("api")) {
    statusFeed = await listenForStatusChanges(postgresStatusSource(sql), log);
    catalogFeed = await listenForCatalogChanges(sql, log);
    const limits = createLimits(config);
    const feed = statusFeed;
    metrics.registry.register(new Sampled("shop_event_streams_open", "Order event streams open on this instance.", () => [[{}, limits.streams.count]]));
    metrics.registry.register(new Sampled("shop_event_streams_orders_watched", "Orders the open event streams watch, all read by one query per interval.", () => [[{}, feed.watched]]));
    metrics.registry.register(new Sampled("shop_rate_limits_enabled", "1 when RATE_LIMITS is on, 0 when every rate limit and per-client cap is off.", () => [[{}, config.RATE_LIMITS === "on" ? 1 : 0]]));
    const known = new Set<string>();
    // An archived product can no longer be ordered: it leaves the ids known to be orderable.
    catalogFeed.onStock((change) => { if (change.archived) known.delete(change.id); });
    const deps: ApiDeps = {
      catalog: {
        list: freshFor(250, () => listProducts(sql)),
        get: (id) => getProduct(sql, id),
        async unknown(ids) {
          const unseen = ids.filter((id) => !known.has(id));
          if (unseen.length === 0) return [];
          for (const id of await knownProductIds(sql, unseen)) known.add(id);
          return unseen.filter((id) => !known.has(id));
        },
      },
      orders: {
        get: (id, viewer) => getOrder(sql, id, viewer),
        list: (viewer, limit) => listOrders(sql, viewer, limit),
      },
      sendCommand: (command, correlationId, deadline) => publisher.publish([{
        topic: ns.topics.commands, key: command.orderId, value: JSON.stringify(command),
        headers: { type: command.type, "correlation-id": correlationId },
      }], deadline),
      statusFeed,
      stockFeed: catalogFeed,
      limits,
      trustProxy: config.TRUST_PROXY,
      accepting: () => !stopping,
      notReady: readiness(sql, admin, () => worker?.consumers ?? [], () => stopping),
      operations: operations({ sql, admin, ns, publisher, consumers: () => worker?.consumers ?? [], log: log.child({ component: "operations" }) }),
      catalogAdmin: catalogAdmin({ sql, publisher, topic: ns.topics.catalogCommands, feed: catalogFeed, log: log.child({ component: "catalog" }) }),
      idempotencySecret,
      sessionSecret,
      brokers: config.KAFKA_BROKERS,
      ns,
      adminToken: config.ADMIN_TOKEN,
      metrics,
      log,
    };
    const routes = await storefrontRoutes({ sessions: sessions(sessionSecret), trustProxy: config.TRUST_PROXY });
    const app = createApp(deps, Object.keys(routes));
    server = Bun.serve({ port: config.PORT, routes, fetch: app.fetch, development: false });
    log.info("http listening", { url: server.url.href, roles: [...roles] });
  }

  return {
    url: server?.url.href,
    async stop() {
      stopping = true;
      // In-flight requests finish while new ones get 503; event streams, which never finish by
      // themselves, are cut after a grace period and their browsers reconnect to another instance.
      if (server) {
        await Bun.sleep(UNREADY_MS);
        const closed = server.stop(false);
        await Promise.race([closed, Bun.sleep(STREAM_GRACE_MS)]);
        await server.stop(true);
      }
      await worker?.stop();
      await statusFeed?.close();
      await catalogFeed?.close();
      await producer.disconnect();
      await admin.disconnect();
      await Promise.all([consumerSql.end({ timeout: 5 }), sql.end({ timeout: 5 })]);
    },
  };
}
