import assert from 'node:assert/strict';
import { JobSchema, type Job } from '../../src/scheduler/job';
import { message, personalConversationId, users } from '../support/activities';
import { Conversation, lastCard } from '../support/conversation';
import type { ConnectorAnswer, ConnectorCall } from '../support/fake-connector';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { caseCodeIn } from '../support/uro-walk';

/**
 * The Bot Connector misbehaves: 429 with Retry-After, 502, a connection cut after the message
 * arrived, or no answer at all — on a reply within a turn and on a proactive post from the
 * scheduler. Transient statuses are retried; a message that may have arrived is never sent again
 * (for a proactive post the job records `unknown` for a person to look at).
 */

type Fault = ConnectorAnswer | 'hang';
const hang = (): Promise<undefined> => new Promise(() => undefined);

/** Answers the first `faults.length` calls that match with the faults, in order; then accepts. */
function failFirst(running: Running, matches: (call: ConnectorCall) => boolean, faults: Fault[]): void {
  const left = [...faults];
  running.connector.behaviour = (call) => {
    if (!matches(call) || left.length === 0) return undefined;
    const fault = left.shift()!;
    return fault === 'hang' ? hang() : fault;
  };
}

const kariChat = personalConversationId(users.kari);
const perChat = personalConversationId(users.per);
const isWelcome = (call: ConnectorCall) => /Hei! Jeg er Laget/.test(textOf(cardOf(call.activity)));

describe('faults: the Bot Connector fails replies', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({ BOT_CONNECTOR_TIMEOUT_SECONDS: '1' });
    await running.post(message(running.connector.url, users.kari, 'hei'));
  });
  afterEach(() => {
    running.connector.behaviour = () => undefined;
  });
  after(async () => running.stop());

  /** Says "hjelp" as Kari under `faults`; what reached the connector for her chat, and how long it took. */
  async function hjelpWith(faults: Fault[]) {
    failFirst(running, (call) => call.conversationId === kariChat, faults);
    const before = running.connector.received.length;
    const started = Date.now();
    const response = await running.post(message(running.connector.url, users.kari, 'hjelp'));
    const received = running.connector.received.slice(before).filter((call) => call.conversationId === kariChat);
    return { status: response.status, ms: Date.now() - started, received, welcomes: received.filter(isWelcome).length };
  }

  it('retries a reply answered 429 after the Retry-After, and it arrives once', async () => {
    const { status, ms, received, welcomes } = await hjelpWith([{ status: 429, headers: { 'retry-after': '1' } }]);
    assert.equal(status, 200);
    assert.equal(welcomes, 2, 'the refused attempt and the retry');
    assert.equal(received.length, 2);
    assert.ok(ms >= 900, `it waited for Retry-After (${ms} ms)`);
    assert.equal(running.connector.activitiesIn(kariChat).filter((a) => /Hei! Jeg er Laget/.test(textOf(cardOf(a)))).length >= 1, true);
  });

  it('retries a reply answered 502 twice, and it is accepted once', async () => {
    const acceptedBefore = running.connector.calls.filter((call) => call.conversationId === kariChat && isWelcome(call)).length;
    const { status, welcomes } = await hjelpWith([{ status: 502 }, { status: 502 }]);
    assert.equal(status, 200);
    assert.equal(welcomes, 3, 'two refused, the third accepted');
    const accepted = running.connector.calls.filter((call) => call.conversationId === kariChat && isWelcome(call)).length - acceptedBefore;
    assert.equal(accepted, 1);
  });

  it('never sends a reply again when the connection broke after it arrived', async () => {
    const { status, welcomes, received } = await hjelpWith([{ reset: true }]);
    assert.equal(status, 200);
    assert.equal(welcomes, 1, 'the welcome card was sent once: it may well have reached Teams');
    assert.ok(received.length <= 2, 'at most an error card besides');
  });

  it('gives up on a reply the connector never answers, within the attempt limit, without sending it again', async () => {
    // The turn ends (this test would time out otherwise) with the welcome sent once.
    const { status, welcomes } = await hjelpWith(['hang']);
    assert.equal(status, 200);
    assert.equal(welcomes, 1);
  });
});

describe('faults: the Bot Connector fails proactive posts (scheduler)', () => {
  let running: Running;
  let kari: Conversation;
  before(async () => {
    running = await startTestLaget({ BOT_CONNECTOR_TIMEOUT_SECONDS: '1' });
    await new Conversation(running, users.per).say('hei'); // Per's personal chat is known
    kari = new Conversation(running, users.kari);
  });
  afterEach(() => {
    running.connector.behaviour = () => undefined;
  });
  after(async () => running.stop());

  /** Kari reports a new case to child welfare: a notice to Per waits in the outbox. */
  async function reportedCase(): Promise<string> {
    const start = lastCard(await kari.say('ny sak'));
    const reportPath = await kari.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'yes' });
    const code = caseCodeIn(reportPath);
    await kari.press(lastCard(reportPath), 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'false' });
    return code;
  }

  async function noticeJobs(code: string): Promise<Job[]> {
    const { resources } = await running.laget.store.containers.jobs.items
      .query({ query: 'SELECT * FROM c WHERE c.params.caseId = @code', parameters: [{ name: '@code', value: code }] })
      .fetchAll();
    return resources.map((resource) => JobSchema.parse(resource));
  }

  /** Posts to Per about `code`: every arrival, and the ones the connector accepted. */
  const postsAbout = (code: string) => {
    const about = (call: ConnectorCall) => call.conversationId === perChat && textOf(cardOf(call.activity)).includes(code);
    return { received: running.connector.received.filter(about).length, accepted: running.connector.calls.filter(about).length };
  };

  async function runWith(faults: Fault[]): Promise<{ code: string; job: Job }> {
    const code = await reportedCase();
    failFirst(running, (call) => call.conversationId === perChat, faults);
    await running.laget.scheduler.runOnce(new Date());
    const jobs = await noticeJobs(code);
    assert.equal(jobs.length, 1, 'one notice job for the report');
    return { code, job: jobs[0]! };
  }

  it('retries a post answered 429 after the Retry-After: posted once, the job says sent', async () => {
    const { code, job } = await runWith([{ status: 429, headers: { 'retry-after': '1' } }]);
    assert.equal(job.state, 'sent');
    assert.deepEqual(postsAbout(code), { received: 2, accepted: 1 });
  });

  it('retries a post answered 502: posted once, the job says sent', async () => {
    const { code, job } = await runWith([{ status: 502 }, { status: 502 }]);
    assert.equal(job.state, 'sent');
    assert.deepEqual(postsAbout(code), { received: 3, accepted: 1 });
  });

  it('never posts again when the connection broke after the post arrived: the job says unknown', async () => {
    const { code, job } = await runWith([{ reset: true }]);
    assert.equal(job.state, 'unknown', `job: ${JSON.stringify(job)}`);
    assert.equal(postsAbout(code).received, 1);
    await running.laget.scheduler.runOnce(new Date(Date.now() + 10 * 60_000)); // well after any claim
    assert.equal(postsAbout(code).received, 1, 'a later run does not post it again');
  });

  it('never posts again when the connector does not answer in time: the job says unknown', async () => {
    const { code, job } = await runWith(['hang']);
    assert.equal(job.state, 'unknown');
    assert.match(job.lastError ?? '', /no answer/);
    await running.laget.scheduler.runOnce(new Date(Date.now() + 10 * 60_000));
    assert.equal(postsAbout(code).received, 1);
  });
});
