import type { Server } from "bun";
import type { Config } from "./config.ts";
import { connect } from "./db/client.ts";
import { checkDatabaseLocale } from "./db/locale.ts";
import { migrate } from "./db/migrate.ts";
import { getOrder, listOrders, orderTraceParent } from "./db/orders.ts";
import { commandOutcome, orderHistory, orderState } from "./db/lifecycle.ts";
import { searchOrders } from "./db/orderSearch.ts";
import { readSecret } from "./db/settings.ts";
import { listenForStatusChanges, postgresStatusSource, type StatusFeed } from "./db/statusFeed.ts";
import { cachedCatalog } from "./db/catalogCache.ts";
import { listenForCatalogChanges, type CatalogFeed } from "./db/catalogFeed.ts";
import { createApp, MAX_HEADER_BYTES } from "./http/app.ts";
import type { ApiDeps } from "./http/deps.ts";
import { createLimits } from "./http/limits/index.ts";
import { sessions } from "./http/middleware/session.ts";
import { headerLimited, storefrontRoutes } from "./http/storefront.ts";
import { createKafka } from "./kafka/client.ts";
import { consumerLag } from "./kafka/lag.ts";
import { jsonMessage } from "./kafka/message.ts";
import { BatchingPublisher, type Outbound } from "./kafka/publisher.ts";
import { tracedPublisher } from "./kafka/tracedPublisher.ts";
import { RenewingProducer } from "./kafka/producer.ts";
import { watchLag } from "./kafka/stallWatch.ts";
import { namespace, prepareTopics } from "./kafka/topics.ts";
import type { Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { catalogAdmin } from "./operations/catalog.ts";
import { operations } from "./operations/index.ts";
import { readiness } from "./readiness.ts";
import { commandTrace } from "./tracing/commandTrace.ts";
import { tracingOn } from "./tracing/setup.ts";
import { patiently } from "./waiting.ts";
import { startWorker, type Worker } from "./worker/index.ts";
import { startNotifier, type Notifier } from "./worker/notifier.ts";

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

/**
 * Starts the roles asked for, sharing one Kafka client, each role with a producer of its own: a
 * producer sends one request at a time, and at saturation the worker's events queued behind the
 * API's commands, so placing and confirming slowed to the pace of the API's backlog.
 */
export async function startShop(config: Config, log: Logger): Promise<Shop> {
  const roles = new Set(config.ROLES);
  const ns = namespace(config.KAFKA_TOPIC_PREFIX);
  const metrics = createMetrics();
  // postgres.js opens connections when a query needs one: a pool the roles do not use stays empty.
  const consumerSql = connect(config.DATABASE_URL, log.child({ component: "postgres", pool: "consumers" }), CONSUMER_POOL);
  const sql = connect(config.DATABASE_URL, log.child({ component: "postgres", pool: "http" }), HTTP_POOL);
  await patiently("database migration", log, () => migrate(sql, log));
  await checkDatabaseLocale(sql, log);
  const idempotencySecret = await readSecret(sql, "idempotency_secret");
  const sessionSecret = await readSecret(sql, "session_secret");
  const linkSecret = await readSecret(sql, "link_secret");

  const kafka = createKafka(config, log);
  const admin = kafka.admin();
  await patiently("kafka topics", log, async () => {
    await admin.connect();
    await prepareTopics(admin, ns.topics, { partitions: config.KAFKA_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR }, log);
  });
  const producers: RenewingProducer[] = [];
  const publisherFor = async (role: string) => {
    const producer = new RenewingProducer(kafka, log.child({ component: "producer", role }));
    await patiently("kafka producer", log, () => producer.connect());
    producers.push(producer);
    const publisher = new BatchingPublisher(producer);
    return tracingOn() ? tracedPublisher(publisher) : publisher;
  };
  metrics.measureLag(() => consumerLag(admin, ns.subscriptions));
  metrics.measureServices({ kafka: () => admin.describeCluster(), postgres: () => sql`SELECT 1` });

  let stopping = false;
  let worker: Worker | undefined;
  let notifier: Notifier | undefined;
  let stopWatchingLag = () => {};
  let server: Server<unknown> | undefined;
  let statusFeed: StatusFeed | undefined;
  let catalogFeed: CatalogFeed | undefined;

  if (roles.has("worker")) {
    worker = await startWorker({ kafka, ns, sql: consumerSql, publisher: await publisherFor("worker"), log, metrics });
  }
  if (roles.has("notifier")) {
    if (config.SMTP_URL) {
      notifier = await startNotifier({
        kafka, ns, sql: consumerSql, publisher: await publisherFor("notifier"), log, metrics,
        smtp: { url: config.SMTP_URL, from: config.SMTP_FROM }, shopUrl: config.SHOP_URL ?? `http://localhost:${config.PORT}`, linkSecret,
      });
    } else log.info("notifier off: SMTP_URL is unset, so no mail is sent");
  }
  // Every consumer of this instance is watched; only the order pipeline's decide /readyz, so an SMTP
  // server that is down stalls the mails and leaves the instance taking orders.
  const consumers = [...(worker?.consumers ?? []), ...(notifier ? [notifier.consumer] : [])];
  if (consumers.length > 0) {
    stopWatchingLag = watchLag(admin, consumers);
    metrics.measureStalls(() => consumers.map((c) => ({ group: c.groupId, stalled: c.progress.stalled() })));
  }

  if (roles.has("api")) {
    const publisher = await publisherFor("api");
    statusFeed = await listenForStatusChanges(postgresStatusSource(sql), log);
    catalogFeed = await listenForCatalogChanges(sql, log);
    const limits = createLimits(config);
    const feed = statusFeed;
    metrics.sample("shop_event_streams_open", "Order event streams open on this instance.", () => limits.streams.count);
    metrics.sample("shop_event_streams_orders_watched", "Orders the open event streams watch, all read by one query per interval.", () => feed.watched);
    metrics.sample("shop_rate_limits_enabled", "1 when RATE_LIMITS is on, 0 when every rate limit and per-client cap is off.", () => (config.RATE_LIMITS === "on" ? 1 : 0));
    const deps: ApiDeps = {
      catalog: cachedCatalog(sql, catalogFeed),
      orders: {
        get: (id, viewer) => getOrder(sql, id, viewer),
        list: (viewer, limit) => listOrders(sql, viewer, limit),
        state: (id, viewer) => orderState(sql, id, viewer),
        outcome: (commandId) => commandOutcome(sql, commandId),
        search: (query) => searchOrders(sql, query),
        history: (id) => orderHistory(sql, id),
      },
      sendCommand: async (command, correlationId, deadline, trace) => {
        const message: Outbound = jsonMessage(ns.topics.commands, command.orderId, command, { "correlation-id": correlationId });
        if (trace) message.trace = await commandTrace(command, trace, () => orderTraceParent(sql, command.orderId));
        return publisher.publish([message], deadline);
      },
      statusFeed,
      stockFeed: catalogFeed,
      limits,
      shopUrl: config.SHOP_URL,
      sitemapUrlsPerFile: config.SITEMAP_URLS_PER_FILE,
      jaegerUi: config.JAEGER_UI_URL ? { url: config.JAEGER_UI_URL, service: config.OTEL_SERVICE_NAME } : undefined,
      trustProxy: config.TRUST_PROXY,
      accepting: () => !stopping,
      notReady: readiness(sql, admin, { pipeline: () => worker?.consumers ?? [], notifier: () => notifier?.consumer }, () => stopping),
      operations: operations({ sql, admin, ns, publisher, consumers: () => consumers, log: log.child({ component: "operations" }) }),
      catalogAdmin: catalogAdmin({ sql, publisher, topic: ns.topics.catalogCommands, feed: catalogFeed, log: log.child({ component: "catalog" }) }),
      idempotencySecret,
      sessionSecret,
      linkSecret,
      brokers: config.KAFKA_BROKERS,
      ns,
      adminToken: config.ADMIN_TOKEN,
      metrics,
      log,
    };
    const routes = await storefrontRoutes({ sessions: sessions(sessionSecret), trustProxy: config.TRUST_PROXY });
    const app = createApp(deps, Object.keys(routes));
    server = Bun.serve({ port: config.PORT, routes: headerLimited(routes, MAX_HEADER_BYTES, app.fetch), fetch: app.fetch, development: false });
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
      stopWatchingLag();
      await Promise.all([worker?.stop(), notifier?.stop()]);
      await statusFeed?.close();
      await catalogFeed?.close();
      await Promise.all(producers.map((p) => p.disconnect()));
      await admin.disconnect();
      await Promise.all([consumerSql.end({ timeout: 5 }), sql.end({ timeout: 5 })]);
    },
  };
}
