import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Case } from '../../src/domain/case';
import { PEOPLE, UNITS } from '../../scripts/seed/scenarios';
import { readyToEvaluate, walkTo } from '../support/ladder-walk';
import { daysAfter } from '../../scripts/seed/script';
import { loadLadder } from '../../src/domain/ladder';
import type { PersonRef } from '../../src/domain/primitives';
import { dayOf } from '../../src/domain/time';
import { createLogger } from '../../src/log';
import { JobSchema } from '../../src/scheduler/job';
import { JobStore } from '../../src/scheduler/job-store';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { openStore, type Store } from '../../src/store/cosmos';
import { SlotSchema } from '../../src/store/due-index';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { CaseService, type CaseCommand, type TurnContext } from '../../src/workflow/case-service';
import { CaseSchedule } from '../../src/workflow/reminders';

/**
 * Whatever has a date on a case becomes a job the moment the date is set, through the case
 * service, in the same turn: moved when the date moves, taken back when the date goes (the step
 * is evaluated, the request withdrawn or decided, the case closed). The jobs are read from the
 * store — the `jobs` container and the due index — never from the code that wrote them.
 */

const log = createLogger('silent');
const ladder = loadLadder('aurskog-holand');
const { kari, per, anne } = PEOPLE;
const UNIT = UNITS.solsikken.id;
const TIMING = { timeZone: 'Europe/Oslo', hour: 8 };
const SETTINGS = { timing: TIMING, approvalWorkingDays: 3 };

describe('due entries: every dated thing on a case is a job, kept equal to the case by the case service', function () {
  this.timeout(120_000);
  let server: EmbeddedCosmos;
  const stores: Store[] = [];
  let databases = 0;

  before(async () => {
    server = await startEmbeddedCosmos();
  });
  after(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await server.close();
  });

  /** A case service on a fresh database, writing the jobs each case's dates call for. */
  async function fresh() {
    databases += 1;
    const store = await openStore({ kind: 'remote', endpoint: server.endpoint, key: 'local', database: `laget-due-${databases}` }, log);
    stores.push(store);
    let clock = new Date('2026-03-02T08:00:00.000Z');
    const jobs = new JobStore(store.containers);
    const cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
    const schedule = new CaseSchedule({ jobs, settings: SETTINGS, now: () => clock });
    const service = new CaseService({
      cases,
      audit: new AuditLog(store.containers.audit),
      ladder,
      timeZone: TIMING.timeZone,
      outbox: { enqueue: async () => ({ waiting: [] }) },
      schedule,
      log,
    });
    let turns = 0;
    const ctx = (actor: PersonRef): TurnContext => ({ actor, correlationId: `turn-${(turns += 1)}`, now: clock });
    return {
      store,
      schedule,
      cases,
      setClock: (at: Date) => (clock = at),
      now: () => clock,
      async create(): Promise<Case> {
        const done = await service.create(ctx(kari), {
          type: 'create-case',
          unitId: UNIT,
          nearestLeader: per,
          alias: 'E.H.',
          safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
        });
        assert.equal(done.kind, 'done');
        return (done as { case: Case }).case;
      },
      /** Runs a command as `actor`; returns the case as saved, or undefined when refused. */
      async run(c: Case, command: CaseCommand, actor: PersonRef = c.owner): Promise<Case | undefined> {
        const outcome = await service.execute(ctx(actor), { caseId: c.id, unitId: c.unitId }, command);
        return outcome.kind === 'done' ? outcome.case : undefined;
      },
      async must(c: Case, command: CaseCommand, actor: PersonRef = c.owner): Promise<Case> {
        const outcome = await service.execute(ctx(actor), { caseId: c.id, unitId: c.unitId }, command);
        assert.equal(outcome.kind, 'done', `${command.type}: ${outcome.kind === 'refused' ? outcome.reason : ''}`);
        return (outcome as { case: Case }).case;
      },
    };
  }
  type Fresh = Awaited<ReturnType<typeof fresh>>;

  /** The case's jobs as the store holds them: pending ones, by id, with their due time. */
  async function pendingJobs(store: Store, caseId: string): Promise<Map<string, string>> {
    const { resources } = await store.containers.jobs.items
      .query({ query: "SELECT * FROM c WHERE c.params.caseId = @id AND c.state = 'pending'", parameters: [{ name: '@id', value: caseId }] })
      .fetchAll();
    return new Map(resources.map((resource) => JobSchema.parse(resource)).map((job) => [job.id, job.dueAt]));
  }

  /** Every listing in the due index: job id → the due times it is listed under. */
  async function listings(store: Store): Promise<Map<string, string[]>> {
    const { resources } = await store.containers.due.items.query("SELECT * FROM c WHERE STARTSWITH(c.id, 'slot:')").fetchAll();
    const found = new Map<string, string[]>();
    for (const slot of resources.map((resource) => SlotSchema.parse(resource))) {
      for (const entry of Object.values(slot.entries)) found.set(entry.id, [...(found.get(entry.id) ?? []), entry.dueAt]);
    }
    return found;
  }

  /** The jobs the case calls for now: equal to the pending jobs in the store, each listed under its due time. */
  async function assertJobsMatch(f: Fresh, c: Case, what: string): Promise<Map<string, string>> {
    const expected = new Map(f.schedule.specsOf(c).map((spec) => [spec.id, spec.dueAt]));
    const stored = await pendingJobs(f.store, c.id);
    assert.deepEqual(
      [...stored].sort(),
      [...expected].sort(),
      `${what}: the stored jobs differ from the case's dates (${JSON.stringify(c.nextDates)})`,
    );
    const listed = await listings(f.store);
    for (const [id, dueAt] of stored) assert.ok(listed.get(id)?.includes(dueAt), `${what}: ${id} is not listed under ${dueAt}`);
    return stored;
  }

  const kinds = (jobs: Map<string, string>) => [...jobs.keys()].map((id) => id.split(':').slice(2).join(':')).sort();
  const day = (f: Fresh, days: number) => dayOf(daysAfter(f.now(), days));

  it('makes one job per dated thing, moves it with its date and takes it back when the date goes', async () => {
    const f = await fresh();
    let c = await f.create();
    await assertJobsMatch(f, c, 'a new case');
    assert.equal((await pendingJobs(f.store, c.id)).size, 0);

    c = await f.must(c, { type: 'place-in-zone', zoneId: 'grey' });
    c = await f.must(c, { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } });
    // Part B plans the conversation: part C is asked for on its day.
    c = await f.must(c, { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei', plannedOn: day(f, 3) } });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'part B')), [`part-c:${day(f, 3)}`]);
    // The conversation is moved to another day: the reminder moves with it.
    c = await f.must(c, { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei', plannedOn: day(f, 5) } });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'part B again')), [`part-c:${day(f, 5)}`]);

    f.setClock(daysAfter(f.now(), 5));
    c = await f.must(c, { type: 'record-part-c', answers: { heldOn: day(f, 0), howItWent: 'Greit.' } });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'part C written')), []);

    // Stage 1 sets the evaluation date.
    c = await f.must(c, {
      type: 'start-ladder',
      goals: [{ text: 'Deltar i samlingsstunden', targetOn: day(f, 28) }],
      actions: [],
      parentNote: { heldOn: day(f, 0), text: 'Kort samtale med foreldrene.' },
    });
    const evaluationOn = c.nextDates.evaluationOn!;
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'stage 1')), [`evaluation:${evaluationOn}`]);
    c = await f.must(c, { type: 'reschedule', on: day(f, 21) });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'rescheduled')), [`evaluation:${day(f, 21)}`]);

    // "Better": the case is followed up at a check-in date instead.
    f.setClock(daysAfter(f.now(), 21));
    c = await f.must(c, { type: 'record-evaluation', outcome: 'a', nextOn: day(f, 30) });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'evaluated: better')), [`check-in:${day(f, 30)}`]);
    c = await f.must(c, { type: 'reschedule', on: day(f, 40) });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'check-in moved')), [`check-in:${day(f, 40)}`]);

    // Closing takes every job back.
    c = await f.must(c, { type: 'close-case', reason: 'resolved' });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'closed')), []);
  });

  it('reminds of a request waiting for approval, and takes the reminders back when it is withdrawn or decided', async () => {
    const f = await fresh();
    // On 2b with its work done (the domain's walk), saved with the jobs its dates call for, as the case service saves a new case.
    const walked = readyToEvaluate(ladder, walkTo(ladder, '2b', { caseId: 'UR-W2BM', start: new Date('2026-01-05T08:00:00.000Z') }));
    f.setClock(walked.now);
    await f.cases.create(walked.case);
    await f.schedule.sync(null, walked.case, { now: walked.now });
    let c = walked.case;
    c = await f.must(c, { type: 'record-evaluation', outcome: 'b' });
    const services = ['ppt', 'helsestasjon'];
    c = await f.must(c, {
      type: 'record-consent',
      givenBy: ['mother', 'father'],
      services,
      teams: [],
      purpose: 'Samarbeid.',
      givenOn: day(f, 0),
      validUntil: day(f, 365),
      signedFormArchivedAt: 'Arkivmappe',
    });
    const entry = { stepId: '3b', services, attestations: { bothParentsInvited: true, parentsParticipate: true } };
    c = await f.must(c, { type: 'request-escalation', ...entry });
    const asked = await assertJobsMatch(f, c, 'approval requested');
    const escalation = c.escalations.at(-1)!.id;
    assert.deepEqual(kinds(asked), [`${escalation}:remind-leader`, `${escalation}:tell-owner`]);

    c = await f.must(c, { type: 'withdraw-escalation', escalationId: escalation });
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'withdrawn')), []);

    c = await f.must(c, { type: 'request-escalation', ...entry });
    const second = c.escalations.at(-1)!.id;
    assert.deepEqual(kinds(await assertJobsMatch(f, c, 'asked again')), [`${second}:remind-leader`, `${second}:tell-owner`]);
    c = await f.must(c, { type: 'decide-escalation', escalationId: second, decision: 'approve' }, per);
    const after = await assertJobsMatch(f, c, 'approved');
    assert.ok(
      [...after.keys()].every((id) => !id.includes(second)),
      'no reminder of a decided request',
    );
  });

  /**
   * Random sequences of commands by their natural actors, days
   * passing between them; after every command, accepted or refused, the case's pending jobs in
   * the store are exactly the ones its dates call for, each listed in the due index under its time.
   */
  it('keeps the jobs equal to the case’s dates over random sequences of commands (property)', async () => {
    type Step = { intent: Intent; days: number };
    type Intent =
      | { k: 'partB'; days: number }
      | { k: 'partC' | 'close' | 'report' | 'withdraw' | 'handOver' | 'accept' }
      | { k: 'start'; days: number }
      | { k: 'evaluate'; outcome: 'a' | 'b'; days: number }
      | { k: 'reschedule'; days: number }
      | { k: 'enter' | 'escalate' }
      | { k: 'decide'; approve: boolean };
    const intent: fc.Arbitrary<Intent> = fc.oneof(
      fc.record({ k: fc.constant('partB' as const), days: fc.integer({ min: 0, max: 10 }) }),
      fc.constantFrom<Intent>({ k: 'partC' }, { k: 'close' }, { k: 'report' }, { k: 'withdraw' }, { k: 'handOver' }, { k: 'accept' }),
      { arbitrary: fc.record({ k: fc.constant('start' as const), days: fc.integer({ min: 7, max: 40 }) }), weight: 2 },
      {
        arbitrary: fc.record({
          k: fc.constant('evaluate' as const),
          outcome: fc.constantFrom<'a' | 'b'>('a', 'b'),
          days: fc.integer({ min: 7, max: 40 }),
        }),
        weight: 3,
      },
      { arbitrary: fc.record({ k: fc.constant('reschedule' as const), days: fc.integer({ min: 1, max: 50 }) }), weight: 2 },
      { arbitrary: fc.constantFrom<Intent>({ k: 'enter' }, { k: 'escalate' }), weight: 2 },
      fc.record({ k: fc.constant('decide' as const), approve: fc.boolean() }),
    );
    const step: fc.Arbitrary<Step> = fc.record({
      intent,
      days: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, fc.integer({ min: 1, max: 20 })),
    });

    const toCommand = (f: Fresh, c: Case, i: Intent): { command: CaseCommand; actor: PersonRef } => {
      const owner = c.owner;
      const target = c.proposedStepId ?? c.currentStep?.stepId ?? '2b';
      const services = ['ppt', 'helsestasjon'];
      switch (i.k) {
        case 'partB':
          return {
            actor: owner,
            command: { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei', plannedOn: day(f, i.days) } },
          };
        case 'partC':
          return { actor: owner, command: { type: 'record-part-c', answers: { heldOn: day(f, 0), howItWent: 'Greit.' } } };
        case 'start':
          return {
            actor: owner,
            command: {
              type: 'start-ladder',
              goals: [{ text: 'Mål', targetOn: day(f, 28) }],
              actions: [],
              evaluationOn: day(f, i.days),
              parentNote: { heldOn: day(f, 0), text: 'Samtale.' },
            },
          };
        case 'evaluate':
          return {
            actor: owner,
            command: { type: 'record-evaluation', outcome: i.outcome, ...(i.outcome === 'a' ? { nextOn: day(f, i.days) } : {}) },
          };
        case 'reschedule':
          return { actor: owner, command: { type: 'reschedule', on: day(f, i.days) } };
        case 'enter':
        case 'escalate':
          return {
            actor: owner,
            command: {
              type: i.k === 'enter' ? 'enter-step' : 'request-escalation',
              stepId: target,
              services,
              attestations: { bothParentsInvited: true, parentsParticipate: true },
            },
          };
        case 'decide':
          return {
            actor: c.nearestLeader,
            command: {
              type: 'decide-escalation',
              escalationId: c.escalations.at(-1)?.id ?? 'esc-1',
              decision: i.approve ? 'approve' : 'reject',
              ...(i.approve ? {} : { reason: 'Vent litt.' }),
            },
          };
        case 'withdraw':
          return { actor: owner, command: { type: 'withdraw-escalation', escalationId: c.escalations.at(-1)?.id ?? 'esc-1' } };
        case 'close':
          return { actor: owner, command: { type: 'close-case', reason: 'other' } };
        case 'report':
          return { actor: owner, command: { type: 'report-to-child-welfare', leaderInvolved: false } };
        case 'handOver':
          return { actor: owner, command: { type: 'hand-over', to: anne } };
        case 'accept':
          return { actor: c.pendingHandover?.to ?? anne, command: { type: 'accept-handover' } };
      }
    };

    let runs = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        runs += 1;
        const f = await fresh();
        let c = await f.create();
        c = await f.must(c, { type: 'place-in-zone', zoneId: 'grey' });
        c = await f.must(c, { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } });
        // Consent that covers the services, so the steps that share with them can be entered.
        c = await f.must(c, {
          type: 'record-consent',
          givenBy: ['mother', 'father'],
          services: ['ppt', 'helsestasjon'],
          teams: [],
          purpose: 'Samarbeid.',
          givenOn: day(f, 0),
          validUntil: day(f, 700),
          signedFormArchivedAt: 'Arkivmappe',
        });
        for (const s of steps) {
          f.setClock(daysAfter(f.now(), s.days));
          const { command, actor } = toCommand(f, c, s.intent);
          const saved = await f.run(c, command, actor);
          if (saved) accepted += 1;
          c = saved ?? (await f.cases.read({ caseId: c.id, unitId: c.unitId }))!.doc;
          await assertJobsMatch(f, c, `after ${command.type}${saved ? '' : ' (refused)'}`);
        }
      }),
      { numRuns: Number(process.env.DUE_PROPERTY_RUNS ?? 12), seed: Number(process.env.PROPERTY_SEED ?? 20261204) },
    );
    assert.ok(runs >= 12 && accepted > runs * 3, `the sequences did something: ${accepted} accepted commands in ${runs} runs`);
  });
});
