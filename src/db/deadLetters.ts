import type { Sql, Tx } from "./client.ts";

/** An orders.dlq message as it is stored. */
export type NewDeadLetter = {
  dlqPartition: number;
  dlqOffset: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
  reason: string;
  deadAt: Date;
};

/** Everything a replay needs, the whole value included. */
export type Replayable = { id: string; sourceTopic: string | null; key: string; value: Buffer; headers: Record<string, string>; replayedAt: Date | null };

/** What a listing carries of each value: its length and first bytes, never the whole of it. */
const PREVIEW_BYTES = 1024;

/** A stored dead letter as listed: the value's first bytes only, and its length. */
export type StoredDeadLetter = {
  id: string; dlqPartition: number; dlqOffset: string; sourceTopic: string | null; sourcePartition: number | null; sourceOffset: string | null;
  key: string; preview: Buffer; bytes: number; headers: Record<string, string>; reason: string; deadAt: Date; replayedAt: Date | null;
};

const listed = (sql: Sql | Tx) => sql`
  id, dlq_partition AS "dlqPartition", dlq_offset::text AS "dlqOffset", source_topic AS "sourceTopic",
  source_partition AS "sourcePartition", source_offset::text AS "sourceOffset", key,
  substring(value FROM 1 FOR ${PREVIEW_BYTES}) AS preview, octet_length(value) AS bytes, headers, reason,
  dead_at AS "deadAt", replayed_at AS "replayedAt"`;

/** Stores what is new; an orders.dlq message delivered again is the same dead letter and is skipped. */
export async function insertDeadLetters(tx: Tx, letters: readonly NewDeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await tx`
    INSERT INTO dead_letters ${tx(letters.map((l) => ({
      dlq_partition: l.dlqPartition,
      dlq_offset: l.dlqOffset,
      source_topic: l.sourceTopic,
      source_partition: l.sourcePartition,
      source_offset: l.sourceOffset,
      key: l.key,
      value: l.value,
      headers: tx.json(l.headers),
      reason: l.reason,
      dead_at: l.deadAt,
    })))}
    ON CONFLICT (dlq_partition, dlq_offset, dead_at) DO NOTHING`;
}

/** The newest first. */
export async function listDeadLetters(sql: Sql, limit: number): Promise<StoredDeadLetter[]> {
  return sql<StoredDeadLetter[]>`SELECT ${listed(sql)} FROM dead_letters ORDER BY dead_at DESC, id DESC LIMIT ${limit}`;
}

/** How many there are, and how many of them nobody has replayed. */
export async function countDeadLetters(sql: Sql): Promise<{ total: number; waiting: number }> {
  const [row] = await sql<{ total: number; waiting: number }[]>`
    SELECT count(*)::int AS total, (count(*) FILTER (WHERE replayed_at IS NULL))::int AS waiting FROM dead_letters`;
  return row!;
}

/** Locks the dead letter until the transaction ends, so that two replays of it cannot overlap. */
export async function lockDeadLetter(tx: Tx, id: string): Promise<Replayable | undefined> {
  const [row] = await tx<Replayable[]>`
    SELECT id, source_topic AS "sourceTopic", key, value, headers, replayed_at AS "replayedAt"
    FROM dead_letters WHERE id = ${id} FOR UPDATE`;
  return row;
}

export async function markReplayed(tx: Tx, id: string, at: Date): Promise<StoredDeadLetter> {
  const [row] = await tx<StoredDeadLetter[]>`UPDATE dead_letters SET replayed_at = ${at} WHERE id = ${id} RETURNING ${listed(tx)}`;
  return row!;
}
