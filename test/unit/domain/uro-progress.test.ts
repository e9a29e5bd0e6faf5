import assert from 'node:assert/strict';
import { buildScenarioCase, ehStage1Script } from '../../../src/domain/fixtures/scenarios';
import { runScript } from '../../../src/domain/fixtures/script';
import { loadLadder } from '../../../src/domain/ladder';
import { MunicipalitySchema, unitsLedBy } from '../../../src/domain/municipality';
import { addWorkingDays } from '../../../src/domain/time';
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
    const c = runScript(ladder, [ehStage1Script()[0]!, { ...ehStage1Script()[1]!, command: { type: 'place-in-zone', zoneId: 'none' } }]).case;
    assert.equal(uroPosition(c, ladder), 'no-worry');
  });

  it('goes to the report path, never part B, when violence or abuse is suspected (rule 2)', () => {
    const first = ehStage1Script()[0]!;
    const c = runScript(ladder, [{ ...first, command: { ...first.command, safety: { dangerNow: false, suspectedViolenceOrAbuse: true } } } as typeof first]).case;
    assert.equal(uroPosition(c, ladder), 'report-path');
  });

  it('goes to the report path when there is danger now', () => {
    const first = ehStage1Script()[0]!;
    const c = runScript(ladder, [{ ...first, command: { ...first.command, safety: { dangerNow: true, suspectedViolenceOrAbuse: false } } } as typeof first]).case;
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
    assert.deepEqual(unitsLedBy(m, 'aad-a').map((u) => u.id), ['a-skole']);
  });

  it('refuses a unit listed twice and a unit without a leader', () => {
    assert.equal(MunicipalitySchema.safeParse({ ...base, units: [base.units[0], base.units[0]] }).success, false);
    assert.equal(MunicipalitySchema.safeParse({ ...base, units: [{ ...base.units[0], leaders: [] }] }).success, false);
  });
});
