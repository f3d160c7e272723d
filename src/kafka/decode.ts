import * as v from "valibot";
import type { Inbound } from "./message.ts";

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

/** How a route turns a message into the value its handler works on, or says why it never can. */
export type Decoder<T> = (message: Inbound) => Decoded<T>;

/** A message as it came off a topic, as far as decoding it needs. */
export type RawMessage = Pick<Inbound, "key" | "value" | "headers" | "headerFault">;

/** Commands are well under this (a PlaceOrder's thousand lines at most); anything larger is not one. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** The correlation id is a request id: short, printable ASCII, safe in a header and a log line. */
const CorrelationId = v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.regex(/^[\x20-\x7e]+$/));

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const fail = (reason: string): Decoded<never> => ({ ok: false, reason: reason.slice(0, 500) });

/**
 * Decodes a message into a typed envelope, or says in one line why it never can. What decodes, the
 * handler can process: bytes that are UTF-8 JSON of bounded size, a schema that admits only
 * values the runtime and PostgreSQL accept, headers of bounded size that say what the body says,
 * and the key `keyOf` names: the order id, or the product id (the key decides the partition, and so
 * the order of an entity's messages: one under another key could overtake its own entity's others).
 */
export const decodeEnvelope = <S extends v.GenericSchema<unknown, { type: string }>>(schema: S, keyOf: (value: v.InferOutput<S>) => string) =>
  ({ key, value, headers, headerFault }: RawMessage): Decoded<v.InferOutput<S>> => {
    if (value === null || value.length === 0) return fail("empty message");
    if (value.length > MAX_MESSAGE_BYTES) return fail(`too large: ${value.length} bytes, at most ${MAX_MESSAGE_BYTES}`);
    if (headerFault) return fail(headerFault);
    const correlationId = headers["correlation-id"];
    if (correlationId !== undefined && !v.is(CorrelationId, correlationId)) return fail("header correlation-id is not 1..200 printable ASCII characters");
    let json: unknown;
    try {
      json = JSON.parse(strictUtf8.decode(value));
    } catch {
      return fail("not JSON");
    }
    const result = v.safeParse(schema, json);
    if (!result.success) {
      const issue = result.issues[0];
      return fail(`schema: ${v.getDotPath(issue) ?? "(root)"}: ${issue.message}`);
    }
    const { type } = result.output as { type: string };
    if (headers.type !== undefined && headers.type !== type) return fail(`header type ${JSON.stringify(headers.type.slice(0, 50))} is not the envelope's type ${type}`);
    const expected = keyOf(result.output);
    if (key !== expected) return fail(key === null ? "no key: the key must be the envelope's id for it" : `the key is not ${expected}`);
    return { ok: true, value: result.output };
  };
