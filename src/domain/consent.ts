import { z } from 'zod';
import { boundedText, IsoDateSchema, IsoDateTimeSchema, PersonIdSchema, RecordIdSchema, SlugSchema } from './primitives';
import { dayOf, DEFAULT_TIME_ZONE } from './time';

/**
 * Consent (samtykke) from those with parental responsibility, and the child from the age the
 * municipality sets. A consent names the services and/or teams that may share information, the
 * purpose and how long it lasts; it can be withdrawn at any moment. A refusal is recorded too.
 * Laget keeps no scan of the signed form: only that it exists and where it is archived.
 */

export const ConsentGiverSchema = z.enum(['mother', 'father', 'parent', 'guardian', 'child']);

const ScopeSchema = z.object({
  /** Service ids from the ladder's catalogue (e.g. 'ppt', 'helsestasjon'). */
  services: z.array(SlugSchema),
  /** Interdisciplinary team ids (named discussion in the team). */
  teams: z.array(SlugSchema),
});

const ConsentGivenSchema = ScopeSchema.extend({
  kind: z.literal('given'),
  id: RecordIdSchema,
  givenBy: z.array(ConsentGiverSchema).min(1),
  purpose: boundedText(500),
  givenOn: IsoDateSchema,
  /** Valid through this day (in the municipality's time zone). */
  validUntil: IsoDateSchema,
  /** Where the signed form is archived (e.g. "the unit's archive, folder 2025"); null when no form exists. */
  signedFormArchivedAt: boundedText(200).nullable(),
  recordedBy: PersonIdSchema,
  recordedAt: IsoDateTimeSchema,
  withdrawn: z.object({ at: IsoDateTimeSchema, recordedBy: PersonIdSchema, by: z.array(ConsentGiverSchema) }).nullable(),
});
export type ConsentGiven = z.infer<typeof ConsentGivenSchema>;

const ConsentRefusedSchema = ScopeSchema.extend({
  kind: z.literal('refused'),
  id: RecordIdSchema,
  refusedBy: z.array(ConsentGiverSchema).min(1),
  refusedOn: IsoDateSchema,
  recordedBy: PersonIdSchema,
  recordedAt: IsoDateTimeSchema,
});
export type ConsentRefused = z.infer<typeof ConsentRefusedSchema>;

export const ConsentRecordSchema = z.discriminatedUnion('kind', [ConsentGivenSchema, ConsentRefusedSchema]);
export type ConsentRecord = z.infer<typeof ConsentRecordSchema>;

/** What a step, a team item or an action would share, and with whom. */
export type SharingScope = { services: readonly string[]; teams: readonly string[] };

export type ConsentCoverage =
  { kind: 'covered'; consentIds: string[] } | { kind: 'not-covered'; missingServices: string[]; missingTeams: string[] };

/** Whether a given consent is in force at an instant: recorded, not withdrawn, not expired. */
export function consentInForce(record: ConsentGiven, at: Date, timeZone: string = DEFAULT_TIME_ZONE): boolean {
  const instant = at.toISOString();
  if (record.recordedAt > instant) return false;
  if (record.withdrawn !== null && record.withdrawn.at <= instant) return false;
  return dayOf(at, timeZone) <= record.validUntil;
}

/**
 * Whether the consents of a case cover everything a scope shares, at an instant. Each service and
 * team needs a consent in force that names it, with no refusal naming it recorded after that
 * consent: the parents' latest word counts. With `signedForm`, only consents whose signed form is
 * on record count (a step that asks for written consent).
 */
export function consentCoverage(
  records: readonly ConsentRecord[],
  scope: SharingScope,
  at: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
  options: { signedForm?: boolean } = {},
): ConsentCoverage {
  const instant = at.toISOString();
  const known = records.filter((record) => record.recordedAt <= instant);
  // Records are appended in the order they happened, so a later index is a later word.
  const consentFor = (pick: (r: ConsentRecord) => readonly string[], id: string): ConsentGiven | undefined => {
    let lastRefusal = -1;
    known.forEach((r, index) => {
      if (r.kind === 'refused' && pick(r).includes(id)) lastRefusal = index;
    });
    return known.find(
      (r, index): r is ConsentGiven =>
        index > lastRefusal &&
        r.kind === 'given' &&
        pick(r).includes(id) &&
        consentInForce(r, at, timeZone) &&
        (options.signedForm !== true || r.signedFormArchivedAt !== null),
    );
  };
  const used = new Set<string>();
  const missingServices: string[] = [];
  const missingTeams: string[] = [];
  for (const service of scope.services) {
    const consent = consentFor((r) => r.services, service);
    if (consent) used.add(consent.id);
    else missingServices.push(service);
  }
  for (const team of scope.teams) {
    const consent = consentFor((r) => r.teams, team);
    if (consent) used.add(consent.id);
    else missingTeams.push(team);
  }
  if (missingServices.length > 0 || missingTeams.length > 0) return { kind: 'not-covered', missingServices, missingTeams };
  return { kind: 'covered', consentIds: [...used].sort() };
}

/** The consents in force now (for the case card and the leader's view). */
export function consentsInForce(records: readonly ConsentRecord[], at: Date, timeZone: string = DEFAULT_TIME_ZONE): ConsentGiven[] {
  return records.filter((r): r is ConsentGiven => r.kind === 'given' && consentInForce(r, at, timeZone));
}

/**
 * The day the last consent that named something in `scope` ran out, when such a consent exists
 * (given, never withdrawn nor refused since, expired before `at`): so that "no consent" can say
 * "the consent ran out on …". Null when nothing in the scope was ever covered that way.
 */
export function lapsedOn(
  records: readonly ConsentRecord[],
  scope: SharingScope,
  at: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): string | null {
  const today = dayOf(at, timeZone);
  const instant = at.toISOString();
  const named = (r: ConsentRecord) => r.services.some((s) => scope.services.includes(s)) || r.teams.some((t) => scope.teams.includes(t));
  const lapsed = records.filter(
    (r): r is ConsentGiven => r.kind === 'given' && r.recordedAt <= instant && r.withdrawn === null && r.validUntil < today && named(r),
  );
  const days = lapsed.map((r) => r.validUntil).sort();
  return days.at(-1) ?? null;
}
