import { useEffect, useState } from "preact/hooks";
import { isTerminal, type OrderStatus, type StatusEvent } from "./api.ts";

/** live: the stream is open; reconnecting: EventSource is retrying by itself; lost: the server refused it. */
type Connection = "connecting" | "live" | "reconnecting" | "lost";

/**
 * Follows an order's status over GET /api/orders/:id/events until a status `settled` says is far
 * enough (a final one unless told). Returns each status seen once, in order. `restart` opens a new
 * stream after the server refused one.
 */
export function useOrderStatus(id: string, enabled = true, settled: (status: OrderStatus) => boolean = isTerminal) {
  const [events, setEvents] = useState<StatusEvent[]>([]);
  const [connection, setConnection] = useState<Connection>("connecting");
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    setConnection("connecting");
    const source = new EventSource(`/api/orders/${encodeURIComponent(id)}/events`);
    source.onopen = () => setConnection("live");
    source.addEventListener("status", (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as StatusEvent;
      // A reconnect starts with the current status again: keep the first sighting and its time.
      setEvents((seen) => (seen.some((e) => e.status === event.status) ? seen : [...seen, event]));
      // The server ends the stream after a final status; EventSource would reconnect to it.
      if (settled(event.status)) source.close();
    });
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? "lost" : "reconnecting");
    return () => source.close();
  }, [id, enabled, attempt]);

  return { events, latest: events.at(-1), connection, restart: () => setAttempt((n) => n + 1) };
}
