import { toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";

/**
 * The JSON Schema of a valibot schema. Rules JSON Schema cannot say (a trimmed string, "each
 * product once") are left out of the document; the server still enforces them. `output` describes
 * what a pipeline ends as (a query string's "20" as the integer 20) rather than the raw input.
 */
export const jsonSchema = (schema: v.GenericSchema, typeMode: "ignore" | "output" = "ignore") => {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, { errorMode: "ignore", typeMode }) as Record<string, unknown>;
  return rest;
};
