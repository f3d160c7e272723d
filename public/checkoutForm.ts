import * as v from "valibot";
import { EmailAddress, PersonName } from "../src/orders/fields.ts";
import type { Issue } from "./api.ts";

export type Contact = { name: string; email: string };
type ContactErrors = Partial<Record<keyof Contact, string>>;

/** Which rule of a field refused it: valibot's issue type, as `min_length` for an empty field. */
const refusal = (schema: v.GenericSchema<string, unknown>, value: string) => v.safeParse(schema, value).issues?.[0];

/**
 * Checked with the API's own field definitions before anything is sent, so the form refuses
 * exactly what the API would; said in the shopper's words.
 */
export function checkContact({ name, email }: Contact): ContactErrors {
  const errors: ContactErrors = {};
  const badName = refusal(PersonName, name);
  if (badName?.type === "min_length") errors.name = "Please enter your name.";
  else if (badName?.type === "max_length") errors.name = "Please shorten your name to 200 characters or fewer.";
  else if (badName) errors.name = `Your name ${badName.message}.`;
  const badEmail = refusal(EmailAddress, email);
  if (badEmail?.type === "min_length") errors.email = "Please enter your email address.";
  else if (badEmail) errors.email = "Please enter an email address like ada@example.com.";
  return errors;
}

/** "email is not a valid address" → "Email is not a valid address." */
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : ".");

export type PlacedIssues = { fields: ContactErrors; lines: Record<number, string>; general: string[] };

/** Puts each of the API's 400 issues next to what it is about: a field, a cart line, or the form. */
export function placeIssues(issues: readonly Issue[], code: string): PlacedIssues {
  const placed: PlacedIssues = { fields: {}, lines: {}, general: [] };
  for (const issue of issues) {
    const field = /^customer\.(name|email)$/.exec(issue.path)?.[1] as keyof Contact | undefined;
    const line = /^items\.(\d+)\./.exec(issue.path)?.[1];
    if (field) placed.fields[field] ??= sentence(issue.message);
    else if (line !== undefined && code === "unknown_product") placed.lines[Number(line)] = "We no longer sell this. Please remove it from your cart.";
    else if (line !== undefined) placed.lines[Number(line)] ??= sentence(issue.message);
    else placed.general.push(sentence(issue.message));
  }
  return placed;
}
