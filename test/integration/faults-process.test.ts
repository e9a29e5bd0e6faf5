import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Case } from '../../src/domain/case';
import { startCase } from '../support/ladder-walk';
import { loadLadder } from '../../src/domain/ladder';
import { dayOf } from '../../src/domain/time';
import { createLogger } from '../../src/log';
import { newJob, type Job, JobSchema } from '../../src/scheduler/job';
import { jobId } from '../../src/scheduler/job-id';
import { JobStore } from '../../src/scheduler/job-store';
import { Scheduler } from '../../src/scheduler/scheduler';
import { Sender, systemClock, type SenderClock } from '../../src/scheduler/sender';
import { CaseRepository } from '../../src/store/case-repository';
import { openStore, type Store } from '../../src/store/cosmos';
import { EMBEDDED_COSMOS_KEY, startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { REMINDER_KINDS, type ReminderParams } from '../../src/workflow/reminders';
import { message, TENANT_ID, users } from '../support/activities';
import { syntheticCaseCode } from '../support/case-codes';
import { FakeConnector, type ConnectorCall } from '../support/fake-connector';
import { HttpConversationPort } from '../support/http-conversation-port';
import { startLagetProcess, type LagetProcess } from '../support/laget-process';

/**
 * The process itself fails: SIGKILL in the middle of a reminder run (the platform kills a hung
 * instance; the machine dies), and SIGTERM during a turn (a deployment or a scale-in). Laget runs
 * as `node dist/src/index.js`, on a store and a Bot Connector the test owns.
 */

const log = createLogger('silent');
const ladder = loadLadder('aurskog-holand');
const FINAL = new Set(['sent', 'unknown', 'failed', 'dropped']);

async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(everyMs);
  }
}

describe('faults: the process is killed in the middle of a reminder run', function () {
  this.timeout(90_000);
  const N = 36;
  let cosmos: EmbeddedCosmos;
  let store: Store;
  let connector: FakeConnector;
  const children: LagetProcess[] = [];
  let database = 0;

  before(async () => {
    cosmos = await startEmbeddedCosmos();
  });
  beforeEach(async () => {
    database += 1;
    connector = await new FakeConnector().start();
    store = await openStore(
      { kind: 'remote', endpoint: cosmos.endpoint, key: EMBEDDED_COSMOS_KEY, database: `laget-kill-${database}` },
      log,
    );
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.kill('SIGKILL');
      await child.exited;
    }
    await store.close();
    await connector.stop();
  });
  after(async () => cosmos.close());

  const conversationOf = (n: number) => `a:reminder-owner-${n}`;

  /** N cases on step 1 whose evaluation is today, each with its owner's reminder due a minute ago. */
  async function dueReminders(): Promise<void> {
    const now = new Date();
    const today = dayOf(now);
    const cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
    const jobs = new JobStore(store.containers);
    for (let n = 0; n < N; n += 1) {
      const owner = { id: `aad-reminder-owner-${n}`, name: `Ansatt ${n}` };
      const walked = startCase(ladder, { caseId: syntheticCaseCode(n, 'K'), owner, start: new Date(now.getTime() - 28 * 86400_000) }).case;
      const c: Case = { ...walked, nextDates: { ...walked.nextDates, evaluationOn: today } };
      await cases.create(c);
      const params: ReminderParams = { caseId: c.id, unitId: c.unitId, kind: 'evaluation', on: today };
      await jobs.ensure(
        newJob(
          {
            id: jobId('case', c.id, 'evaluation', today),
            kind: REMINDER_KINDS.evaluation,
            dueAt: new Date(now.getTime() - 60_000).toISOString(),
            staleAfter: new Date(now.getTime() + 86400_000).toISOString(),
            address: { kind: 'personal', serviceUrl: connector.url, conversationId: conversationOf(n), tenantId: TENANT_ID },
            params,
          },
          now,
        ),
      );
    }
  }

  /** The reminders (Laget's own recurring jobs, such as the tertial report's, are not what these tests are about). */
  async function allJobs(): Promise<Job[]> {
    const { resources } = await store.containers.jobs.items.query("SELECT * FROM c WHERE STARTSWITH(c.id, 'case:')").fetchAll();
    return resources.map((resource) => JobSchema.parse(resource));
  }

  /** Short enough for a test: a claim lasts 2.5 s, one call to the connector at most 1 s. */
  const QUICK = { SCHEDULER_CLAIM_TTL_SECONDS: '2.5', BOT_CONNECTOR_TIMEOUT_SECONDS: '1' };
  /**
   * Patient enough that no post held by the connector times out before the kill, however slow the
   * machine: a worker that gave up on a held post would begin another one, and the kill could land
   * between "posting began" and the request leaving — the one moment nobody can tell apart.
   */
  const PATIENT = { SCHEDULER_CLAIM_TTL_SECONDS: '12', BOT_CONNECTOR_TIMEOUT_SECONDS: '5' };

  const start = async (timing: Record<string, string> = QUICK) => {
    const child = await startLagetProcess({
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: EMBEDDED_COSMOS_KEY,
      COSMOS_DATABASE: `laget-kill-${database}`,
      SCHEDULER_INTERVAL_SECONDS: '0.2',
      ...timing,
      LOG_LEVEL: process.env.CHILD_LOG_LEVEL ?? 'error',
    });
    children.push(child);
    return child;
  };

  /** Restarts Laget with a well-behaved connector and waits until every reminder is settled. */
  async function restartAndSettle(): Promise<Job[]> {
    connector.behaviour = () => undefined;
    await start();
    // The claims of the killed process must expire first (at most PATIENT's 12 s).
    await waitUntil('every reminder is settled', async () => (await allJobs()).every((job) => FINAL.has(job.state)), 40_000, 200);
    return allJobs();
  }

  const postsPerConversation = (calls: readonly ConnectorCall[]) => {
    const counts = new Map<string, number>();
    for (const call of calls) counts.set(call.conversationId, (counts.get(call.conversationId) ?? 0) + 1);
    return counts;
  };

  it('posts every reminder exactly once when killed while posts are on their way', async () => {
    await dueReminders();
    // The connector answers the first dozen posts, then holds every post it gets: once as many are
    // held as the scheduler runs at once (8), every worker is waiting on a post that has arrived.
    let answered = 0;
    const held = new Set<string>();
    connector.behaviour = (call) => {
      if (answered++ < 12) return sleep(50).then(() => undefined);
      held.add(call.conversationId);
      return new Promise(() => undefined);
    };
    const first = await start(PATIENT);
    await waitUntil('every worker waits on a post that has arrived', () => held.size >= 8, 15_000, 2);
    first.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const heldAtKill = new Set(held);
    assert.ok(connector.received.length < N, `the kill landed mid-run (${connector.received.length} of ${N} posts had arrived)`);

    const jobs = await restartAndSettle();
    const counts = postsPerConversation(connector.received);
    for (let n = 0; n < N; n += 1)
      assert.equal(counts.get(conversationOf(n)), 1, `reminder ${n} reached Teams ${counts.get(conversationOf(n)) ?? 0} times`);
    assert.equal(jobs.length, N);
    for (const job of jobs) {
      const held = heldAtKill.has(job.address!.conversationId);
      // A post whose answer died with the process may or may not be in Teams: recorded for a person, never posted again.
      assert.equal(job.state, held ? 'unknown' : 'sent', `${job.id}: ${job.state} (${job.lastError ?? ''})`);
    }
  });

  it('posts every reminder at most once, and records the rest as unknown, when the kill lands while posts wait for Teams’ rate limit', async () => {
    await dueReminders();
    // A quick connector: after 30 posts the tenant's limit (30 per second) holds the rest back.
    connector.behaviour = () => sleep(5).then(() => undefined);
    const first = await start();
    await waitUntil('the rate limit holds posts back', () => connector.received.length >= 31, 15_000, 5);
    first.kill('SIGKILL');
    await first.exited;

    const jobs = await restartAndSettle();
    const counts = postsPerConversation(connector.received);
    for (const job of jobs) {
      const posts = counts.get(job.address!.conversationId) ?? 0;
      assert.ok(posts <= 1, `${job.id} was posted ${posts} times`);
      if (posts === 0)
        assert.equal(job.state, 'unknown', `${job.id} was never posted, so its record must say unknown for a person to look at`);
      else assert.ok(job.state === 'sent' || job.state === 'unknown', `${job.id}: ${job.state}`);
    }
  });
});

describe('faults: a reminder that waits for Teams’ rate limit has not begun posting', () => {
  let cosmos: EmbeddedCosmos;
  let store: Store;
  let connector: FakeConnector;
  before(async () => {
    cosmos = await startEmbeddedCosmos();
    store = await openStore({ kind: 'remote', endpoint: cosmos.endpoint, key: EMBEDDED_COSMOS_KEY, database: 'laget-rate-wait' }, log);
    connector = await new FakeConnector().start();
  });
  after(async () => {
    await store.close();
    await cosmos.close();
    await connector.stop();
  });

  it('records "posting began" only when the post leaves, so a process that dies while it waits loses nothing', async () => {
    const jobs = new JobStore(store.containers);
    const now = new Date();
    for (const n of [1, 2]) {
      await jobs.ensure(
        newJob(
          {
            id: `wait-${n}`,
            kind: 'echo',
            dueAt: new Date(now.getTime() - 1_000).toISOString(),
            staleAfter: null,
            address: { kind: 'personal', serviceUrl: connector.url, conversationId: `a:wait-${n}`, tenantId: TENANT_ID },
            params: {},
          },
          now,
        ),
      );
    }
    // One post per minute for the tenant. The sender's clock stands still until the test releases
    // it; from then on a sleep moves it forward at once.
    let released = false;
    let release: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (release = resolve));
    let skipped = 0;
    const clock: SenderClock = {
      now: () => systemClock.now() + skipped,
      sleep: async (ms) => {
        if (!released) await waiting;
        skipped += ms;
      },
    };
    const sender = new Sender(new HttpConversationPort(), { log, clock, tenantLimits: [{ windowMs: 60_000, max: 1 }] });
    const scheduler = new Scheduler({
      store: jobs,
      sender,
      composers: { echo: { compose: async (job) => ({ kind: 'post', activity: { type: 'message', text: job.id } }) } },
      log,
      concurrency: 2,
    });
    const run = scheduler.runOnce(now);
    await waitUntil(
      'one post went out and the other waits for the limit',
      async () => {
        const states = (await Promise.all(['wait-1', 'wait-2'].map((id) => jobs.read(id)))).map((found) => found?.doc.state);
        return connector.received.length === 1 && states.includes('sent') && states.includes('claimed');
      },
      5_000,
      20,
    );
    const waitingJob = (await Promise.all(['wait-1', 'wait-2'].map((id) => jobs.read(id)))).find(
      (found) => found?.doc.state === 'claimed',
    )!.doc;
    assert.equal(
      waitingJob.postStartedAt,
      null,
      'a job waiting for its slot has posted nothing: if the process died now, the job would be claimed again, not marked unknown',
    );
    released = true;
    release();
    await run;
    assert.equal(connector.received.length, 2);
    assert.equal((await jobs.read(waitingJob.id))?.doc.state, 'sent');
  });
});

describe('faults: SIGTERM during a turn', function () {
  this.timeout(30_000);
  let connector: FakeConnector;
  let child: LagetProcess | undefined;
  before(async () => {
    connector = await new FakeConnector().start();
  });
  after(async () => {
    child?.kill('SIGKILL');
    await connector.stop();
  });

  it('finishes the turn — its reply reaches the connector — and then exits 0', async () => {
    child = await startLagetProcess({ SCHEDULER_INTERVAL_SECONDS: '0' });
    let replyAnsweredAt = 0;
    connector.behaviour = async () => {
      await sleep(1_500);
      replyAnsweredAt = Date.now();
      return undefined;
    };
    const turn = fetch(`${child.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(connector.url, users.kari, 'hjelp')),
    });
    await waitUntil('the reply is on its way to the connector', () => connector.received.length > 0, 10_000, 10);
    child.kill('SIGTERM');
    const [response, exit] = await Promise.all([turn, child.exited]);
    const exitedAt = Date.now();
    assert.equal(response.status, 200, 'the turn was answered');
    assert.equal(connector.calls.length, 1, 'its reply was accepted by the connector');
    assert.match(JSON.stringify(connector.calls[0]!.activity), /Hei! Jeg er Laget/);
    assert.ok(replyAnsweredAt > 0 && replyAnsweredAt <= exitedAt, 'the process exited after the reply');
    assert.deepEqual(exit, { code: 0, signal: null }, child.output());
  });
});
