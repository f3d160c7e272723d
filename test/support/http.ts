/** A client that keeps its own `sid` cookie, like one browser. */
export function session(baseUrl: string, headers: Record<string, string> = {}) {
  let cookie = "";
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(baseUrl + path, {
      ...init,
      headers: { ...headers, ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) },
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) cookie = setCookie.split(";")[0]!;
    return response;
  };
  return {
    request,
    get cookie() { return cookie; },
    postOrder: (body: unknown, extra: Record<string, string> = {}) =>
      request("/api/orders", { method: "POST", headers: { "content-type": "application/json", ...extra }, body: JSON.stringify(body) }),
  };
}

export const customer = { name: "Ada Lovelace", email: "ada@example.com" };
export const shippingAddress = { name: "Ada Lovelace", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB" };

export type StatusEvent = { id: string; status: string; reason?: string; at: string };

/** A status that settles what a test waits for: the placement's outcome, or the end of the order. */
export const settled = (e: StatusEvent) => ["confirmed", "rejected", "cancelled", "delivered"].includes(e.status);

/**
 * Reads an order's event stream until `until` holds for an event (by default, until the placement
 * is settled: the stream itself stays open after `confirmed`, for what follows) or the stream
 * closes, returning every `status` event in order.
 */
export async function readStatusEvents(baseUrl: string, orderId: string, timeoutMs = 30_000, until: (e: StatusEvent) => boolean = settled): Promise<StatusEvent[]> {
  const response = await fetch(`${baseUrl}/api/orders/${orderId}/events`, { signal: AbortSignal.timeout(timeoutMs) });
  if (response.headers.get("content-type")?.startsWith("text/event-stream") !== true) throw new Error(`not an event stream: ${response.status}`);
  const events: StatusEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart()).join("\n");
      if (event === "status") events.push(JSON.parse(data));
      // Leaving the loop cancels the stream.
      if (events.length > 0 && until(events.at(-1)!)) return events;
    }
  }
  return events;
}
