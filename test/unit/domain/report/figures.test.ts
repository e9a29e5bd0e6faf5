import assert from 'node:assert/strict';
import type { Case } from '../../../../src/domain/case';
import { buildScenarioCase, SCENARIO_SCRIPTS, SCENARIO_START, type ScenarioId } from '../../../../scripts/seed/scenarios';
import { runScript } from '../../../../scripts/seed/script';
import { loadLadder } from '../../../../src/domain/ladder';
import { addCounts, counterChange, flowsOf, stateOf, type Counts } from '../../../../src/domain/report/counters';
import { buildReport, deviation, type ReportRules, type UnitPeriodCounters } from '../../../../src/domain/report/figures';
import { monthsOf, stateDay, tertial, tertialAt, tertialBefore, type Period } from '../../../../src/domain/report/period';
import type { ShownCell } from '../../../../src/domain/report/suppression';

/** Each figure of the tertial report, built from synthetic cases (the scenarios S1–S8). */

const ladder = loadLadder('aurskog-holand');
const RULES: ReportRules = { threshold: 1, approvalLimitWorkingDays: 3, handoverLimitDays: 7 };
/** The scenarios run from September 2025: the tertial 2025-T3 holds them all. */
const T3: Period = tertial('2025-T3');

/** One unit's counters for a period, counted from scratch (what the incremental counters must equal). */
function countersOf(cases: readonly Case[], period: Period, unitId = 'unit'): UnitPeriodCounters {
  const months = new Set(monthsOf(period));
  const flows: Counts = {};
  const state: Counts = {};
  for (const c of cases) {
    for (const [month, counts] of flowsOf(c.events, ladder, 0)) if (months.has(month)) addCounts(flows, counts);
    addCounts(state, stateOf(c, ladder));
  }
  return { unitId, flows, state };
}

function figure(cases: readonly Case[], id: string, column: string | null, today = '2026-01-01', rules = RULES): number {
  const report = buildReport({
    scope: { kind: 'municipality' },
    ladder,
    period: T3,
    today,
    rules,
    units: [countersOf(cases, T3)],
    trend: [],
  });
  const table = report.figures.find((f) => f.id === id)!.table!;
  const cell: ShownCell = column === null ? table.total! : table.colTotals[table.cols.indexOf(column)]!;
  assert.equal(cell.kind, 'value', `${id}/${column} is shown`);
  return cell.kind === 'value' ? cell.value : NaN;
}

const all = (Object.keys(SCENARIO_SCRIPTS) as ScenarioId[]).map((id) => buildScenarioCase(id));
const scenario = (id: ScenarioId) => [buildScenarioCase(id)];

describe('tertial periods in Europe/Oslo', () => {
  it('are January–April, May–August and September–December, by the Oslo calendar day', () => {
    assert.deepEqual(tertial('2026-T1'), { id: '2026-T1', kind: 'tertial', from: '2026-01', to: '2026-04' });
    assert.deepEqual(tertial('2026-T3'), { id: '2026-T3', kind: 'tertial', from: '2026-09', to: '2026-12' });
    // 30 April 22:30 UTC is already 1 May in Oslo: the next tertial.
    assert.equal(tertialAt(new Date('2026-04-30T22:30:00Z')).id, '2026-T2');
    assert.equal(tertialAt(new Date('2026-04-30T21:30:00Z')).id, '2026-T1');
    assert.equal(tertialBefore(tertial('2026-T1')).id, '2025-T3');
    assert.equal(stateDay(tertial('2026-T1'), '2026-03-10'), '2026-03-10', 'a running period is read today');
    assert.equal(stateDay(tertial('2026-T1'), '2026-06-10'), '2026-05-01', 'an ended one at its end');
  });
});

describe('the figures, from synthetic cases', () => {
  it('counts new cases', () => assert.equal(figure(all, 'new-cases', 'new'), 8));
  it('counts open cases per step at the end of the period', () => {
    assert.equal(figure(scenario('S2'), 'open-by-step', '2b'), 1);
    assert.equal(figure(scenario('S4'), 'open-by-step', '4b'), 1);
    assert.equal(figure(all, 'open-by-step', null), 8);
  });
  it('counts moves up the ladder', () => assert.equal(figure(scenario('S4'), 'moves', 'up'), 3));
  it('counts outcomes a and b per step', () => {
    assert.equal(figure(scenario('S1'), 'outcomes', '1.a'), 1);
    assert.equal(figure(scenario('S3'), 'outcomes', '2b.b'), 1);
  });
  it('counts reports to child welfare by the step they came from, and those without a step first', () => {
    assert.equal(figure(scenario('S4'), 'reports', '4b'), 1);
    assert.equal(figure(scenario('S5'), 'reports', 'none'), 1);
  });
  it('counts consents given, refused and withdrawn', () => {
    assert.equal(figure(scenario('S3'), 'consents', 'given'), 1);
    assert.equal(figure(scenario('S4'), 'consents', 'refused'), 1);
    assert.equal(figure(scenario('S7'), 'consents', 'withdrawn'), 1);
  });
  it('counts a consent as expired in the period its last day passes, and not one refused or withdrawn since', () => {
    const s3 = buildScenarioCase('S3');
    const consent = s3.consents[0]!;
    assert.ok(consent.kind === 'given');
    // Valid through validUntil: it has expired in the period that holds the day after.
    const lapses = new Date(`${consent.validUntil}T12:00:00Z`);
    lapses.setUTCDate(lapses.getUTCDate() + 1);
    assert.equal(stateOf(s3, ladder)[`consent-expires.${lapses.toISOString().slice(0, 10)}`], 1);
    assert.equal(
      Object.keys(stateOf(buildScenarioCase('S4'), ladder)).some((k) => k.startsWith('consent-expires.')),
      false,
    );
  });
  it('counts cases brought to a team, anonymous and named', () => assert.equal(figure(scenario('S6'), 'team-items', 'anonymous'), 1));
  it('counts 3b cooperation meetings held and evaluated', () => {
    assert.equal(figure(scenario('S3'), 'cooperation-meetings', 'held'), 1);
    assert.equal(figure(scenario('S4'), 'cooperation-meetings', 'evaluated'), 1);
  });
  it('counts cases closed and why', () => {
    const closed = runScript(ladder, [
      ...SCENARIO_SCRIPTS.S1(SCENARIO_START),
      {
        actor: { id: 'aad-kari', name: 'Kari Nordmann' },
        now: new Date('2025-12-01T09:00:00Z'),
        command: { type: 'close-case', reason: 'resolved' },
      },
    ]).case;
    assert.equal(figure([closed], 'closed', 'resolved'), 1);
    assert.equal(figure([closed], 'open-by-step', null), 0, 'a closed case is no longer open');
  });

  describe('deviations, on the day the state is read for', () => {
    const s2 = stateOf(buildScenarioCase('S2'), ladder); // evaluation due 2025-11-13, 2b's maximum ends 2025-12-01
    it('evaluations overdue: from the day after the evaluation date', () => {
      assert.equal(deviation(s2, 'evaluation-overdue', '2025-11-13', RULES), 0);
      assert.equal(deviation(s2, 'evaluation-overdue', '2025-11-14', RULES), 1);
    });
    it("2b periods beyond the ladder's maximum", () => {
      assert.equal(deviation(s2, 'period-beyond-max', '2025-12-01', RULES), 0);
      assert.equal(deviation(s2, 'period-beyond-max', '2025-12-02', RULES), 1);
    });
    it("approvals waiting longer than the municipality's limit (working days)", () => {
      const state = { 'approval-since.2026-04-01': 1 }; // the Wednesday before Easter 2026
      assert.equal(deviation(state, 'approval-waiting', '2026-04-09', RULES), 0, 'Easter days are not working days');
      assert.equal(deviation(state, 'approval-waiting', '2026-04-10', RULES), 1);
    });
    it('handovers not accepted within a week', () => {
      const s8 = stateOf(buildScenarioCase('S8'), ladder); // offered 2025-10-11
      assert.equal(deviation(s8, 'handover-not-accepted', '2025-10-18', RULES), 0);
      assert.equal(deviation(s8, 'handover-not-accepted', '2025-10-19', RULES), 1);
    });
    it("cases with no child's voice recorded", () => assert.equal(figure(all, 'deviations', 'no-child-voice'), 6));
  });
});

describe('the counters: updated per change, they always equal a count from scratch', () => {
  for (const id of Object.keys(SCENARIO_SCRIPTS) as ScenarioId[]) {
    it(`${id}: the changes one by one add up to the case counted whole`, () => {
      const { decisions } = runScript(ladder, SCENARIO_SCRIPTS[id](SCENARIO_START));
      const flows: Counts = {};
      const state: Counts = {};
      let before: Case | null = null;
      const keys = new Set<string>();
      for (const decision of decisions) {
        const change = counterChange(before, decision.case, ladder);
        if (change) {
          assert.ok(!keys.has(change.key), 'each change has its own key');
          keys.add(change.key);
          for (const counts of change.flows.values()) addCounts(flows, counts);
          addCounts(state, change.state);
        }
        before = decision.case;
      }
      const whole = decisions.at(-1)!.case;
      const expectedFlows: Counts = {};
      for (const counts of flowsOf(whole.events, ladder, 0).values()) addCounts(expectedFlows, counts);
      assert.deepEqual(flows, expectedFlows);
      assert.deepEqual(state, stateOf(whole, ladder));
    });
  }
});
