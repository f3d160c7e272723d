import type { Context } from "hono";
import type { Env } from "./deps.ts";
import { rateLimited } from "./errors.ts";
import type { Limits } from "./limits/index.ts";
import type { Slot } from "./limits/streamSlots.ts";

/** Streams live for minutes: a refused client should not come straight back. */
const RETRY_AFTER_S = 10;

const REFUSED = {
  session: "too many open event streams for this session",
  address: "too many open event streams from this client",
  instance: "too many open event streams on this instance",
} as const;

/**
 * A slot for one more event stream of this client, or 429 rate_limited. Every kind of stream takes
 * one: a socket held open for minutes costs the same whatever it carries. Release it when the
 * stream ends.
 */
export function streamSlot(c: Context<Env>, limits: Limits): Slot {
  const slot = limits.streams.open(c.get("session"), c.get("client").address);
  if ("refused" in slot) throw rateLimited(REFUSED[slot.refused], RETRY_AFTER_S);
  return slot;
}
