import assert from 'node:assert/strict';
import { MeetingSeriesSchema } from '../../src/domain/meeting-series';
import { createLogger } from '../../src/log';
import type { ChannelAddress, PersonalAddress } from '../../src/store/conversation-address';
import { newJob, type Job, type JobSpec } from '../../src/scheduler/job';
import { jobId } from '../../src/scheduler/job-id';
import type { Composer } from '../../src/scheduler/job-runner';
import { JobStore } from '../../src/scheduler/job-store';
import { meetingJobSpecs } from '../../src/scheduler/meeting-jobs';
import { Scheduler, type JobSource, type SchedulerOptions } from '../../src/scheduler/scheduler';
import { Sender } from '../../src/scheduler/sender';
import { openStore, type Store } from '../../src/store/cosmos';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { FakeConnector } from '../support/fake-connector';
import { HttpConversationPort } from '../support/http-conversation-port';

const log = createLogger('silent');

/** Posts the job's id as text, so the fake connector's calls say which job each post was. */
const echo: Composer = { compose: async (job) => ({ kind: 'post', activity: { type: 'message', text: job.id } }) };
const never: Composer = { compose: () => new Promise(() => undefined) };

function channelAt(connector: FakeConnector, n = 0): ChannelAddress {
  const id = `19:kanal-${n}@thread.tacv2`;
  return { kind: 'channel', serviceUrl: connector.url, conversationId: id, channelId: id, tenantId: 'tenant-1' };
}

/** A job of the `reminder` kind (posted by `echo`), due at `dueAt`. */
function reminder(id: string, dueAt: Date, address: ChannelAddress, params: JobSpec['params'] = {}): JobSpec {
  return { id, kind: 'reminder', dueAt: dueAt.toISOString(), staleAfter: null, address, params };
}

function fixedSource(specs: JobSpec[]): JobSource {
  return { name: 'fixed', due: async () => specs };
}

describe('the scheduler: two instances, one embedded Cosmos server, a fake Bot Connector over HTTP', () => {
  let server: EmbeddedCosmos;
  let connector: FakeConnector;
  const stores: Store[] = [];
  let database = 0;

  before(async () => {
    server = await startEmbeddedCosmos();
  });
  after(async () => {
    await server.close();
  });
  beforeEach(async () => {
    connector = await new FakeConnector().start();
    database += 1;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await connector.stop();
  });

  /** One instance as a separate process would be: its own Cosmos client, sender and port. */
  async function instance(name: string, options: Partial<SchedulerOptions> = {}) {
    const store = await openStore(
      { kind: 'remote', endpoint: server.endpoint, key: 'local', database: `laget-scheduler-${database}` },
      log,
    );
    stores.push(store);
    const jobs = new JobStore(store.containers);
    const port = new HttpConversationPort();
    const scheduler = new Scheduler({
      store: jobs,
      sender: new Sender(port, { log }),
      composers: { reminder: echo },
      log,
      instanceId: name,
      ...options,
    });
    return { scheduler, jobs, port };
  }

  it('posts each of 50 due jobs exactly once while two instances poll side by side', async () => {
    const dueAt = new Date(Date.now() - 60_000);
    const specs = Array.from({ length: 50 }, (_, n) =>
      reminder(jobId('case', `sak-${n}`, 'evaluation', '2026-03-10'), dueAt, channelAt(connector, n % 10), { caseId: `sak-${n}` }),
    );
    // Both instances know every job: each creates them (create-only) and both race for each one.
    const a = await instance('instance-a', { sources: [fixedSource(specs)] });
    const b = await instance('instance-b', { sources: [fixedSource(specs)] });

    a.scheduler.start(10);
    b.scheduler.start(10);
    for (let waited = 0; connector.calls.length < 50 && waited < 15_000; waited += 20) await sleep(20);
    await Promise.all([a.scheduler.stop(), b.scheduler.stop()]);
    await sleep(100);

    const posted = connector.calls.map((call) => call.activity.text);
    assert.equal(posted.length, 50);
    assert.deepEqual(new Set(posted), new Set(specs.map((spec) => spec.id)));
    const stored = await Promise.all(specs.map((spec) => a.jobs.read(spec.id)));
    assert.ok(stored.every((job) => job?.doc.state === 'sent' && job.doc.attempts === 1));
    const byInstance = countBy(stored.map((job) => job!.doc.claim!.by));
    assert.equal((byInstance['instance-a'] ?? 0) + (byInstance['instance-b'] ?? 0), 50);
    // Nothing more happens, however often they run again.
    await Promise.all([a.scheduler.runOnce(new Date()), b.scheduler.runOnce(new Date())]);
    assert.equal(connector.calls.length, 50);
  });

  it('settles every job in exactly one instance when three instances run the same due list at the same moment', async () => {
    const now = new Date('2026-03-10T08:00:00.000Z');
    const specs = Array.from({ length: 30 }, (_, n) =>
      reminder(jobId('team', `19:team-${n}@thread.tacv2`, 'agenda'), now, channelAt(connector, n)),
    );
    // One after the other: openStore's createIfNotExists is not atomic, so parallel first starts can 409.
    const a = await instance('instance-a');
    const b = await instance('instance-b');
    const c = await instance('instance-c');
    for (const spec of specs) assert.equal(await a.jobs.ensure(newJob(spec, now)), 'created');
    assert.equal(await b.jobs.ensure(newJob(specs[0]!, now)), 'exists');

    const reports = await Promise.all([a, b, c].map((one) => one.scheduler.runOnce(now)));

    const sent = reports.flatMap((report) => report.outcomes.filter((o) => o.kind === 'sent').map((o) => o.jobId));
    assert.equal(sent.length, 30);
    assert.deepEqual(new Set(sent), new Set(specs.map((spec) => spec.id)));
    // Whoever did not send a job either lost the race for it or never saw it due: nothing else.
    const others = reports.flatMap((report) => report.outcomes.filter((o) => o.kind !== 'sent').map((o) => o.kind));
    assert.ok(
      others.every((kind) => kind === 'lost'),
      others.join(', '),
    );
    assert.equal(connector.calls.length, 30);
  });

  it('posts a job once, from the other instance, after an instance claimed it and died before posting', async () => {
    const now = new Date('2026-03-10T08:00:00.000Z');
    const spec = reminder(jobId('case', 'sak-1', 'evaluation', '2026-03-10'), now, channelAt(connector));
    // Instance A claims with a 60 s claim and never gets to post: its composer hangs, as if the process had died.
    const a = await instance('instance-a', { sources: [fixedSource([spec])], composers: { reminder: never }, claimTtlMs: 60_000 });
    const b = await instance('instance-b');
    void a.scheduler.runOnce(now);
    for (let waited = 0; (await b.jobs.read(spec.id))?.doc.state !== 'claimed' && waited < 5_000; waited += 10) await sleep(10);
    assert.equal((await b.jobs.read(spec.id))?.doc.claim?.by, 'instance-a');

    const whileClaimed = await b.scheduler.runOnce(new Date(now.getTime() + 59_000));
    assert.deepEqual(whileClaimed.outcomes, []);
    assert.equal(connector.calls.length, 0);

    const afterExpiry = await b.scheduler.runOnce(new Date(now.getTime() + 61_000));
    assert.deepEqual(
      afterExpiry.outcomes.map((outcome) => outcome.kind),
      ['sent'],
    );
    const again = await b.scheduler.runOnce(new Date(now.getTime() + 120_000));
    assert.deepEqual(again.outcomes, []);

    assert.deepEqual(
      connector.calls.map((call) => call.activity.text),
      [spec.id],
    );
    const job = (await b.jobs.read(spec.id))!.doc;
    assert.equal(job.state, 'sent');
    assert.equal(job.claim?.by, 'instance-b');
    assert.equal(job.attempts, 2);
  });

  it('never re-posts a job whose instance died in the middle of posting: it becomes unknown and a person is told', async () => {
    const now = new Date('2026-03-10T08:00:00.000Z');
    const unknown: Job[] = [];
    const b = await instance('instance-b', { hooks: { onUnknown: async (job) => void unknown.push(job) } });
    const spec = reminder(jobId('team', '19:abc@thread.tacv2', 'agenda'), now, channelAt(connector));
    // Instance A, simulated at the store: claimed, recorded the start of its post, then vanished.
    await b.jobs.ensure(newJob(spec, now));
    const found = (await b.jobs.read(spec.id))!;
    const claimed = await b.jobs.claim(found.doc, found.etag, 'instance-a', now, 60_000);
    assert.equal(claimed.kind, 'done');
    if (claimed.kind === 'done') await b.jobs.beginPost(claimed.job.doc, claimed.job.etag, now);

    const report = await b.scheduler.runOnce(new Date(now.getTime() + 61_000));

    assert.deepEqual(
      report.outcomes.map((outcome) => outcome.kind),
      ['unknown'],
    );
    assert.equal(connector.calls.length, 0);
    assert.equal((await b.jobs.read(spec.id))?.doc.state, 'unknown');
    assert.deepEqual(
      unknown.map((job) => job.id),
      [spec.id],
    );
    assert.deepEqual((await b.scheduler.runOnce(new Date(now.getTime() + 300_000))).outcomes, []);
  });

  it('catches up after downtime: posts what is still relevant and drops what is stale', async () => {
    const teamId = '19:solsikken@thread.tacv2';
    const channel: ChannelAddress = { ...channelAt(connector), teamId, newThread: false };
    const owner: PersonalAddress = { kind: 'personal', serviceUrl: connector.url, conversationId: 'a:kari-personal', tenantId: 'tenant-1' };
    const series = MeetingSeriesSchema.parse({
      id: 'tverrfaglig-2026v',
      name: 'Tverrfaglig team',
      schedule: {
        kind: 'dates',
        meetings: [
          { date: '2026-03-10', start: '09:00', end: '10:30' },
          { date: '2026-03-11', start: '09:00', end: '10:30' },
        ],
      },
    });
    const source: JobSource = {
      name: 'meeting-series',
      due: async (now) =>
        meetingJobSpecs({
          teamId,
          series,
          channel,
          now,
          ownersOf: () => [{ personId: 'aad-kari', address: owner }],
        }),
    };
    const composers = Object.fromEntries(
      ['team.call-for-cases', 'team.owner-reminder', 'team.agenda', 'team.minutes'].map((kind) => [kind, echo]),
    );
    const a = await instance('instance-a', { sources: [source], composers });

    // Monday 2 March: the jobs of both meetings are created ahead; none is due yet.
    const before = await a.scheduler.runOnce(new Date('2026-03-02T07:00:00.000Z'));
    assert.equal(before.created, 8);
    assert.deepEqual(before.outcomes, []);

    // Down until Tuesday 10 March 13:00 Oslo: meeting 1 (09:00–10:30 today) is over, meeting 2 is tomorrow.
    const after = await a.scheduler.runOnce(new Date('2026-03-10T12:00:00.000Z'));
    const outcome = Object.fromEntries(after.outcomes.map((o) => [o.jobId.split(':').slice(3).join(':'), o.kind]));
    assert.deepEqual(outcome, {
      '2026-03-10-0900:call-for-cases': 'dropped',
      '2026-03-10-0900:owner-reminder:aad-kari': 'dropped',
      '2026-03-10-0900:agenda': 'dropped',
      '2026-03-10-0900:minutes': 'sent',
      '2026-03-11-0900:call-for-cases': 'sent',
      '2026-03-11-0900:owner-reminder:aad-kari': 'sent',
      '2026-03-11-0900:agenda': 'sent',
    });
    assert.equal(connector.activitiesIn(owner.conversationId).length, 1);
    assert.equal(connector.activitiesIn(channel.conversationId).length, 3);
    // Meeting 2's minutes come when that meeting ends.
    const tomorrow = await a.scheduler.runOnce(new Date('2026-03-11T09:30:00.000Z'));
    assert.deepEqual(
      tomorrow.outcomes.map((o) => [o.jobId.endsWith('2026-03-11-0900:minutes'), o.kind]),
      [[true, 'sent']],
    );
  });

  it('stops posting to a conversation the bot was removed from and calls the not-in-roster hook once', async () => {
    connector.behaviour = () => ({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } } });
    const now = new Date('2026-03-10T08:00:00.000Z');
    const removed: Job[] = [];
    const spec = reminder(jobId('team', '19:gone@thread.tacv2', 'agenda'), now, channelAt(connector), { teamId: 'gone' });
    const a = await instance('instance-a', {
      sources: [fixedSource([spec])],
      hooks: { onNotInRoster: async (job) => void removed.push(job) },
    });

    const report = await a.scheduler.runOnce(now);
    await a.scheduler.runOnce(new Date(now.getTime() + 600_000));

    assert.deepEqual(
      report.outcomes.map((o) => o.kind),
      ['not-in-roster'],
    );
    assert.equal(a.port.started.length, 1);
    assert.deepEqual(
      removed.map((job) => job.params.teamId),
      ['gone'],
    );
    const job = (await a.jobs.read(spec.id))!.doc;
    assert.equal(job.state, 'failed');
    assert.equal(job.lastError, 'not-in-roster');
  });

  it('gives a job back when its composer fails, posts it once the composer recovers, and drops it when the composer says so', async () => {
    const now = new Date('2026-03-10T08:00:00.000Z');
    let failures = 2;
    const flaky: Composer = {
      compose: async (job) => {
        if (job.params.drop === true) return { kind: 'drop', reason: 'the meeting was removed from the series' };
        if (failures-- > 0) throw new Error('items not readable right now');
        return echo.compose(job, now);
      },
    };
    const specs = [
      reminder('team:x:agenda', now, channelAt(connector)),
      reminder('team:y:agenda', now, channelAt(connector, 1), { drop: true }),
    ];
    const a = await instance('instance-a', { sources: [fixedSource(specs)], composers: { reminder: flaky }, concurrency: 1 });

    const kinds: string[] = [];
    for (let minute = 0; minute < 4; minute += 1) {
      const report = await a.scheduler.runOnce(new Date(now.getTime() + minute * 60_000));
      kinds.push(report.outcomes.map((o) => `${o.jobId.split(':')[1]}:${o.kind}`).join(' '));
    }

    assert.deepEqual(kinds, ['x:released y:dropped', 'x:released', 'x:sent', '']);
    assert.deepEqual(
      connector.calls.map((call) => call.activity.text),
      ['team:x:agenda'],
    );
    assert.equal((await a.jobs.read('team:y:agenda'))?.doc.lastError, 'the meeting was removed from the series');
  });

  describe('a series whose offsets change after its jobs exist', () => {
    const now = new Date('2026-03-10T08:00:00.000Z');
    const id = jobId('team', '19:moved@thread.tacv2', 'series', '2026-03-17-0900', 'call-for-cases');
    /** The source as the team's rhythm is: same id whatever the offsets, the due time from the series as it is now. */
    function movingSource(times: { dueAt: string; moveOnly?: boolean }): JobSource {
      return {
        name: 'team-rhythm',
        movesPending: true,
        due: async () => [
          {
            ...reminder(id, new Date(times.dueAt), channelAt(connector)),
            staleAfter: '2026-03-17T08:00:00.000Z',
            ...(times.moveOnly ? { moveOnly: true } : {}),
          },
        ],
      };
    }

    it('moves the pending job to the new time (also from an instance that created it under the old one), then posts it once', async () => {
      const times = { dueAt: '2026-03-11T08:00:00.000Z' };
      const a = await instance('instance-a', { sources: [movingSource(times)] });
      const b = await instance('instance-b', { sources: [movingSource(times)] });
      assert.equal((await a.scheduler.runOnce(now)).created, 1);
      await b.scheduler.runOnce(now);

      // The lead now wants the call for cases an hour from now, the day before.
      times.dueAt = '2026-03-10T09:00:00.000Z';
      await a.scheduler.runOnce(now);
      assert.equal((await a.jobs.read(id))?.doc.dueAt, '2026-03-10T09:00:00.000Z');
      assert.equal(connector.calls.length, 0, 'not due yet');

      const reports = await Promise.all([a, b].map((one) => one.scheduler.runOnce(new Date('2026-03-10T09:01:00.000Z'))));
      assert.deepEqual(
        reports.flatMap((r) => r.outcomes.filter((o) => o.kind === 'sent').map((o) => o.jobId)),
        [id],
      );
      assert.equal(connector.calls.length, 1);

      // Sent is final: a later change of the series moves nothing and posts nothing again.
      times.dueAt = '2026-03-12T08:00:00.000Z';
      await Promise.all([a, b].map((one) => one.scheduler.runOnce(new Date('2026-03-12T08:01:00.000Z'))));
      const job = (await a.jobs.read(id))!.doc;
      assert.deepEqual([job.state, job.dueAt], ['sent', '2026-03-10T09:00:00.000Z']);
      assert.equal(connector.calls.length, 1);
    });

    it('moves a job now due beyond the horizon (a move-only spec) but never creates one', async () => {
      const times = { dueAt: '2026-03-10T08:30:00.000Z' };
      const a = await instance('instance-a', { sources: [movingSource(times)] });
      await a.scheduler.runOnce(now);
      // Fewer days before: the job is now due later than the source creates jobs for.
      Object.assign(times, { dueAt: '2026-03-14T08:00:00.000Z', moveOnly: true });
      const report = await a.scheduler.runOnce(new Date('2026-03-10T08:31:00.000Z'));
      assert.deepEqual(report.outcomes, [], 'it did not post at the old time');
      assert.equal((await a.jobs.read(id))?.doc.dueAt, '2026-03-14T08:00:00.000Z');

      const other = jobId('team', '19:never@thread.tacv2', 'agenda');
      assert.equal(await a.jobs.move({ id: other, dueAt: now.toISOString(), staleAfter: null }, now), 'missing');
      assert.equal(await a.jobs.read(other), undefined);
    });

    it('leaves a job that an instance claimed between the read and the move (ETag): it keeps its time and is posted once', async () => {
      const a = await instance('instance-a');
      const b = await instance('instance-b');
      await a.jobs.ensure(newJob({ ...reminder(id, now, channelAt(connector)), staleAfter: '2026-03-17T08:00:00.000Z' }, now));
      const read = a.jobs.read.bind(a.jobs);
      let raced = false;
      a.jobs.read = async (jobIdToRead) => {
        const found = await read(jobIdToRead);
        if (found && !raced) {
          raced = true;
          // Instance B claims the job just after A read it.
          assert.equal((await b.jobs.claim(found.doc, found.etag, 'instance-b', now, 60_000)).kind, 'done');
        }
        return found;
      };
      assert.equal(
        await a.jobs.move({ id, dueAt: '2026-03-12T08:00:00.000Z', staleAfter: '2026-03-17T08:00:00.000Z' }, now),
        'not-pending',
      );
      a.jobs.read = read;
      const job = (await a.jobs.read(id))!.doc;
      assert.deepEqual([job.state, job.dueAt], ['claimed', now.toISOString()]);
      // B died holding it: once the claim expires it is posted once, at the time it had.
      await a.scheduler.runOnce(new Date(now.getTime() + 61_000));
      await a.scheduler.runOnce(new Date(now.getTime() + 120_000));
      assert.equal(connector.calls.length, 1);
    });
  });

  it('lets a run in progress finish when stopped, so a shutdown does not cut a post in half', async () => {
    const spec = reminder(jobId('case', 'sak-9', 'part-c'), new Date(Date.now() - 1_000), channelAt(connector));
    let composing!: () => void;
    const started = new Promise<void>((resolve) => (composing = resolve));
    const slow: Composer = {
      compose: async (job) => {
        composing();
        await sleep(200);
        return echo.compose(job, new Date());
      },
    };
    const a = await instance('instance-a', { sources: [fixedSource([spec])], composers: { reminder: slow } });

    a.scheduler.start(60_000);
    await started;
    await a.scheduler.stop();

    assert.equal(connector.calls.length, 1);
    assert.equal((await a.jobs.read(spec.id))?.doc.state, 'sent');
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
