// Preloaded first by bunfig.toml: the whole run, and every binary it starts, works in a namespace of
// its own (database shop_<TEST_NAMESPACE>, topics and groups prefixed "<TEST_NAMESPACE>."), so a
// shop started with ./scripts/start.sh keeps running beside the tests and never sees their data.
import { Kafka, logLevel } from "kafkajs";
import postgres from "postgres";
import { loadConfig } from "../../src/config.ts";
import { migrate } from "../../src/db/migrate.ts";
import { clusterReplication } from "../../src/kafka/replication.ts";
import { ensureTopics, namespace } from "../../src/kafka/topics.ts";
import { createLogger } from "../../src/log.ts";
import { ownNamespace } from "../../scripts/namespace.ts";
import { untilTopicsAnswer } from "./topics.ts";

const own = await ownNamespace(process.env.TEST_NAMESPACE ?? "test");
// What a shop started by the user would use: the test that checks it is left alone looks there.
process.env.USER_DATABASE_URL ??= process.env.DATABASE_URL ?? "";
process.env.USER_KAFKA_TOPIC_PREFIX ??= process.env.KAFKA_TOPIC_PREFIX ?? "";
Object.assign(process.env, own);
const config = loadConfig(process.env);

// Tests make products, and watch topics, before their first shop starts: the shop would create
// both only at its start.
const sql = postgres(config.DATABASE_URL, { max: 1, onnotice: () => {} });
await migrate(sql, createLogger("error", {}, () => {}));
await sql.end({ timeout: 5 });
const admin = new Kafka({ clientId: "shop-tests", brokers: config.KAFKA_BROKERS, logLevel: logLevel.NOTHING }).admin();
await admin.connect();
const { topics } = namespace(config.KAFKA_TOPIC_PREFIX);
await ensureTopics(admin, topics, config.KAFKA_PARTITIONS, await clusterReplication(admin, config.KAFKA_REPLICATION_FACTOR));
await untilTopicsAnswer(admin, Object.values(topics));
await admin.disconnect();
