import type { Kafka, Producer, ProducerBatch, RecordMetadata } from "kafkajs";
import { isSequenceLost } from "../failure.ts";
import type { Logger } from "../log.ts";
import { keyPartitioner } from "./partitioner.ts";

/**
 * kafkajs's idempotent producer treats OUT_OF_ORDER_SEQUENCE_NUMBER as final and keeps sending the
 * same sequence numbers: after a partition leader dies mid-request (a broker lost in a cluster),
 * every later request to that partition fails, for good. The Java client starts a new producer
 * session then; so does this. The refused batch was not written (the broker refused it), so the
 * caller's retry writes it once; a batch whose fate was unknown may be written twice, which the
 * consumers absorb (redelivery is a no-op; events keep their message ids).
 */
export class RenewingProducer {
  private producer: Producer;
  private connected = false;

  constructor(private readonly kafka: Kafka, private readonly log: Logger) {
    this.producer = this.create();
  }

  // Retries without end: the idempotent producer keeps its sequence numbers only if it never gives
  // up on a request; callers that cannot wait set a deadline instead (see BatchingPublisher).
  private create(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: keyPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    await this.connect();
    const producer = this.producer;
    try {
      return await producer.sendBatch(batch);
    } catch (error) {
      if (isSequenceLost(error) && producer === this.producer) {
        this.log.warn("Kafka refused the producer's sequence numbers; starting a new producer session", { err: error });
        this.producer = this.create();
        this.connected = false;
        await producer.disconnect().catch(() => {});
      }
      throw error;
    }
  }

  disconnect(): Promise<void> {
    this.connected = false;
    return this.producer.disconnect();
  }
}
