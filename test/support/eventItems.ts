import type Ajv2020 from "ajv/dist/2020";

/** One server-sent event as the WHATWG parser gives it, the item an OpenAPI 3.2 `itemSchema` describes. */
export type EventItem = { event?: string; data: string; id?: string; retry?: number };

/**
 * The events in `block`s of an event stream, parsed as EventSource does: `data` lines joined with
 * newlines, one space after the colon dropped, comment lines and blocks without data skipped.
 */
export function parseEventBlock(block: string): EventItem | undefined {
  const item: EventItem = { data: "" };
  const data: string[] = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "event") item.event = value;
    else if (field === "id" && !value.includes("\0")) item.id = value;
    else if (field === "retry" && /^\d+$/.test(value)) item.retry = Number(value);
  }
  if (data.length === 0) return undefined;
  item.data = data.join("\n");
  return item;
}

/** `response`'s events as they come, until the stream ends; a caller that stops reading cancels it. */
export async function* eventItems(response: Response): AsyncGenerator<EventItem> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
      const item = parseEventBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (item) yield item;
    }
  }
}

type Branch = { properties?: { event?: { const?: string }; data?: { contentMediaType?: string } } };

const pointer = (...parts: (string | number)[]) => parts.map((p) => String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");

/**
 * What is wrong with `item` by the `itemSchema` at `at` (a JSON pointer into the document `ajv`
 * holds as "openapi.json"): the item against the schema, then its data, decoded, against the
 * `contentSchema` of the branch its event name selects, which JSON Schema only annotates and never
 * checks by itself. Empty when the item is one the document declares.
 */
export function itemProblems(ajv: Ajv2020, doc: unknown, at: string, item: EventItem): string[] {
  const check = (location: string, value: unknown) => {
    const validate = ajv.getSchema(`openapi.json#/${location}`);
    if (!validate) return [`no schema at ${location}`];
    return validate(value) ? [] : [ajv.errorsText(validate.errors)];
  };
  const problems = check(at, item);
  const schema = at.split("/").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part.replaceAll("~1", "/").replaceAll("~0", "~")], doc);
  const branches = (schema as { oneOf?: Branch[] } | undefined)?.oneOf ?? [];
  const index = branches.findIndex((b) => b.properties?.event?.const === item.event);
  if (index < 0) return [...problems, `event ${item.event} is not declared`];
  if (branches[index]!.properties?.data?.contentMediaType !== "application/json") return problems;
  let data: unknown;
  try {
    data = JSON.parse(item.data);
  } catch {
    return [...problems, `event ${item.event}: data is not JSON: ${item.data.slice(0, 100)}`];
  }
  return [...problems, ...check(`${at}/${pointer("oneOf", index, "properties", "data", "contentSchema")}`, data).map((e) => `event ${item.event} data: ${e}`)];
}
