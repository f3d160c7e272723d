import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rm } from "node:fs/promises";
import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import { loadConfig } from "../../src/config.ts";
import { createKafka } from "../../src/kafka/client.ts";
import { createLogger } from "../../src/log.ts";
import { KEYSTORE_PASSWORD, makeCertificates } from "../support/certificates.ts";
import { startTestCluster, type TestCluster } from "../support/cluster.ts";
import { createProduct } from "../support/db.ts";
import { readStatusEvents, session, shippingAddress } from "../support/http.ts";
import { startShop, type RunningShop } from "../support/shop.ts";

const USER = "shop";
const PASSWORD = `pw-${crypto.randomUUID()}`;
let certs: Awaited<ReturnType<typeof makeCertificates>>;
let cluster: TestCluster;
let saslAddress: string;
let shop: RunningShop | undefined;

beforeAll(async () => {
  certs = await makeCertificates();
  // The plaintext listener is the brokers' own (and where the test checks the broker is up); clients
  // get SASL_SSL only, as on a managed cluster. SCRAM users live in the cluster metadata, written at format.
  cluster = await startTestCluster(1, {
    extraPorts: 1,
    formatArgs: ["--add-scram", `SCRAM-SHA-256=[name=${USER},password=${PASSWORD}]`, "--add-scram", `SCRAM-SHA-512=[name=${USER},password=${PASSWORD}]`],
    properties: (node, [saslPort]) => `listeners=PLAINTEXT://127.0.0.1:${node.port},SASL_SSL://127.0.0.1:${saslPort},CONTROLLER://127.0.0.1:${node.controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${node.port},SASL_SSL://127.0.0.1:${saslPort}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PKCS12
ssl.keystore.location=${certs.keystore}
ssl.keystore.password=${KEYSTORE_PASSWORD}
ssl.key.password=${KEYSTORE_PASSWORD}
`,
  });
  saslAddress = `127.0.0.1:${cluster.extraPorts[0]}`;
}, 120_000);

afterAll(async () => {
  const code = await shop?.stop();
  await cluster?.stop();
  if (certs) await rm(certs.dir, { recursive: true, force: true });
  expect(code).toBe(0);
}, 60_000);

/** What the binary does at start with these settings: connect and list the topics. */
async function connects(env: Record<string, string>, ca?: string): Promise<string> {
  const config = loadConfig({ KAFKA_BROKERS: saslAddress, ...env });
  const kafka = ca
    // The same settings, with the CA handed to kafkajs directly: this process cannot trust it otherwise.
    ? new Kafka({ brokers: config.KAFKA_BROKERS, ssl: { ca: [ca] }, sasl: { mechanism: config.KAFKA_SASL_MECHANISM!, username: USER, password: config.KAFKA_SASL_PASSWORD! } as SASLOptions, logLevel: logLevel.NOTHING, retry: { retries: 0 } })
    : createKafka(config, createLogger("error", {}, () => {}));
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    await admin.listTopics();
    return "connected";
  } catch (error) {
    return (error as Error).message;
  } finally {
    await admin.disconnect();
  }
}

describe("managed Kafka: TLS and SASL/SCRAM", () => {
  test("the shop binary reaches a SASL_SSL listener with KAFKA_SSL and KAFKA_SASL_*, trusting the test's CA through NODE_EXTRA_CA_CERTS, and an order goes end to end", async () => {
    shop = await startShop({
      KAFKA_BROKERS: saslAddress,
      KAFKA_SSL: "true",
      KAFKA_SASL_MECHANISM: "scram-sha-512",
      KAFKA_SASL_USERNAME: USER,
      KAFKA_SASL_PASSWORD: PASSWORD,
      NODE_EXTRA_CA_CERTS: certs.ca,
    }, "managed-kafka");
    const productId = await createProduct({ stock: 5 });
    const customer = session(shop.url);
    const response = await customer.postOrder({ customer: { name: "Ada Lovelace", email: "ada@example.com" }, shippingAddress, items: [{ productId, quantity: 1 }] });
    expect(response.status).toBe(202);
    const { id } = await response.json();
    const events = await readStatusEvents(shop.url, id);
    expect(events.at(-1)?.status).toBe("confirmed");
    expect(await Bun.file(shop.logFile).text()).not.toContain(PASSWORD);
  }, 120_000);

  test("what lets it in is exactly that: the right SCRAM password over TLS, with a CA it trusts", async () => {
    const ca = await Bun.file(certs.ca).text();
    const sasl = { KAFKA_SSL: "true", KAFKA_SASL_MECHANISM: "scram-sha-256", KAFKA_SASL_USERNAME: USER };
    expect(await connects({ ...sasl, KAFKA_SASL_PASSWORD: PASSWORD }, ca)).toBe("connected");
    expect(await connects({ ...sasl, KAFKA_SASL_PASSWORD: "not-the-password" }, ca)).toMatch(/invalid credentials/);
    // This process trusts Bun's root CAs only (no NODE_EXTRA_CA_CERTS): the broker's certificate is refused.
    expect(await connects({ ...sasl, KAFKA_SASL_PASSWORD: PASSWORD })).toMatch(/certificate/i);
  }, 60_000);
});
