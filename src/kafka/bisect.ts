/**
 * Runs `items` as one. Should that fail in a way `split` says an item may be at fault, runs each half
 * in turn, and so on down to single items: every item not at fault is run, in order, and each single
 * item that still fails goes to `alone`, with the failures of every run on the way down to it.
 */
export async function bisect<T>(
  items: readonly T[],
  run: (items: readonly T[]) => Promise<void>,
  split: (error: unknown) => boolean,
  alone: (item: T, failures: unknown[]) => Promise<void>,
  above: unknown[] = [],
): Promise<void> {
  try {
    await run(items);
  } catch (error) {
    if (!split(error)) throw error;
    const failures = [...above, error];
    if (items.length === 1) return alone(items[0]!, failures);
    const half = Math.ceil(items.length / 2);
    await bisect(items.slice(0, half), run, split, alone, failures);
    await bisect(items.slice(half), run, split, alone, failures);
  }
}
