type Props = { label: string; page: number; hasNext: boolean; back: string; forward: string; onBack: () => void; onForward: () => void };

/** Back and forward through a list read a page at a time by cursors; the first page has no way back, the last none forward. */
export function Pager({ label, page, hasNext, back, forward, onBack, onForward }: Props) {
  if (page === 1 && !hasNext) return null;
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" class="button button-quiet button-small" disabled={page === 1} onClick={onBack}>{back}</button>
      <span class="muted">Page {page}</span>
      <button type="button" class="button button-quiet button-small" disabled={!hasNext} onClick={onForward}>{forward}</button>
    </nav>
  );
}
