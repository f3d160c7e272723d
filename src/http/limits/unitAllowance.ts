import { Lru } from "./lru.ts";

type Taken = { at: number; units: number };

/**
 * How many units (the sum of an order's quantities) each key may order within a sliding window, so
 * that one client cannot reserve the whole catalog with a string of orders that each look modest.
 */
export class UnitAllowance {
  private readonly taken: Lru<string, Taken[]>;

  constructor(private readonly options: { units: number; windowMs: number; maxKeys?: number }) {
    this.taken = new Lru(options.maxKeys ?? 100_000);
  }

  /** Units still allowed to `key` at `nowMs`. */
  remaining(key: string, nowMs: number): number {
    return this.options.units - this.recent(key, nowMs).reduce((sum, t) => sum + t.units, 0);
  }

  /**
   * Takes `units` if the window still allows them, and returns how to give them back (for an order
   * that was then not accepted after all); undefined, taking nothing, if it does not.
   */
  take(key: string, units: number, nowMs: number): (() => void) | undefined {
    const recent = this.recent(key, nowMs);
    if (recent.reduce((sum, t) => sum + t.units, 0) + units > this.options.units) return undefined;
    const entry = { at: nowMs, units };
    recent.push(entry);
    this.taken.set(key, recent);
    return () => {
      const list = this.taken.get(key);
      const i = list?.indexOf(entry) ?? -1;
      if (i >= 0) list!.splice(i, 1);
    };
  }

  private recent(key: string, nowMs: number): Taken[] {
    const list = this.taken.get(key) ?? [];
    const since = nowMs - this.options.windowMs;
    while (list.length > 0 && list[0]!.at <= since) list.shift();
    return list;
  }
}
