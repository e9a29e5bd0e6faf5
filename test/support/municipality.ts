import { DateTime } from 'luxon';
import type { Config } from '../../src/config';
import { MeetingSeriesSchema } from '../../src/domain/meeting-series';
import type { Municipality } from '../../src/domain/municipality';
import { TEAM_SCHEMA_VERSION, type Team } from '../../src/domain/team';

/** The id of the n-th synthetic unit, and of its leader. */
export const syntheticUnitId = (n: number) => `enhet-${String(n).padStart(4, '0')}`;
export const syntheticLeader = (n: number) => ({ id: `aad-leder-${String(n).padStart(4, '0')}`, name: `Leder ${n}` });

/**
 * The configured municipality with `units` units instead of its own: the first ones as
 * configured, then synthetic kindergartens, each with a leader of its own. For tests and
 * benchmarks of what must not grow with the size of the municipality.
 */
function withUnits(municipality: Municipality, units: number): Municipality {
  const own = municipality.units.slice(0, units);
  const extra = Array.from({ length: Math.max(0, units - own.length) }, (_, i) => ({
    id: syntheticUnitId(i),
    name: `Enhet ${i}`,
    kind: 'kindergarten' as const,
    staff: [],
    leaders: [syntheticLeader(i)],
  }));
  return { ...municipality, units: [...own, ...extra] };
}

/** For startTestLaget's `configure`. */
export const configureUnits =
  (units: number) =>
  (config: Config): Config => ({ ...config, municipality: withUnits(config.municipality, units) });

/**
 * The n-th synthetic team: active, in the channel of a team of its own, meeting every other
 * Tuesday of the half-year that begins on `from` — as a team set up through its card is stored.
 */
export function syntheticTeam(n: number, unitId: string, from: string): Team {
  const key = `t-synth${String(n).padStart(6, '0')}`;
  return {
    schemaVersion: TEAM_SCHEMA_VERSION,
    id: 'team',
    teamId: key,
    teamsTeamId: `19:${key}@thread.tacv2`,
    name: `Tverrfaglig team ${n}`,
    kind: 'interdisciplinary',
    unitId,
    channel: { serviceUrl: 'https://smba.trafficmanager.net/emea/', channelId: `19:${key}-general@thread.tacv2` },
    active: true,
    lead: syntheticLeader(n),
    roles: [],
    series: MeetingSeriesSchema.parse({
      id: 'series',
      name: `Tverrfaglig team ${n}`,
      schedule: {
        kind: 'cadence',
        everyWeeks: 2,
        weekday: 'tuesday',
        start: '09:00',
        end: '10:30',
        from,
        until: DateTime.fromISO(from).plus({ months: 6 }).toISODate()!,
      },
    }),
    createdAt: `${from}T08:00:00.000Z`,
    updatedAt: `${from}T08:00:00.000Z`,
  };
}
