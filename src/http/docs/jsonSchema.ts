import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";

/**
 * The JSON Schema of a valibot schema. Rules JSON Schema cannot say (a trimmed string, "each
 * product once") are left out of the document; the server still enforces them.
 */
export const jsonSchema = (schema: v.GenericSchema) => {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, { errorMode: "ignore" }) as Record<string, unknown>;
  return rest;
};
