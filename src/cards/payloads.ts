import { z } from 'zod';

/**
 * The zod schema of every card submit (Action.Submit data plus input values) and
 * Action.Execute data, by verb. Schemas are strict: an unexpected field is refused,
 * so a forged or stale card cannot smuggle data into a case.
 */
export const Payloads = {
  'welcome.show': z.object({ verb: z.literal('welcome.show') }).strict(),
} as const satisfies Record<string, z.ZodTypeAny>;

export type Verb = keyof typeof Payloads;
export type PayloadOf<V extends Verb> = z.infer<(typeof Payloads)[V]>;

export type ParsedPayload<T> = { ok: true; data: T } | { ok: false; fields: string[] };

/** Fields that Teams clients add to every submit on their own; they carry no user input. */
const CLIENT_FIELDS = ['msteams'];

export function parsePayload<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): ParsedPayload<T> {
  const input =
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => !CLIENT_FIELDS.includes(key)))
      : value;
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || 'data'],
  );
  return { ok: false, fields: [...new Set(fields)] };
}
