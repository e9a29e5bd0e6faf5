import assert from 'node:assert/strict';
import { loadLadder } from '../../../../src/domain/ladder';
import { ACROSS_UNITS, addCounts, heldMeetingChange, type CounterChange, type Counts } from '../../../../src/domain/report/counters';
import { buildReport, type ReportScope, type UnitPeriodCounters } from '../../../../src/domain/report/figures';
import { monthsOf, tertial } from '../../../../src/domain/report/period';
import type { SuppressedTable } from '../../../../src/domain/report/suppression';
import type { Team, TeamMeeting } from '../../../../src/domain/team';
import { decideMeeting } from '../../../../src/domain/team-decide';
import { kari, lise, ola, tor } from '../support';
import { actor, FIRST, on, personal, refusedWith, SECOND, setUpTeam, START } from '../team-fixtures';

/**
 * The figure "team meetings held and cases discussed (anonymous / named)", built from synthetic
 * team events: cases brought to a meeting, the meeting marked held by its lead (src/domain/team-decide.ts),
 * its counter change (src/domain/report/counters.ts), the report's table (src/domain/report/figures.ts).
 */

const ladder = loadLadder('aurskog-holand');
const T1 = tertial('2026-T1');
const BJORKELANGEN = 'bjorkelangen-skole';
const SOLSIKKEN = 'solsikken-barnehage';
const RULES = { threshold: 5, approvalLimitWorkingDays: 3, handoverLimitDays: 7 };

/** A meeting with cases brought to it (anonymous or named) and a topic, then marked held by Ola after it started. */
function heldMeeting(team: Team, meetingId: string, modes: readonly ('anonymous' | 'named')[]): TeamMeeting {
  const owners = [kari, lise, tor];
  let record: TeamMeeting | null = null;
  modes.forEach((mode, n) => {
    record = on(
      team,
      record,
      {
        type: 'add-case-item',
        meetingId,
        caseId: `UR-BBB${'23456789'[n]}`,
        caseUnitId: team.unitId ?? BJORKELANGEN,
        mode,
        questionId: 'further-measures',
      },
      actor(owners[n % owners.length]!, personal),
      START,
    );
  });
  record = on(team, record, { type: 'add-topic', meetingId, topic: 'Rutiner ved fravær', key: 'k1' }, actor(lise), START);
  const after = new Date(`${meetingId.slice(0, 10)}T12:00:00Z`);
  return on(team, record, { type: 'close-meeting', meetingId }, actor(ola, personal), after);
}

/** The counters of a period as the repository would hold them after these changes (each applied once). */
function countersOf(changes: readonly CounterChange[], unitIds: readonly string[]): UnitPeriodCounters[] {
  const months = new Set(monthsOf(T1));
  const applied = new Set<string>();
  const flows = new Map<string, Counts>(unitIds.map((id) => [id, {}]));
  for (const change of changes) {
    if (applied.has(change.key)) continue;
    applied.add(change.key);
    for (const [month, counts] of change.flows) if (months.has(month)) addCounts(flows.get(change.unitId) ?? {}, counts);
  }
  return unitIds.map((unitId) => ({ unitId, flows: flows.get(unitId)!, state: {} }));
}

function table(scope: ReportScope, units: UnitPeriodCounters[], across?: UnitPeriodCounters, threshold = 1): SuppressedTable {
  const report = buildReport({
    scope,
    ladder,
    period: T1,
    today: '2026-05-01',
    rules: { ...RULES, threshold },
    units,
    ...(across ? { acrossUnits: across } : {}),
    trend: [],
  });
  return report.figures.find((f) => f.id === 'team-meetings')!.table!;
}

const values = (t: SuppressedTable) => t.cells.map((row) => row.map((c) => (c.kind === 'value' ? c.value : c.kind)));
const totals = (t: SuppressedTable) => t.colTotals.map((c) => (c.kind === 'value' ? c.value : c.kind));

/** A forum across units (no unit of its own): another team. */
const oppvekstforum = (): Team => ({ ...setUpTeam(START, { unitId: null }), teamId: 't-oppvekstforum' });

describe('the figure: team meetings held and cases discussed (anonymous / named)', () => {
  const team = setUpTeam();

  it('counts each meeting marked held, and its case items anonymous and named, in the unit of the team and the month of the meeting', () => {
    const first = heldMeeting(team, FIRST, ['anonymous', 'anonymous', 'named']);
    const change = heldMeetingChange(team, first)!;
    assert.equal(change.unitId, BJORKELANGEN);
    assert.equal(change.key, `team:${team.teamId}@${FIRST}`);
    assert.deepEqual(
      [...change.flows],
      [['2026-03', { 'team-meeting.held': 1, 'team-meeting.items.anonymous': 2, 'team-meeting.items.named': 1 }]],
      'topics are not cases: not counted here',
    );
    assert.deepEqual(change.state, {}, 'a meeting changes no case state');
    const second = heldMeetingChange(team, heldMeeting(team, SECOND, ['named']))!;
    const t = table({ kind: 'municipality' }, countersOf([change, second], [BJORKELANGEN, SOLSIKKEN]));
    assert.deepEqual(t.cols, ['held', 'anonymous', 'named']);
    assert.deepEqual(values(t), [
      [2, 2, 2],
      ['under', 'under', 'under'],
    ]);
    assert.deepEqual(totals(t), [2, 2, 2]);
  });

  it('counts nothing for a meeting not marked held', () => {
    const brought = on(
      team,
      null,
      { type: 'add-case-item', meetingId: FIRST, caseId: 'UR-BBBB', caseUnitId: BJORKELANGEN, mode: 'named', questionId: 'other' },
      actor(kari, personal),
      START,
    );
    assert.equal(heldMeetingChange(team, brought), null);
  });

  it('counts a meeting once: marking it held again is refused, and its change has one key however often it is applied', () => {
    const first = heldMeeting(team, FIRST, ['anonymous', 'named']);
    refusedWith(
      decideMeeting(team, first, { type: 'close-meeting', meetingId: FIRST }, actor(ola, personal), new Date('2026-03-18T08:00:00Z')),
      'already-held',
    );
    const change = heldMeetingChange(team, first)!;
    const again = heldMeetingChange(team, first)!;
    assert.equal(again.key, change.key);
    const [unit] = countersOf([change, again, change], [BJORKELANGEN]);
    assert.deepEqual(unit!.flows, { 'team-meeting.held': 1, 'team-meeting.items.anonymous': 1, 'team-meeting.items.named': 1 });
  });

  it("counts a team across units in a row of its own in the municipality's report, never in a unit's", () => {
    const forum = oppvekstforum();
    const change = heldMeetingChange(forum, heldMeeting(forum, FIRST, ['anonymous', 'named', 'named']))!;
    assert.equal(change.unitId, ACROSS_UNITS);
    const unitChange = heldMeetingChange(team, heldMeeting(team, FIRST, ['anonymous']))!;
    const [bjorkelangen, solsikken, across] = countersOf([change, unitChange], [BJORKELANGEN, SOLSIKKEN, ACROSS_UNITS]);
    const coordinators = table({ kind: 'municipality' }, [bjorkelangen!, solsikken!], across);
    assert.deepEqual(coordinators.rows, [BJORKELANGEN, SOLSIKKEN, ACROSS_UNITS]);
    assert.deepEqual(values(coordinators), [
      [1, 1, 'under'],
      ['under', 'under', 'under'],
      [1, 1, 2],
    ]);
    assert.deepEqual(totals(coordinators), [2, 2, 2], "the municipality's totals hold the teams across units");
    const leader = table({ kind: 'units', unitIds: [BJORKELANGEN] }, [bjorkelangen!], across);
    assert.deepEqual(leader.rows, [BJORKELANGEN], 'a leader sees their units only');
    assert.deepEqual(totals(leader), [1, 1, 'under']);
  });

  it('suppresses small numbers below the municipality total, the row of teams across units included', () => {
    const forum = oppvekstforum();
    const changes = [
      heldMeetingChange(team, heldMeeting(team, FIRST, ['anonymous', 'anonymous', 'anonymous', 'anonymous', 'anonymous', 'named']))!,
      heldMeetingChange(forum, heldMeeting(forum, FIRST, ['named', 'named']))!,
    ];
    const [bjorkelangen, solsikken, across] = countersOf(changes, [BJORKELANGEN, SOLSIKKEN, ACROSS_UNITS]);
    const t = table({ kind: 'municipality' }, [bjorkelangen!, solsikken!], across, 5);
    assert.deepEqual(values(t)[0]![1], 5, 'five anonymous items are shown');
    for (const row of t.cells) for (const cell of row) assert.ok(cell.kind !== 'value' || cell.value >= 5, JSON.stringify(t));
    assert.deepEqual(totals(t), [2, 5, 3], "the municipality's own totals are shown as they are");
  });
});
