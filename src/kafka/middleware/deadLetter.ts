import type { IHeaders } from "kafkajs";
import { classify } from "../../failure.ts";
import type { Logger } from "../../log.ts";
import { Aborted, backoff, sleep } from "../../waiting.ts";
import { correlationOf, type Casualty, type Middleware } from "../message.ts";
import type { Outbound, Publisher } from "../publisher.ts";

/** Where a route's casualties go: the dead-letter topic, or, for that topic's own consumer, the log. */
export type DeadLetterSink = (casualties: Casualty[]) => Promise<void>;

/**
 * The one place casualties leave the chain: whatever the steps below it gave up on goes to `sink`,
 * and the batch is done, its offsets free to be committed, only once the sink has taken them.
 */
export const deadLetter = (sink: DeadLetterSink): Middleware => (next) => async (messages) => {
  const casualties = await next(messages);
  if (casualties.length > 0) await sink(casualties);
  return [];
};

/** What a truncated copy keeps: enough to see what the message was, far below any broker's limit. */
const TRUNCATED_VALUE_BYTES = 64 * 1024;
const TRUNCATED_HEADER_BYTES = 1024;

const withoutDlqHeaders = (headers: IHeaders) => Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith("dlq-")));

const dlqHeaders = ({ message, failure, attempts }: Casualty) => ({
  "dlq-reason": failure.message.slice(0, 500),
  "dlq-error-class": failure.class,
  "dlq-attempts": String(attempts),
  "dlq-source-topic": message.topic,
  "dlq-source-partition": String(message.partition),
  "dlq-source-offset": message.offset,
});

/** The original message, unchanged (key, bytes, every header), with headers saying why and where from. */
export function deadLetterMessage(topic: string, casualty: Casualty): Outbound {
  const { message } = casualty;
  return {
    topic,
    key: message.key,
    value: message.value ?? Buffer.alloc(0),
    headers: { ...withoutDlqHeaders(message.rawHeaders), ...dlqHeaders(casualty) },
  };
}

const cut = (value: string | Buffer | undefined, bytes: number) => (value === undefined ? undefined : Buffer.from(value).subarray(0, bytes));

/**
 * For an original that orders.dlq cannot take whole (the copy plus its dlq-* headers is over the
 * broker's limit): its first 64 KiB and each header's first 1 KiB, flagged `dlq-truncated` with the
 * original size. The original itself stays in its source topic until retention removes it.
 */
export function truncatedDeadLetterMessage(topic: string, casualty: Casualty): Outbound {
  const { message } = casualty;
  const value = message.value ?? Buffer.alloc(0);
  const headers: IHeaders = {};
  for (const [name, v] of Object.entries(withoutDlqHeaders(message.rawHeaders)).slice(0, 32)) {
    headers[name.slice(0, 256)] = Array.isArray(v) ? v.slice(0, 4).map((x) => cut(x, TRUNCATED_HEADER_BYTES)!) : cut(v, TRUNCATED_HEADER_BYTES);
  }
  return {
    topic,
    key: message.key?.slice(0, 1024) ?? null,
    value: value.subarray(0, TRUNCATED_VALUE_BYTES),
    headers: { ...headers, ...dlqHeaders(casualty), "dlq-truncated": String(value.length) },
  };
}

/** What a dead letter keeps of its original message. */
export type DeadLettered = { sourceTopic: string; key: string; value: Buffer; headers: Record<string, string> };

/** The original message again, for its source topic: the same key, bytes and headers, without the dlq-* ones. */
export function replayOf({ sourceTopic, key, value, headers }: DeadLettered): Outbound {
  return { topic: sourceTopic, key, value, headers: withoutDlqHeaders(headers) as Record<string, string> };
}

export type DeadLetterTopicOptions = {
  topic: string;
  publisher: Publisher;
  signal: AbortSignal;
  log: Logger;
  onDeadLettered?: (casualty: Casualty) => void;
};

/**
 * Sends casualties to the dead-letter topic. Kafka being unreachable is waited out, for as long as
 * it lasts; a copy Kafka refuses for good (too large) is sent again truncated and flagged. Resolves
 * only once every casualty is on the topic, so their offsets are committed only then.
 */
export function toDeadLetterTopic({ topic, publisher, signal, log, onDeadLettered }: DeadLetterTopicOptions): DeadLetterSink {
  const send = async (messages: Outbound[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await publisher.publish(messages);
      } catch (error) {
        const failure = classify(error);
        if (!failure.transient) throw error;
        if (signal.aborted) throw new Aborted();
        log.warn("dead letter not sent, retrying", { attempt, errorClass: failure.class, err: error });
        await sleep(backoff(attempt, 200), signal);
      }
    }
  };
  const sendOne = async (casualty: Casualty) => {
    try {
      await send([deadLetterMessage(topic, casualty)]);
    } catch (error) {
      if (error instanceof Aborted) throw error;
      const where = { partition: casualty.message.partition, offset: casualty.message.offset };
      log.warn("dead letter refused by its topic, sending a truncated copy", { ...where, err: error });
      // Should even that be refused, holding up every message behind it would be worse than
      // leaving this one in its source topic only.
      await send([truncatedDeadLetterMessage(topic, casualty)]).catch((refused) => {
        if (refused instanceof Aborted) throw refused;
        log.error("dead letter refused even truncated: it stays in its source topic only", { ...where, err: refused });
      });
    }
  };

  return async (casualties) => {
    for (const { message, failure, attempts } of casualties) {
      log.warn("message dead-lettered", {
        topic: message.topic, partition: message.partition, offset: message.offset, reason: failure.message, errorClass: failure.class, attempts, correlationId: correlationOf(message),
      });
    }
    try {
      await send(casualties.map((c) => deadLetterMessage(topic, c)));
    } catch (error) {
      if (error instanceof Aborted) throw error;
      for (const casualty of casualties) await sendOne(casualty);
    }
    for (const casualty of casualties) onDeadLettered?.(casualty);
  };
}

/** For the consumer of the dead-letter topic itself, which has no dead-letter topic behind it. */
export function logOnly(log: Logger): DeadLetterSink {
  return async (casualties) => {
    for (const { message, failure, attempts } of casualties) {
      log.error("message given up: it stays in its topic only", { topic: message.topic, partition: message.partition, offset: message.offset, errorClass: failure.class, reason: failure.message, attempts });
    }
  };
}
