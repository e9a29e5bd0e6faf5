import assert from 'node:assert/strict';
import { startCase } from '../support/ladder-walk';
import { loadLadder } from '../../src/domain/ladder';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { syntheticCaseCode } from '../support/case-codes';
import { startTestLaget, type Running } from '../support/laget';
import { configureUnits, syntheticLeader, syntheticUnitId } from '../support/municipality';
import { classify, type ClassifiedRequest } from '../support/store-requests';

/**
 * What one scheduler pass with nothing due costs at the store, counted at the store: the same
 * for a municipality of 2 units as for one of 50, each with open cases whose dates lie ahead.
 * A pass that looked for due work unit by unit (as it once did: a query plan and a query per
 * unit) fails here; so does one that asks any container but `teams` or fetches a plan for it.
 *
 * The team rhythm is still found by its job source, queries of `teams` on every pass (each with its
 * plan; the same number whatever the number of units): it moves to due entries next, on the team
 * storage of issue 15, and then the exception below goes.
 */
const TEAM_RHYTHM = ['query (cross-partition) teams', 'query plan teams'];

/**
 * The directory's look is a recurring job of its own (every delta interval, on the epoch's
 * multiples of it): at 45 minutes none falls in the minutes these tests measure (09:20–09:21 and
 * 09:50–10:01 UTC on 10 March 2026), so each measured pass has nothing due.
 */
const DIRECTORY_DELTA_MINUTES = '45';
const isTeamRhythm = (request: ClassifiedRequest) => TEAM_RHYTHM.includes(`${request.kind} ${request.container}`);

const ladder = loadLadder('aurskog-holand');
const CASES_PER_UNIT = 3;

describe('the cost of a scheduler pass does not grow with the municipality', function () {
  this.timeout(120_000);
  let cosmos: EmbeddedCosmos;
  let recording: ClassifiedRequest[] | undefined;
  let database = 0;
  const running: Running[] = [];

  before(async () => {
    cosmos = await startEmbeddedCosmos(0, { observe: (request) => recording?.push(classify(request)) });
  });
  after(async () => {
    await Promise.all(running.splice(0).map((r) => r.stop()));
    await cosmos.close();
  });

  /** Laget on a municipality of `units` units with open cases in each, after its first pass (the start's own jobs). */
  async function municipality(units: number, now: Date) {
    database += 1;
    const at = { instant: now };
    const laget = await startTestLaget(
      { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local', COSMOS_DATABASE: `laget-cost-${database}`, DIRECTORY_DELTA_MINUTES },
      { now: () => at.instant },
      configureUnits(units),
    );
    running.push(laget);
    const { caseSchedule } = laget.laget;
    const { cases: caseRepository } = laget.laget.repositories;
    for (let unit = 0; unit < units; unit += 1) {
      for (let n = 0; n < CASES_PER_UNIT; n += 1) {
        const walked = startCase(ladder, {
          caseId: syntheticCaseCode(unit * CASES_PER_UNIT + n, 'C', 5),
          leader: syntheticLeader(unit),
          start: new Date(now.getTime() - 86_400_000),
        }).case;
        const c = { ...walked, unitId: syntheticUnitId(unit) };
        await caseRepository.create(c);
        await caseSchedule.sync(null, c, { now });
      }
    }
    // The first pass runs what a start makes (the one-time move to the due index); the second tidies up after it.
    await laget.laget.scheduler.runOnce(now);
    await laget.laget.scheduler.runOnce(now);
    return { laget, at };
  }

  async function pass(laget: Running, now: Date): Promise<ClassifiedRequest[]> {
    recording = [];
    try {
      const report = await laget.laget.scheduler.runOnce(now);
      assert.deepEqual(report.outcomes, [], 'nothing was due');
      return recording;
    } finally {
      recording = undefined;
    }
  }

  const summary = (requests: ClassifiedRequest[]) => requests.map((r) => `${r.kind} ${r.container}`).sort();

  it('reads one due-index document per idle pass at 2 units and at 50, with no query and no query plan but the team rhythm’s', async () => {
    // 10:20 Oslo time on a Tuesday: inside an hour, and no case is due for weeks.
    const t0 = new Date('2026-03-10T09:20:00.000Z');
    const small = await municipality(2, t0);
    const large = await municipality(50, t0);

    const later = new Date(t0.getTime() + 60_000);
    const atTwo = await pass(small.laget, later);
    const atFifty = await pass(large.laget, later);

    assert.deepEqual(summary(atFifty), summary(atTwo), 'the pass at 50 units differs from the pass at 2');
    assert.deepEqual(summary(atTwo.filter((one) => !isTeamRhythm(one))), ['point read due'], 'one point read of the current hour');
    for (const request of [...atTwo, ...atFifty].filter((one) => !isTeamRhythm(one))) {
      assert.ok(!request.kind.startsWith('query'), `a ${request.kind} on ${request.container}: ${request.sql ?? ''}`);
    }
  });

  it('stays within 4 requests (and the team rhythm) at the turn of the hour, when the hour before is looked at once more', async () => {
    const t0 = new Date('2026-03-10T09:50:00.000Z');
    const small = await municipality(2, t0);
    const large = await municipality(50, t0);
    for (const at of ['2026-03-10T09:58:30.000Z', '2026-03-10T10:00:10.000Z', '2026-03-10T10:01:00.000Z']) {
      const atTwo = await pass(small.laget, new Date(at));
      const atFifty = await pass(large.laget, new Date(at));
      assert.deepEqual(summary(atFifty), summary(atTwo), `at ${at}: the pass at 50 units differs from the pass at 2`);
      const due = atTwo.filter((request) => !isTeamRhythm(request));
      assert.ok(due.length <= 4, `at ${at}: ${summary(atTwo).join(', ')}`);
      assert.ok(
        due.every((request) => !request.kind.startsWith('query')),
        `at ${at}: ${summary(atTwo).join(', ')}`,
      );
    }
  });
});
