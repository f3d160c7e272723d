import * as v from "valibot";
import { ShippingAddress } from "../src/orders/address.ts";
import { EmailAddress, PersonName } from "../src/orders/fields.ts";
import type { Issue } from "./api.ts";

export type Contact = { name: string; email: string };
type ContactErrors = Partial<Record<keyof Contact, string>>;

export type Address = { name: string; line1: string; line2: string; city: string; postalCode: string; country: string };
export type AddressErrors = Partial<Record<keyof Address, string>>;

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

/** What each address field is called in a sentence, and what it asks for when empty. */
const ADDRESS_WORDS: Record<keyof Address, { noun: string; missing: string }> = {
  name: { noun: "The recipient's name", missing: "Please enter who the parcel is for." },
  line1: { noun: "The street address", missing: "Please enter the street address." },
  line2: { noun: "The second address line", missing: "" },
  city: { noun: "The city", missing: "Please enter the city." },
  postalCode: { noun: "The postal code", missing: "Please enter the postal code." },
  country: { noun: "The country", missing: "Please choose a country." },
};

/** A rule's message about an address field, "postalCode is required", as "The postal code is required." */
const inWords = (field: keyof Address, message: string) =>
  `${ADDRESS_WORDS[field].noun} ${message.startsWith(`${field} `) ? message.slice(field.length + 1) : message}.`;

/** The address checked with the API's own ShippingAddress fields, said in the shopper's words. */
export function checkAddress(address: Address): AddressErrors {
  const errors: AddressErrors = {};
  for (const field of Object.keys(ADDRESS_WORDS) as (keyof Address)[]) {
    const bad = refusal(ShippingAddress.entries[field] as v.GenericSchema<string, unknown>, address[field]);
    if (!bad) continue;
    if (bad.type === "min_length" || (field === "country" && address.country === "")) errors[field] = ADDRESS_WORDS[field].missing;
    else if (bad.type === "max_length") errors[field] = `${ADDRESS_WORDS[field].noun} is too long: please shorten it to 200 characters or fewer.`;
    else errors[field] = inWords(field, bad.message);
  }
  return errors;
}

/** "email is not a valid address" → "Email is not a valid address." */
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1) + (/[.!?]$/.test(message) ? "" : ".");

/** What a cart line says of a product no longer on sale, whether the API or the live stock said so. */
export const NO_LONGER_SOLD = "We no longer sell this. Please remove it from your cart.";

export type PlacedIssues = { fields: ContactErrors; address: AddressErrors; lines: Record<number, string>; general: string[] };

/** Puts each of the API's 400 issues next to what it is about: a field, a cart line, or the form. */
export function placeIssues(issues: readonly Issue[], code: string): PlacedIssues {
  const placed: PlacedIssues = { fields: {}, address: {}, lines: {}, general: [] };
  for (const issue of issues) {
    const field = /^customer\.(name|email)$/.exec(issue.path)?.[1] as keyof Contact | undefined;
    const addressField = /^shippingAddress\.(name|line1|line2|city|postalCode|country)$/.exec(issue.path)?.[1] as keyof Address | undefined;
    const line = /^items\.(\d+)\./.exec(issue.path)?.[1];
    if (field) placed.fields[field] ??= sentence(issue.message);
    else if (addressField) placed.address[addressField] ??= inWords(addressField, issue.message);
    else if (line !== undefined && code === "unknown_product") placed.lines[Number(line)] = NO_LONGER_SOLD;
    else if (line !== undefined) placed.lines[Number(line)] ??= sentence(issue.message);
    else placed.general.push(sentence(issue.message));
  }
  return placed;
}
