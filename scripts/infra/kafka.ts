import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { kafkaCreatesTopics, kafkaBrokerCount, listening, probeKafka } from "./probe.ts";
import { InfraError, isAlive, lastLines, mustRun, run, say, tail } from "./run.ts";
import { infraDir, shown, type Started } from "./state.ts";
import type { KafkaTarget } from "./targets.ts";

const KAFKA_VERSION = "4.4.0";
/** The log4j-core that kafka_2.13 pulls in; its slf4j bridge, without which the broker logs nowhere, must match it. */
const LOG4J_VERSION = "2.25.5";
const STARTUP_LIMIT_MS = 90_000;

const home = resolve(infraDir, "kafka");
const libs = resolve(home, "libs");

type NativeKafka = Extract<Started, { by: "native" }>;

/**
 * One KRaft node, broker and controller in one JVM. Its files live in `dir`: server.properties,
 * log4j2.properties, kafka.log, pid and data/.
 */
export type KafkaNode = { id: number; host: string; port: number; controllerPort: number; dir: string };

/**
 * The nodes `infra:up` runs for `count` brokers from the first address of KAFKA_BROKERS. One node
 * keeps the layout it always had (controller on the next port, files in .infra/kafka); a cluster
 * puts its brokers on consecutive ports (9092–9094) and its controllers 100 above (9192–9194).
 */
export function localNodes(kafka: KafkaTarget, count: number): KafkaNode[] {
  if (count === 1) return [{ id: 1, host: kafka.host, port: kafka.port, controllerPort: kafka.port + 1, dir: home }];
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    host: kafka.host,
    port: kafka.port + i,
    controllerPort: kafka.port + 100 + i,
    dir: resolve(home, "cluster", `node-${i + 1}`),
  }));
}

export const address = (node: KafkaNode) => `${node.host}:${node.port}`;

function files(node: KafkaNode) {
  return {
    data: resolve(node.dir, "data"),
    pid: resolve(node.dir, "pid"),
    log: resolve(node.dir, "kafka.log"),
    properties: resolve(node.dir, "server.properties"),
    log4j: resolve(node.dir, "log4j2.properties"),
  };
}

const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>shop</groupId>
  <artifactId>kafka-runtime</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
`;

async function requireJava() {
  if (!Bun.which("java")) throw new InfraError("java not found: apt-get install -y openjdk-17-jre-headless");
  const { stderr } = await run(["java", "-version"]);
  const major = Number(/version "(\d+)/.exec(stderr)?.[1]);
  if (major < 17) throw new InfraError(`Kafka ${KAFKA_VERSION} needs java 17 or newer, found ${major}: apt-get install -y openjdk-17-jre-headless`);
}

/** Once per checkout; Maven's local repository makes it cheap for every further clone. */
async function ensureJars() {
  if (await Bun.file(resolve(libs, `kafka_2.13-${KAFKA_VERSION}.jar`)).exists()) return;
  if (!Bun.which("mvn")) throw new InfraError("mvn not found: apt-get install -y maven");
  say(`fetching Kafka ${KAFKA_VERSION} and its libraries from Maven Central into ${shown(libs)}: once, about a minute`);
  await mkdir(home, { recursive: true });
  const pomFile = resolve(home, "pom.xml");
  const download = `${libs}.partial`;
  await Bun.write(pomFile, pom);
  await rm(download, { recursive: true, force: true });
  const fetched = await run(
    ["mvn", "-q", "-B", "-f", pomFile, "dependency:copy-dependencies", "-DincludeScope=runtime", `-DoutputDirectory=${download}`],
    { timeoutMs: 600_000 },
  );
  if (fetched.code !== 0) throw new InfraError(`mvn could not fetch Kafka ${KAFKA_VERSION}:\n${lastLines(fetched.stdout + fetched.stderr)}`);
  await rm(libs, { recursive: true, force: true });
  await rename(download, libs);
}

/**
 * Every node is a controller too, so the quorum survives the loss of any one node of three.
 * Internal topics get as many replicas as the cluster allows, up to three. `extra` lines come last
 * and so override any line before them (a test's TLS listener, for one).
 */
function serverProperties(node: KafkaNode, nodes: KafkaNode[], extra: string): string {
  const replicas = Math.min(3, nodes.length);
  const minIsr = Math.max(1, replicas - 1);
  const voters = nodes.map((n) => `${n.id}@${n.host}:${n.controllerPort}`).join(",");
  return `# Rewritten by scripts/infra.ts at every start, from KAFKA_BROKERS: edits here are lost.
process.roles=broker,controller
node.id=${node.id}
controller.quorum.voters=${voters}
listeners=PLAINTEXT://${address(node)},CONTROLLER://${node.host}:${node.controllerPort}
advertised.listeners=PLAINTEXT://${address(node)}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${files(node).data}
num.partitions=6
default.replication.factor=${replicas}
min.insync.replicas=${minIsr}
offsets.topic.replication.factor=${replicas}
transaction.state.log.replication.factor=${replicas}
transaction.state.log.min.isr=${minIsr}
share.coordinator.state.topic.replication.factor=${replicas}
share.coordinator.state.topic.min.isr=${minIsr}
# Consumer groups of the tests join at once instead of after the default 3 s.
group.initial.rebalance.delay.ms=0
# The app creates its topics itself; a typo in a topic name must fail, not create a topic.
auto.create.topics.enable=false
${extra}`;
}

// Appends to the file the JVM's stdout and stderr go to, so one file tells the whole story.
// Kafka logs its shutdown from a JVM shutdown hook; log4j's own hook would close the file under it.
const log4jProperties = (logFile: string) => `status = warn
shutdownHook = disable
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${logFile}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
`;

/** The pid in the node's pid file, if that process is still that node (pids get reused). */
export async function nodePid(node: KafkaNode): Promise<number | undefined> {
  const { pid: pidFile, properties } = files(node);
  const file = Bun.file(pidFile);
  if (!(await file.exists())) return undefined;
  const pid = Number(await file.text());
  if (!(pid > 0) || !isAlive(pid)) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.includes("kafka.Kafka") && cmdline.includes(properties) ? pid : undefined;
}

async function java(args: string[], cwd: string) {
  return mustRun(["java", "-cp", `${libs}/*`, ...args], { cwd });
}

/** All nodes of a cluster share one id: the one a node already has, or a new one. */
async function clusterId(nodes: KafkaNode[]): Promise<string> {
  for (const node of nodes) {
    const meta = await Bun.file(resolve(files(node).data, "meta.properties")).text().catch(() => "");
    const id = /^cluster\.id=(.+)$/m.exec(meta)?.[1];
    if (id) return id.trim();
  }
  return (await java(["kafka.tools.StorageTool", "random-uuid"], nodes[0]!.dir)).stdout.trim();
}

export type NodeOptions = {
  /** Properties appended to each node's file. */
  extra?: (node: KafkaNode) => string;
  /** Arguments for the storage format, such as `--add-scram` for SCRAM users. */
  formatArgs?: string[];
  heap?: string;
};

/** Writes every node's configuration and formats the storage of those that have none yet. */
async function prepare(nodes: KafkaNode[], options: NodeOptions) {
  await requireJava();
  await ensureJars();
  for (const node of nodes) {
    await mkdir(node.dir, { recursive: true });
    await Bun.write(files(node).properties, serverProperties(node, nodes, options.extra?.(node) ?? ""));
    await Bun.write(files(node).log4j, log4jProperties(files(node).log));
  }
  const id = await clusterId(nodes);
  for (const node of nodes) {
    if (await Bun.file(resolve(files(node).data, "meta.properties")).exists()) continue;
    await java(["kafka.tools.StorageTool", "format", "-t", id, "-c", files(node).properties, ...(options.formatArgs ?? [])], node.dir);
  }
}

/** Starts one prepared node in a session of its own, so it outlives this script and a Ctrl-C in its terminal. */
export async function startNode(node: KafkaNode, heap = "512m"): Promise<Subprocess> {
  const { log, log4j, pid, properties } = files(node);
  // Emptied at each start, so the tail printed when a start fails is that start's; then opened for
  // appending, as log4j's file is, so neither writer overwrites the other.
  await Bun.write(log, "");
  const output = openSync(log, "a");
  const broker = Bun.spawn(
    ["java", `-Xmx${heap}`, `-Dlog4j2.configurationFile=${log4j}`, "-cp", `${libs}/*`, "kafka.Kafka", properties],
    { cwd: node.dir, stdio: ["ignore", output, output], detached: true },
  );
  closeSync(output);
  broker.unref();
  await Bun.write(pid, `${broker.pid}\n`);
  return broker;
}

/** Starts the nodes and waits until the cluster has every broker and creates topics. */
export async function startNodes(nodes: KafkaNode[], options: NodeOptions = {}, probeAt = nodes.map(address)): Promise<void> {
  await prepare(nodes, options);
  const brokers = await Promise.all(nodes.map((node) => startNode(node, options.heap)));
  await waitUntilUp(nodes, brokers, probeAt);
}

async function waitUntilUp(nodes: KafkaNode[], brokers: Subprocess[], probeAt: string[]) {
  const target = { brokers: probeAt, host: nodes[0]!.host, port: nodes[0]!.port, address: probeAt[0]! };
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  const giveUp = async (why: string) => {
    for (const broker of brokers) broker.kill("SIGKILL");
    await Promise.all(brokers.map((b) => b.exited));
    for (const node of nodes) await unlink(files(node).pid).catch(() => {});
    throw new InfraError(`${why}\n${(await Promise.all(nodes.map((n) => tail(files(n).log)))).join("\n")}`);
  };
  for (;;) {
    const exited = brokers.findIndex((b) => b.exitCode !== null || b.signalCode !== null);
    if (exited >= 0) await giveUp(`Kafka node ${nodes[exited]!.id} exited while starting`);
    if ((await probeKafka(target)).state === "answers"
      && (await kafkaBrokerCount(target)) === nodes.length
      && (await kafkaCreatesTopics(target))) return;
    if (Date.now() > deadline) await giveUp(`Kafka was not up after ${STARTUP_LIMIT_MS / 1000} s; stopped it`);
    await Bun.sleep(1_000);
  }
}

/** SIGTERM, so the logs are closed cleanly and the next start needs no recovery; SIGKILL after 30 s. */
export async function stopNode(node: KafkaNode): Promise<void> {
  const pid = await nodePid(node);
  if (pid) {
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await Bun.sleep(250);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await unlink(files(node).pid).catch(() => {});
}

export async function stopNodes(nodes: KafkaNode[]): Promise<void> {
  await Promise.all(nodes.map(stopNode));
}

/** `kill -9`: the node gets no chance to hand over leadership or flush anything. */
export async function killNode(node: KafkaNode): Promise<void> {
  const pid = await nodePid(node);
  if (!pid) throw new Error(`Kafka node ${node.id} is not running`);
  process.kill(pid, "SIGKILL");
  while (isAlive(pid)) await Bun.sleep(50);
}

export async function startKafka(kafka: KafkaTarget, count: number): Promise<NativeKafka> {
  const nodes = localNodes(kafka, count);
  for (const node of nodes) {
    const running = await nodePid(node);
    if (running) throw new InfraError(`the Kafka node from ${shown(node.dir)} (pid ${running}) runs but does not answer at ${address(node)}: run infra:down first`);
    for (const port of [node.port, node.controllerPort]) {
      if (await listening(node.host, port)) throw new InfraError(`port ${port} is taken; a native Kafka of ${count} node${count === 1 ? "" : "s"} needs ${nodes.flatMap((n) => [n.port, n.controllerPort]).join(", ")}`);
    }
  }
  say(`starting Kafka ${KAFKA_VERSION}: ${count === 1 ? "one node" : `${count} nodes`} on ${nodes.map(address).join(", ")} (log in ${nodes.map((n) => shown(files(n).log)).join(", ")})`);
  await startNodes(nodes);
  return { by: "native", address: kafka.address, dataDir: count === 1 ? files(nodes[0]!).data : resolve(home, "cluster"), brokers: count };
}

export async function stopKafka(kafka: KafkaTarget, count: number) {
  await stopNodes(localNodes(kafka, count));
}

/** The pids of the nodes that run, in node order; none when none does. */
export async function kafkaPids(kafka: KafkaTarget, count: number): Promise<number[]> {
  const pids = await Promise.all(localNodes(kafka, count).map(nodePid));
  return pids.filter((pid): pid is number => pid !== undefined);
}
