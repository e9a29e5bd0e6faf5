import { z } from 'zod';
import { RhythmOffsetsSchema } from './meeting-series';
import { PersonRefSchema, SlugSchema } from './primitives';

/**
 * A municipality's set-up: its units (kindergartens, schools, services) with their nearest
 * leaders, the ladder it works by, where a report to child welfare goes, and the timing rules
 * it has chosen. It is configuration (a JSON file per municipality), validated here.
 */
const UnitKindSchema = z.enum(['kindergarten', 'school', 'health-station', 'child-welfare', 'ppt', 'service']);

/** An Entra object id (a group's): a GUID, so it can go into a Graph URL or filter as it is. */
const EntraIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected an Entra object id (a GUID)');

/**
 * Where a unit's people come from in Microsoft Entra ID (DIRECTORY=graph): the staff group (its
 * transitive user members work in the unit) and the leaders — a group of their own (recommended:
 * it works for groups synchronised from an on-premises AD, whose owners Graph does not show, and
 * it is not mixed up with whoever administers the staff group), or `"owners"`: the staff group's owners.
 */
const UnitGroupsSchema = z
  .object({
    staff: EntraIdSchema,
    leaders: z.union([z.literal('owners'), EntraIdSchema]),
  })
  .strict();

const UnitSchema = z.object({
  id: SlugSchema,
  name: z.string().trim().min(1).max(120),
  kind: UnitKindSchema,
  /**
   * DIRECTORY=file: the nearest leaders (styrer, rektor, enhetsleder); the first is the default for
   * new cases. With DIRECTORY=graph they come from `groups`.
   */
  leaders: z.array(PersonRefSchema).default([]),
  /** DIRECTORY=file: who works in the unit (the leaders need not be listed again). */
  staff: z.array(PersonRefSchema).default([]),
  /** DIRECTORY=graph: the unit's Entra groups. */
  groups: UnitGroupsSchema.optional(),
});
export type Unit = z.infer<typeof UnitSchema>;

export const MunicipalitySchema = z
  .object({
    id: SlugSchema,
    name: z.string().trim().min(1).max(120),
    ladderId: SlugSchema.default('aurskog-holand'),
    timeZone: z.string().default('Europe/Oslo'),
    /** Where a report of concern (bekymringsmelding) goes; shown on every report card. */
    childWelfare: z.object({
      name: z.string().min(1),
      phone: z.string().min(1),
      reportUrl: z.string().url(),
      emergencyName: z.string().min(1).default('Barnevernvakten'),
      emergencyPhone: z.string().min(1),
    }),
    /** From this age the child's own consent is asked as well (15 or 16 by local practice). */
    childConsentAge: z.union([z.literal(15), z.literal(16)]).default(15),
    /** A pending approval reminds the leader after this many working days. */
    approvalReminderWorkingDays: z.number().int().min(1).max(20).default(3),
    /** Closed cases are deleted this many months after closure (the journal is elsewhere). */
    retentionMonthsAfterClosure: z.number().int().min(1).max(120).default(12),
    /** Reminders in personal chat are sent from this local hour on their day. */
    reminderHour: z.number().int().min(6).max(18).default(8),
    /**
     * The rhythm a new team series starts with: days before and local time of the call for cases,
     * the owners' reminders and the agenda, when the minutes post comes after the meeting, and
     * whether messages move off weekends. A team changes the days on its set-up card.
     */
    teamRhythm: RhythmOffsetsSchema.default({ avoidWeekends: true }),
    /**
     * Tverrfaglige koordinatorer: they report per tertial from aggregates and are refused other
     * people's single cases. DIRECTORY=file: listed here; DIRECTORY=graph: `coordinatorsGroup`.
     */
    coordinators: z.array(PersonRefSchema).default([]),
    /** The tertial report: cells below `threshold` in a breakdown are shown as "under N"; a handover waits at most this long. */
    report: z
      .object({ threshold: z.number().int().min(2).max(20).default(5), handoverLimitDays: z.number().int().min(1).max(60).default(7) })
      .default({}),
    /** DIRECTORY=graph: the Entra group whose transitive user members are the coordinators. */
    coordinatorsGroup: EntraIdSchema.optional(),
    units: z.array(UnitSchema).min(1),
  })
  .superRefine((m, ctx) => {
    const seen = new Set<string>();
    m.units.forEach((unit, index) => {
      if (seen.has(unit.id))
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['units', index, 'id'], message: `unit id ${unit.id} is used twice` });
      seen.add(unit.id);
    });
  });
export type Municipality = z.infer<typeof MunicipalitySchema>;

export function findUnit(m: Municipality, unitId: string): Unit | undefined {
  return m.units.find((unit) => unit.id === unitId);
}

/** Where Laget learns who works where: the municipality file itself, or Microsoft Graph. */
export type DirectorySource = 'file' | 'graph';

/**
 * What a municipality file must say for its directory source: with `file`, every unit names a
 * leader; with `graph`, every unit names its groups. Each problem as a path and a sentence.
 */
export function directoryProblems(m: Municipality, source: DirectorySource): { path: string; message: string }[] {
  return m.units.flatMap((unit, index) => {
    if (source === 'file' && unit.leaders.length === 0) {
      return [{ path: `units.${index}.leaders`, message: 'must name at least one leader when DIRECTORY=file' }];
    }
    if (source === 'graph' && !unit.groups) {
      return [{ path: `units.${index}.groups`, message: 'must name the staff group and the leaders when DIRECTORY=graph' }];
    }
    return [];
  });
}
