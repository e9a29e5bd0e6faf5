import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CASE_SCHEMA_VERSION, CaseSchema, pendingEscalation, type Case } from '../../src/domain/case';
import { decide } from '../../src/domain/decide';
import { readyToEvaluate, startCase, walkTo } from '../support/ladder-walk';
import { CASE_CODES, PEOPLE, s2Script, s3Script, s8Script, SCENARIO_START, UNITS } from '../../scripts/seed/scenarios';
import { daysAfter, runScript } from '../../scripts/seed/script';
import { loadLadder } from '../../src/domain/ladder';
import type { Notice } from '../../src/domain/notices';
import type { PersonRef } from '../../src/domain/primitives';
import { createLogger } from '../../src/log';
import { newJob, type Job } from '../../src/scheduler/job';
import { jobId } from '../../src/scheduler/job-id';
import { JobStore } from '../../src/scheduler/job-store';
import { AuditLog, type AuditEntry } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { openStore, type Store } from '../../src/store/cosmos';
import { PeopleRepository } from '../../src/store/people';
import { CaseCodeClaims } from '../../src/store/case-codes';
import { AlreadyExists, ConcurrencyConflict } from '../../src/store/documents';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { RETENTION_ACTOR, RetentionSweeper } from '../../src/store/retention';
import { CaseService, type Done, type NoticeOutbox, type Refused, type TurnContext } from '../../src/workflow/case-service';

/**
 * The store of issue 3 against the embedded Cosmos server, through the real @azure/cosmos client:
 * cases by unit with ETag concurrency, concurrent approvals, the audit trail, retention and
 * the upgrade of old documents. Each block has its own database, so cross-partition queries
 * (retention) see only what the block wrote.
 */

const log = createLogger('silent');
const ladder = loadLadder('aurskog-holand');
const { kari, per, anne, nina, lise, ola } = PEOPLE;
const SOLSIKKEN = UNITS.solsikken.id;
const BJORKELANGEN = UNITS.bjorkelangen.id;
const DAY_MS = 24 * 3600 * 1000;

/** Records what a turn queued for other people; the store tests look at the store, not at Teams. */
class RecordingOutbox implements NoticeOutbox {
  readonly queued: Notice[] = [];
  async enqueue(_c: Case, notices: readonly Notice[]): Promise<{ waiting: string[] }> {
    this.queued.push(...notices);
    return { waiting: [] };
  }
}

/** Resolves once `parties` callers are waiting: forces N readers to hold the same ETag before any writes. */
function barrier(parties: number): () => Promise<void> {
  let waiting = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    waiting += 1;
    if (waiting >= parties) open();
    await opened;
  };
}

function turn(actor: PersonRef, correlationId: string, now: Date): TurnContext {
  return { actor, correlationId, now };
}

/** A case on step 1 (the shared start of the scenarios) with its own code and unit. */
function stage1Case(caseId: string, unitId: string = SOLSIKKEN, owner: PersonRef = kari, leader: PersonRef = per): Case {
  return { ...startCase(ladder, { caseId, owner, leader }).case, unitId };
}

/** A case closed by its owner at `at` (started two months before). */
function closedCase(caseId: string, at: Date): Case {
  const started = startCase(ladder, { caseId, start: daysAfter(at, -60) }).case;
  const closed = decide(started, { type: 'close-case', reason: 'resolved' }, kari, at, ladder);
  assert.equal(closed.kind, 'accepted');
  return closed.case;
}

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

function summary(entries: AuditEntry[]) {
  return entries.map(({ operation, outcome, actorId, basis, reason }) => ({
    operation,
    outcome,
    actorId,
    basis,
    ...(reason ? { reason } : {}),
  }));
}

describe('cases in Cosmos DB (embedded server, real @azure/cosmos client)', function () {
  let server: EmbeddedCosmos;
  const stores: Store[] = [];
  let databases = 0;

  /** A fresh database on the shared server: one per block or test. */
  async function freshStore(): Promise<Store> {
    databases += 1;
    const store = await openStore(
      { kind: 'remote', endpoint: server.endpoint, key: 'local', database: `laget-store-cases-${databases}` },
      log,
    );
    stores.push(store);
    return store;
  }

  before(async () => {
    server = await startEmbeddedCosmos();
  });
  after(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await server.close();
  });

  describe('saving and finding cases', () => {
    let store: Store;
    let cases: CaseRepository;
    before(async () => {
      store = await freshStore();
      cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
    });

    it('saves a new case and reads it back unchanged, with the ETag a later change must match', async () => {
      const c = stage1Case('UR-2B2B');
      const created = await cases.create(c);
      const read = await cases.read({ caseId: 'UR-2B2B', unitId: SOLSIKKEN });
      assert.deepEqual(read?.doc, c);
      assert.equal(read?.etag, created.etag);
      assert.equal(await cases.read({ caseId: 'UR-2B2B', unitId: BJORKELANGEN }), undefined, 'a case is found only in its own unit');
    });

    it('keeps the newer change when a second person saves over a case they read before it', async () => {
      await cases.create(stage1Case('UR-3C3C'));
      const ref = { caseId: 'UR-3C3C', unitId: SOLSIKKEN };
      const first = (await cases.read(ref))!;
      const second = (await cases.read(ref))!;
      const saved = await cases.replace({ ...first.doc, alias: 'A.B.' }, first.etag);
      assert.notEqual(saved.etag, first.etag);
      await assert.rejects(cases.replace({ ...second.doc, alias: 'X.Y.' }, second.etag), ConcurrencyConflict);
      const now = (await cases.read(ref))!;
      assert.equal(now.doc.alias, 'A.B.');
      assert.equal(now.etag, saved.etag);
    });

    it('refuses a second case with a code already used in the unit, and keeps the first', async () => {
      const first = stage1Case('UR-4D4D');
      await cases.create(first);
      await assert.rejects(cases.create({ ...stage1Case('UR-4D4D', SOLSIKKEN, anne), alias: 'Z.' }), AlreadyExists);
      assert.deepEqual((await cases.read({ caseId: 'UR-4D4D', unitId: SOLSIKKEN }))?.doc, first);
    });

    it('refuses a code already used in another unit: the audit log and the jobs know a case by its code alone', async () => {
      const kindergarten = stage1Case('UR-5F5F');
      await cases.create(kindergarten);
      await assert.rejects(cases.create(stage1Case('UR-5F5F', BJORKELANGEN, lise, ola)), AlreadyExists);
      assert.equal((await cases.read({ caseId: 'UR-5F5F', unitId: SOLSIKKEN }))?.doc.owner.id, kari.id);
      assert.equal(await cases.read({ caseId: 'UR-5F5F', unitId: BJORKELANGEN }), undefined, 'no second case with the code');
    });

    it('never gives a code again, not even once its case is deleted (its audit trail lives on)', async () => {
      const first = await cases.create(stage1Case('UR-5G5G'));
      assert.equal(await cases.delete({ caseId: 'UR-5G5G', unitId: SOLSIKKEN }, first.etag), true);
      assert.equal(await new CaseCodeClaims(store.containers.caseCodes).isClaimed('UR-5G5G'), true);
      await assert.rejects(cases.create(stage1Case('UR-5G5G')), AlreadyExists);
      await assert.rejects(cases.create(stage1Case('UR-5G5G', BJORKELANGEN, lise, ola)), AlreadyExists);
    });

    it('draws another code when the one drawn is taken in another unit', async () => {
      await cases.create(stage1Case('UR-2222', BJORKELANGEN, lise, ola));
      // The first draw gives UR-2222 (taken at the school), the next UR-3333.
      const draws = [...new Array<number>(4).fill(0), ...new Array<number>(4).fill(1)];
      const service = new CaseService({
        cases,
        audit: new AuditLog(store.containers.audit),
        ladder,
        timeZone: 'Europe/Oslo',
        outbox: new RecordingOutbox(),
        log,
        randomInt: () => draws.shift()!,
      });
      const created = await service.create(turn(kari, 'turn-draw', SCENARIO_START), {
        type: 'create-case',
        unitId: SOLSIKKEN,
        nearestLeader: per,
        safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      });
      assert.equal(created.kind === 'done' && created.case.id, 'UR-3333');
      assert.equal(
        (await cases.read({ caseId: 'UR-2222', unitId: BJORKELANGEN }))?.doc.owner.id,
        lise.id,
        'the school’s case is untouched',
      );
    });

    it('lists "my cases", "my units\' cases" and "offered to me" only from the unit asked about, without closed cases', async () => {
      // Kari owns cases in both units; Per leads both; Anne is offered one in each; one of Kari's is closed.
      const here = { ...runScript(ladder, s8Script()).case, id: 'UR-6G6G' };
      const there = { ...here, id: 'UR-7H7H', unitId: BJORKELANGEN };
      const closed = { ...closedCase('UR-8J8J', SCENARIO_START), nearestLeader: per };
      for (const c of [here, there, closed]) await cases.create(c);

      const ids = (found: { doc: Case }[]) => found.map((c) => c.doc.id).sort();
      const owned = ids(await cases.ownedBy(kari.id, SOLSIKKEN));
      assert.ok(owned.includes('UR-6G6G'));
      assert.ok(!owned.includes('UR-7H7H'), 'a case in another unit');
      assert.ok(!owned.includes('UR-8J8J'), 'a closed case');
      assert.deepEqual(ids(await cases.ownedBy(kari.id, BJORKELANGEN)), ['UR-7H7H'], "not Lise's case with the same code as Kari's");
      assert.deepEqual(ids(await cases.offeredTo(anne.id, SOLSIKKEN)), ['UR-6G6G']);
      assert.deepEqual(ids(await cases.offeredTo(anne.id, BJORKELANGEN)), ['UR-7H7H']);
      const led = ids(await cases.ledBy(per.id, BJORKELANGEN));
      assert.deepEqual(led, ['UR-7H7H']);
      assert.ok(ids(await cases.ledBy(per.id, SOLSIKKEN)).every((id) => id !== 'UR-7H7H' && id !== 'UR-8J8J'));
      for (const found of [...(await cases.ownedBy(kari.id, SOLSIKKEN)), ...(await cases.ledBy(per.id, SOLSIKKEN))]) {
        assert.equal(found.doc.unitId, SOLSIKKEN);
      }
    });

    it('deletes a case only with the ETag it was read with', async () => {
      await cases.create(stage1Case('UR-9K9K'));
      const ref = { caseId: 'UR-9K9K', unitId: SOLSIKKEN };
      const old = (await cases.read(ref))!;
      await cases.replace({ ...old.doc, alias: 'N.' }, old.etag);
      await assert.rejects(cases.delete(ref, old.etag), ConcurrencyConflict);
      assert.ok(await cases.read(ref), 'still there after a stale delete');
      assert.equal(await cases.delete(ref, (await cases.read(ref))!.etag), true);
      assert.equal(await cases.read(ref), undefined);
    });
  });

  describe('a municipality that has changed its ladder', () => {
    it('rule 1: an Aurskog-Høland case reported while the municipality is configured for BTI is accepted, and the case goes on by its own ladder', async () => {
      const store = await freshStore();
      const cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
      const audit = new AuditLog(store.containers.audit);
      const bti = loadLadder('bti');
      const service = new CaseService({ cases, audit, ladder: bti, timeZone: 'Europe/Oslo', outbox: new RecordingOutbox(), log });
      const walk = readyToEvaluate(ladder, walkTo(ladder, '2a', { caseId: 'UR-K8T2' }));
      await cases.create(walk.case);
      const ref = { caseId: 'UR-K8T2', unitId: walk.case.unitId };
      assert.equal(service.ladderOf(walk.case).id, 'aurskog-holand');

      const reported = await service.execute(turn(kari, 'turn-report', walk.now), ref, {
        type: 'report-to-child-welfare',
        leaderInvolved: false,
      });
      assert.equal(reported.kind, 'done', reported.kind === 'refused' ? reported.reason : '');
      assert.equal((await cases.read(ref))!.doc.status, 'reported');
      // Ladder work follows the case's own ladder (2a → 2b), not the configured one (BTI has no 2b).
      const evaluated = await service.execute(turn(kari, 'turn-evaluate', walk.now), ref, { type: 'record-evaluation', outcome: 'b' });
      assert.equal(evaluated.kind === 'done' && evaluated.case.proposedStepId, '2b');
      // A new case gets the configured ladder.
      const created = await service.create(turn(kari, 'turn-create', walk.now), {
        type: 'create-case',
        unitId: SOLSIKKEN,
        nearestLeader: per,
        safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      });
      assert.equal(created.kind === 'done' && created.case.ladderId, 'bti');
    });
  });

  describe('two people deciding at once', () => {
    let store: Store;
    let cases: CaseRepository;
    let audit: AuditLog;
    before(async () => {
      store = await freshStore();
      cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
      audit = new AuditLog(store.containers.audit);
    });
    afterEach(() => sinon.restore());

    it('lets exactly one of ten simultaneous decisions on an escalation stand; the others hear who decided and when', async () => {
      // S3 up to Kari's request: the case is on 2b and the escalation to 3b waits for Per.
      const lines = s3Script();
      const upToRequest = lines.slice(0, lines.findIndex((l) => l.command.type === 'request-escalation') + 1);
      const c = runScript(ladder, upToRequest).case;
      assert.equal(c.currentStep?.stepId, '2b');
      const escalation = pendingEscalation(c)!;
      assert.equal(escalation.toStepId, '3b');
      await cases.create(c);
      const ref = { caseId: c.id, unitId: c.unitId };

      const N = 10;
      // Every first read waits until all ten have read: all ten decide on the same ETag.
      const allHaveRead = barrier(N);
      const read = cases.read.bind(cases);
      let firstReads = 0;
      sinon.stub(cases, 'read').callsFake(async (r) => {
        const found = await read(r);
        if (firstReads < N) {
          firstReads += 1;
          await allHaveRead();
        }
        return found;
      });
      const replace = sinon.spy(cases, 'replace');

      const service = new CaseService({ cases, audit, ladder, timeZone: 'Europe/Oslo', outbox: new RecordingOutbox(), log });
      const decidedAt = daysAfter(SCENARIO_START, 74);
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          service.execute(
            turn(per, `activity-decide-${i}`, decidedAt),
            ref,
            i % 4 === 3
              ? { type: 'decide-escalation', escalationId: escalation.id, decision: 'reject', reason: 'Prøv 2b en periode til.' }
              : { type: 'decide-escalation', escalationId: escalation.id, decision: 'approve' },
          ),
        ),
      );

      const done = results.filter((r): r is Done => r.kind === 'done');
      const refused = results.filter((r): r is Refused => r.kind === 'refused');
      assert.equal(done.length, 1, 'exactly one decision is saved');
      assert.equal(refused.length, N - 1);
      assert.ok(replace.callCount >= N, 'every decision was tried on the same ETag');

      const stored = (await cases.read(ref))!.doc;
      const decided = stored.escalations.find((e) => e.id === escalation.id)!;
      assert.ok(decided.status === 'approved' || decided.status === 'rejected');
      assert.equal(decided.decidedBy?.id, per.id);
      assert.equal(stored.currentStep?.stepId, decided.status === 'approved' ? '3b' : '2b');
      assert.equal(stored.events.filter((e) => e.type === 'escalation-decided').length, 1);
      assert.deepEqual(done[0]!.case, stored);

      for (const r of refused) {
        assert.equal(r.reason, 'already-decided');
        assert.equal(r.detail?.decidedBy?.id, per.id);
        assert.equal(r.detail?.decidedAt, decided.decidedAt);
        assert.equal(r.detail?.decision, decided.status);
      }

      const approvals = (await audit.forCase(c.id)).filter((e) => e.operation === 'approve');
      assert.equal(approvals.filter((e) => e.outcome === 'allowed').length, 1);
      assert.equal(approvals.filter((e) => e.outcome === 'refused' && e.reason === 'already-decided').length, N - 1);
      assert.equal(new Set(approvals.map((e) => e.correlationId)).size, N, 'one entry per turn');
    });
  });

  describe('the audit trail', () => {
    let store: Store;
    let cases: CaseRepository;
    let audit: AuditLog;
    let service: CaseService;
    before(async () => {
      store = await freshStore();
      cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
      audit = new AuditLog(store.containers.audit);
      service = new CaseService({ cases, audit, ladder, timeZone: 'Europe/Oslo', outbox: new RecordingOutbox(), log });
    });

    const at = (minutes: number) => new Date(Date.parse('2026-03-02T08:00:00.000Z') + minutes * 60_000);

    it('records each operation on a case exactly once: create, open, change, a stranger refused, a listing — and a retried turn adds nothing', async () => {
      const created = await service.create(turn(kari, 'turn-create', at(0)), {
        type: 'create-case',
        unitId: SOLSIKKEN,
        nearestLeader: per,
        alias: 'E.H.',
        safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      });
      assert.equal(created.kind, 'done');
      const code = created.case.id;
      const ref = { caseId: code, unitId: SOLSIKKEN };
      const other = await service.create(turn(kari, 'turn-create-2', at(0)), {
        type: 'create-case',
        unitId: SOLSIKKEN,
        nearestLeader: per,
        alias: 'M.',
        safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      });
      assert.equal(other.kind, 'done');

      assert.equal((await service.open(turn(kari, 'turn-open', at(1)), ref)).kind, 'opened');
      const cardEtag = (await cases.read(ref))!.etag;
      const changed = await service.execute(
        turn(kari, 'turn-change', at(2)),
        ref,
        { type: 'place-in-zone', zoneId: 'grey' },
        { expectedEtag: cardEtag },
      );
      assert.equal(changed.kind, 'done');
      const stranger = await service.execute(turn(nina, 'turn-stranger', at(3)), ref, { type: 'place-in-zone', zoneId: 'grey' });
      assert.deepEqual(stranger, { kind: 'refused', reason: 'no-relation' });
      const everything = { order: (found: readonly Case[]) => [...found], page: 1 };
      const listed = await service.listOwned(turn(kari, 'turn-list', at(4)), [SOLSIKKEN], everything);
      assert.deepEqual(listed.rows.map((c) => c.doc.id).sort(), [code, other.case.id].sort());

      // Teams retries a turn it got no answer to: the same activity id comes again.
      await service.open(turn(kari, 'turn-open', at(5)), ref);
      const retried = await service.execute(
        turn(kari, 'turn-change', at(6)),
        ref,
        { type: 'place-in-zone', zoneId: 'grey' },
        { expectedEtag: cardEtag },
      );
      assert.equal(retried.kind, 'refused');
      assert.equal(retried.reason, 'stale-card', 'the change is not made twice');
      await service.listOwned(turn(kari, 'turn-list', at(7)), [SOLSIKKEN], everything);

      assert.deepEqual(summary(await audit.forCase(code)), [
        { operation: 'create', outcome: 'allowed', actorId: kari.id, basis: 'owner' },
        { operation: 'read', outcome: 'allowed', actorId: kari.id, basis: 'owner' },
        { operation: 'change', outcome: 'allowed', actorId: kari.id, basis: 'owner' },
        { operation: 'change', outcome: 'refused', actorId: nina.id, basis: 'none', reason: 'no-relation' },
        { operation: 'list', outcome: 'allowed', actorId: kari.id, basis: 'owner' },
      ]);
      assert.deepEqual(summary(await audit.forCase(other.case.id)), [
        { operation: 'create', outcome: 'allowed', actorId: kari.id, basis: 'owner' },
        { operation: 'list', outcome: 'allowed', actorId: kari.id, basis: 'owner' },
      ]);
    });

    it('keeps child data out of the audit trail', async () => {
      const created = (await service.create(turn(kari, 'turn-create-alias', at(10)), {
        type: 'create-case',
        unitId: SOLSIKKEN,
        nearestLeader: per,
        alias: 'Q.W.',
        safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      })) as Done;
      await service.execute(
        turn(kari, 'turn-part-a', at(11)),
        { caseId: created.case.id, unitId: SOLSIKKEN },
        {
          type: 'record-part-a',
          answers: { seenOrHeard: 'Gråter ved levering hver morgen.', whatWorriesMe: 'Det blir verre.' },
        },
      );
      const raw = JSON.stringify(await audit.forCase(created.case.id));
      for (const childData of ['Q.W.', 'Gråter', 'verre']) assert.ok(!raw.includes(childData), `the audit trail holds "${childData}"`);
    });
  });

  describe('retention', () => {
    let store: Store;
    let cases: CaseRepository;
    let audit: AuditLog;
    let jobs: JobStore;
    let sweeper: RetentionSweeper;
    beforeEach(async () => {
      store = await freshStore();
      cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
      audit = new AuditLog(store.containers.audit);
      jobs = new JobStore(store.containers);
      sweeper = new RetentionSweeper({ cases, audit, jobs, log, monthsAfterClosure: 12, finishedJobsAfterDays: 30 });
    });
    afterEach(() => sinon.restore());

    const deletions = async (caseId: string) => (await audit.forCase(caseId)).filter((e) => e.operation === 'delete');

    it('deletes a case closed 13 months ago, keeps one closed 11 months ago and an open one, and records the deletion once', async () => {
      const now = new Date();
      const due = closedCase('UR-2D2D', monthsBefore(now, 13));
      const recent = closedCase('UR-3F3F', monthsBefore(now, 11));
      const open = { ...startCase(ladder, { caseId: 'UR-4G4G', start: monthsBefore(now, 20) }).case };
      for (const c of [due, recent, open]) await cases.create(c);

      const first = await sweeper.runOnce(now);
      assert.equal(first.casesDeleted, 1);
      assert.equal(await cases.read({ caseId: due.id, unitId: SOLSIKKEN }), undefined);
      assert.ok(await cases.read({ caseId: recent.id, unitId: SOLSIKKEN }), 'closed 11 months ago: kept');
      assert.ok(await cases.read({ caseId: open.id, unitId: SOLSIKKEN }), 'open: kept');
      const [entry, ...more] = await deletions(due.id);
      assert.equal(more.length, 0);
      assert.deepEqual(
        { operation: entry?.operation, actorId: entry?.actorId, basis: entry?.basis, outcome: entry?.outcome, at: entry?.at },
        { operation: 'delete', actorId: RETENTION_ACTOR, basis: 'system', outcome: 'allowed', at: now.toISOString() },
      );
      assert.deepEqual(await deletions(recent.id), []);

      const before = await audit.forCase(due.id);
      const second = await sweeper.runOnce(new Date(now.getTime() + 60_000));
      assert.deepEqual([second.casesDeleted, second.casesAlreadyGone, second.casesChangedMeanwhile, second.jobsDeleted], [0, 0, 0, 0]);
      assert.deepEqual(await audit.forCase(due.id), before, 'a second run writes nothing');
    });

    it('keeps a closed case that its owner reported to child welfare while the sweep was running', async () => {
      const now = new Date();
      const due = closedCase('UR-5H5H', monthsBefore(now, 13));
      await cases.create(due);
      const ref = { caseId: due.id, unitId: SOLSIKKEN };
      const service = new CaseService({ cases, audit, ladder, timeZone: 'Europe/Oslo', outbox: new RecordingOutbox(), log });
      const closedBefore = cases.closedBefore.bind(cases);
      sinon.stub(cases, 'closedBefore').callsFake(async (instant) => {
        const found = await closedBefore(instant);
        // Between the sweep's query and its delete, Kari reports the closed case (rule 1: from any state).
        const reported = await service.execute(turn(kari, 'turn-report', now), ref, {
          type: 'report-to-child-welfare',
          leaderInvolved: true,
        });
        assert.equal(reported.kind, 'done');
        return found;
      });

      const report = await sweeper.runOnce(now);
      assert.deepEqual([report.casesDeleted, report.casesChangedMeanwhile], [0, 1]);
      const kept = (await cases.read(ref))!.doc;
      assert.equal(kept.status, 'reported');
      assert.deepEqual(await deletions(due.id), []);
      const { resource: raw } = await store.containers.cases.item(due.id, SOLSIKKEN).read<{ ttl?: number }>();
      assert.equal(raw?.ttl, undefined, 'a re-opened case no longer expires in Cosmos either');

      sinon.restore();
      assert.equal((await sweeper.runOnce(now)).casesDeleted, 0, 'no longer closed: never due');
    });

    it('records one deletion when two instances sweep the same case at once', async () => {
      const now = new Date();
      const dueCases = [closedCase('UR-6J6J', monthsBefore(now, 14)), closedCase('UR-7K7K', monthsBefore(now, 13))];
      for (const c of dueCases) await cases.create(c);
      // A second instance: its own client, repository and sweeper. Both query before either deletes.
      const other = await openStore({ kind: 'remote', endpoint: server.endpoint, key: 'local', database: store.database.id }, log);
      stores.push(other);
      const otherCases = new CaseRepository(other.containers, { monthsAfterClosure: 12 });
      const otherSweeper = new RetentionSweeper({
        cases: otherCases,
        audit: new AuditLog(other.containers.audit),
        jobs: new JobStore(other.containers),
        log,
        monthsAfterClosure: 12,
      });
      const bothHaveRead = barrier(2);
      for (const repository of [cases, otherCases]) {
        const query = repository.closedBefore.bind(repository);
        sinon.stub(repository, 'closedBefore').callsFake(async (instant) => {
          const found = await query(instant);
          await bothHaveRead();
          return found;
        });
      }

      const [a, b] = await Promise.all([sweeper.runOnce(now), otherSweeper.runOnce(now)]);
      assert.equal(a.casesDeleted + b.casesDeleted, 2);
      assert.equal(a.casesAlreadyGone + b.casesAlreadyGone, 2, 'each instance found the other had deleted one');
      for (const c of dueCases) {
        assert.equal(await cases.read({ caseId: c.id, unitId: SOLSIKKEN }), undefined);
        assert.equal((await deletions(c.id)).length, 1, `${c.id}: one entry`);
      }
    });

    it('deletes finished reminders and notices after 30 days and never one that is still to be sent', async () => {
      const now = new Date();
      const address = { kind: 'personal' as const, serviceUrl: 'https://smba.trafficmanager.net/emea/', conversationId: 'a:1kari' };
      const made: Record<string, Job> = {};
      for (const name of ['pending', 'claimed', 'sent', 'dropped', 'failed', 'unknown']) {
        const job = newJob(
          { id: jobId('test', name), kind: 'notice', dueAt: now.toISOString(), staleAfter: null, address, params: {} },
          now,
        );
        await jobs.ensure(job);
        made[name] = job;
      }
      const at = async (name: string) => (await jobs.read(jobId('test', name)))!;
      const claimed = async (name: string) => {
        const { doc, etag } = await at(name);
        const write = await jobs.claim(doc, etag, 'instance-1', now, 60_000);
        assert.equal(write.kind, 'done');
        return write.kind === 'done' ? write.job : assert.fail();
      };
      await claimed('claimed');
      const sent = await claimed('sent');
      await jobs.markSent(sent.doc, sent.etag, { now, activityId: 'activity-1' });
      const dropped = await claimed('dropped');
      await jobs.markDropped(dropped.doc, dropped.etag, 'stale');
      const failed = await claimed('failed');
      await jobs.markFailed(failed.doc, failed.etag, 'gave up');
      const unknown = await claimed('unknown');
      await jobs.markUnknown(unknown.doc, unknown.etag, 'timed out');

      assert.equal((await sweeper.runOnce(new Date(now.getTime() + 29 * DAY_MS))).jobsDeleted, 0, '29 days after: all kept');
      const sweep = await sweeper.runOnce(new Date(now.getTime() + 31 * DAY_MS));
      assert.equal(sweep.jobsDeleted, 4);
      const left: string[] = [];
      for (const name of Object.keys(made)) if (await jobs.read(jobId('test', name))) left.push(name);
      assert.deepEqual(left, ['pending', 'claimed']);
      assert.equal((await sweeper.runOnce(new Date(now.getTime() + 32 * DAY_MS))).jobsDeleted, 0, 'a second run deletes nothing');
    });

    it('sweeps once a day from a polling loop, and tries again later after a failure', async () => {
      const day1 = new Date('2026-03-02T06:00:00.000Z');
      const runOnce = sinon.stub(sweeper, 'runOnce');
      runOnce.onFirstCall().rejects(new Error('store unavailable'));
      runOnce.resolves({
        casesClosedBefore: '',
        casesDeleted: 0,
        casesChangedMeanwhile: 0,
        casesAlreadyGone: 0,
        jobsFinishedBefore: '',
        jobsDeleted: 0,
      });
      assert.equal(await sweeper.runIfDue(day1), undefined, 'a failure does not throw into the loop');
      assert.equal(await sweeper.runIfDue(new Date(day1.getTime() + 30 * 60_000)), undefined);
      assert.equal(runOnce.callCount, 1, 'not again within the hour');
      assert.ok(await sweeper.runIfDue(new Date(day1.getTime() + 61 * 60_000)));
      await sweeper.runIfDue(new Date(day1.getTime() + 5 * 3600_000));
      assert.equal(runOnce.callCount, 2, 'once the day has been swept, not again that day');
      assert.ok(await sweeper.runIfDue(new Date('2026-03-03T00:01:00.000Z')));
      assert.equal(runOnce.callCount, 3);
    });
  });

  describe('documents written by older versions', () => {
    let store: Store;
    let cases: CaseRepository;
    before(async () => {
      store = await freshStore();
      cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
    });

    it('reads a version-0 case as a current case, and saves it back in the current shape', async () => {
      const current = runScript(ladder, s2Script()).case;
      assert.ok(current.nextDates.evaluationOn);
      // The prototype's shape: no schemaVersion, a flat nextEvaluationOn, no childVoice or teamItems.
      const { schemaVersion: _v, nextDates, childVoice: _cv, teamItems: _ti, ...rest } = current;
      const version0 = { ...rest, id: 'UR-8M8M', nextEvaluationOn: nextDates.evaluationOn };
      await store.containers.cases.items.create(version0);

      const ref = { caseId: 'UR-8M8M', unitId: SOLSIKKEN };
      const read = (await cases.read(ref))!;
      assert.ok(CaseSchema.safeParse(read.doc).success);
      assert.equal(read.doc.schemaVersion, CASE_SCHEMA_VERSION);
      assert.deepEqual(read.doc.nextDates, { evaluationOn: nextDates.evaluationOn, checkInOn: null, conversationOn: null });
      assert.deepEqual([read.doc.childVoice, read.doc.teamItems], [[], []]);
      assert.deepEqual(read.doc, { ...current, id: 'UR-8M8M', nextDates: read.doc.nextDates }, 'nothing else changed');
      assert.deepEqual(
        (await cases.ownedBy(kari.id, SOLSIKKEN)).map((c) => c.doc.nextDates.evaluationOn),
        [nextDates.evaluationOn],
      );

      await cases.replace(read.doc, read.etag);
      const { resource: raw } = await store.containers.cases.item('UR-8M8M', SOLSIKKEN).read<Record<string, unknown>>();
      assert.equal(raw?.schemaVersion, CASE_SCHEMA_VERSION);
      assert.equal('nextEvaluationOn' in (raw ?? {}), false);
    });
  });

  describe('what a card submit costs the store', () => {
    let store: Store;
    let cases: CaseRepository;
    let audit: AuditLog;
    before(async () => {
      store = await freshStore();
      cases = new CaseRepository(store.containers, { monthsAfterClosure: 12 });
      audit = new AuditLog(store.containers.audit);
    });

    it('saves a change to an existing case in at most 3 store requests: read, conditional replace, audit entry', async () => {
      const outbox = new RecordingOutbox();
      const service = new CaseService({ cases, audit, ladder, timeZone: 'Europe/Oslo', outbox, log });
      const ref = { caseId: CASE_CODES.eh, unitId: SOLSIKKEN };
      await cases.create(stage1Case(CASE_CODES.eh));
      const addAction = (what: string) => ({
        type: 'add-action' as const,
        action: { what, who: { kind: 'parents' as const }, dueOn: '2026-04-01' },
      });
      const now = new Date('2026-03-02T08:00:00.000Z');
      // The first submit warms the client's caches (container and partition-key metadata).
      assert.equal((await service.execute(turn(kari, 'turn-warm', now), ref, addAction('Lesestund hjemme'))).kind, 'done');

      const before = server.requestCount;
      const result = await service.execute(turn(kari, 'turn-measured', now), ref, addAction('Fast leggetid'));
      const requests = server.requestCount - before;

      assert.equal(result.kind, 'done');
      assert.deepEqual(outbox.queued, [], 'no notice for anyone: nothing else to write');
      assert.ok(requests <= 3, `a card submit took ${requests} store requests`);
      assert.ok(
        (await cases.read(ref))!.doc.actions.some((a) => a.what === 'Fast leggetid'),
        'the change is saved',
      );
      assert.ok(
        (await audit.forCase(ref.caseId)).some((e) => e.correlationId === 'turn-measured'),
        'and audited',
      );
    });
  });

  describe('a person’s Teams id, for the approval card’s refresh list', () => {
    it('is read once and then known: it never changes for a person and a bot', async () => {
      const people = new PeopleRepository((await freshStore()).containers.people);
      const now = new Date('2026-03-02T08:00:00.000Z');
      await people.update(PEOPLE.per.id, PEOPLE.per.name, now, (p) => ({ ...p, mri: '29:per' }));
      // Another process's repository has not seen it yet: one read, then none.
      const elsewhere = new PeopleRepository(stores.at(-1)!.containers.people);
      let before = server.requestCount;
      assert.equal(await elsewhere.mriOf(PEOPLE.per.id), '29:per');
      assert.equal(server.requestCount - before, 1);
      before = server.requestCount;
      assert.equal(await elsewhere.mriOf(PEOPLE.per.id), '29:per');
      assert.equal(server.requestCount - before, 0);
      // Someone Laget has not talked to has no id, and is looked for again next time.
      assert.equal(await elsewhere.mriOf(PEOPLE.kari.id), undefined);
      before = server.requestCount;
      await elsewhere.mriOf(PEOPLE.kari.id);
      assert.equal(server.requestCount - before, 1);
    });
  });
});
