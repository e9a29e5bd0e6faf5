import assert from 'node:assert/strict';
import { intakeClosesAt, MeetingSeriesSchema, nextDuePost, scheduledRhythm, skippedOnSave } from '../../../src/domain/meeting-series';
import { TEAM_LIMITS, meetingsOpenForItems, type TeamMeeting } from '../../../src/domain/team';
import { channelAgenda, channelMinutes } from '../../../src/domain/team-channel';
import { decideMeeting, decideTeam, type TeamSetup } from '../../../src/domain/team-decide';
import { seriesFromForm } from '../../../src/domain/team-setup';
import { apply, kari, lise, newCase, nina, ola, per, tor } from './support';
import {
  acceptedMeeting,
  actor,
  FIRST,
  inAnotherTeam,
  inChannel,
  inOtherChannel,
  meetingOfTeam,
  on,
  personal,
  refusedWith,
  registered,
  SECOND,
  series,
  setUpTeam,
  START,
  UNITS,
} from './team-fixtures';

/**
 * The team domain (src/domain/team-decide.ts): every command and every refusal. Who acts is given
 * as the edge finds it out — on the team's roster in Teams or not, a leader of which units, in
 * which conversation — never as a card says it.
 */

const at = (iso: string) => new Date(iso);
/** Monday 16 March 12:00 in Oslo: the first meeting's agenda is drawn. */
const AGENDA_DUE = '2026-03-16T11:00:00.000Z';

function setUp(overrides: Partial<TeamSetup> = {}): TeamSetup {
  return {
    type: 'set-up',
    name: 'Tverrfaglig team, Bjørkelangen skole',
    kind: 'interdisciplinary',
    unitId: 'bjorkelangen-skole',
    lead: ola,
    roles: [],
    series: series(),
    units: UNITS,
    ...overrides,
  };
}

describe('the team: registering, setting up, editing', () => {
  it('remembers a team where Laget is installed, inactive, with that channel; a second install changes nothing', () => {
    const team = registered();
    assert.deepEqual(
      [team.active, team.lead, team.series, team.unitId, team.channel.channelId],
      [false, null, null, null, inChannel.channelId],
    );
    const again = decideTeam(
      team,
      { type: 'register', teamId: team.teamId, teamsTeamId: 'x', name: 'y', channel: { channelId: 'z', serviceUrl: 'https://x.example/' } },
      actor(ola),
      START,
    );
    assert.equal(again.kind === 'accepted' && again.team, team);
  });

  it('lets any member of the team set up a team that has no lead yet, from a channel of the team', () => {
    const decided = decideTeam(registered(), setUp({ lead: nina, unitId: null }), actor(nina), START);
    assert.equal(decided.kind, 'accepted');
    assert.deepEqual(decided.kind === 'accepted' && [decided.team.active, decided.team.lead?.name], [true, 'Nina Lund']);
  });

  it('refuses a set-up from a personal chat or another Teams team, whatever the card says', () => {
    refusedWith(decideTeam(registered(), setUp(), actor(ola, personal), START), 'channel-only');
    refusedWith(decideTeam(registered(), setUp(), actor(ola, inAnotherTeam), START), 'channel-only');
  });

  it('refuses someone not on the team’s roster, and decides nothing when the roster cannot be read', () => {
    refusedWith(decideTeam(registered(), setUp({ unitId: null }), actor(kari), START), 'not-a-member');
    refusedWith(decideTeam(registered(), setUp(), actor(ola, inChannel, 'unknown'), START), 'roster-unavailable');
  });

  it('binds the team to a unit only for a leader of that unit (the municipality’s configuration), and knows only its units', () => {
    const byLise = refusedWith(decideTeam(registered(), setUp({ lead: lise }), actor(lise), START), 'not-unit-leader');
    assert.equal(byLise.detail?.unitId, 'bjorkelangen-skole');
    refusedWith(decideTeam(registered(), setUp({ unitId: 'solsikken-barnehage' }), actor(ola), START), 'not-unit-leader');
    assert.equal(decideTeam(registered(), setUp({ unitId: 'solsikken-barnehage' }), actor(per), START).kind, 'accepted');
    refusedWith(decideTeam(registered(), setUp({ unitId: 'nowhere' }), actor(ola), START), 'unknown-unit');
  });

  it('once it has a lead, lets only the lead or a leader of its unit change it', () => {
    const team = decideTeam(registered(), setUp({ lead: nina }), actor(ola), START);
    assert.equal(team.kind, 'accepted');
    const led = team.team;
    const refusal = refusedWith(decideTeam(led, setUp({ lead: lise }), actor(lise), START), 'not-lead-or-unit-leader');
    assert.equal(refusal.detail?.lead?.name, 'Nina Lund');
    // Nina (the lead, not a leader of the unit) may edit, keeping the unit Ola chose; Ola may as its unit's leader.
    assert.equal(decideTeam(led, setUp({ lead: nina, name: 'Nytt navn' }), actor(nina), START).kind, 'accepted');
    assert.equal(decideTeam(led, setUp({ lead: ola }), actor(ola), START).kind, 'accepted');
    refusedWith(decideTeam(led, setUp({ lead: nina, unitId: 'solsikken-barnehage' }), actor(nina), START), 'not-unit-leader');
  });

  it('moves the posts to another channel of the team only when the lead saves the set-up there; others change nothing', () => {
    const team = setUpTeam();
    refusedWith(decideTeam(team, setUp(), actor(lise, inOtherChannel), START), 'not-lead-or-unit-leader');
    const moved = decideTeam(team, setUp(), actor(ola, inOtherChannel), START);
    assert.equal(moved.kind, 'accepted');
    assert.deepEqual(moved.kind === 'accepted' && [moved.movedChannel, moved.team.channel.channelId], [true, inOtherChannel.channelId]);
  });

  it('skips what is already too late for a meeting the series adds close to its date, and says so', () => {
    // Saved Monday 16 March at 14:00: the meeting on Tuesday 17 March has missed its call for cases, reminder and agenda.
    const decided = decideTeam(registered(), setUp(), actor(ola), at('2026-03-16T13:00:00.000Z'));
    assert.equal(decided.kind, 'accepted');
    const { skipped, team } = decided;
    assert.deepEqual(
      skipped.map((s) => `${s.meetingId}:${s.kind}`),
      [`${FIRST}:call-for-cases`, `${FIRST}:owner-reminders`, `${FIRST}:agenda`],
    );
    const first = meetingOfTeam(team, FIRST);
    assert.deepEqual(
      scheduledRhythm(team.series!, first).map((s) => s.kind),
      ['minutes'],
    );
    assert.deepEqual(scheduledRhythm(team.series!, meetingOfTeam(team, SECOND)).length, 4, 'the later meeting keeps its whole rhythm');
    // An edit later keeps the skips, and adds none for meetings the series already had.
    const edited = decideTeam(
      team,
      setUp({ series: { ...series(), skipped: team.series!.skipped } }),
      actor(ola),
      at('2026-03-16T15:00:00.000Z'),
    );
    assert.deepEqual(edited.kind === 'accepted' && [edited.skipped, edited.team.series!.skipped.length], [[], 3]);
  });

  it('stops the team when Laget is removed', () => {
    const stopped = decideTeam(setUpTeam(), { type: 'deactivate' }, actor(ola), START);
    assert.equal(stopped.kind === 'accepted' && stopped.team.active, false);
  });
});

describe('the rhythm keeps its word', () => {
  it('refuses a call for cases that would not come before the agenda it names as its deadline', () => {
    const parsed = MeetingSeriesSchema.safeParse({ ...series(), rhythm: { callForCases: { daysBefore: 1 }, agenda: { daysBefore: 3 } } });
    assert.equal(parsed.success, false);
    const form = seriesFromForm(
      null,
      series().rhythm,
      { name: 'T', scheduleKind: 'dates', dates: ['2026-03-17'], start: '09:00', end: '10:00', callDays: 1, agendaDays: 2 },
      '2026-03-02',
      'Europe/Oslo',
    );
    assert.deepEqual(form, { kind: 'invalid', fields: ['callDays'] });
  });

  it('names the agenda’s time as the deadline, and closes intake exactly then', () => {
    const team = setUpTeam();
    const first = meetingOfTeam(team, FIRST);
    assert.equal(intakeClosesAt(team.series!, first), AGENDA_DUE);
    assert.deepEqual(
      meetingsOpenForItems(team, at('2026-03-16T10:59:00.000Z')).map((m) => m.id),
      [FIRST, SECOND],
    );
    assert.deepEqual(
      meetingsOpenForItems(team, at(AGENDA_DUE)).map((m) => m.id),
      [SECOND],
    );
  });

  it('knows the next message the series will send', () => {
    const team = setUpTeam();
    const next = nextDuePost(team.series!, START);
    assert.deepEqual([next?.kind, next?.meetingId, next?.dueAt], ['call-for-cases', FIRST, '2026-03-10T08:00:00.000Z']);
    const skipped = { ...team.series!, skipped: skippedOnSave(null, team.series!, at('2026-03-16T13:00:00.000Z')) };
    assert.equal(nextDuePost(skipped, at('2026-03-16T13:00:00.000Z'))?.kind, 'minutes');
  });

  it('builds one kind of rhythm from the card, keeping what the card does not show', () => {
    const current = MeetingSeriesSchema.parse({
      ...series(),
      schedule: {
        kind: 'cadence',
        everyWeeks: 2,
        weekday: 'tuesday',
        start: '09:00',
        end: '10:00',
        from: '2026-03-03',
        until: '2026-06-30',
        except: ['2026-03-31'],
      },
      rhythm: { ownerReminders: { daysBefore: 2, at: '14:00' } },
    });
    const built = seriesFromForm(
      current,
      series().rhythm,
      { name: 'T', scheduleKind: 'cadence', everyWeeks: 3, start: '09:00', end: '10:00', callDays: 6 },
      '2026-03-02',
      'Europe/Oslo',
    );
    assert.equal(built.kind, 'series');
    const s = built.series;
    assert.deepEqual(
      [s.schedule.kind === 'cadence' && s.schedule.except, s.rhythm.ownerReminders.at, s.rhythm.callForCases.daysBefore],
      [['2026-03-31'], '14:00', 6],
    );
  });
});

describe('a meeting: topics', () => {
  const team = setUpTeam();
  const topic = (key: string, text = 'Rutiner ved fravær') => ({ type: 'add-topic' as const, meetingId: FIRST, topic: text, key });

  it('takes a topic from a member in the team’s own channel; the same turn again adds nothing', () => {
    const decided = acceptedMeeting(decideMeeting(team, null, topic('a1'), actor(lise), START));
    assert.deepEqual([decided.created, decided.meeting.items.length, decided.item?.owner.name], [true, 1, 'Lise Berg']);
    const again = acceptedMeeting(decideMeeting(team, decided.meeting, topic('a1'), actor(lise), START));
    assert.deepEqual([again.changed, again.meeting.items.length], [false, 1]);
  });

  it('takes the same person’s same topic again (a second press; case and spacing aside) as the one already there; another member’s is her own', () => {
    const first = acceptedMeeting(decideMeeting(team, null, topic('p1'), actor(lise), START));
    const again = acceptedMeeting(decideMeeting(team, first.meeting, topic('p2', '  rutiner  VED fravær '), actor(lise), START));
    assert.deepEqual([again.changed, again.created, again.item?.id, again.meeting.items.length], [false, undefined, first.item?.id, 1]);
    const ninas = acceptedMeeting(decideMeeting(team, first.meeting, topic('p3'), actor(nina), START));
    assert.deepEqual([ninas.created, ninas.meeting.items.length], [true, 2]);
  });

  it('refuses a topic from someone not on the roster, from a personal chat, from another channel or another team', () => {
    refusedWith(decideMeeting(team, null, topic('b'), actor(kari), START), 'not-a-member');
    refusedWith(decideMeeting(team, null, topic('b'), actor(lise, personal), START), 'channel-only');
    refusedWith(decideMeeting(team, null, topic('b'), actor(lise, inAnotherTeam), START), 'channel-only');
    refusedWith(decideMeeting(team, null, topic('b'), actor(lise, inOtherChannel), START), 'other-channel');
    refusedWith(decideMeeting(team, null, topic('b'), actor(lise, inChannel, 'unknown'), START), 'roster-unavailable');
  });

  it('refuses an identity number in a topic', () => {
    refusedWith(decideMeeting(team, null, topic('c', 'Gjelder 12031860081'), actor(lise), START), 'national-id-not-allowed');
  });

  it('refuses more topics from one person than the limit, and more items in a meeting than it has room for', () => {
    let record: TeamMeeting | null = null;
    for (let i = 0; i < TEAM_LIMITS.topicsPerPersonPerMeeting; i += 1)
      record = on(team, record, topic(`l${i}`, `Tema ${i}`), actor(lise), START);
    assert.equal(
      refusedWith(decideMeeting(team, record, topic('l9', 'Tema 9'), actor(lise), START), 'topic-limit').detail?.limit,
      TEAM_LIMITS.topicsPerPersonPerMeeting,
    );
    const full: TeamMeeting = {
      ...record!,
      items: Array.from({ length: TEAM_LIMITS.itemsPerMeeting }, (_, i) => ({ ...record!.items[0]!, id: `topic-f${i}` })),
    };
    refusedWith(decideMeeting(team, full, topic('n1'), actor(nina), START), 'meeting-full');
    // The next meeting is not affected: each has its own record.
    assert.equal(decideMeeting(team, null, { ...topic('n1'), meetingId: SECOND }, actor(nina), START).kind, 'accepted');
  });

  it('refuses a topic once the agenda is drawn, offering the next meeting', () => {
    const refusal = refusedWith(decideMeeting(team, null, topic('d'), actor(lise), at(AGENDA_DUE)), 'agenda-closed');
    assert.equal(refusal.detail?.nextMeeting?.id, SECOND);
    const drawn = on(team, null, { type: 'draw-agenda', meetingId: FIRST }, null, at('2026-03-16T10:00:00.000Z'));
    refusedWith(decideMeeting(team, drawn, topic('d'), actor(lise), at('2026-03-16T10:30:00.000Z')), 'agenda-closed');
  });

  it('refuses topics for a meeting the series does not have, a team not set up or no longer active', () => {
    refusedWith(decideMeeting(team, null, { ...topic('e'), meetingId: '2026-03-18-0900' }, actor(lise), START), 'meeting-not-found');
    refusedWith(decideMeeting(registered(), null, topic('e'), actor(lise), START), 'team-not-set-up');
    refusedWith(decideMeeting({ ...team, active: false }, null, topic('e'), actor(lise), START), 'team-inactive');
  });

  it('lets whoever added a topic, or the lead, take it off before the agenda; nobody else', () => {
    const record = on(team, null, topic('r'), actor(lise), START);
    const remove = { type: 'remove-item' as const, meetingId: FIRST, itemId: 'topic-r' };
    refusedWith(decideMeeting(team, record, remove, actor(nina), START), 'not-item-owner');
    assert.equal(on(team, record, remove, actor(lise), START).items.length, 0);
    assert.equal(on(team, record, remove, actor(ola), START).items.length, 0);
    refusedWith(decideMeeting(team, record, remove, actor(lise), at(AGENDA_DUE)), 'agenda-closed');
    assert.equal(acceptedMeeting(decideMeeting(team, null, remove, actor(lise), START)).changed, false, 'nothing to remove');
  });
});

describe('a meeting: cases', () => {
  const team = setUpTeam();
  const bring = (caseId: string, mode: 'anonymous' | 'named' = 'anonymous', caseUnitId = 'bjorkelangen-skole') => ({
    type: 'add-case-item' as const,
    meetingId: FIRST,
    caseId,
    caseUnitId,
    mode,
    questionId: 'further-measures' as const,
  });

  it('puts a case on the agenda once, however often it is brought; a new answer changes the one item', () => {
    const record = on(team, null, bring('UR-4HNW'), actor(lise, personal), START);
    const again = acceptedMeeting(decideMeeting(team, record, bring('UR-4HNW'), actor(lise, personal), START));
    assert.deepEqual([again.changed, again.created, again.meeting.items.length], [false, undefined, 1]);
    const named = acceptedMeeting(decideMeeting(team, record, bring('UR-4HNW', 'named'), actor(lise, personal), START));
    assert.deepEqual([named.changed, named.meeting.items.length, named.item?.kind === 'case' && named.item.mode], [true, 1, 'named']);
  });

  it('refuses a case of another unit, but a forum across units takes any unit’s cases', () => {
    refusedWith(
      decideMeeting(team, null, bring('UR-5QMB', 'anonymous', 'solsikken-barnehage'), actor(kari, personal), START),
      'wrong-unit',
    );
    const forum = setUpTeam(START, { unitId: null });
    assert.equal(
      decideMeeting(forum, null, bring('UR-5QMB', 'anonymous', 'solsikken-barnehage'), actor(kari, personal), START).kind,
      'accepted',
    );
  });

  it('refuses a case after the agenda is drawn, and when the meeting is full', () => {
    refusedWith(decideMeeting(team, null, bring('UR-4HNW'), actor(lise, personal), at(AGENDA_DUE)), 'agenda-closed');
    const one = on(team, null, bring('UR-4HNW'), actor(lise, personal), START);
    const full: TeamMeeting = {
      ...one,
      items: Array.from({ length: TEAM_LIMITS.itemsPerMeeting }, (_, i) => ({ ...one.items[0]!, id: `topic-x${i}` })),
    };
    refusedWith(decideMeeting(team, full, bring('UR-7K4Q'), actor(lise, personal), START), 'meeting-full');
  });

  it('takes a case item off only together with its case’s reference', () => {
    const record = on(team, null, bring('UR-4HNW'), actor(lise, personal), START);
    refusedWith(
      decideMeeting(team, record, { type: 'remove-item', meetingId: FIRST, itemId: 'case-UR-4HNW' }, actor(ola), START),
      'not-item-owner',
    );
    const removed = on(
      team,
      record,
      { type: 'remove-item', meetingId: FIRST, itemId: 'case-UR-4HNW', caseWithdrawn: true },
      actor(lise, personal),
      START,
    );
    assert.equal(removed.items.length, 0);
  });

  it('keeps one reference on the case per team and meeting (bring-to-team again changes it; withdraw marks it)', () => {
    const c = newCase({ caseId: 'UR-4HNW', unitId: 'bjorkelangen-skole', nearestLeader: ola, alias: 'J.' }, lise);
    const command = {
      type: 'bring-to-team' as const,
      teamId: team.teamId,
      meetingId: FIRST,
      meetingOn: '2026-03-17',
      mode: 'anonymous' as const,
      questionId: 'further-measures' as const,
    };
    const once = apply(c, command, lise, START);
    const twice = apply(once, { ...command, questionId: 'other-services' }, lise, START);
    assert.deepEqual(
      twice.teamItems.map((r) => [r.meetingId, r.questionId]),
      [[FIRST, 'other-services']],
    );
    // Brought once, changed once: what counts items brought (the tertial report) counts it once.
    assert.deepEqual(
      twice.events.filter((e) => e.type === 'brought-to-team' || e.type === 'team-item-changed').map((e) => e.type),
      ['brought-to-team', 'team-item-changed'],
    );
    const withdrawn = apply(twice, { type: 'withdraw-from-team', teamId: team.teamId, meetingId: FIRST }, lise, START);
    assert.notEqual(withdrawn.teamItems[0]!.withdrawnAt, null);
    const back = apply(withdrawn, command, lise, START);
    assert.equal(back.teamItems.filter((r) => r.withdrawnAt === null).length, 1);
  });
});

describe('a meeting: the agenda, minutes and being held', () => {
  const team = setUpTeam();
  const topicBy = (key: string) => ({ type: 'add-topic' as const, meetingId: FIRST, topic: `Tema ${key}`, key });
  const caseBy = (caseId: string, mode: 'anonymous' | 'named') => ({
    type: 'add-case-item' as const,
    meetingId: FIRST,
    caseId,
    caseUnitId: 'bjorkelangen-skole',
    mode,
    questionId: 'other-services' as const,
  });
  let record = on(team, null, topicBy('t1'), actor(nina), START);
  record = on(team, record, caseBy('UR-4HNW', 'anonymous'), actor(lise, personal), at('2026-03-03T08:00:00.000Z'));
  record = on(team, record, caseBy('UR-5QMB', 'named'), actor(lise, personal), at('2026-03-04T08:00:00.000Z'));

  it('draws the agenda once: cases as they were brought, then topics; nothing is added after it', () => {
    const drawn = on(team, record, { type: 'draw-agenda', meetingId: FIRST }, null, at(AGENDA_DUE));
    assert.deepEqual(drawn.agenda?.itemIds, ['case-UR-4HNW', 'case-UR-5QMB', 'topic-t1']);
    assert.equal(
      acceptedMeeting(decideMeeting(team, drawn, { type: 'draw-agenda', meetingId: FIRST }, null, at('2026-03-16T12:00:00.000Z'))).changed,
      false,
    );
  });

  it('claims items for their minutes once; a second claim gets none; what was not delivered opens again', () => {
    const claim = acceptedMeeting(
      decideMeeting(team, record, { type: 'claim-minutes', meetingId: FIRST, itemIds: ['case-UR-4HNW', 'topic-t1'] }, actor(ola), START),
    );
    assert.deepEqual(claim.claimed, ['case-UR-4HNW', 'topic-t1']);
    assert.deepEqual(
      acceptedMeeting(
        decideMeeting(team, claim.meeting, { type: 'claim-minutes', meetingId: FIRST, itemIds: ['case-UR-4HNW'] }, actor(lise), START),
      ).claimed,
      [],
    );
    const recorded = on(
      team,
      claim.meeting,
      {
        type: 'record-minutes',
        meetingId: FIRST,
        present: ['ppt'],
        outcomes: [
          { itemId: 'case-UR-4HNW', caseId: 'UR-4HNW', outcome: 'not-delivered' },
          { itemId: 'topic-t1', caseId: null, outcome: 'kept-here' },
        ],
        topics: [{ itemId: 'topic-t1', known: 'Felles rutine.', options: null, goal: null, measures: [], nextOn: null }],
        reopen: ['case-UR-4HNW'],
      },
      actor(ola),
      START,
    );
    assert.equal(recorded.items.find((i) => i.id === 'case-UR-4HNW')?.minutesRecordedAt, null);
    assert.notEqual(recorded.items.find((i) => i.id === 'topic-t1')?.minutesRecordedAt, null);
    assert.deepEqual(
      [recorded.minutes?.present, recorded.minutes?.writers.map((w) => w.name), recorded.minutes?.topics[0]?.known],
      [['ppt'], ['Ola Dahl'], 'Felles rutine.'],
    );
  });

  it('is marked held by its lead or a leader of its unit, after it started, once, with typed counts', () => {
    const close = { type: 'close-meeting' as const, meetingId: FIRST };
    refusedWith(decideMeeting(team, record, close, actor(tor), at('2026-03-17T10:00:00.000Z')), 'not-lead-or-unit-leader');
    refusedWith(decideMeeting(team, record, close, actor(ola), START), 'meeting-not-started');
    refusedWith(decideMeeting(team, null, close, actor(ola), at('2026-03-17T10:00:00.000Z')), 'nothing-to-close');
    const held = on(team, record, close, actor(ola), at('2026-03-17T10:00:00.000Z'));
    assert.deepEqual(held.held && [held.held.anonymous, held.held.named, held.held.topics, held.held.by.name], [1, 1, 1, 'Ola Dahl']);
    refusedWith(decideMeeting(team, held, close, actor(ola), at('2026-03-17T10:05:00.000Z')), 'already-held');
  });
});

describe('what the channel may show (the channel projection)', () => {
  const team = setUpTeam();
  const first = meetingOfTeam(team, FIRST);
  const open = newCase({ caseId: 'UR-4HNW', unitId: 'bjorkelangen-skole', nearestLeader: ola, alias: 'J.' }, lise);
  const closed = apply(
    newCase({ caseId: 'UR-5QMB', unitId: 'bjorkelangen-skole', nearestLeader: ola, alias: 'M.' }, lise),
    { type: 'close-case', reason: 'resolved' },
    lise,
    START,
  );
  const cases = new Map([open, closed].map((c) => [c.id, c]));
  let record = on(
    team,
    null,
    {
      type: 'add-case-item',
      meetingId: FIRST,
      caseId: 'UR-4HNW',
      caseUnitId: 'bjorkelangen-skole',
      mode: 'named',
      questionId: 'other-services',
    },
    actor(lise, personal),
    START,
  );
  record = on(
    team,
    record,
    {
      type: 'add-case-item',
      meetingId: FIRST,
      caseId: 'UR-5QMB',
      caseUnitId: 'bjorkelangen-skole',
      mode: 'anonymous',
      questionId: 'further-measures',
    },
    actor(lise, personal),
    at('2026-03-03T08:00:00.000Z'),
  );
  record = on(
    team,
    record,
    { type: 'add-topic', meetingId: FIRST, topic: 'Overgang barnehage–skole', key: 't' },
    actor(nina),
    at('2026-03-04T08:00:00.000Z'),
  );

  it('shows codes, questions, owners and slots; takes off a named case without consent and a closed case, by code only', () => {
    const lines = channelAgenda(team, first, record, (id) => cases.get(id), START);
    assert.deepEqual(
      lines.map((l) => [l.kind, l.n, l.kind === 'topic' ? l.topic : l.caseId]),
      [
        ['withheld', 1, 'UR-4HNW'],
        ['withheld', 2, 'UR-5QMB'],
        ['topic', 3, 'Overgang barnehage–skole'],
      ],
    );
    assert.deepEqual(
      lines.flatMap((l) => (l.kind === 'withheld' ? [l.reason] : [])),
      ['consent-missing', 'case-closed'],
    );
    assert.doesNotMatch(JSON.stringify(lines), /J\.|M\./);
    const consented = apply(
      open,
      {
        type: 'record-consent',
        givenBy: ['mother'],
        services: [],
        teams: [team.teamId],
        purpose: 'Drøfting.',
        givenOn: '2026-03-02',
        validUntil: '2026-12-31',
      },
      lise,
      START,
    );
    const shown = channelAgenda(team, first, record, (id) => (id === open.id ? consented : cases.get(id)), START)[0]!;
    assert.deepEqual(shown.kind === 'case' && [shown.mode, shown.questionId, shown.minutes, shown.owner], [
      'named',
      'other-services',
      30,
      'Lise Berg',
    ]);
  });

  it('lets the minutes post show only what the drawn agenda listed, and nothing when no agenda was drawn', () => {
    assert.deepEqual(
      channelMinutes(team, first, null, () => undefined, START),
      { kind: 'nothing' },
    );
    assert.deepEqual(
      channelMinutes(team, first, record, () => undefined, START),
      { kind: 'no-agenda' },
    );
    const drawn: TeamMeeting = { ...record, agenda: { itemIds: ['topic-t'], at: AGENDA_DUE } };
    const minutes = channelMinutes(team, first, drawn, (id) => cases.get(id), START);
    assert.deepEqual(minutes.kind === 'lines' && minutes.lines.map((l) => [l.n, l.kind]), [[1, 'topic']]);
  });
});
