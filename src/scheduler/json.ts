import { z } from 'zod';

/** A JSON value: what a job's params and an outbound activity may hold (they are stored and sent as JSON). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(JsonValueSchema)]),
);
export const JsonObjectSchema: z.ZodType<JsonObject> = z.record(JsonValueSchema);
