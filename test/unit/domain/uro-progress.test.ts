import assert from 'node:assert/strict';
import { buildScenarioCase, ehStage1Script } from '../../../scripts/seed/scenarios';
import { runScript } from '../../../scripts/seed/script';
import { loadLadder } from '../../../src/domain/ladder';
import { directoryProblems, MunicipalitySchema } from '../../../src/domain/municipality';
import { addWorkingDays, easterSunday, isPublicHoliday } from '../../../src/domain/time';
import { uroPosition } from '../../../src/domain/uro-progress';

const ladder = loadLadder('aurskog-holand');
const after = (lines: number) => runScript(ladder, ehStage1Script().slice(0, lines)).case;

describe('where a case stands in the URO conversation', () => {
  const walk: Array<[string, number, string]> = [
    ['asks for the zone right after the safety questions', 1, 'zone'],
    ['asks part A once the worry is in a zone', 2, 'part-a'],
    ['asks part B once the worry is put into words', 3, 'part-b'],
    ['waits for the conversation (the guide, then part C) once it is prepared', 4, 'conversation'],
    ['asks for stage 1 once the conversation is recorded', 5, 'stage-1'],
    ['is on the ladder once stage 1 has started', 6, 'on-ladder'],
  ];
  for (const [name, lines, position] of walk) {
    it(name, () => assert.equal(uroPosition(after(lines), ladder), position));
  }

  it('offers to close the case when the worry is placed in "ingen uro"', () => {
    const c = runScript(ladder, [
      ehStage1Script()[0]!,
      { ...ehStage1Script()[1]!, command: { type: 'place-in-zone', zoneId: 'none' } },
    ]).case;
    assert.equal(uroPosition(c, ladder), 'no-worry');
  });

  it('goes to the report path, never part B, when violence or abuse is suspected (rule 2)', () => {
    const first = ehStage1Script()[0]!;
    const c = runScript(ladder, [
      { ...first, command: { ...first.command, safety: { dangerNow: false, suspectedViolenceOrAbuse: true } } } as typeof first,
    ]).case;
    assert.equal(uroPosition(c, ladder), 'report-path');
  });

  it('goes to the report path when there is danger now', () => {
    const first = ehStage1Script()[0]!;
    const c = runScript(ladder, [
      { ...first, command: { ...first.command, safety: { dangerNow: true, suspectedViolenceOrAbuse: false } } } as typeof first,
    ]).case;
    assert.equal(uroPosition(c, ladder), 'report-path');
  });

  it('says "reported" once the direct report is recorded (S5)', () => {
    assert.equal(uroPosition(buildScenarioCase('S5'), ladder), 'reported');
  });

  it('says closed for a closed case', () => {
    const c = after(6);
    assert.equal(uroPosition({ ...c, status: 'closed' }, ladder), 'closed');
  });
});

describe('working days', () => {
  it('skips the weekend: three working days after a Thursday is the next Tuesday', () => {
    assert.equal(addWorkingDays('2026-03-05', 3), '2026-03-10');
  });

  it('counts from a Monday to the Thursday', () => {
    assert.equal(addWorkingDays('2026-03-02', 3), '2026-03-05');
  });

  it('skips Easter: three working days after the Wednesday before Easter 2026 is the Thursday after', () => {
    // Maundy Thursday 2 April, Good Friday 3 April and Easter Monday 6 April are holidays.
    assert.equal(addWorkingDays('2026-04-01', 3), '2026-04-09');
  });

  it('skips Christmas Day, Ascension Day, Whit Monday, 1 and 17 May, but not Christmas Eve', () => {
    assert.equal(addWorkingDays('2026-12-23', 3), '2026-12-29');
    assert.equal(addWorkingDays('2026-05-13', 1), '2026-05-15');
    assert.equal(addWorkingDays('2026-05-22', 1), '2026-05-26');
    assert.equal(addWorkingDays('2029-04-30', 1), '2029-05-02');
    assert.equal(addWorkingDays('2027-05-14', 1), '2027-05-18');
  });

  it('finds Easter Sunday in any year', () => {
    const known: Record<number, string> = {
      2024: '2024-03-31',
      2025: '2025-04-20',
      2026: '2026-04-05',
      2027: '2027-03-28',
      2038: '2038-04-25',
      2285: '2285-03-22',
    };
    for (const [year, easter] of Object.entries(known)) assert.equal(easterSunday(Number(year)), easter, year);
    for (const holiday of [
      '2026-01-01',
      '2026-04-02',
      '2026-04-03',
      '2026-04-05',
      '2026-04-06',
      '2026-05-14',
      '2026-05-24',
      '2026-05-25',
      '2026-12-25',
      '2026-12-26',
    ]) {
      assert.ok(isPublicHoliday(holiday), holiday);
    }
    for (const ordinary of ['2026-12-24', '2026-12-31', '2026-04-07', '2026-06-23']) assert.ok(!isPublicHoliday(ordinary), ordinary);
  });
});

describe('the municipality as configuration', () => {
  const base = {
    id: 'kommune',
    name: 'Kommune',
    childWelfare: { name: 'Barnevernet', phone: '1', reportUrl: 'https://example.no/meld', emergencyPhone: '2' },
    units: [{ id: 'a-skole', name: 'A skole', kind: 'school', leaders: [{ id: 'aad-a', name: 'A' }] }],
  };

  it('fills the defaults: Aurskog-Høland, Oslo time, three working days, twelve months', () => {
    const m = MunicipalitySchema.parse(base);
    assert.equal(m.ladderId, 'aurskog-holand');
    assert.equal(m.approvalReminderWorkingDays, 3);
    assert.equal(m.retentionMonthsAfterClosure, 12);
    assert.deepEqual(m.units[0]?.staff, [], 'staff is optional: a unit may list its leaders only');
    assert.deepEqual(directoryProblems(m, 'file'), []);
  });

  it('refuses a unit listed twice; a unit without a leader in file mode, without groups in graph mode', () => {
    assert.equal(MunicipalitySchema.safeParse({ ...base, units: [base.units[0], base.units[0]] }).success, false);
    const leaderless = MunicipalitySchema.parse({ ...base, units: [{ ...base.units[0], leaders: [] }] });
    assert.deepEqual(
      directoryProblems(leaderless, 'file').map((p) => p.path),
      ['units.0.leaders'],
    );
    assert.deepEqual(
      directoryProblems(leaderless, 'graph').map((p) => p.path),
      ['units.0.groups'],
    );
    const grouped = { ...base.units[0], leaders: [], groups: { staff: '6d3b3c9e-1f7a-4c2e-9b1d-0a2b3c4d5e6f', leaders: 'owners' } };
    assert.deepEqual(directoryProblems(MunicipalitySchema.parse({ ...base, units: [grouped] }), 'graph'), []);
    const notAGroup = { ...grouped, groups: { staff: "x' or id eq 'y", leaders: 'owners' } };
    assert.equal(MunicipalitySchema.safeParse({ ...base, units: [notAGroup] }).success, false, 'a group id is a GUID, nothing else');
  });
});
