import type { AdaptiveCardJson } from '../../src/cards/guards';
import type { Case } from '../../src/domain/case';
import type { Command } from '../../src/domain/commands';
import { decide } from '../../src/domain/decide';
import { PEOPLE, seedCases } from '../../scripts/seed/scenarios';
import { loadLadder } from '../../src/domain/ladder';
import { MeetingSeriesSchema, meetingsOf, rhythmOf, type Meeting } from '../../src/domain/meeting-series';
import type { PersonRef } from '../../src/domain/primitives';
import { createLogger } from '../../src/log';
import { newJob, type Job } from '../../src/scheduler/job';
import type { Composer } from '../../src/scheduler/job-runner';
import { jobId } from '../../src/scheduler/job-id';
import { MEETING_JOB_KINDS } from '../../src/scheduler/meeting-jobs';
import {
  MEETING_SCHEMA_VERSION,
  TEAM_SCHEMA_VERSION,
  type AgendaItem,
  type CaseItem,
  type Team,
  type TeamMeeting,
} from '../../src/domain/team';
import { decideMeeting } from '../../src/domain/team-decide';
import { AgendaComposer, CallForCasesComposer, MinutesComposer, type TeamComposerDeps } from '../../src/workflow/team-composers';
import { channelAddressOf } from '../../src/workflow/team-schedule';

/**
 * A seeded team and its cases in memory, and the channel posts the real composers make of them
 * (call for cases, agenda, minutes): what the card samples render, so the browser PNGs show what
 * is really posted. The agenda has an anonymous case, a named case whose consent covers the team,
 * a named case whose consent was withdrawn after it was brought (taken off the list), and a topic.
 */

const SAMPLE_TEAM_ID = 't-1234567890ab';
const SEED_NOW = new Date('2026-03-02T08:00:00.000Z');
const ladder = loadLadder('aurskog-holand');

function apply(c: Case, command: Command, actor: PersonRef, now: Date = SEED_NOW): Case {
  const decision = decide(c, command, actor, now, ladder);
  if (decision.kind === 'refused') throw new Error(`sample case ${c.id}: ${command.type} refused (${decision.reason})`);
  return decision.case;
}

const consentForTeam = (c: Case): Case =>
  apply(
    c,
    {
      type: 'record-consent',
      givenBy: ['mother', 'father'],
      services: [],
      teams: [SAMPLE_TEAM_ID],
      purpose: 'Drøfting i tverrfaglig team.',
      givenOn: '2026-03-02',
      validUntil: '2026-12-31',
    },
    c.owner,
  );

/** The cases behind the sample agenda, by code. */
function sampleCases(): Map<string, Case> {
  const seeded = new Map(seedCases(SEED_NOW).map((c) => [c.id, c]));
  const anonymous = seeded.get('UR-4HNW')!;
  const named = consentForTeam(seeded.get('UR-5QMB')!);
  const given = consentForTeam(seeded.get('UR-3VJF')!);
  const consentId = given.consents.at(-1)!.id;
  const withdrawn = apply(
    given,
    { type: 'withdraw-consent', consentId, by: ['mother'] },
    given.owner,
    new Date('2026-03-12T08:00:00.000Z'),
  );
  return new Map([anonymous, named, withdrawn].map((c) => [c.id, c]));
}

const SAMPLE_MEETING = '2026-03-17-0900';

export function sampleTeam(): Team {
  const series = MeetingSeriesSchema.parse({
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
  });
  return {
    schemaVersion: TEAM_SCHEMA_VERSION,
    id: 'team',
    teamId: SAMPLE_TEAM_ID,
    teamsTeamId: '19:team@thread.tacv2',
    name: 'Tverrfaglig team, Bjørkelangen skole',
    kind: 'interdisciplinary',
    unitId: 'bjorkelangen-skole',
    channel: { serviceUrl: 'https://smba.trafficmanager.net/emea/', channelId: '19:channel@thread.tacv2' },
    active: true,
    lead: PEOPLE.ola,
    roles: ['leader', 'teacher', 'ppt', 'health-nurse'],
    series,
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
  };
}

/** The sample meeting's record: an anonymous case, a named case whose consent covers the team, one whose consent was withdrawn, and a topic. */
export function sampleMeeting(): TeamMeeting {
  const base = { addedAt: '', minutesRecordedAt: null };
  const at = (n: number) => `2026-03-0${n + 2}T08:00:00.000Z`;
  const caseItem = (
    n: number,
    caseId: string,
    unitId: string,
    mode: 'anonymous' | 'named',
    questionId: CaseItem['questionId'],
    owner: PersonRef,
  ): AgendaItem => ({
    ...base,
    kind: 'case',
    id: `case-${caseId}`,
    caseId,
    unitId,
    mode,
    questionId,
    owner,
    addedAt: at(n),
  });
  return {
    schemaVersion: MEETING_SCHEMA_VERSION,
    id: `meeting:${SAMPLE_MEETING}`,
    teamId: SAMPLE_TEAM_ID,
    meetingId: SAMPLE_MEETING,
    date: '2026-03-17',
    items: [
      caseItem(1, 'UR-4HNW', 'bjorkelangen-skole', 'anonymous', 'further-measures', PEOPLE.lise),
      caseItem(2, 'UR-5QMB', 'solsikken-barnehage', 'named', 'other-services', PEOPLE.kari),
      caseItem(3, 'UR-3VJF', 'solsikken-barnehage', 'named', 'before-parent-conversation', PEOPLE.kari),
      { ...base, kind: 'topic', id: 'topic-4', topic: 'Overgang barnehage–skole', owner: PEOPLE.ola, addedAt: at(4) },
    ],
    agenda: null,
    minutes: null,
    held: null,
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
  };
}

/** The composers' dependencies over one team, its sample meeting and its cases, kept in memory. */
function memoryTeamDeps(
  team: Team,
  cases: Map<string, Case>,
  meeting: TeamMeeting = sampleMeeting(),
): TeamComposerDeps & { record(): TeamMeeting } {
  let current = meeting;
  return {
    record: () => current,
    teams: {
      read: async (teamId) => (teamId === team.teamId ? team : undefined),
      meetingRecord: async (teamId, meetingId) => (teamId === team.teamId && meetingId === current.meetingId ? current : null),
      drawAgenda: async (_team, meetingId, now) => {
        if (meetingId !== current.meetingId) return undefined;
        const decided = decideMeeting(team, current, { type: 'draw-agenda', meetingId }, null, now);
        if (decided.kind === 'accepted') current = decided.meeting;
        return current;
      },
    },
    cases: {
      openForSystem: async (ref) =>
        cases.has(ref.caseId)
          ? {
              doc: { ...cases.get(ref.caseId)! },
              etag: '"1"',
              showTo: () => Promise.reject(new Error('a channel post shows no person a case')),
              shownAsSystem: async () => undefined,
            }
          : undefined,
    },
    people: { read: async () => undefined },
    timeZone: 'Europe/Oslo',
    log: createLogger('silent'),
  };
}

export type SamplePosts = { callForCases: AdaptiveCardJson; agenda: AdaptiveCardJson; minutes: AdaptiveCardJson; meeting: Meeting };

let posts: Promise<SamplePosts> | undefined;

/** The three channel posts of the sample meeting, each composed at its due time by the real composer. */
export function samplePosts(): Promise<SamplePosts> {
  posts ??= (async () => {
    const team = sampleTeam();
    const deps = memoryTeamDeps(team, sampleCases());
    const meeting = meetingsOf(team.series!)[0]!;
    const due = Object.fromEntries(rhythmOf(team.series!, meeting).map((step) => [step.kind, new Date(step.dueAt)]));
    const job = (kind: 'call-for-cases' | 'agenda' | 'minutes'): Job =>
      newJob(
        {
          id: jobId('team', team.teamId, team.series!.id, meeting.id, kind),
          kind: MEETING_JOB_KINDS[kind],
          dueAt: due[kind]!.toISOString(),
          staleAfter: null,
          address: channelAddressOf(team),
          params: { teamId: team.teamId, seriesId: team.series!.id, meetingId: meeting.id },
        },
        due[kind]!,
      );
    const card = async (composer: Composer, kind: 'call-for-cases' | 'agenda' | 'minutes') => {
      const composition = await composer.compose(job(kind), due[kind]!);
      if (composition.kind !== 'post') throw new Error(`the ${kind} composer gave no post for the sample: ${JSON.stringify(composition)}`);
      return composition.activity.attachments![0]!.content as AdaptiveCardJson;
    };
    return {
      meeting,
      callForCases: await card(new CallForCasesComposer(deps), 'call-for-cases'),
      agenda: await card(new AgendaComposer(deps), 'agenda'),
      minutes: await card(new MinutesComposer(deps), 'minutes'),
    };
  })();
  return posts;
}
