import { z } from 'zod';
import { LocalizedListSchema, LocalizedTextSchema, SlugSchema } from './primitives';
import uroDefault from './zone-sets/uro-default.json';

/**
 * Worry zones (urosoner) of the URO method. They are configuration: a municipality may rename
 * or add zones. A zone set lives in its own file (`zone-sets/*.json`) because the URO method is
 * used with any ladder (Nes: URO + BTI); a ladder definition may carry its own `zones` block,
 * and otherwise gets the default set.
 */

/** What a zone asks of the staff member; the last two mean "act now / report". */
const ZoneResponseSchema = z.enum(['ordinary-care', 'everyday-contact', 'plan-conversation', 'act-now', 'emergency']);

const WorryZoneSchema = z.object({
  id: SlugSchema,
  rank: z.number().int().min(0),
  labels: LocalizedTextSchema,
  guidance: LocalizedListSchema,
  response: ZoneResponseSchema,
});
export type WorryZone = z.infer<typeof WorryZoneSchema>;

export const ZoneSetSchema = z
  .object({
    id: SlugSchema,
    labels: LocalizedTextSchema,
    zones: z.array(WorryZoneSchema).min(2),
  })
  .superRefine((set, ctx) => {
    const ids = set.zones.map((zone) => zone.id);
    const ranks = set.zones.map((zone) => zone.rank);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['zones'], message: 'zone ids must be unique' });
    if (new Set(ranks).size !== ranks.length) ctx.addIssue({ code: 'custom', path: ['zones'], message: 'zone ranks must be unique' });
  });
export type ZoneSet = z.infer<typeof ZoneSetSchema>;

/** The URO default: ingen uro, liten uro, gråsone, stor uro, akutt. */
export const DEFAULT_ZONE_SET: ZoneSet = ZoneSetSchema.parse(uroDefault);

export function findZone(set: ZoneSet, zoneId: string): WorryZone | undefined {
  return set.zones.find((zone) => zone.id === zoneId);
}

/** True when the zone tells the staff member to act now (involve the leader, consider a report, or call for help). */
export function zoneCallsForAction(zone: WorryZone): boolean {
  return zone.response === 'act-now' || zone.response === 'emergency';
}

/** The zones from least to most worry. */
export function zonesByRank(set: ZoneSet): readonly WorryZone[] {
  return [...set.zones].sort((a, b) => a.rank - b.rank);
}
