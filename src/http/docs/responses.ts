/** The pieces routes declare their answers with in the API document. */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object) => ({ "application/json": { schema } });
export const header = (description: string, schema: object) => ({ description, schema });
export const error = (description: string, headers?: Record<string, object>) => ({ description, ...(headers ? { headers } : {}), content: json(ref("Error")) });

/** A JSON answer whose body is the named component, or an array of them. */
export const ok = (description: string, name: string) => ({ description, content: json(ref(name)) });
export const okList = (description: string, name: string) => ({ description, content: json({ type: "array", items: ref(name) }) });

export const retryAfter = { "Retry-After": header("Seconds to wait before trying again", { type: "string", pattern: "^[0-9]+$" }) };
export const allow = { Allow: header("The methods this path answers", { type: "string" }) };

/** A server-sent event stream, with the schema of the JSON in each named event's `data`. */
export const eventStream = (events: Record<string, object>) => ({
  description: "An event stream",
  content: {
    "text/event-stream": {
      schema: { type: "string", description: "Server-sent events; `x-sse-events` gives, for each event name, the schema of the JSON in its `data`." },
      "x-sse-events": events,
    },
  },
});
export const tooManyStreams = error("rate_limited: too many open event streams for this session, this client address or this instance", retryAfter);

/** What a route that reads a JSON body answers for one it cannot read. */
export const jsonBodyErrors = {
  413: error("payload_too_large: the body is over 64 KiB"),
  415: error("unsupported_media_type: Content-Type is not application/json"),
};

export const limitOutOfRange = error("validation_failed: limit out of range");
