import type { Order } from "../api.ts";
import { countryName } from "../countries.ts";

/** A shipping address as a label shows it, one part a line, the country by name. */
export function AddressBlock({ address }: { address: NonNullable<Order["shippingAddress"]> }) {
  const lines = [address.name, address.line1, address.line2, `${address.postalCode} ${address.city}`, countryName(address.country)];
  return <address class="address">{lines.filter(Boolean).map((line, index) => <span key={index}>{line}</span>)}</address>;
}
