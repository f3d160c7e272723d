import type { IHeaders, Message, Producer } from "kafkajs";
import { classify, KafkaUnacknowledged } from "../failure.ts";

export type Outbound = { topic: string; key: string | Buffer | null; value: string | Buffer; headers: IHeaders };

export interface Publisher {
  /**
   * Resolves once Kafka has acknowledged every message (acks from all in-sync replicas). With a
   * deadline, messages still waiting to be sent by then are dropped and the promise rejects.
   */
  publish(messages: readonly Outbound[], deadline?: number): Promise<void>;
}

type Pending = { messages: readonly Outbound[]; deadline: number; resolve: () => void; reject: (error: unknown) => void };

export class PublishExpired extends KafkaUnacknowledged {
  constructor() { super("not sent before its deadline"); }
}

/**
 * kafkajs sends every `send()` as its own request. This publisher gathers whatever callers hand it
 * while a request is in flight and sends it all as one `sendBatch`: an idle shop sends at once,
 * a busy one sends fewer, larger requests. One request at a time also keeps the idempotent
 * producer's sequence numbers in order.
 */
export class BatchingPublisher implements Publisher {
  private queue: Pending[] = [];
  private sending = false;

  constructor(private readonly producer: Pick<Producer, "sendBatch">, private readonly maxMessages = 2_000) {}

  publish(messages: readonly Outbound[], deadline = Infinity): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ messages, deadline, resolve, reject });
      if (!this.sending) queueMicrotask(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        if (batch.length === 0) break;
        try {
          await this.send(batch.flatMap((p) => p.messages));
          for (const p of batch) p.resolve();
        } catch (error) {
          // One caller's message that Kafka refuses for good (too large, invalid) must not fail the
          // others that happened to share its request: each is sent again on its own.
          if (batch.length === 1 || classify(error).transient) for (const p of batch) p.reject(error);
          else for (const p of batch) await this.send(p.messages).then(() => p.resolve(), p.reject);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private send(messages: readonly Outbound[]) {
    return this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(messages) });
  }

  /**
   * The next requests' worth of messages. A caller that has already given up (an HTTP request that
   * answered 503) is dropped rather than sent late, so it cannot become an order nobody was told of.
   */
  private take(): Pending[] {
    const now = Date.now();
    this.queue = this.queue.filter((p) => p.deadline > now || (p.reject(new PublishExpired()), false));
    let count = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || count + this.queue[n]!.messages.length <= this.maxMessages)) {
      count += this.queue[n]!.messages.length;
      n++;
    }
    return this.queue.splice(0, n);
  }
}

function groupByTopic(messages: readonly Outbound[]) {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value, headers: m.headers });
    byTopic.set(m.topic, list);
  }
  return [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs }));
}
