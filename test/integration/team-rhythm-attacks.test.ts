import assert from 'node:assert/strict';
import { meetingsOf, scheduledRhythm } from '../../src/domain/meeting-series';
import { jobId } from '../../src/scheduler/job-id';
import { JobStore } from '../../src/scheduler/job-store';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { personalConversationId, users } from '../support/activities';
import { allText, buttonTitles, Conversation, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { BJORKELANGEN, channelThreads, setUpTeam, startWithTeam, TEAM } from '../support/team-walk';

/**
 * The team's rhythm as due entries, attacked through real HTTP with the fake connector: a lead in
 * a hurry who moves a meeting twice within a minute, a member who is not the lead trying to move
 * it, Laget removed from the team while a post is on its way — each with two instances on one store
 * running the rhythm side by side. What people would notice: which posts reach the channel, how
 * often, and at which meeting's date.
 */

let instant = new Date('2026-03-02T08:00:00Z');
const clock = () => instant;

describe('the team rhythm attacked: a hurried lead, a member who is not the lead, Laget removed mid-post — on two instances', function () {
  this.timeout(180_000);
  let cosmos: EmbeddedCosmos;
  let database = 0;
  const started: Running[] = [];

  before(async () => {
    cosmos = await startEmbeddedCosmos();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((running) => running.stop()));
  });
  after(async () => cosmos.close());

  /** Instance A (the team installed and set up through it, dates 17 March and 28 April) and instance B, on one fresh database. */
  async function twoInstances(): Promise<{ a: Running; b: Running }> {
    database += 1;
    instant = new Date('2026-03-02T08:00:00Z');
    const env = { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local', COSMOS_DATABASE: `laget-team-attacks-${database}` };
    const a = await startWithTeam(clock, env);
    started.push(a);
    const b = await startTestLaget(env, { now: clock });
    started.push(b);
    return { a, b };
  }

  /** Both instances run a pass at each of these instants, side by side (what is due in between is caught up). */
  async function runBoth(a: Running, b: Running, instants: readonly string[]): Promise<void> {
    for (const iso of instants) {
      instant = new Date(iso);
      await Promise.all([a.laget.scheduler.runOnce(instant), b.laget.scheduler.runOnce(instant)]);
    }
  }

  /** Noon UTC on each day from `from` to `to` (inclusive, March 2026). */
  const noons = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, n) => `2026-03-${String(from + n).padStart(2, '0')}T12:00:00.000Z`);

  /** The channel posts of a kind whose heading (title and the meeting's line) names the date. */
  const posts = (running: Running, kind: RegExp, date: RegExp) =>
    channelThreads(running).filter((text) => kind.test(text) && date.test(text.split('\n').slice(0, 2).join('\n')));

  it('a lead who moves the first meeting twice within a minute: each post once, for the last date only', async () => {
    const { a, b } = await twoInstances();
    const ola = Conversation.inChannel(a, users.ola);
    // Lise brings a topic to the first meeting: her reminder belongs to it.
    const lise = Conversation.inChannel(a, users.lise);
    await new Conversation(a, users.lise).say('hei');
    const form = lastCard(await lise.say('tema'));
    await lise.press(form, 'Meld inn et tema', { meetingId: '2026-03-17-0900', topic: 'Rutiner ved fravær' });

    instant = new Date('2026-03-05T08:00:00Z');
    assert.match(allText(await setUpTeam(ola, { dates: '2026-03-18, 2026-04-28' })), /er lagret/);
    instant = new Date('2026-03-05T08:00:40Z');
    assert.match(allText(await setUpTeam(ola, { dates: '2026-03-19, 2026-04-28' })), /er lagret/);

    await runBoth(a, b, noons(5, 20));

    const innkalling = /Innkalling: Tverrfaglig team/;
    const saksliste = /Saksliste: Tverrfaglig team/;
    for (const kind of [innkalling, saksliste]) {
      assert.equal(posts(a, kind, /19\. mars 2026 kl\. 09:00/).length, 1, `${kind.source}: once for 19 March`);
      assert.equal(posts(a, kind, /1[78]\. mars 2026 kl\. 09:00/).length, 0, `${kind.source}: never for the dates it was moved from`);
    }
    // Lise's topic stayed on the meeting of 17 March, which is no longer in the series: no reminder of it.
    const toLise = a.connector.activitiesIn(personalConversationId(users.lise)).map((activity) => textOf(cardOf(activity)));
    assert.ok(!toLise.some((text) => /Du har meldt inn/.test(text)), toLise.join('\n---\n'));
  });

  it('the lead’s set-up saved on both instances at once with different offsets: the jobs follow the series as stored', async () => {
    const { a, b } = await twoInstances();
    const onA = Conversation.inChannel(a, users.ola);
    const onB = Conversation.inChannel(b, users.ola);
    const form = lastCard(await onA.press(lastCard(await onA.say('sett opp team')), 'Bestemte datoer'))!;
    const jobs = new JobStore(a.laget.store.containers);
    for (const [first, second] of [
      ['5', '9'],
      ['8', '3'],
      ['4', '6'],
    ]) {
      const values = (callDays: string) => ({
        name: 'Tverrfaglig team, Bjørkelangen skole',
        kind: 'interdisciplinary',
        unitId: BJORKELANGEN,
        leadId: users.ola.aadObjectId,
        roles: 'leader,teacher,ppt,health-nurse',
        dates: '2026-03-17, 2026-04-28',
        start: '09:00',
        end: '10:30',
        callDays,
        agendaDays: '1',
      });
      await Promise.all([onA.press(form, 'Lagre møteserien', values(first!)), onB.press(form, 'Lagre møteserien', values(second!))]);
      const team = (await a.laget.repositories.teams.read(TEAM))!.doc;
      for (const meeting of meetingsOf(team.series!)) {
        const step = scheduledRhythm(team.series!, meeting).find((s) => s.kind === 'call-for-cases')!;
        const job = await jobs.read(jobId('team', TEAM, team.series!.id, meeting.id, 'call-for-cases'));
        assert.equal(
          job?.doc.dueAt,
          step.dueAt,
          `${first} and ${second} days at once: the call for cases of ${meeting.id} follows the stored series`,
        );
      }
    }
  });

  it('a member who is not the lead cannot move the meeting: refused, and the rhythm posts at the lead’s dates, once', async () => {
    const { a, b } = await twoInstances();
    const lise = Conversation.inChannel(a, users.lise);
    const offered = lastCard(await lise.say('sett opp team'));
    assert.ok(!offered || !buttonTitles(offered).includes('Lagre møteserien'), 'no set-up card for Lise');
    // She presses the lead's set-up card (shared in the channel, or an old one) with another date.
    const ola = Conversation.inChannel(a, users.ola);
    const form = lastCard(await ola.press(lastCard(await ola.say('sett opp team')), 'Bestemte datoer'))!;
    const refused = allText(
      await lise.press(form, 'Lagre møteserien', {
        name: 'Tverrfaglig team, Bjørkelangen skole',
        kind: 'interdisciplinary',
        unitId: BJORKELANGEN,
        leadId: users.lise.aadObjectId,
        dates: '2026-03-10, 2026-04-28',
        start: '09:00',
        end: '10:30',
      }),
    );
    assert.doesNotMatch(refused, /er lagret/);
    assert.equal((await a.laget.repositories.teams.read(TEAM))?.doc.series?.schedule.kind, 'dates');

    await runBoth(a, b, noons(2, 18));
    assert.equal(posts(a, /Innkalling: Tverrfaglig team/, /10\. mars/).length, 0);
    assert.equal(posts(a, /Innkalling: Tverrfaglig team/, /17\. mars/).length, 1);
    assert.equal(posts(a, /Saksliste: Tverrfaglig team/, /17\. mars/).length, 1);
  });

  it('Laget removed from the team while the call for cases is being posted: the rest is taken back, the lead is told once', async () => {
    const { a, b } = await twoInstances();
    // The call for cases of 17 March (due 10 March 09:00 Oslo) meets a 403: Laget is no longer in the team.
    a.connector.behaviour = (call) =>
      call.path === '/v3/conversations'
        ? { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } } }
        : undefined;
    await runBoth(a, b, ['2026-03-10T08:05:00.000Z']);
    a.connector.behaviour = () => undefined;
    assert.equal((await a.laget.repositories.teams.read(TEAM))?.doc.active, false);

    // The agenda, minutes and the next meeting's posts are not posted, however often and wherever the scheduler runs.
    await runBoth(a, b, [...noons(10, 31), '2026-04-30T12:00:00.000Z']);
    assert.deepEqual(channelThreads(a), [], 'nothing reached the channel');
    const told = a.connector
      .activitiesIn(personalConversationId(users.ola))
      .map((activity) => textOf(cardOf(activity)))
      .filter((text) => /Laget er fjernet fra teamet/.test(text));
    assert.equal(told.length, 1, 'the lead is told once');
  });
});
