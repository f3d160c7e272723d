import * as v from "valibot";
import { text, typed } from "./fields.ts";

/**
 * ISO 3166-1 alpha-2, the officially assigned codes only: a parcel goes to a country a carrier knows,
 * and `Intl.DisplayNames` would also name user-assigned and reserved codes (`XK`, `EU`).
 */
export const COUNTRY_CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
  "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
  "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
  "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
  "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
  "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
  "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");

const countries = new Set(COUNTRY_CODES);

export const Country = v.pipe(
  v.string("country is required"),
  v.trim(),
  v.check((code) => countries.has(code), "country is an ISO 3166-1 alpha-2 code, such as GB or US"),
  // Says the check in the API document, which cannot read it from a function.
  v.metadata({ enum: COUNTRY_CODES }),
);

const line = (field: string) => typed(field, 200);

/** Where the parcel goes: checkout's fields, the request's and the command's, one definition. */
export const ShippingAddress = v.object({
  name: line("name"),
  line1: line("line1"),
  line2: v.optional(typed("line2", 200, { optional: true })),
  city: line("city"),
  postalCode: line("postalCode"),
  country: Country,
});
export type ShippingAddress = v.InferOutput<typeof ShippingAddress>;

/** An address as a message may carry it: bounded text, checked against ShippingAddress when the order is decided. */
export const ShippingAddressData = v.object({
  name: text(1000), line1: text(1000), line2: v.optional(text(1000)), city: text(1000), postalCode: text(1000), country: text(1000),
});
