import type { Address } from "../checkoutForm.ts";
import { countryOptions } from "../countries.ts";
import { Field } from "./Field.tsx";
import { FormField } from "./FormField.tsx";

/** Each field's element id, in the order the form shows them: the first one in error takes the focus. */
export const ADDRESS_IDS: Record<keyof Address, string> = {
  name: "ship-name", line1: "ship-line1", line2: "ship-line2", city: "ship-city", postalCode: "ship-postal-code", country: "ship-country",
};

type Props = {
  address: Address;
  errorOf: (field: keyof Address) => string | undefined;
  onValue: (field: keyof Address) => (value: string) => void;
  onBlur: (field: keyof Address) => () => void;
};

/** Where the parcel goes, each field with its error under it and the browser's shipping autofill. */
export function AddressFields({ address, errorOf, onValue, onBlur }: Props) {
  const field = (key: Exclude<keyof Address, "country">, label: string, autocomplete: string, optional = false) => (
    <Field
      id={ADDRESS_IDS[key]} label={label} value={address[key]} error={errorOf(key)} optional={optional}
      autocomplete={`shipping ${autocomplete}`} onValue={onValue(key)} onBlur={onBlur(key)}
    />
  );
  return (
    <fieldset class="address-fields">
      <legend>Shipping address</legend>
      {field("name", "Recipient", "name")}
      {field("line1", "Street address", "address-line1")}
      {field("line2", "Apartment, suite, floor (optional)", "address-line2", true)}
      <div class="field-pair">
        {field("city", "City", "address-level2")}
        {field("postalCode", "Postal code", "postal-code")}
      </div>
      <FormField id={ADDRESS_IDS.country} label="Country" error={errorOf("country")}>
        {(described) => (
          <select
            id={ADDRESS_IDS.country} autocomplete="shipping country" required value={address.country} {...described}
            onChange={(event) => onValue("country")(event.currentTarget.value)} onBlur={onBlur("country")}
          >
            <option value="">Choose a country</option>
            {countryOptions().map(({ code, name }) => <option key={code} value={code}>{name}</option>)}
          </select>
        )}
      </FormField>
    </fieldset>
  );
}
