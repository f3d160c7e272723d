import type { StoredDeadLetter } from "../db/deadLetters.ts";
import type { DeadLetter, ValuePreview } from "./schemas.ts";

/** The first bytes of a value: as text, saying whether they are UTF-8, and exactly, as base64. */
export function previewValue(preview: Buffer, bytes: number): ValuePreview {
  let utf8 = true;
  try {
    // `stream` leaves a character cut in half at the end of the preview undecoded instead of failing.
    new TextDecoder("utf-8", { fatal: true }).decode(preview, { stream: bytes > preview.length });
  } catch {
    utf8 = false;
  }
  return { bytes, truncated: bytes > preview.length, utf8, text: preview.toString("utf8"), base64: preview.toString("base64") };
}

/** A stored dead letter as the admin API answers it. */
export const deadLetterOf = (r: StoredDeadLetter): DeadLetter => ({
  id: r.id,
  dlq: { partition: r.dlqPartition, offset: r.dlqOffset },
  source: { topic: r.sourceTopic, partition: r.sourcePartition, offset: r.sourceOffset },
  reason: r.reason,
  key: r.key,
  value: previewValue(r.preview, r.bytes),
  headers: r.headers,
  deadAt: r.deadAt.toISOString(),
  replayedAt: r.replayedAt?.toISOString() ?? null,
});
