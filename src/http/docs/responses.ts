/** The pieces routes declare their answers with in the API document. */

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object) => ({ "application/json": { schema } });
export const header = (description: string, schema: object) => ({ description, schema });
export const error = (description: string, headers?: Record<string, object>) => ({ description, ...(headers ? { headers } : {}), content: json(ref("Error")) });

/** A JSON answer whose body is the named component, or an array of them. */
export const ok = (description: string, name: string) => ({ description, content: json(ref(name)) });
/** A storefront page, rendered on the server. */
export const htmlPage = (description: string) => ({ description, content: { "text/html": { schema: { type: "string" } } } });
export const okList = (description: string, name: string) => ({ description, content: json({ type: "array", items: ref(name) }) });

export const retryAfter = { "Retry-After": header("Seconds to wait before trying again", { type: "string", pattern: "^[0-9]+$" }) };
export const allow = { Allow: header("The methods this path answers", { type: "string" }) };

/**
 * A server-sent event stream as OpenAPI 3.2 describes one: `itemSchema` checks each event, an object
 * of the fields the SSE parser gives (event, data, id, retry; comments are no events), and each named
 * event's `data` is the JSON its schema gives (contentMediaType and contentSchema, which a tool
 * checks once it has decoded the string).
 */
export const eventStream = (events: Record<string, object>) => ({
  description: "An event stream",
  content: {
    "text/event-stream": {
      itemSchema: {
        type: "object",
        required: ["event", "data"],
        properties: {
          event: { type: "string" },
          data: { type: "string" },
          id: { type: "string", pattern: "^[^\\u0000]*$" },
          retry: { type: "integer", minimum: 0 },
        },
        oneOf: Object.entries(events).map(([event, schema]) => ({
          properties: { event: { const: event }, data: { contentMediaType: "application/json", contentSchema: schema } },
        })),
      },
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
