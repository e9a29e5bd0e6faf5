import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AliasSchema } from '../../../src/domain/case';
import { CASE_CODE_ALPHABET, CaseCodeSchema, generateCaseCode, randomIntFrom } from '../../../src/domain/case-code';
import { IsoDateSchema, IsoDateTimeSchema } from '../../../src/domain/primitives';
import { containsIdentityNumber, findNationalId } from '../../../src/domain/national-id';
import { addDays, dayOf, daysBetween } from '../../../src/domain/time';

describe('the case code', () => {
  it('looks like UR-7K4Q and is drawn from an unambiguous alphabet without vowels', () => {
    assert.equal(CASE_CODE_ALPHABET.length, 27);
    for (const confusing of ['0', 'O', '1', 'I', 'L', 'A', 'E', 'U', 'Y']) assert.ok(!CASE_CODE_ALPHABET.includes(confusing), confusing);
    assert.ok(CaseCodeSchema.safeParse('UR-7K4Q').success);
    assert.ok(!CaseCodeSchema.safeParse('UR-7K4O').success);
    assert.ok(!CaseCodeSchema.safeParse('EH-7K4Q').success);
  });

  it('comes from the injected random source, not from the child', () => {
    const sequence = [5, 15, 2, 19];
    let i = 0;
    assert.equal(
      generateCaseCode(() => sequence[i++] ?? 0),
      'UR-7K4Q',
    );
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.9999999, noNaN: true }), { minLength: 8, maxLength: 8 }), (draws) => {
        let j = 0;
        const code = generateCaseCode(
          randomIntFrom(() => draws[j++] ?? 0),
          6,
        );
        return CaseCodeSchema.safeParse(code).success && code.length === 9;
      }),
    );
  });

  it('refuses a random source that misbehaves', () => {
    assert.throws(() => generateCaseCode(() => 27), RangeError);
    assert.throws(() => generateCaseCode(() => 0, 3), RangeError);
  });
});

// More, as properties over every spelling: national-id.test.ts.
describe('national identity numbers', () => {
  it('are found in every usual written form (valid numbers: check digits right)', () => {
    for (const text of ['01020310045', 'fnr 01020310045', '010203 10045', '010203-10045', '01 02 03 100 45', 'nr:41020310039x']) {
      assert.ok(containsIdentityNumber(text), text);
    }
  });

  it('leave initials, dates, phone numbers and date ranges alone', () => {
    for (const text of ['E.H.', 'EH 5B', '13.05.2024-17.05.2024', 'Ring 22 33 44 55', '2025-09-01', 'uke 36, 3 av 5 dager']) {
      assert.ok(!containsIdentityNumber(text), text);
    }
  });

  it('are looked for in every text field of a command, but not in ids', () => {
    assert.equal(findNationalId({ type: 'x', goal: { text: 'Mål 01020310045' } }), 'goal.text');
    assert.equal(
      findNationalId({ caseId: 'UR-7K4Q', personId: '12345678-9012-3456-7890-123456789012', to: { id: '12345678901234' } }),
      null,
    );
  });

  it('can never be stored as an alias', () => {
    assert.ok(!AliasSchema.safeParse('01020312345').success, 'any 11 digits, valid or not');
    assert.ok(!AliasSchema.safeParse('010203 12345').success);
    assert.ok(!AliasSchema.safeParse('123456789012').success);
    assert.ok(AliasSchema.safeParse('E.H.').success);
    assert.ok(!AliasSchema.safeParse('x'.repeat(41)).success);
  });
});

describe('a calendar day (YYYY-MM-DD)', () => {
  it('is accepted only when the day exists', () => {
    for (const day of ['2026-11-23', '2028-02-29', '2026-12-31', '2000-02-29']) assert.ok(IsoDateSchema.safeParse(day).success, day);
    for (const day of ['2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-11-00', '1900-02-29', '23.11.2026', '2026-1-5']) {
      assert.ok(!IsoDateSchema.safeParse(day).success, day);
    }
  });
});

describe('an instant (as toISOString writes it)', () => {
  it('is accepted in UTC with milliseconds, on a day that exists', () => {
    for (const instant of ['2026-11-23T08:00:00.000Z', '2028-02-29T23:59:59.999Z', new Date().toISOString()])
      assert.ok(IsoDateTimeSchema.safeParse(instant).success, instant);
    for (const instant of [
      '2026-02-29T08:00:00.000Z',
      '2026-11-23T08:00:00Z',
      '2026-11-23T24:00:00.000Z',
      '2026-11-23T08:00:00.000+01:00',
      '2026-11-23',
    ]) {
      assert.ok(!IsoDateTimeSchema.safeParse(instant).success, instant);
    }
  });
});

describe('dates in Europe/Oslo', () => {
  it('takes the calendar day in Oslo, not in UTC', () => {
    assert.equal(dayOf(new Date('2025-09-01T22:30:00.000Z')), '2025-09-02'); // 00:30 in Oslo (summer time)
    assert.equal(dayOf(new Date('2025-12-01T22:30:00.000Z')), '2025-12-01'); // 23:30 in Oslo (winter time)
    assert.equal(dayOf(new Date('2025-09-01T22:30:00.000Z'), 'UTC'), '2025-09-01');
  });

  it('counts calendar days across the change to winter time', () => {
    assert.equal(addDays('2025-10-20', 14), '2025-11-03');
    assert.equal(daysBetween('2025-10-20', '2025-11-03'), 14);
  });
});
