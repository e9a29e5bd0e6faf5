import assert from 'node:assert/strict';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { personalConversationId, users, type TestUser } from '../support/activities';
import { Conversation } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { startGreyZoneCase } from '../support/uro-walk';

/** A clock the test moves: Laget reads it for "today" and the scheduler for what is due. */
class TestClock {
  constructor(private instant: Date) {}
  now = () => this.instant;
  set(iso: string) {
    this.instant = new Date(iso);
  }
}

describe('the tertial report on schedule: exactly once across two instances and a restart', () => {
  let cosmos: EmbeddedCosmos;
  const clock = new TestClock(new Date('2026-04-27T08:00:00Z'));
  const env = () => ({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local' });
  let first: Running;
  let second: Running;
  let third: Running | undefined;

  before(async () => {
    cosmos = await startEmbeddedCosmos();
    first = await startTestLaget(env(), { now: clock.now });
    second = await startTestLaget(env(), { now: clock.now });
  });
  after(async () => {
    await first.stop().catch(() => undefined);
    await second.stop();
    await third?.stop();
    await cosmos.close();
  });

  const reportsTo = (running: Running, user: TestUser) =>
    running.connector
      .activitiesIn(personalConversationId(user))
      .map((activity) => textOf(cardOf(activity)))
      .filter((text) => text.includes('Tertialet 2026-T1 er slutt'));

  it('posts to each coordinator and leader Laget knows on the next working day after the tertial, once', async () => {
    // Kim (coordinator) and Per (leader) have talked to Laget; a case was opened in the tertial.
    await new Conversation(first, users.kim).say('hjelp');
    await new Conversation(first, users.per).say('hjelp');
    await startGreyZoneCase(first, users.kari);

    // 30 April ends the tertial; 1 May is a public holiday: the report comes on Monday 4 May at 08:00 Oslo time.
    clock.set('2026-05-01T08:00:00Z');
    await first.laget.scheduler.runOnce(clock.now());
    assert.deepEqual(reportsTo(first, users.kim), [], 'not on the holiday');

    clock.set('2026-05-04T06:05:00Z'); // 08:05 Oslo
    await Promise.all([first.laget.scheduler.runOnce(clock.now()), second.laget.scheduler.runOnce(clock.now())]);
    await Promise.all([first.laget.scheduler.runOnce(clock.now()), second.laget.scheduler.runOnce(clock.now())]);

    // One instance stops; a new one starts on the same store and polls again, later that day.
    await first.stop();
    third = await startTestLaget(env(), { now: clock.now });
    clock.set('2026-05-04T12:00:00Z');
    await third.laget.scheduler.runOnce(clock.now());
    await second.laget.scheduler.runOnce(clock.now());

    const all = [first, second, third];
    const kim = all.flatMap((r) => reportsTo(r, users.kim));
    const per = all.flatMap((r) => reportsTo(r, users.per));
    assert.equal(kim.length, 1, 'the coordinator gets the report once');
    assert.equal(per.length, 1, 'the leader gets the report once');
    assert.match(kim[0]!, /Hele kommunen, per enhet/);
    assert.match(per[0]!, /Dine enheter: Solsikken barnehage/);
    assert.match(kim[0]!, /Nye saker\n1/, 'the case opened in the tertial is counted');
  });
});
