import type { Admin } from "kafkajs";

/**
 * Waits until every partition of `topics` answers an offset request: a topic just created may
 * answer NOT_LEADER for a moment after its leaders were elected, and a watcher or a snapshot reads
 * every partition's offsets first.
 */
export async function untilTopicsAnswer(admin: Admin, topics: readonly string[], timeoutMs = 30_000): Promise<void> {
  for (const until = Date.now() + timeoutMs; ;) {
    const answered = await Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic))).then(() => true, () => false);
    if (answered) return;
    if (Date.now() > until) throw new Error(`the topics ${topics.join(", ")} did not answer within ${timeoutMs / 1000} s`);
    await Bun.sleep(200);
  }
}
