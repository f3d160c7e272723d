import type { Overview } from "../adminApi.ts";
import { clock } from "../format.ts";

/**
 * Consumers that have committed nothing for 30 s while holding messages or while messages waited on
 * their partitions, in red, each with its last error: a database that is down (transient, it resumes
 * by itself) reads differently from a fault that needs someone. Nothing is shown while every consumer moves.
 */
export function StalledConsumers({ stalled }: { stalled: Overview["stalledConsumers"] }) {
  if (stalled.length === 0) return null;
  return (
    <div class="notice notice-error stalled-consumers" role="status">
      <h3>{stalled.length === 1 ? "A consumer is stalled" : `${stalled.length} consumers are stalled`}</h3>
      <ul>
        {stalled.map(({ group, topic, lastError }) => (
          <li key={group} data-stalled-group={group}>
            <strong>{group}</strong> on <code>{topic}</code> has committed nothing for 30 s.{" "}
            {lastError
              ? <>Last error at {clock(lastError.at)}: <code>{lastError.class}</code> {lastError.message}{lastError.transient ? " (transient: it resumes once that service is back)" : ""}</>
              : "No error recorded."}
          </li>
        ))}
      </ul>
    </div>
  );
}
