import { CURRENCY } from "../src/orders/fields.ts";

const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: CURRENCY });
const dateTime = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
const time = new Intl.DateTimeFormat("en-US", { timeStyle: "medium" });
const numbers = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** Prices travel as integer cents, in one currency only (see the contract). */
export const money = (cents: number) => dollars.format(cents / 100);

export const when = (iso: string) => dateTime.format(new Date(iso));

export const clock = (iso: string) => time.format(new Date(iso));

/** 12,345 or 2.5: thousands grouped, at most one decimal. */
export const figure = (n: number) => numbers.format(n);

/** Order ids are UUIDs: the first block is enough for a person to tell orders apart. */
export const shortId = (id: string) => id.slice(0, 8).toUpperCase();

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A moment of today by its clock time; of another day with its date too, as a parcel's steps can be days apart. */
export const stamp = (iso: string) => (new Date(iso).toDateString() === new Date().toDateString() ? clock(iso) : when(iso));
