/**
 * The Jaeger `bun run infra:up -- --tracing` starts (the test script does), read through its HTTP
 * query API: the traces of a service with given tags, one trace, the services it has seen.
 */

/** Its query API and web page. */
export const JAEGER_QUERY_URL = process.env.JAEGER_QUERY_URL ?? "http://127.0.0.1:16686";
/** Where a shop under test sends its spans: OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP). */
export const JAEGER_OTLP_URL = process.env.JAEGER_OTLP_URL ?? "http://127.0.0.1:4318";

export type TagValue = string | number | boolean;

export type SpanReference = { refType: "CHILD_OF" | "FOLLOWS_FROM"; traceID: string; spanID: string };

export type Span = {
  traceID: string;
  spanID: string;
  operationName: string;
  /** Its parent (CHILD_OF) and its links (FOLLOWS_FROM), as Jaeger maps OTLP's. */
  references: SpanReference[];
  /** Microseconds since the epoch. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  tags: Record<string, TagValue>;
  process: { serviceName: string; tags: Record<string, TagValue> };
};

/** Its spans by start time (then span id): Jaeger answers them in no set order. */
export type Trace = { traceID: string; spans: Span[] };

export type TraceQuery = {
  service: string;
  /** Every one must be on a span of the trace, value as text (Jaeger compares them so). */
  tags?: Record<string, string>;
  operation?: string;
  /** Traces with a span started at or after this; Jaeger's default is any time. */
  start?: Date;
  /** The most traces answered; 100 unless given. */
  limit?: number;
};

type RawTag = { key: string; type: string; value: TagValue };
type RawSpan = Omit<Span, "tags" | "process"> & { tags: RawTag[]; processID: string };
type RawTrace = { traceID: string; spans: RawSpan[]; processes: Record<string, { serviceName: string; tags: RawTag[] }> };

const record = (tags: RawTag[] | null | undefined): Record<string, TagValue> =>
  Object.fromEntries((tags ?? []).map((tag) => [tag.key, tag.value]));

function typed(raw: RawTrace): Trace {
  return {
    traceID: raw.traceID,
    spans: raw.spans.map(({ processID, tags, ...span }) => {
      const process = raw.processes[processID];
      return {
        ...span,
        references: span.references ?? [],
        tags: record(tags),
        process: { serviceName: process?.serviceName ?? "", tags: record(process?.tags) },
      };
    }).sort((a, b) => a.startTime - b.startTime || a.spanID.localeCompare(b.spanID)),
  };
}

/** The `data` of an answer of the query API; undefined for a 404 (no such trace). */
async function get<T>(path: string): Promise<T | undefined> {
  const response = await fetch(`${JAEGER_QUERY_URL}${path}`, { signal: AbortSignal.timeout(10_000) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`Jaeger GET ${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: T }).data;
}

export async function findTraces(query: TraceQuery): Promise<Trace[]> {
  const params = new URLSearchParams({ service: query.service, limit: String(query.limit ?? 100) });
  if (query.tags) params.set("tags", JSON.stringify(query.tags));
  if (query.operation) params.set("operation", query.operation);
  if (query.start) params.set("start", String(query.start.getTime() * 1000));
  return ((await get<RawTrace[]>(`/api/traces?${params}`)) ?? []).map(typed);
}

/** One trace by its id (32 hex digits); undefined when Jaeger has none. */
export async function getTrace(traceId: string): Promise<Trace | undefined> {
  const found = await get<RawTrace[]>(`/api/traces/${encodeURIComponent(traceId)}`);
  return found?.[0] && typed(found[0]);
}

/** The names of the services Jaeger has spans of. */
export async function services(): Promise<string[]> {
  return (await get<string[] | null>("/api/services")) ?? [];
}

/** One line per trace: its id and its spans as `service: operation`, for a failure's message. */
export function describeTraces(traces: Trace[]): string {
  if (traces.length === 0) return "no trace";
  return traces.map((trace) => `${trace.traceID}: ${trace.spans.map((s) => `${s.process.serviceName}: ${s.operationName}`).join(", ")}`).join("\n");
}

/**
 * The traces `query` finds once `until` holds for them. Jaeger stores spans as they arrive, after
 * the exporter's batching, so this asks again every 100 ms; past `timeoutMs` it fails with what it last found.
 */
export async function waitForTraces(query: TraceQuery, until: (traces: Trace[]) => boolean, timeoutMs = 15_000): Promise<Trace[]> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const traces = await findTraces(query);
    if (until(traces)) return traces;
    if (Date.now() > deadline) {
      throw new Error(`Jaeger at ${JAEGER_QUERY_URL}: after ${timeoutMs} ms, ${JSON.stringify(query)} finds ${traces.length} trace(s), not yet as expected:\n${describeTraces(traces)}`);
    }
    await Bun.sleep(100);
  }
}
