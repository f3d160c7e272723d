import { useState } from "preact/hooks";
import { answer, type ApiError } from "../api.ts";
import { adminApi, type DeadLetter } from "../adminApi.ts";
import { clock, figure, when } from "../format.ts";

/** What a person can read of a value: its text when it is UTF-8, else that it is binary and its base64. */
function ValuePreview({ value }: { value: DeadLetter["value"] }) {
  const shown = value.utf8 ? value.text : value.base64;
  return (
    <>
      {!value.utf8 && <span class="value-kind">binary, base64: </span>}
      <code class="value-preview" title={shown}>{value.bytes === 0 ? "(empty)" : shown}</code>
      {value.truncated && <span class="value-kind"> ({figure(value.bytes)} bytes)</span>}
    </>
  );
}

const source = (letter: DeadLetter) =>
  letter.source.topic === null ? "unknown" : `${letter.source.topic} · ${letter.source.partition ?? "?"}/${letter.source.offset ?? "?"}`;

type Props = { letters: DeadLetter[]; token: string; onReplayed: () => void; onDenied: () => void };

/**
 * The newest dead letters, each with a Replay button that publishes it to its source topic again.
 * Every outcome is said in the polite live region under the heading, which exists from the start
 * so that screen readers hear the first message too.
 */
export function DeadLetterTable({ letters, token, onReplayed, onDenied }: Props) {
  const [replaying, setReplaying] = useState<string>();
  const [replayed, setReplayed] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState("");

  async function replay(letter: DeadLetter) {
    if (replaying || letter.replayedAt || replayed[letter.id]) return;
    setReplaying(letter.id);
    setOutcome(`Replaying dead letter ${letter.id}…`);
    try {
      const done = await answer(adminApi(token)["dead-letters"][":id"].replay.$post({ param: { id: letter.id } }));
      setReplayed((r) => ({ ...r, [letter.id]: done.replayedAt! }));
      setOutcome(`Dead letter ${letter.id} replayed to ${letter.source.topic}. If it fails again, it comes back as a new dead letter.`);
      onReplayed();
    } catch (error) {
      const failed = error as ApiError;
      if (failed.status === 401) return onDenied();
      setOutcome(`Dead letter ${letter.id} was not replayed: ${failed.message}`);
    } finally {
      setReplaying(undefined);
    }
  }

  return (
    <>
      <p class="replay-outcome" role="status" aria-live="polite" data-testid="replay-outcome">{outcome}</p>
      {letters.length === 0 ? <p class="muted">No dead letters: every message so far could be processed.</p> : (
        <div class="table-scroll" role="region" aria-labelledby="dead-letters-caption" tabIndex={0}>
          <table class="data-table dead-letters">
            <caption id="dead-letters-caption" class="visually-hidden">Dead letters, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Dead letter</th><th scope="col">Reason</th><th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {letters.map((letter) => {
                const replayedAt = letter.replayedAt ?? replayed[letter.id];
                return (
                  <tr key={letter.id} data-dead-letter-id={letter.id} data-replayed={replayedAt ? "true" : "false"}>
                    {/* The Replay button comes first, so that a phone shows it without scrolling the table sideways. */}
                    <td class="when">
                      <time dateTime={letter.deadAt}>{when(letter.deadAt)}</time>
                      <span class="source">from {source(letter)}</span>
                      {/* aria-disabled rather than disabled: the button keeps the keyboard focus once it has done its work. */}
                      <button
                        type="button" class="button button-small"
                        aria-disabled={Boolean(replayedAt) || replaying === letter.id}
                        onClick={() => void replay(letter)}
                      >
                        {replayedAt ? "Replayed" : replaying === letter.id ? "Replaying…" : "Replay"}
                        <span class="visually-hidden"> dead letter {letter.id}</span>
                      </button>
                      {replayedAt && <span class="replayed-at">at <time dateTime={replayedAt}>{clock(replayedAt)}</time></span>}
                    </td>
                    <td class="reason">{letter.reason}</td>
                    <td class="message">
                      <span class="value-kind">key </span><code class="key" title={letter.key}>{letter.key || "(none)"}</code>
                      <span class="value"><ValuePreview value={letter.value} /></span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
