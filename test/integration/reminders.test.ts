import assert from 'node:assert/strict';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { personalConversationId, users } from '../support/activities';
import { allText, Conversation, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { PeopleRepository } from '../../src/store/people';
import { jobId } from '../../src/scheduler/job-id';
import { REMINDER_KINDS } from '../../src/workflow/reminders';
import { caseCodeIn, prepareConversation, readCase, walkToStep1 } from '../support/uro-walk';

/** A clock the test moves: Laget reads it for "today" and the scheduler for what is due. */
class TestClock {
  constructor(private instant: Date) {}
  now = () => this.instant;
  set(iso: string) {
    this.instant = new Date(iso);
  }
}

const cardsTo = (running: Running, user: (typeof users)[keyof typeof users]) =>
  running.connector.activitiesIn(personalConversationId(user)).map((activity) => textOf(cardOf(activity)));

describe('reminders and notices in personal chat, exactly once (scheduler + fake Bot Connector)', () => {
  let cosmos: EmbeddedCosmos;
  let clock: TestClock;
  let first: Running;
  let second: Running;

  before(async () => {
    cosmos = await startEmbeddedCosmos();
    clock = new TestClock(new Date('2026-03-02T08:00:00Z'));
    // Two Laget processes on one store, as two App Service instances would run.
    const env = { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local' };
    first = await startTestLaget(env, { now: clock.now });
    second = await startTestLaget(env, { now: clock.now });
  });
  after(async () => {
    await first.stop();
    await second.stop();
    await cosmos.close();
  });

  it('reminds the owner of part C on the day of the planned conversation, once, in the morning', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { code } = await prepareConversation(first, '2026-03-04');
    const before = first.connector.calls.length;

    clock.set('2026-03-04T06:00:00Z'); // 07:00 in Oslo: before the reminder hour
    await first.laget.scheduler.runOnce(clock.now());
    assert.equal(first.connector.calls.length, before, 'not before 08:00 Oslo time');

    clock.set('2026-03-04T07:05:00Z'); // 08:05 in Oslo
    await Promise.all([first.laget.scheduler.runOnce(clock.now()), second.laget.scheduler.runOnce(clock.now())]);
    await first.laget.scheduler.runOnce(clock.now());
    const reminders = cardsTo(first, users.kari).filter((text) => text.includes(`Samtalen om ${code}`));
    assert.equal(reminders.length, 1, 'exactly one reminder, though two instances ran twice');
    assert.match(reminders[0]!, /Fyll ut del C/);
  });

  it('reminds an English-speaking owner of part C in English, and remembers the language without a write per turn', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { code } = await prepareConversation(first, '2026-03-05', users.tor);
    const people = new PeopleRepository(first.laget.store.containers.people);
    assert.equal((await people.read(users.tor.aadObjectId))?.doc.locale, 'nb');

    // Tor's Teams client is set to English from now on.
    const english = new Conversation(first, users.tor, 'en-GB');
    await english.say('help');
    const remembered = await people.read(users.tor.aadObjectId);
    assert.equal(remembered?.doc.locale, 'en');
    await english.say('my cases');
    await english.say('help');
    assert.equal((await people.read(users.tor.aadObjectId))?.etag, remembered?.etag, 'no store write while nothing changes');

    clock.set('2026-03-05T07:05:00Z');
    await first.laget.scheduler.runOnce(clock.now());
    const reminder = cardsTo(first, users.tor)
      .filter((text) => text.includes(code))
      .at(-1);
    assert.match(reminder ?? '', new RegExp(`The conversation about ${code}`));
    assert.match(reminder ?? '', /Fill in part C/);
    assert.doesNotMatch(reminder ?? '', /Samtalen om|Fyll ut/);
  });

  it('asks "has the child got better?" on the evaluation date exactly once across two instances', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { code } = await walkToStep1(first, { today: '2026-03-02', evaluationOn: '2026-03-30' }, users.kari);

    clock.set('2026-03-30T07:30:00Z'); // 09:30 in Oslo (summer time from 29 March)
    await Promise.all([
      first.laget.scheduler.runOnce(clock.now()),
      second.laget.scheduler.runOnce(clock.now()),
      second.laget.scheduler.runOnce(clock.now()),
    ]);
    const reminders = cardsTo(first, users.kari).filter((text) => text.includes(`Evaluering av ${code}`));
    assert.equal(reminders.length, 1);
    assert.match(reminders[0]!, new RegExp(`I dag er evalueringsdatoen for ${code}`));
    assert.match(reminders[0]!, /Har barnet fått det bedre\?/);

    // The reminder is the evaluation itself, drawn when it was sent: "better" moves the case to 2a with a check-in date.
    const chat = new Conversation(first, users.kari);
    const reminder = first.connector
      .activitiesIn(personalConversationId(users.kari))
      .map(cardOf)
      .filter((card) => textOf(card).includes(`Evaluering av ${code}`))
      .at(-1);
    const saved = await chat.press(reminder, 'Registrer evalueringen', { outcome: 'a', nextOn: '2026-05-04' });
    assert.match(allText(saved), /står nå på 2a: Barnet har fått det bedre og følges med. Neste kontakt: 4. mai 2026/);
    assert.equal((await readCase(first, code)).currentStep?.stepId, '2a');
  });

  it('audits the evaluation reminder once, as the owner’s read of the case under the job’s id, though two instances ran it', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { code } = await walkToStep1(first, { today: '2026-03-02', evaluationOn: '2026-04-13' }, users.kari);
    const audit = first.laget.repositories.audit;
    const before = (await audit.forCase(code)).length;

    clock.set('2026-04-13T07:30:00Z'); // 09:30 in Oslo
    await Promise.all([first.laget.scheduler.runOnce(clock.now()), second.laget.scheduler.runOnce(clock.now())]);
    await second.laget.scheduler.runOnce(clock.now());
    assert.equal(cardsTo(first, users.kari).filter((text) => text.includes(`Evaluering av ${code}`)).length, 1, 'one reminder');
    const entries = (await audit.forCase(code)).slice(before);
    assert.deepEqual(
      entries.map(({ actorId, operation, command, basis, outcome, correlationId }) => ({
        actorId,
        operation,
        command,
        basis,
        outcome,
        correlationId,
      })),
      [
        {
          actorId: users.kari.aadObjectId,
          operation: 'read',
          command: REMINDER_KINDS.evaluation,
          basis: 'owner',
          outcome: 'allowed',
          correlationId: jobId('case', code, 'evaluation', '2026-04-13'),
        },
      ],
      'the read that showed Kari her case is in the log once, as hers; the reading for the scheduler itself adds nothing',
    );
  });

  it('informs the nearest leader of a report at once: informed, never asked', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const ola = new Conversation(first, users.ola);
    await ola.say('hei'); // Ola has talked to Laget: his personal chat is known
    const lise = new Conversation(first, users.lise);
    const start = lastCard(await lise.say('ny sak'));
    const reportPath = await lise.press(start, 'Videre', {
      dangerNow: 'no',
      suspectedViolenceOrAbuse: 'yes',
    });
    const code = caseCodeIn(reportPath);
    await lise.press(lastCard(reportPath), 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'false' });

    await first.laget.scheduler.runOnce(clock.now());
    await second.laget.scheduler.runOnce(clock.now());
    const notices = cardsTo(first, users.ola).filter((text) => text.includes(`Sak ${code}`));
    assert.equal(notices.length, 1);
    assert.match(notices[0]!, /Lise Berg har meldt bekymring til barnevernet/);
    assert.match(notices[0]!, /meldeplikten er den ansattes egen/);
  });

  it('keeps a notice for a leader Laget has not met yet, and sends it when they first write', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const kari = new Conversation(first, users.kari);
    const start = lastCard(await kari.say('ny sak'));
    const reportPath = await kari.press(start, 'Videre', {
      dangerNow: 'yes',
      suspectedViolenceOrAbuse: 'no',
    });
    const code = caseCodeIn(reportPath);
    await kari.press(lastCard(reportPath), 'Registrer det jeg har gjort', { done: 'police,reported', leaderInvolved: 'true' });
    await first.laget.scheduler.runOnce(clock.now());
    assert.equal(cardsTo(first, users.per).length, 0, 'Per has no personal chat with Laget yet');

    await new Conversation(first, users.per).say('hei');
    await first.laget.scheduler.runOnce(clock.now());
    const notices = cardsTo(first, users.per).filter((text) => text.includes(`Sak ${code}`));
    assert.equal(notices.length, 2, 'the acute danger and the report, one card each');
    assert.ok(notices.some((text) => /har varslet politi eller barnevernvakt/.test(text)));
  });
});
