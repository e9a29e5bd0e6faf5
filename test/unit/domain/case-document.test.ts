import assert from 'node:assert/strict';
import { CASE_SCHEMA_VERSION, CaseSchema } from '../../../src/domain/case';
import { CaseEventSchema } from '../../../src/domain/events';
import { StoredCaseSchema } from '../../../src/store/case-document';
import { buildScenarioCase, SCENARIO_SCRIPTS, seedCases, type ScenarioId } from '../../../scripts/seed/scenarios';

function hasNoDatesOrClasses(value: unknown, path = 'case'): void {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return;
  assert.ok(typeof value === 'object', `${path} is a ${typeof value}`);
  const proto: unknown = Object.getPrototypeOf(value);
  assert.ok(Array.isArray(value) || proto === Object.prototype, `${path} is a class instance`);
  for (const [key, item] of Object.entries(value as object)) {
    assert.notEqual(item, undefined, `${path}.${key} is undefined (not JSON)`);
    hasNoDatesOrClasses(item, `${path}.${key}`);
  }
}

describe('the stored case document', () => {
  for (const id of Object.keys(SCENARIO_SCRIPTS) as ScenarioId[]) {
    it(`is plain JSON that parses back unchanged (${id})`, () => {
      const c = buildScenarioCase(id);
      hasNoDatesOrClasses(c);
      const stored = JSON.parse(JSON.stringify(c)) as Record<string, unknown>;
      assert.deepEqual(CaseSchema.parse(stored), c);
      assert.equal(stored.schemaVersion, CASE_SCHEMA_VERSION);
    });
  }

  it('ignores what Cosmos adds to a document, and refuses another schema version', () => {
    const c = buildScenarioCase('S1');
    const fromCosmos = { ...(JSON.parse(JSON.stringify(c)) as object), _rid: 'x', _etag: '"1"', _ts: 1 };
    assert.deepEqual(CaseSchema.parse(fromCosmos), c);
    assert.equal(CaseSchema.safeParse({ ...c, schemaVersion: CASE_SCHEMA_VERSION + 1 }).success, false);
  });

  it('reads a version-2 case (from before meetings and moved dates were records) with none of either', () => {
    const { meetings: _m, dateChanges: _d, ...rest } = buildScenarioCase('S1');
    const read = StoredCaseSchema.parse(JSON.parse(JSON.stringify({ ...rest, schemaVersion: 2 })));
    assert.equal(read.schemaVersion, CASE_SCHEMA_VERSION);
    assert.deepEqual([read.meetings, read.dateChanges], [[], []]);
  });

  it('refuses a stored alias with a national identity number', () => {
    const c = buildScenarioCase('S1');
    assert.equal(CaseSchema.safeParse({ ...c, alias: '01020312345' }).success, false);
  });

  it('keeps every event valid against the event schema', () => {
    for (const c of seedCases(new Date('2026-03-01T08:00:00.000Z'))) {
      for (const event of c.events) assert.ok(CaseEventSchema.safeParse(event).success, `${c.id} ${event.type}`);
    }
  });

  it('seeds one case per scenario with its own code and dates ahead', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    const cases = seedCases(now);
    assert.equal(new Set(cases.map((c) => c.id)).size, 8);
    for (const c of cases) {
      assert.ok(c.updatedAt <= now.toISOString(), `${c.id} has events in the future`);
      for (const d of [c.nextDates.evaluationOn, c.nextDates.checkInOn])
        if (d) assert.ok(d >= '2026-03-01', `${c.id} next date ${d} is past`);
    }
  });
});
