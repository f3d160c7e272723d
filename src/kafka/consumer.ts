import type { Consumer, ConsumerRunConfig, Kafka } from "kafkajs";
import type { Logger } from "../log.ts";
import { isExpectedBrokerState } from "./client.ts";
import { toInbound, type Inbound } from "./message.ts";
import { commitsTogether } from "./offsetCommits.ts";
import type { Progress } from "./progress.ts";

export type ConsumerOptions = {
  kafka: Kafka;
  groupId: string;
  /** What it reads: each topic's partitions are shared among the group's members. */
  topics: readonly string[];
  /** Where a group that never committed starts: the start of its topics (the default), or their end. */
  fromBeginning?: boolean;
  handler: (messages: Inbound[]) => Promise<unknown>;
  log: Logger;
  progress: Progress;
  /** The most messages of one partition handed over at a time. */
  maxBatch?: number;
  /** How long after a crash kafkajs does not restart the consumer is started again. */
  restartMs?: number;
};

export type Owned = { topic: string; partition: number };

export type RunningConsumer = {
  readonly groupId: string;
  joined(): boolean;
  /** The partitions of its topics this instance owns since the group last formed; none while not joined. */
  partitions(): readonly Owned[];
  stop(): Promise<void>;
};

type Level = "error" | "warn" | "info" | "debug";
const LOUDNESS: readonly Level[] = ["debug", "info", "warn", "error"];

/** kafkajs gives up finding the group coordinator when no broker answers for a while: a broker out of reach. */
const lostCoordinator = (error: unknown): boolean =>
  typeof error === "object" && error !== null
  && ((error as { name?: unknown }).name === "KafkaJSGroupCoordinatorNotFound" || lostCoordinator((error as { cause?: unknown }).cause));

/**
 * How loud a consumer's crashes are. A crash is started again (by kafkajs, or by runConsumer when
 * kafkajs gives up), so it is news: info for a broker still starting, warn for one out of reach or
 * any crash kafkajs restarts, error for one it gave up on for another reason (a refused
 * authorization, say), which a person must look at. Each level is written the first time it is
 * reached until the consumer joins its group again, and debug after: a broker down for a minute
 * crashed every consumer every few seconds.
 */
export function crashLevels() {
  let loudest = 0;
  return {
    of(error: unknown, restart: boolean): Level {
      const level = isExpectedBrokerState((error as { message?: unknown } | undefined)?.message) ? "info"
        : restart || lostCoordinator(error) ? "warn" : "error";
      const loudness = LOUDNESS.indexOf(level);
      if (loudness <= loudest) return "debug";
      loudest = loudness;
      return level;
    },
    joined() { loudest = 0; },
  };
}

/** At least the partitions of a topic this instance may own (KAFKA_PARTITIONS defaults to 6). */
const PARTITIONS_A_TOPIC = 16;

/**
 * Feeds whole batches to the handler, every partition's at once (the chain coalesces them), and
 * commits a batch's offsets only after the handler has returned, that is after its database
 * transaction committed and its events were acknowledged. A crash before the commit redelivers
 * the batch, which the handlers treat as a no-op. `progress` hears of every batch taken and
 * committed, which is how a stalled consumer is told from an idle one.
 */
export async function runConsumer({ kafka, groupId, topics, fromBeginning = true, handler, log, progress, maxBatch = 500, restartMs = 5_000 }: ConsumerOptions): Promise<RunningConsumer> {
  const consumer: Consumer = kafka.consumer({
    groupId,
    // Short enough that a killed instance's partitions move to the survivors within seconds.
    sessionTimeout: 10_000,
    rebalanceTimeout: 15_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 250,
    // Bounds what a fetch holds in memory; a batch of commands is a few hundred bytes a message.
    maxBytes: 2 * 1024 * 1024,
    maxBytesPerPartition: 256 * 1024,
    // Bounded, so that a failure that persists ends in a crash, after which kafkajs starts the consumer
    // afresh: new metadata, a new coordinator. Retried for ever instead, a fetch from a killed partition
    // leader fails with a connection error that never refreshes the metadata, and the consumer, all its
    // partitions, waited minutes for a leader long since moved (found by the broker-loss test).
    retry: { retries: 5, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  const commit = commitsTogether();
  // Which run of the consumer a batch belongs to: kafkajs starts a new group member after each crash.
  let run = 0;
  let joined = false;
  let partitions: readonly Owned[] = [];
  let crashes = 0;
  const levels = crashLevels();
  let stopping = false;
  let restart: Timer | undefined;
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    partitions = topics.flatMap((topic) => (e.payload.memberAssignment[topic] ?? []).map((partition) => ({ topic, partition })));
    log.info("consumer joined group", { groupId, memberId: e.payload.memberId, assignment: e.payload.memberAssignment, ...(crashes > 0 && { afterCrashes: crashes }) });
    crashes = 0;
    levels.joined();
  });
  consumer.on(consumer.events.CRASH, (e) => {
    joined = false;
    run++;
    crashes++;
    log[levels.of(e.payload.error, e.payload.restart)]("consumer crashed", { groupId, err: e.payload.error, restart: e.payload.restart, crashes });
    // kafkajs leaves a consumer stopped for good after a crash it deems not retriable; among them,
    // giving up on finding the group coordinator while every broker was down, so the consumers
    // never came back with the brokers. No failure may stop a consumer: it is started again.
    if (!e.payload.restart && !stopping) {
      restart = setTimeout(() => consumer.run(runOptions).catch((error) => log.error("consumer not started again", { groupId, err: error })), restartMs);
    }
  });
  consumer.on(consumer.events.STOP, () => { joined = false; });

  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning });
  const runOptions: ConsumerRunConfig = {
    // Every partition's batch is handed over at once, for the chain to coalesce into one transaction.
    // kafkajs counts them over all the topics read: a partition beyond the count waits for a worker
    // until another partition's batch, even an empty one, is done, which is after the chain has
    // started on the rest, and then waits for that whole call (the notifier reads four topics).
    partitionsConsumedConcurrently: PARTITIONS_A_TOPIC * topics.length,
    eachBatchAutoResolve: false,
    autoCommit: true,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      const ofRun = run;
      for (let start = 0; start < batch.messages.length; start += maxBatch) {
        if (!isRunning() || isStale()) return;
        const chunk = batch.messages.slice(start, start + maxBatch);
        // A batch may wait a long time on a database that is down; the group must not think us dead.
        const beating = setInterval(() => heartbeat().catch(() => {}), 1_000);
        progress.took();
        try {
          await handler(chunk.map((m) => toInbound(batch.topic, batch.partition, m)));
        } finally {
          clearInterval(beating);
          progress.released();
        }
        const last = chunk[chunk.length - 1]!.offset;
        resolveOffset(last);
        await commit({ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString(), send: commitOffsetsIfNecessary, run: ofRun });
        progress.committed();
        await heartbeat();
      }
    },
  };
  await consumer.run(runOptions);

  return {
    groupId,
    joined: () => joined,
    partitions: () => (joined ? partitions : []),
    stop: () => {
      stopping = true;
      clearTimeout(restart);
      return consumer.disconnect();
    },
  };
}
