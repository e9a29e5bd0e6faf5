import assert from 'node:assert/strict';
import { startCase } from '../support/ladder-walk';
import { loadLadder } from '../../src/domain/ladder';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { syntheticCaseCode } from '../support/case-codes';
import { startTestLaget, type Running } from '../support/laget';
import { configureUnits, syntheticLeader, syntheticTeam, syntheticUnitId } from '../support/municipality';
import { classify, type ClassifiedRequest } from '../support/store-requests';

/**
 * What one scheduler pass with nothing due costs at the store, counted at the store: the same
 * for a municipality of 2 units and 1 team as for one of 50 units and 40 teams, each unit with
 * open cases and each team with a meeting series whose dates lie ahead. A pass that looked for due
 * work unit by unit (as it once did: a query plan and a query per unit), or team by team (a query
 * of `teams` and a read of each team's next meetings), fails here; so does any query or query plan.
 */

/**
 * The directory's look is a recurring job of its own (every delta interval, on the epoch's
 * multiples of it): at 45 minutes none falls in the minutes these tests measure (09:20–09:21 and
 * 09:50–10:01 UTC on 10 March 2026), so each measured pass has nothing due.
 */
const DIRECTORY_DELTA_MINUTES = '45';

const ladder = loadLadder('aurskog-holand');
const CASES_PER_UNIT = 3;
/** The teams' first meetings: Tuesday 24 March 2026 and every other Tuesday after, so nothing of theirs is due in the minutes measured. */
const TEAMS_FROM = '2026-03-24';

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

  /** Laget on a municipality of `units` units with open cases in each and `teams` teams, after its first pass (the start's own jobs). */
  async function municipality(units: number, teams: number, now: Date) {
    database += 1;
    const at = { instant: now };
    const laget = await startTestLaget(
      { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local', COSMOS_DATABASE: `laget-cost-${database}`, DIRECTORY_DELTA_MINUTES },
      { now: () => at.instant },
      configureUnits(units),
    );
    running.push(laget);
    const { caseSchedule, teamSchedule } = laget.laget;
    const { cases: caseRepository, teams: teamRepository } = laget.laget.repositories;
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
    // Teams as the team service leaves them after their set-up: stored, with their rhythm's jobs.
    for (let n = 0; n < teams; n += 1) {
      const team = await teamRepository.create(syntheticTeam(n, syntheticUnitId(n % units), TEAMS_FROM));
      await teamSchedule.sync(null, team, { now });
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

  it('reads one due-index document per idle pass at 2 units and 1 team and at 50 units and 40 teams, with no query and no query plan', async () => {
    // 10:20 Oslo time on a Tuesday: inside an hour, and no case or team is due for days.
    const t0 = new Date('2026-03-10T09:20:00.000Z');
    const small = await municipality(2, 1, t0);
    const large = await municipality(50, 40, t0);

    const later = new Date(t0.getTime() + 60_000);
    const atTwo = await pass(small.laget, later);
    const atFifty = await pass(large.laget, later);

    assert.deepEqual(summary(atFifty), summary(atTwo), 'the pass at 50 units and 40 teams differs from the pass at 2 units and 1 team');
    assert.deepEqual(summary(atTwo), ['point read due'], 'one point read of the current hour');
  });

  it('stays within 4 requests, none a query, at the turn of the hour, when the hour before is looked at once more', async () => {
    const t0 = new Date('2026-03-10T09:50:00.000Z');
    const small = await municipality(2, 1, t0);
    const large = await municipality(50, 40, t0);
    for (const at of ['2026-03-10T09:58:30.000Z', '2026-03-10T10:00:10.000Z', '2026-03-10T10:01:00.000Z']) {
      const atTwo = await pass(small.laget, new Date(at));
      const atFifty = await pass(large.laget, new Date(at));
      assert.deepEqual(summary(atFifty), summary(atTwo), `at ${at}: the pass at 50 units and 40 teams differs from the pass at 2 and 1`);
      assert.ok(atTwo.length <= 4, `at ${at}: ${summary(atTwo).join(', ')}`);
      assert.ok(
        atTwo.every((request) => !request.kind.startsWith('query')),
        `at ${at}: ${summary(atTwo).join(', ')}`,
      );
    }
  });
});
