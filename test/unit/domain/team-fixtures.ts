import assert from 'node:assert/strict';
import { MeetingSeriesSchema, meetingsOf, type Meeting, type MeetingSeriesInput } from '../../../src/domain/meeting-series';
import type { PersonRef } from '../../../src/domain/primitives';
import type { Team, TeamMeeting } from '../../../src/domain/team';
import {
  decideMeeting,
  decideTeam,
  type MeetingAccepted,
  type MeetingCommand,
  type MeetingDecision,
  type Place,
  type TeamActor,
  type TeamRefusal,
  type TeamRefusalReason,
} from '../../../src/domain/team-decide';
import { lise, nina, ola, per, tor } from './support';

/** The team of the tests: Bjørkelangen skole's, in its channel, led by Ola (rektor), meeting 17 March and 28 April 2026. */
const TEAMS_TEAM_ID = '19:bjorkelangen@thread.tacv2';
const OWN_CHANNEL = '19:bjorkelangen@thread.tacv2';
const OTHER_CHANNEL = '19:general-bjorkelangen@thread.tacv2';
export const UNITS = ['bjorkelangen-skole', 'solsikken-barnehage'];
export const FIRST = '2026-03-17-0900';
export const SECOND = '2026-04-28-0900';
/** Monday 2 March 2026, 09:00 in Oslo. */
export const START = new Date('2026-03-02T08:00:00.000Z');

type InChannel = Extract<Place, { kind: 'channel' }>;
export const inChannel: InChannel = { kind: 'channel', teamsTeamId: TEAMS_TEAM_ID, channelId: OWN_CHANNEL };
export const inOtherChannel: InChannel = { kind: 'channel', teamsTeamId: TEAMS_TEAM_ID, channelId: OTHER_CHANNEL };
export const inAnotherTeam: InChannel = {
  kind: 'channel',
  teamsTeamId: '19:someone-else@thread.tacv2',
  channelId: '19:someone-else@thread.tacv2',
};
export const personal: Place = { kind: 'personal' };

/** Who is on the team's roster in Teams (Kari, at the kindergarten, is not). */
export const MEMBERS: readonly PersonRef[] = [ola, lise, nina, tor, per];
const LEADS: Record<string, string[]> = { [ola.id]: ['bjorkelangen-skole'], [per.id]: ['solsikken-barnehage'] };

export function actor(person: PersonRef, place: Place = inChannel, member?: boolean | 'unknown'): TeamActor {
  return {
    person,
    member: member ?? MEMBERS.some((m) => m.id === person.id),
    place,
    leaderOf: LEADS[person.id] ?? [],
  };
}

export function series(input: Partial<MeetingSeriesInput> = {}) {
  return MeetingSeriesSchema.parse({
    id: 'series',
    name: 'Tverrfaglig team, Bjørkelangen skole',
    schedule: {
      kind: 'dates',
      meetings: [
        { date: '2026-03-17', start: '09:00', end: '10:30' },
        { date: '2026-04-28', start: '09:00', end: '10:30' },
      ],
    },
    rhythm: { avoidWeekends: true },
    ...input,
  });
}

export function registered(now: Date = START): Team {
  const decided = decideTeam(
    null,
    {
      type: 'register',
      teamId: 't-bjorkelangen0',
      teamsTeamId: TEAMS_TEAM_ID,
      name: 'Tverrfaglig team',
      channel: { channelId: OWN_CHANNEL, serviceUrl: 'https://smba.trafficmanager.net/emea/' },
    },
    actor(ola),
    now,
  );
  assert.equal(decided.kind, 'accepted');
  return decided.team;
}

/** Set up by Ola, leader of Bjørkelangen skole, with himself as lead. */
export function setUpTeam(now: Date = START, overrides: { unitId?: string | null } = {}): Team {
  const decided = decideTeam(
    registered(now),
    {
      type: 'set-up',
      name: 'Tverrfaglig team, Bjørkelangen skole',
      kind: 'interdisciplinary',
      unitId: overrides.unitId === undefined ? 'bjorkelangen-skole' : overrides.unitId,
      lead: ola,
      roles: ['leader', 'ppt'],
      series: series(),
      units: UNITS,
    },
    actor(ola),
    now,
  );
  assert.equal(decided.kind, 'accepted', JSON.stringify(decided));
  return decided.team;
}

export function meetingOfTeam(team: Team, id: string): Meeting {
  return meetingsOf(team.series!).find((m) => m.id === id)!;
}

export function acceptedMeeting(decision: MeetingDecision): MeetingAccepted {
  assert.equal(decision.kind, 'accepted', `expected accepted, got ${JSON.stringify(decision)}`);
  return decision;
}

export function refusedWith<T extends { kind: string }>(decision: T, reason: TeamRefusalReason): TeamRefusal {
  assert.equal(decision.kind, 'refused', `expected a refusal (${reason}), got ${JSON.stringify(decision).slice(0, 300)}`);
  assert.equal((decision as unknown as TeamRefusal).reason, reason);
  return decision as unknown as TeamRefusal;
}

/** Applies a meeting command and returns the record (asserting it was accepted). */
export function on(team: Team, record: TeamMeeting | null, command: MeetingCommand, by: TeamActor | null, now: Date): TeamMeeting {
  return acceptedMeeting(decideMeeting(team, record, command, by, now)).meeting;
}
