import { COUNTRY_CODES } from "../src/orders/address.ts";

/** Countries named in the page's language by the browser itself: no list of names to ship. */
const names = new Intl.DisplayNames([(typeof document === "undefined" ? "" : document.documentElement.lang) || "en"], { type: "region" });

export const countryName = (code: string) => names.of(code) ?? code;

let sorted: { code: string; name: string }[] | undefined;

/** The officially assigned codes with their names, sorted by name. */
export function countryOptions() {
  sorted ??= COUNTRY_CODES.map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name));
  return sorted;
}

/** The shopper's own region, as the browser's language says it (en-GB → GB), when it is a country we ship to. */
export function likelyCountry() {
  try {
    const region = new Intl.Locale(navigator.language).maximize().region ?? "";
    return COUNTRY_CODES.includes(region) ? region : "";
  } catch {
    return "";
  }
}
