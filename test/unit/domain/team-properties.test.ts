import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Case } from '../../../src/domain/case';
import { decide } from '../../../src/domain/decide';
import type { PersonRef } from '../../../src/domain/primitives';
import { TEAM_LIMITS, TeamMeetingSchema, type TeamMeeting } from '../../../src/domain/team';
import { channelAgenda, channelMinutes } from '../../../src/domain/team-channel';
import { agendaReferencesOf, caseReferencesOf, decideMeeting, type Place } from '../../../src/domain/team-decide';
import { TEAM_QUESTIONS, type TeamQuestionId } from '../../../src/domain/team-questions';
import { AH, apply, kari, lise, newCase, nina, ola, per, stranger, tor } from './support';
import {
  actor,
  FIRST,
  inAnotherTeam,
  inChannel,
  inOtherChannel,
  MEMBERS,
  meetingOfTeam,
  personal,
  SECOND,
  setUpTeam,
  START,
} from './team-fixtures';

/**
 * Random sequences of team commands by random people, from random places, with the clock moving
 * past the agendas: whatever happens, the channel never shows text typed by someone who is not on
 * the team's roster, no meeting holds more than its limits, and the cases' references to agenda
 * items and the agenda items themselves stay equal (bringing and withdrawing change both or
 * neither, the team's item first, as the TeamService saves them).
 */

const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20260315);

const PEOPLE: readonly PersonRef[] = [ola, lise, nina, tor, per, kari, stranger];
const PLACES: readonly Place[] = [inChannel, inChannel, inOtherChannel, personal, inAnotherTeam];
const MEETINGS = [FIRST, SECOND];
const QUESTIONS = TEAM_QUESTIONS.map<TeamQuestionId>((q) => q.id);

type Move =
  | { k: 'topic'; who: number; where: number; meeting: number; key: number; withId: boolean }
  | { k: 'bring'; who: number | 'owner'; index: number; meeting: number; named: boolean; question: number }
  | { k: 'withdraw'; who: number | 'owner'; index: number; meeting: number }
  | { k: 'remove'; who: number; meeting: number; pick: number }
  | { k: 'draw'; meeting: number }
  | { k: 'wait'; hours: number };

const person = fc.nat(PEOPLE.length - 1);
/** Topics come mostly from one busy member, so that the per-person limit is met. */
const topicPerson = fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, { arbitrary: person, weight: 2 });
const caseActor = fc.oneof({ arbitrary: fc.constant<'owner'>('owner'), weight: 4 }, { arbitrary: person, weight: 1 });
const move: fc.Arbitrary<Move> = fc.oneof(
  {
    arbitrary: fc.record({
      k: fc.constant('topic' as const),
      who: topicPerson,
      where: fc.nat(PLACES.length - 1),
      meeting: fc.nat(1),
      key: fc.nat(40),
      withId: fc.boolean(),
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      k: fc.constant('bring' as const),
      who: caseActor,
      index: fc.nat(3),
      meeting: fc.nat(1),
      named: fc.boolean(),
      question: fc.nat(QUESTIONS.length - 1),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ k: fc.constant('withdraw' as const), who: caseActor, index: fc.nat(3), meeting: fc.nat(1) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('remove' as const), who: person, meeting: fc.nat(1), pick: fc.nat(40) }), weight: 2 },
  { arbitrary: fc.record({ k: fc.constant('draw' as const), meeting: fc.nat(1) }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 96 }) }), weight: 2 },
);

/** Four cases of the team's unit: two of Lise's (one with a consent covering the team), Nina's and Tor's. */
function startingCases(teamId: string): Case[] {
  const make = (caseId: string, owner: PersonRef, alias: string) =>
    newCase({ caseId, unitId: 'bjorkelangen-skole', nearestLeader: ola, alias }, owner);
  const consented = apply(
    make('UR-4HNW', lise, 'J.'),
    {
      type: 'record-consent',
      givenBy: ['mother'],
      services: [],
      teams: [teamId],
      purpose: 'Drøfting i team.',
      givenOn: '2026-03-02',
      validUntil: '2026-12-31',
    },
    lise,
    START,
  );
  return [consented, make('UR-5QMB', lise, 'M.'), make('UR-3VJF', nina, 'A.B.'), make('UR-7K4Q', tor, 'Q.W.')];
}

/** A topic's text carries who typed it, so the check can tell a non-member's text wherever it appears. */
const topicText = (who: PersonRef, key: number) => `Tema fra ${who.name} nr ${key}${key % 7 === 0 ? ' 12031860081' : ''}`;

describe('random team command sequences keep the team’s promises', function () {
  this.timeout(120_000);
  const reached = new Set<string>();

  it('never shows a non-member’s text, never exceeds the limits, and keeps case references equal to agenda items', () => {
    const team = setUpTeam();
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 50, size: 'max' }), (moves) => {
        let now = START;
        const cases = startingCases(team.teamId);
        const records = new Map<string, TeamMeeting | null>(MEETINGS.map((id) => [id, null]));
        const typedByOutsiders = new Set<string>();

        for (const m of moves) {
          if (m.k === 'wait') {
            now = new Date(now.getTime() + m.hours * 3600_000);
            continue;
          }
          const meetingId = MEETINGS[m.meeting]!;
          const record = records.get(meetingId) ?? null;
          if (m.k === 'topic') {
            const who = PEOPLE[m.who]!;
            const text = topicText(who, m.key);
            if (!MEMBERS.some((p) => p.id === who.id)) typedByOutsiders.add(text);
            const decided = decideMeeting(
              team,
              record,
              { type: 'add-topic', meetingId, topic: text, key: `k${m.key}${m.withId ? who.id.slice(4) : ''}` },
              actor(who, PLACES[m.where]),
              now,
            );
            if (decided.kind === 'accepted') {
              records.set(meetingId, decided.meeting);
              reached.add(decided.changed ? 'topic-added' : 'topic-again');
            } else reached.add(`topic:${decided.reason}`);
          } else if (m.k === 'bring' || m.k === 'withdraw') {
            const c = cases[m.index]!;
            const who = m.who === 'owner' ? c.owner : PEOPLE[m.who]!;
            const caseDecision = decide(
              c,
              m.k === 'bring'
                ? {
                    type: 'bring-to-team',
                    teamId: team.teamId,
                    meetingId,
                    meetingOn: meetingOfTeam(team, meetingId).date,
                    mode: m.named ? 'named' : 'anonymous',
                    questionId: QUESTIONS[m.question]!,
                  }
                : { type: 'withdraw-from-team', teamId: team.teamId, meetingId },
              who,
              now,
              AH,
            );
            if (caseDecision.kind === 'refused') {
              reached.add(`${m.k}:case:${caseDecision.reason}`);
              continue;
            }
            // The team's side is decided on the case as decided; both are saved, or neither.
            const teamDecision = decideMeeting(
              team,
              record,
              m.k === 'bring'
                ? {
                    type: 'add-case-item',
                    meetingId,
                    caseId: c.id,
                    caseUnitId: c.unitId,
                    mode: m.named ? 'named' : 'anonymous',
                    questionId: QUESTIONS[m.question]!,
                  }
                : { type: 'remove-item', meetingId, itemId: `case-${c.id}`, caseWithdrawn: true },
              actor(who, personal),
              now,
            );
            if (teamDecision.kind === 'refused') {
              reached.add(`${m.k}:team:${teamDecision.reason}`);
              continue;
            }
            records.set(meetingId, teamDecision.meeting);
            cases[m.index] = caseDecision.case;
            reached.add(`${m.k}:${teamDecision.changed ? 'changed' : 'same'}`);
          } else if (m.k === 'remove') {
            const item = record?.items[m.pick % Math.max(1, record.items.length)];
            if (!item) continue;
            const decided = decideMeeting(team, record, { type: 'remove-item', meetingId, itemId: item.id }, actor(PEOPLE[m.who]!), now);
            if (decided.kind === 'accepted') {
              records.set(meetingId, decided.meeting);
              reached.add('remove');
            } else reached.add(`remove:${decided.reason}`);
          } else {
            const decided = decideMeeting(team, record, { type: 'draw-agenda', meetingId }, null, now);
            if (decided.kind === 'accepted') records.set(meetingId, decided.meeting);
          }

          // After every step, for the meeting it was about:
          for (const [id, r] of records) {
            if (!r || id !== meetingId) continue;
            assert.ok(TeamMeetingSchema.safeParse(r).success, 'the meeting record no longer parses');
            assert.ok(r.items.length <= TEAM_LIMITS.itemsPerMeeting, 'a meeting holds more items than it has room for');
            for (const p of PEOPLE) {
              const topics = r.items.filter((i) => i.kind === 'topic' && i.owner.id === p.id).length;
              assert.ok(topics <= TEAM_LIMITS.topicsPerPersonPerMeeting, `${p.name} has ${topics} topics on one meeting`);
            }
            for (const item of r.items) {
              if (item.kind === 'topic')
                assert.ok(
                  MEMBERS.some((p) => p.id === item.owner.id),
                  `a topic by ${item.owner.name}, who is not on the roster`,
                );
              if (r.agenda) assert.ok(item.addedAt <= r.agenda.at, 'an item was added after the agenda was drawn');
            }
            const meeting = meetingOfTeam(team, id);
            const caseOf = (caseId: string) => cases.find((c) => c.id === caseId);
            const shown = JSON.stringify([channelAgenda(team, meeting, r, caseOf, now), channelMinutes(team, meeting, r, caseOf, now)]);
            for (const text of typedByOutsiders) assert.ok(!shown.includes(text), `the channel would show a non-member's text: ${text}`);
            assert.doesNotMatch(
              shown,
              /12031860081|"J\.|"M\.|A\.B\.|Q\.W\./,
              'an identity number or an alias in what the channel may show',
            );
          }
          const fromCases = cases
            .flatMap((c) => caseReferencesOf(c))
            .map((r) => JSON.stringify(r))
            .sort();
          const fromAgendas = [...records.values()]
            .flatMap((r) => (r ? agendaReferencesOf(r) : []))
            .map((r) => JSON.stringify(r))
            .sort();
          assert.deepEqual(fromCases, fromAgendas, 'the cases’ references and the agenda items differ');
        }
      }),
      { numRuns: 200, seed: PROPERTY_SEED },
    );
    for (const path of [
      'topic-added',
      'topic:not-a-member',
      'topic:channel-only',
      'topic:other-channel',
      'topic:agenda-closed',
      'topic:topic-limit',
      'topic:national-id-not-allowed',
      'bring:changed',
      'bring:same',
      'bring:case:not-owner',
      'bring:case:consent-missing',
      'bring:team:agenda-closed',
      'withdraw:changed',
      'remove',
      'remove:not-item-owner',
    ]) {
      assert.ok(reached.has(path), `the random runs never reached ${path}: ${[...reached].sort().join(' ')}`);
    }
  });
});
