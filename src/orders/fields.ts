import * as v from "valibot";

/**
 * The definition of each text field, shared by the API's request schemas, the messages' schemas
 * and the storefront's forms. A request field is a message field with stricter bounds, never
 * another rule: so the API can never accept what a consumer refuses (a 202 that never ends).
 */

/**
 * Control characters would end up in logs, headers and the database; a lone surrogate has no UTF-8
 * form, so PostgreSQL would store U+FFFD in its place, another string. No field may carry either.
 */
const NOT_STORABLE = "must not contain control characters or lone surrogates";
/**
 * Unicode's Cc (`\p{Cc}`) spelled out: a pattern every JSON Schema generator carries into the API
 * documents and every regex engine compiles, so tools generate and check text as the API does.
 */
const noControl = v.regex(/^[^\u0000-\u001f\u007f-\u009f]*$/u, NOT_STORABLE);
/**
 * The same, and not blank: one pattern, as JSON Schema holds one, for text that is required once
 * trimmed. ECMAScript's trim() removes what its \s matches; \uFEFF is spelled out for engines whose
 * \s is Unicode's White_Space (Rust's, Schemathesis's), which lacks it.
 */
const filled = v.regex(/^[^\u0000-\u001f\u007f-\u009f]*[^\s\uFEFF\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$/u, NOT_STORABLE);
/**
 * Not in the pattern: a surrogate in a pattern compiles in JavaScript's regexes only, and a tool whose
 * JSON Schema runs on Rust's (Schemathesis, with jsonschema-rs) drops the whole pattern, the control
 * characters with it.
 */
const wellFormed = v.check((value: string) => value.isWellFormed(), NOT_STORABLE);

/** The one currency the shop sells in: every price is integer cents of it. */
export const CURRENCY = "USD";

/** A string of at most `max` characters that PostgreSQL, a log line and a header can all carry. */
export const text = (max: number) => v.pipe(v.string(), v.maxLength(max), noControl, wellFormed);

/**
 * Text a person types into a form: trimmed, then 1..max characters (0..max if `optional`), and, as
 * `text`, free of control characters and lone surrogates, in any script.
 */
export const typed = (field: string, max: number, { optional = false } = {}): v.GenericSchema<string, string> =>
  optional
    ? v.pipe(v.string(`${field} is required`), v.trim(), v.maxLength(max, `${field} is at most ${max} characters`), noControl, wellFormed)
    // The first refusal only: a blank value is "required", not also "not storable".
    : v.config(v.pipe(
      v.string(`${field} is required`),
      v.trim(),
      v.minLength(1, `${field} is required`),
      v.maxLength(max, `${field} is at most ${max} characters`),
      filled,
      wellFormed,
    ), { abortPipeEarly: true });

/**
 * WHATWG HTML's "valid email address", the rule `<input type=email>` applies in every browser: so
 * the checkout form and the API agree, and `o'neil@example.com` or a punycode domain is welcome.
 */
export const WHATWG_EMAIL =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const EmailAddress = v.pipe(
  v.string("email is required"),
  v.trim(),
  v.minLength(1, "email is required"),
  v.maxLength(254, "email is at most 254 characters"),
  v.regex(WHATWG_EMAIL, "email is not a valid address"),
);

export const PersonName = typed("name", 200);

/**
 * A product image the storefront can show: a path on this site. Nothing a browser resolves
 * elsewhere: no `//` (another host), no `\` (read as `/`), no whitespace or control characters
 * (the URL parser drops tabs and newlines, which could join two slashes); the page's CSP allows
 * images from 'self' only, so an address elsewhere could never be shown anyway.
 */
export const ImagePath = v.pipe(
  v.string("imageUrl must be a string"),
  v.trim(),
  v.maxLength(500, "imageUrl is at most 500 characters"),
  v.regex(/^(?!.*\/\/)\/[^\\\s\u0000-\u001f\u007f-\u009f]+$/u, "imageUrl is a path on this site, starting with / (no //, \\ or spaces)"),
);
