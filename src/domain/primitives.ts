import { datetimeRegex, z } from 'zod';

/**
 * The small building blocks every stored record uses. Everything here is JSON: dates are
 * ISO strings, people are opaque ids (the Teams aadObjectId) with the display name the
 * product must show, free text is always bounded.
 */

/** Longest free text the domain keeps (a worry-form answer, a note). */
export const MAX_FREE_TEXT = 2000;

/** A calendar day, `YYYY-MM-DD`, interpreted in the municipality's time zone. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');
export type IsoDate = z.infer<typeof IsoDateSchema>;

/** `YYYY-MM-DD` names a real day (no 31 April, 29 February only in leap years). Checked on every case read: kept cheap. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * An instant in UTC, as `Date.prototype.toISOString()` writes it. zod's own `.datetime()` builds
 * its regular expression on every parse, and a case holds dozens of instants: built once here.
 */
const ISO_INSTANT = datetimeRegex({ offset: false, local: false, precision: 3 });
export const IsoDateTimeSchema = z.string().regex(ISO_INSTANT, 'expected an instant as YYYY-MM-DDTHH:mm:ss.sssZ');
export type IsoDateTime = z.infer<typeof IsoDateTimeSchema>;

/** An opaque person id (the Teams aadObjectId in production, e.g. 'aad-kari' in fixtures). */
export const PersonIdSchema = z.string().trim().min(1).max(128);

/** A person as the product shows them: id for decisions, name for display and signatures. */
export const PersonRefSchema = z.object({
  id: PersonIdSchema,
  name: z.string().trim().min(1).max(120),
});
export type PersonRef = z.infer<typeof PersonRefSchema>;

/** Ids of municipal things (units, teams, services): lower-case, short, no personal data. */
export const SlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a lower-case id of letters, digits and dashes');

/** Ids of records inside one case: `goal-1`, `esc-2` … assigned by the domain, never by a user. */
export const RecordIdSchema = z.string().regex(/^[a-z]+-\d+$/, 'expected a record id such as goal-1');

/** Bounded, trimmed, non-empty free text. */
export function boundedText(max: number = MAX_FREE_TEXT) {
  return z.string().trim().min(1).max(max);
}

/** Text in the two languages the product ships (municipal configuration data, not UI strings). */
export const LocalizedTextSchema = z.object({ nb: z.string().min(1), en: z.string().min(1) });

/** A list of short texts in both languages (guidance, requirements). */
export const LocalizedListSchema = z.object({ nb: z.array(z.string().min(1)), en: z.array(z.string().min(1)) });
