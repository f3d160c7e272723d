import type { Logger } from "../../log.ts";
import type { Decoded } from "../../orders/envelope.ts";
import type { BatchHandler, Inbound } from "../message.ts";
import type { Outbound } from "../publisher.ts";

export type Decodable<T> = { message: Inbound; value: T };

export type DeadLetterOptions<T> = {
  dlqTopic: string;
  decode: (message: Inbound) => Decoded<T>;
  isPermanent: (error: unknown) => boolean;
  /** Sends to the dead-letter topic; must itself retry transient failures. */
  send: (messages: Outbound[]) => Promise<void>;
  log: Logger;
};

/** The original message, unchanged, with headers saying why and where from. */
export function deadLetterOf(message: Inbound, reason: string, dlqTopic: string): Outbound {
  return {
    topic: dlqTopic,
    key: message.key ?? "",
    value: message.value ?? Buffer.alloc(0),
    headers: {
      ...message.headers,
      "dlq-reason": reason,
      "dlq-source-topic": message.topic,
      "dlq-source-partition": String(message.partition),
      "dlq-source-offset": message.offset,
    },
  };
}

/** What a dead letter keeps of its original message. */
export type DeadLettered = { sourceTopic: string; key: string; value: Buffer; headers: Record<string, string> };

/** The original message again, for its source topic: the same key, bytes and headers, without the dlq-* ones. */
export function replayOf({ sourceTopic, key, value, headers }: DeadLettered): Outbound {
  return {
    topic: sourceTopic,
    key,
    value,
    headers: Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith("dlq-"))),
  };
}

/**
 * Takes out of the batch every message that can never be processed, sends it to orders.dlq and
 * lets the rest through. When the batch as a whole fails permanently, each message is tried alone
 * so that only the one at fault is dead-lettered.
 */
export function deadLetter<T>(handler: BatchHandler<Decodable<T>>, { dlqTopic, decode, isPermanent, send, log }: DeadLetterOptions<T>): BatchHandler<Inbound> {
  const poison = async (entries: { message: Inbound; reason: string }[]) => {
    if (entries.length === 0) return;
    for (const { message, reason } of entries) {
      log.warn("message dead-lettered", { topic: message.topic, partition: message.partition, offset: message.offset, reason, correlationId: message.headers["correlation-id"] });
    }
    await send(entries.map(({ message, reason }) => deadLetterOf(message, reason, dlqTopic)));
  };

  return async (messages) => {
    const valid: Decodable<T>[] = [];
    const invalid: { message: Inbound; reason: string }[] = [];
    for (const message of messages) {
      const decoded = decode(message);
      if (decoded.ok) valid.push({ message, value: decoded.value });
      else invalid.push({ message, reason: decoded.reason });
    }
    await poison(invalid);
    if (valid.length === 0) return;
    try {
      await handler(valid);
    } catch (error) {
      if (!isPermanent(error)) throw error;
      for (const item of valid) {
        try {
          await handler([item]);
        } catch (single) {
          if (!isPermanent(single)) throw single;
          await poison([{ message: item.message, reason: `processing failed: ${(single as Error).message}`.slice(0, 500) }]);
        }
      }
    }
  };
}
