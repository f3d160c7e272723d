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

export type StatusEvent = { id: string; status: string; reason?: string; at: string };

/** Reads an order's event stream until it closes, returning every `status` event in order. */
export async function readStatusEvents(baseUrl: string, orderId: string, timeoutMs = 30_000): Promise<StatusEvent[]> {
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
    }
  }
  return events;
}
