import { closeSync, openSync } from "node:fs";
import { mkdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import type { Subprocess } from "bun";
import { kafkaCreatesTopics, listening, probeKafka } from "./probe.ts";
import { InfraError, isAlive, lastLines, mustRun, run, say, tail } from "./run.ts";
import { infraDir, shown, type Started } from "./state.ts";
import type { KafkaTarget } from "./targets.ts";

const KAFKA_VERSION = "4.4.0";
/** The log4j-core that kafka_2.13 pulls in; its slf4j bridge, without which the broker logs nowhere, must match it. */
const LOG4J_VERSION = "2.25.5";
const STARTUP_LIMIT_MS = 90_000;

const home = resolve(infraDir, "kafka");
const libs = resolve(home, "libs");
const dataDir = resolve(home, "data");
const pidFile = resolve(home, "pid");
const logFile = resolve(home, "kafka.log");
const propertiesFile = resolve(home, "server.properties");
const log4jFile = resolve(home, "log4j2.properties");

type NativeKafka = Extract<Started, { by: "native" }>;

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

/** A single node that is its own controller, on the first broker address; the controller takes the next port. */
function serverProperties(kafka: KafkaTarget): string {
  const controller = `${kafka.host}:${kafka.port + 1}`;
  return `# Rewritten by scripts/infra.ts at every start, from KAFKA_BROKERS: edits here are lost.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${controller}
listeners=PLAINTEXT://${kafka.address},CONTROLLER://${controller}
advertised.listeners=PLAINTEXT://${kafka.address}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${dataDir}
num.partitions=6
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Consumer groups of the tests join at once instead of after the default 3 s.
group.initial.rebalance.delay.ms=0
# The app creates its topics itself; a typo in a topic name must fail, not create a topic.
auto.create.topics.enable=false
`;
}

// Appends to the file the JVM's stdout and stderr go to, so one file tells the whole story.
// Kafka logs its shutdown from a JVM shutdown hook; log4j's own hook would close the file under it.
const log4jProperties = `status = warn
shutdownHook = disable
appender.file.type = File
appender.file.name = file
appender.file.fileName = ${logFile}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.file.ref = file
`;

/** The pid in the pid file, if that process is still this checkout's broker (pids get reused). */
export async function brokerPid(): Promise<number | undefined> {
  const file = Bun.file(pidFile);
  if (!(await file.exists())) return undefined;
  const pid = Number(await file.text());
  if (!(pid > 0) || !isAlive(pid)) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.includes("kafka.Kafka") && cmdline.includes(propertiesFile) ? pid : undefined;
}

async function java(args: string[]) {
  return mustRun(["java", "-cp", `${libs}/*`, ...args], { cwd: home });
}

async function formatStorage() {
  if (await Bun.file(resolve(dataDir, "meta.properties")).exists()) return;
  const clusterId = (await java(["kafka.tools.StorageTool", "random-uuid"])).stdout.trim();
  await java(["kafka.tools.StorageTool", "format", "-t", clusterId, "-c", propertiesFile]);
}

export async function startKafka(kafka: KafkaTarget): Promise<NativeKafka> {
  await requireJava();
  const running = await brokerPid();
  if (running) throw new InfraError(`the Kafka from ${shown(home)} (pid ${running}) runs but does not answer at ${kafka.address}: run infra:down first`);
  if (await listening(kafka.host, kafka.port + 1)) {
    throw new InfraError(`port ${kafka.port + 1} is taken; a native Kafka on ${kafka.address} needs it for its controller`);
  }

  await mkdir(home, { recursive: true });
  await ensureJars();
  await Bun.write(propertiesFile, serverProperties(kafka));
  await Bun.write(log4jFile, log4jProperties);
  await formatStorage();

  say(`starting Kafka ${KAFKA_VERSION} on ${kafka.address} (log in ${shown(logFile)})`);
  // Emptied at each start, so the tail printed when a start fails is that start's; then opened for
  // appending, as log4j's file is, so neither writer overwrites the other.
  await Bun.write(logFile, "");
  const output = openSync(logFile, "a");
  const broker = Bun.spawn(
    ["java", "-Xmx512m", `-Dlog4j2.configurationFile=${log4jFile}`, "-cp", `${libs}/*`, "kafka.Kafka", propertiesFile],
    // Its own session, so the broker outlives this script and a Ctrl-C in the terminal that ran it.
    { cwd: home, stdio: ["ignore", output, output], detached: true },
  );
  closeSync(output);
  broker.unref();
  await Bun.write(pidFile, `${broker.pid}\n`);

  await waitUntilUp(kafka, broker);
  return { by: "native", address: kafka.address, dataDir };
}

async function waitUntilUp(kafka: KafkaTarget, broker: Subprocess) {
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (;;) {
    if (broker.exitCode !== null || broker.signalCode !== null) {
      await unlink(pidFile).catch(() => {});
      throw new InfraError(`Kafka exited while starting\n${await tail(logFile)}`);
    }
    if ((await probeKafka(kafka)).state === "answers" && (await kafkaCreatesTopics(kafka))) return;
    if (Date.now() > deadline) {
      broker.kill("SIGKILL");
      await broker.exited;
      await unlink(pidFile).catch(() => {});
      throw new InfraError(`Kafka was not up after ${STARTUP_LIMIT_MS / 1000} s; stopped it\n${await tail(logFile)}`);
    }
    await Bun.sleep(1_000);
  }
}

export async function stopKafka() {
  const pid = await brokerPid();
  if (pid) {
    process.kill(pid, "SIGTERM");
    // A clean shutdown closes the logs, sparing the next start a recovery.
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await Bun.sleep(250);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
  }
  await unlink(pidFile).catch(() => {});
}
