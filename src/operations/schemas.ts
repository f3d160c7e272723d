import * as v from "valibot";
import { Limit } from "../orders/schemas.ts";

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Offset = v.pipe(v.string(), v.regex(/^\d+$/));
const Timestamp = v.pipe(v.string(), v.isoTimestamp());

/** The admin API's answers: used for the types and for the OpenAPI document, never to parse. */
export const ValuePreview = v.pipe(
  v.object({
    bytes: Count,
    truncated: v.boolean(),
    utf8: v.boolean(),
    text: v.string(),
    base64: v.string(),
  }),
  v.description("The value's first 1 KiB: `text` decoded as UTF-8 (U+FFFD where it is not, which `utf8` then says), `base64` the same bytes exactly; `bytes` is the whole value's length."),
);
export type ValuePreview = v.InferOutput<typeof ValuePreview>;

export const DeadLetter = v.object({
  id: v.pipe(v.string(), v.regex(/^\d+$/)),
  dlq: v.object({ partition: Count, offset: Offset }),
  source: v.object({ topic: v.nullable(v.string()), partition: v.nullable(Count), offset: v.nullable(Offset) }),
  reason: v.string(),
  key: v.string(),
  value: ValuePreview,
  headers: v.record(v.string(), v.string()),
  deadAt: Timestamp,
  replayedAt: v.nullable(Timestamp),
});
export type DeadLetter = v.InferOutput<typeof DeadLetter>;

export const PartitionLag = v.object({ group: v.string(), topic: v.string(), partition: Count, lag: Count });

export const StalledConsumer = v.object({
  group: v.string(),
  topic: v.string(),
  lastError: v.pipe(
    v.nullable(v.object({ class: v.string(), transient: v.boolean(), message: v.string(), at: Timestamp })),
    v.description("The consumer's most recent failure: its error class (see the README's Reliability section), whether it is known to be transient, and when"),
  ),
});
export type StalledConsumer = v.InferOutput<typeof StalledConsumer>;

/** What the overview takes from PostgreSQL: null, all of it, when PostgreSQL did not answer within 2 s. */
const fromPostgres = <T extends v.GenericSchema>(schema: T) => v.pipe(v.nullable(schema), v.description("null when PostgreSQL did not answer within 2 s"));

export const Overview = v.object({
  ordersByStatus: fromPostgres(v.object({ placed: Count, confirmed: Count, shipped: Count, delivered: Count, rejected: Count, cancelled: Count })),
  rejectedByReason: fromPostgres(v.object({ out_of_stock: Count, unknown_product: Count, invalid_order: Count })),
  ordersPerSecond: fromPostgres(v.object({
    bucketSeconds: Count,
    buckets: v.pipe(
      v.array(v.object({ at: Timestamp, count: Count })),
      v.description("Orders created in each interval of bucketSeconds starting at `at`, oldest first; the last one ends now."),
    ),
  })),
  consumerLag: v.pipe(v.nullable(v.array(PartitionLag)), v.description("null when Kafka did not answer within 2 s")),
  stalledConsumers: v.pipe(
    v.array(StalledConsumer),
    v.description("This instance's consumers that have committed nothing for 30 s while holding messages or while messages waited on their partitions; known without PostgreSQL or Kafka"),
  ),
  deadLetters: fromPostgres(v.object({ total: Count, waiting: Count })),
  mails: v.pipe(
    v.object({
      sent: fromPostgres(Count),
      failed: v.pipe(v.nullable(Count), v.description("Refused for good by the SMTP server (a 5xx), or not one valid address; null when PostgreSQL did not answer within 2 s")),
      pending: v.pipe(v.nullable(Count), v.description("Events the notifier has yet to read or mail: its group's lag; null when Kafka did not answer within 2 s")),
      stalled: v.pipe(v.boolean(), v.description("This instance's notifier has mailed nothing for 30 s with mail waiting (the SMTP server down, say); it is also in stalledConsumers")),
    }),
    v.description("The customer mails"),
  ),
});
export type Overview = v.InferOutput<typeof Overview>;

export const DeadLetterListQuery = v.object({ limit: Limit(200, 50) });

export const DeadLetterIdParam = v.pipe(v.string(), v.regex(/^[1-9]\d{0,17}$/));
