import assert from 'node:assert/strict';
import { emptyMeeting, type CaseItem } from '../../src/domain/team';
import { users } from '../support/activities';
import { allText, Conversation, lastCard } from '../support/conversation';
import { textOf, type Running } from '../support/laget';
import { BJORKELANGEN, startWithTeam, TEAM } from '../support/team-walk';

/**
 * The report's figure "team meetings held and cases discussed (anonymous / named)" through real
 * HTTP with the fake Bot Connector: Bjørkelangen's team holds its meetings (its lead, Ola, marks
 * each held in his own chat), and the coordinator's `rapport` counts them — once, however the
 * button is pressed, and also when the counters' store was away at the moment of the press.
 */

let instant = new Date('2026-03-02T08:00:00Z');
const clock = () => instant;
const MEETINGS = { march: '2026-03-17-0900', april: '2026-04-14-0900', late: '2026-04-28-0900' } as const;

/** The cases brought to a meeting (the items a team's agenda holds), written as the team's record. */
async function bring(running: Running, meetingId: string, modes: readonly ('anonymous' | 'named')[]): Promise<void> {
  const record = emptyMeeting(TEAM, { id: meetingId, date: meetingId.slice(0, 10) }, instant);
  // Synthetic codes, one letter per meeting (the case code alphabet has no 0, 1 or L).
  const code = (n: number) => `UR-TM${'BCD'[Object.values(MEETINGS).indexOf(meetingId as never)]}${'23456789'[n]}`;
  const items = modes.map((mode, n): CaseItem => ({
    kind: 'case',
    id: `case-${code(n)}`,
    caseId: code(n),
    unitId: BJORKELANGEN,
    mode,
    questionId: 'further-measures',
    owner: { id: users.lise.aadObjectId, name: users.lise.name },
    addedAt: instant.toISOString(),
    minutesRecordedAt: null,
  }));
  await running.laget.repositories.teams.changeMeeting(TEAM, meetingId, () => ({ result: undefined, write: { ...record, items } }));
}

const markHeld = (running: Running, meetingId: string) =>
  new Conversation(running, users.ola).submitRaw({ verb: 'team.close-meeting', teamId: TEAM, meetingId });

/** The team meeting lines of a person's report card: meetings held, and cases discussed "anonymous / named". */
async function teamFigures(
  running: Running,
  user: (typeof users)[keyof typeof users],
): Promise<{ held: string; items: string; text: string }> {
  const text = textOf(lastCard(await new Conversation(running, user).say('rapport')));
  return {
    held: /Teammøter holdt\n(.+)/.exec(text)?.[1] ?? '',
    items: /Saker drøftet i teammøtene \(anonymt \/ med navn\)\n(.+)/.exec(text)?.[1] ?? '',
    text,
  };
}

describe('the report counts team meetings held and the cases discussed in them', () => {
  let running: Running;

  before(async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock, {}, { dates: '2026-03-17, 2026-04-14, 2026-04-28' });
    await bring(running, MEETINGS.march, ['anonymous', 'anonymous', 'anonymous', 'anonymous', 'anonymous', 'named']);
    await bring(running, MEETINGS.april, ['anonymous', 'named']);
    await bring(running, MEETINGS.late, ['named']);
  });
  after(async () => running.stop());

  it('shows the coordinator the meeting and its cases once the lead marks it held; a leader sees their own units only', async () => {
    assert.deepEqual((await teamFigures(running, users.kim)).held, '0', 'nothing held yet');
    instant = new Date('2026-03-17T10:00:00Z'); // the meeting started at 09:00 in Oslo
    assert.match(allText(await markHeld(running, MEETINGS.march)), /er markert som avholdt: 5 anonyme og 1 navngitte saker/);

    const kim = await teamFigures(running, users.kim);
    assert.deepEqual([kim.held, kim.items], ['1', '5 / 1'], "the municipality's totals");
    // Ola leads Bjørkelangen: below the municipality, small numbers are "under 5".
    const ola = await teamFigures(running, users.ola);
    assert.deepEqual([ola.held, ola.items], ['under 5', '5 / under 5']);
    // Per leads Solsikken: nothing of Bjørkelangen's reaches his report.
    const per = await teamFigures(running, users.per);
    assert.match(per.text, /Dine enheter: Solsikken barnehage/);
    assert.doesNotMatch(per.text, /Bjørkelangen/);
    assert.deepEqual([per.held, per.items], ['under 5', 'under 5 / under 5']);
  });

  it('counts a meeting once: a second press on the old card, and two presses at once, add nothing; another unit’s leader adds nothing', async () => {
    instant = new Date('2026-04-14T10:00:00Z');
    assert.match(allText(await markHeld(running, MEETINGS.march)), /allerede markert som avholdt/);
    // A leader of another unit cannot mark it held (nor count it).
    const per = new Conversation(running, users.per);
    assert.match(
      allText(await per.submitRaw({ verb: 'team.close-meeting', teamId: TEAM, meetingId: MEETINGS.april })),
      /Bare teamets leder/,
    );
    assert.equal((await teamFigures(running, users.kim)).held, '1');
    const [first, second] = await Promise.all([markHeld(running, MEETINGS.april), markHeld(running, MEETINGS.april)]);
    const answers = [allText(first), allText(second)];
    assert.equal(answers.filter((a) => /er markert som avholdt: 1 anonyme og 1 navngitte/.test(a)).length, 1, answers.join('\n'));
    const kim = await teamFigures(running, users.kim);
    assert.deepEqual([kim.held, kim.items], ['2', '6 / 2']);
  });

  it('counts a meeting whose counters the store did not take at once, when the scheduler tries again — once', async () => {
    instant = new Date('2026-04-28T10:00:00Z');
    const counters = running.laget.repositories.reportCounters;
    const original = counters.apply.bind(counters);
    let failures = 1;
    counters.apply = async (...args: Parameters<typeof original>) => {
      if (failures-- > 0) throw new Error('the store went away');
      return original(...args);
    };
    try {
      assert.match(
        allText(await markHeld(running, MEETINGS.late)),
        /er markert som avholdt: 0 anonyme og 1 navngitte/,
        'the meeting is held',
      );
      assert.deepEqual((await teamFigures(running, users.kim)).held, '2', 'not counted yet');
      assert.equal(running.laget.services.cases.unfinishedCount, 1, 'kept to apply again');
      await running.laget.scheduler.runOnce(instant);
      await running.laget.scheduler.runOnce(instant);
      assert.equal(running.laget.services.cases.unfinishedCount, 0);
      const kim = await teamFigures(running, users.kim);
      assert.deepEqual([kim.held, kim.items], ['3', '6 / 3']);
    } finally {
      counters.apply = original;
    }
  });

  it('keeps the meetings when a unit is counted afresh from its cases (a repair), and still counts each once', async () => {
    const { ladder, config } = running.laget.services;
    const { reportCounters } = running.laget.repositories;
    await reportCounters.rebuild(BJORKELANGEN, [], ladder, config.timeZone, instant);
    instant = new Date('2026-04-28T11:00:00Z');
    assert.match(allText(await markHeld(running, MEETINGS.late)), /allerede markert som avholdt/);
    const kim = await teamFigures(running, users.kim);
    assert.deepEqual([kim.held, kim.items], ['3', '6 / 3']);
  });
});
