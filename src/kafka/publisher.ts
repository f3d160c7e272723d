import type { IHeaders, Message, Producer } from "kafkajs";
import { classify, KafkaUnacknowledged, RecordTooLarge } from "../failure.ts";
import type { ProducedIn } from "../tracing/spans.ts";
import { bisect } from "./bisect.ts";
import { MicroBatcher, type Waiting } from "./microBatcher.ts";

export type Outbound = {
  topic: string; key: string | Buffer | null; value: string | Buffer; headers: IHeaders;
  /** Where its producer span goes, when tracing is on: see tracedPublisher. */
  trace?: ProducedIn;
  /** Told the partition the record goes to, once it is chosen. */
  placed?: (partition: number) => void;
};

export interface Publisher {
  /**
   * Resolves once Kafka has acknowledged every message (acks from all in-sync replicas). With a
   * deadline, messages still waiting to be sent by then are dropped and the promise rejects.
   */
  publish(messages: readonly Outbound[], deadline?: number): Promise<void>;
}

/** Messages of one caller that go in one request. */
type Piece = { messages: Outbound[]; bytes: number };

/**
 * Kafka refuses a record batch over the topic's max.message.bytes (1 MiB by default), and kafkajs's
 * idempotent producer does not survive a refusal: it rolls back the sequence numbers of every
 * partition in the request, the others' accepted batches included, and each later request to them
 * fails as out of order. So nothing that could be refused for its size is ever sent: a record over
 * MAX_RECORD_BYTES is refused here, and a request never carries more than MAX_REQUEST_BYTES, so no
 * partition's batch in it can be over the limit either.
 */
export const MAX_RECORD_BYTES = 1_000_000;
const MAX_REQUEST_BYTES = 1_000_000;

const size = (x: string | Buffer | null | undefined) => (x === null || x === undefined ? 0 : typeof x === "string" ? Buffer.byteLength(x) : x.length);

/** A record's size in a request, near enough: Kafka's own per-record overhead is a few dozen bytes. */
export function recordBytes(m: Outbound): number {
  let bytes = 64 + size(m.key) + size(m.value);
  for (const name in m.headers) {
    const value = m.headers[name];
    for (const v of Array.isArray(value) ? value : [value]) bytes += 8 + size(name) + size(v);
  }
  return bytes;
}

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
  private readonly batcher: MicroBatcher<Piece>;

  constructor(private readonly producer: Pick<Producer, "sendBatch">, maxMessages = 2_000) {
    this.batcher = new MicroBatcher<Piece>({
      run: (batch) => this.sendRequest(batch),
      caps: [{ size: (p) => p.messages.length, max: maxMessages }, { size: (p) => p.bytes, max: MAX_REQUEST_BYTES }],
      expired: () => new PublishExpired(),
    });
  }

  /**
   * With a deadline, messages still queued when it passes are dropped, never sent late: a caller
   * that has given up (an HTTP request that answered 503) cannot have them become an order nobody
   * was told of. Messages already in a request by then are not called back: kafkajs retries that
   * request until Kafka takes it, so they may still become an order whose request answered 503.
   */
  publish(messages: readonly Outbound[], deadline = Infinity): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const pieces: Piece[] = [{ messages: [], bytes: 0 }];
    for (const m of messages) {
      const bytes = recordBytes(m);
      if (bytes > MAX_RECORD_BYTES) return Promise.reject(new RecordTooLarge(`a record of about ${bytes} bytes for ${m.topic}, over ${MAX_RECORD_BYTES}`));
      let piece = pieces.at(-1)!;
      if (piece.messages.length > 0 && piece.bytes + bytes > MAX_REQUEST_BYTES) pieces.push(piece = { messages: [], bytes: 0 });
      piece.messages.push(m);
      piece.bytes += bytes;
    }
    const sent = pieces.map((piece) => this.batcher.add(piece, deadline));
    return pieces.length === 1 ? sent[0]! : Promise.all(sent).then(() => {});
  }

  /**
   * One caller's message that Kafka refuses for good (too large, invalid) must not fail the others
   * that happened to share its request: the request is halved until that caller is alone. A
   * transient failure fails every caller of the request it hit, for each to retry.
   */
  private sendRequest(batch: Waiting<Piece>[]): Promise<void> {
    const refusedForGood = (error: unknown) => !classify(error).transient;
    return bisect(batch, async (callers) => {
      try {
        await this.send(callers.flatMap((p) => p.value.messages));
        for (const p of callers) p.resolve();
      } catch (error) {
        if (refusedForGood(error)) throw error;
        for (const p of callers) p.reject(error);
      }
    }, refusedForGood, async (p, failures) => p.reject(failures.at(-1)));
  }

  private send(messages: readonly Outbound[]) {
    return this.producer.sendBatch({ acks: -1, topicMessages: groupByTopic(messages) });
  }
}

function groupByTopic(messages: readonly Outbound[]) {
  const byTopic = new Map<string, Message[]>();
  for (const m of messages) {
    const list = byTopic.get(m.topic) ?? [];
    list.push({ key: m.key, value: m.value, headers: m.headers, ...(m.placed && { placed: m.placed }) });
    byTopic.set(m.topic, list);
  }
  return [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs }));
}
