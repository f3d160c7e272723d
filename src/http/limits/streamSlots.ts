export type StreamCaps = { perSession: number; perAddress: number; perInstance: number };
export type Slot = { release(): void };
export type Refusal = { refused: "session" | "address" | "instance" };

/**
 * Counts the open event streams of each session, each client address and the whole instance, and
 * refuses one past any cap. A stream holds a socket for minutes, so this is what bounds them.
 */
export class StreamSlots {
  private readonly bySession = new Map<string, number>();
  private readonly byAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly caps: StreamCaps) {}

  /** Streams open now, for the metrics. */
  get count(): number {
    return this.total;
  }

  open(session: string, address: string): Slot | Refusal {
    if (this.total >= this.caps.perInstance) return { refused: "instance" };
    if ((this.byAddress.get(address) ?? 0) >= this.caps.perAddress) return { refused: "address" };
    if ((this.bySession.get(session) ?? 0) >= this.caps.perSession) return { refused: "session" };
    this.total++;
    bump(this.byAddress, address, 1);
    bump(this.bySession, session, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total--;
        bump(this.byAddress, address, -1);
        bump(this.bySession, session, -1);
      },
    };
  }
}

/** Only keys with open streams stay in the maps, so they are as small as the streams are few. */
function bump(counts: Map<string, number>, key: string, by: number) {
  const n = (counts.get(key) ?? 0) + by;
  if (n === 0) counts.delete(key);
  else counts.set(key, n);
}
