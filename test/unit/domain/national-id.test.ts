import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AliasSchema } from '../../../src/domain/case';
import { findNationalId, hasElevenDigitRun, identityNumbersIn, isValidIdentityNumber } from '../../../src/domain/national-id';
import { identityNumber, spellings, type IdentityKind } from '../../support/identity-numbers';

/**
 * Identity numbers in every spelling people type them in are found; a person's ordinary writing
 * (dates, phone numbers, case codes, a number that fails its check digits) is not refused.
 * The numbers are made here by an oracle of the test's own (test/support/identity-numbers.ts).
 */

const SEED = Number(process.env.PROPERTY_SEED ?? 20261204);
const runs = (numRuns: number) => ({ seed: SEED, numRuns });

/** A valid number of any kind, born 1900–2039, with an individual number its century allows. */
const validNumbers: fc.Arbitrary<string> = fc
  .record({
    born: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2039-12-31T00:00:00Z'), noInvalidDate: true }),
    kind: fc.constantFrom<IdentityKind>('fødselsnummer', 'd-nummer', 'h-nummer', 'synthetic'),
    pick: fc.integer({ min: 0, max: 10_000 }),
  })
  .map(({ born, kind, pick }) => identityNumber(born, kind, pick))
  .filter((digits): digits is string => digits !== undefined);

const spelled = validNumbers.chain((digits) => fc.constantFrom(...spellings(digits)).map((text) => ({ digits, text })));

/** Text around a number, as it would be written in a note. */
const around = fc.record({
  before: fc.constantFrom('', 'fnr ', 'Barnet, ', 'født ', '(', 'Elev nr. '),
  after: fc.constantFrom('', '.', ' i dag', ')', ', tlf kommer'),
});

const months = ['januar', 'februar', 'mars', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'desember'];
const two = (n: number) => String(n).padStart(2, '0');

/** Dates as staff write them: alone, in ranges, with a time. */
const ordinaryDates = fc
  .record({
    a: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }),
    b: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }),
    dash: fc.constantFrom('-', '–', ' - ', ' – ', ' til '),
    hour: fc.integer({ min: 0, max: 23 }),
  })
  .chain(({ a, b, dash, hour }) => {
    const [d, m, y] = [a.getUTCDate(), a.getUTCMonth() + 1, a.getUTCFullYear()];
    const other = `${two(b.getUTCDate())}.${two(b.getUTCMonth() + 1)}.${b.getUTCFullYear()}`;
    return fc.constantFrom(
      `${two(d)}.${two(m)}.${y}`,
      `${d}.${m}.${y}`,
      `${two(d)}.${two(m)}.${String(y).slice(2)}`,
      `${y}-${two(m)}-${two(d)}`,
      `${d}. ${months[m - 1]} ${y}`,
      `${two(d)}.${two(m)}.${y}${dash}${other}`,
      `${two(d)}.${two(m)}.${String(y).slice(2)}${dash}${other.slice(0, 6)}${other.slice(8)}`,
      `${two(d)}.${two(m)}.${y} kl. ${two(hour)}.30`,
      `møte ${two(d)}.${two(m)}.${y} ${two(hour)}:15–${two(hour)}:45`,
    );
  });

/** Norwegian phone numbers (8 digits) as people write them. */
const phoneNumbers = fc
  .tuple(fc.constantFrom('2', '4', '5', '9'), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([first, rest]) => `${first}${String(rest).padStart(7, '0')}`)
  .chain((n) =>
    fc.constantFrom(
      n,
      `${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`,
      `${n.slice(0, 2)} ${n.slice(2, 4)} ${n.slice(4, 6)} ${n.slice(6)}`,
      `+47 ${n}`,
      `+47 ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`,
      `0047 ${n}`,
      `tlf. ${n}, mobil ${n.slice(0, 3)} ${n.slice(3, 5)} ${n.slice(5)}`,
    ),
  );

const caseCodes = fc
  .stringMatching(/^[0-9A-Z]{4,8}$/)
  .map((code) => `UR-${code}`)
  .chain((code) => fc.constantFrom(code, `Sak ${code}`, `${code} (E.H.)`, `${code}, ${code}`));

describe('identity numbers (fødselsnummer, D-nummer, H-nummer)', () => {
  it('finds every valid number in every spelling, in any text around it', () => {
    fc.assert(
      fc.property(spelled, around, ({ digits, text }, { before, after }) => {
        assert.deepEqual(identityNumbersIn(`${before}${text}${after}`), [digits], JSON.stringify(text));
      }),
      runs(2000),
    );
  });

  it('refuses every valid number in every spelling as an alias, and in any text field of a command', () => {
    fc.assert(
      fc.property(spelled, ({ text }) => {
        assert.equal(AliasSchema.safeParse(text).success, false, JSON.stringify(text));
        assert.equal(findNationalId({ type: 'record-part-a', answers: { seenOrHeard: `Sa ${text} i dag` } }), 'answers.seenOrHeard');
      }),
      runs(1000),
    );
  });

  it('refuses any 11 digits in a row as an alias, even when the check digits are wrong', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (digits) => {
        const spelledOut = `${digits.slice(0, 2)}.${digits.slice(2, 4)}.${digits.slice(4, 6)}\u00a0${digits.slice(6)}`;
        for (const alias of [digits, spelledOut, `E.H. ${digits}`]) {
          assert.ok(hasElevenDigitRun(alias), alias);
          assert.equal(AliasSchema.safeParse(alias).success, false, alias);
        }
      }),
      runs(300),
    );
  });

  it('finds no number in ordinary dates, phone numbers and case codes', () => {
    fc.assert(
      fc.property(fc.oneof(ordinaryDates, phoneNumbers, caseCodes), (text) => {
        assert.deepEqual(identityNumbersIn(text), [], JSON.stringify(text));
        assert.equal(findNationalId({ type: 'add-goal', goal: { text } }), null);
      }),
      runs(3000),
    );
  });

  it('lets 11 digits whose check digits are wrong through in free text (they are not a person’s number)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (digits) => {
        fc.pre(!isValidIdentityNumber(digits));
        assert.deepEqual(identityNumbersIn(`ref ${digits}`), []);
      }),
      runs(300),
    );
  });

  it('lets ordinary aliases through', () => {
    for (const alias of ['E.H.', 'EH', 'Gutten i 2B', 'M. (5 år)', 'J. født 2019', 'Elev 12', 'A.B. 12.03']) {
      assert.ok(AliasSchema.safeParse(alias).success, alias);
    }
  });

  it('knows the spellings the issue found: dots, an en dash, a no-break and a zero-width space, full-width digits', () => {
    const digits = identityNumber(new Date('2018-03-12T00:00:00Z'), 'fødselsnummer', 7)!;
    const [d, m, y, n] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6), digits.slice(6)];
    for (const text of [
      `${d}.${m}.${y} ${n}`,
      `${d}${m}${y}–${n}`,
      `${d}${m}${y}\u00a0${n}`,
      `${d}${m}${y}\u200b${n}`,
      Array.from(digits, (c) => String.fromCodePoint(0xff10 + Number(c))).join(''),
    ]) {
      assert.deepEqual(identityNumbersIn(text), [digits], JSON.stringify(text));
      assert.equal(AliasSchema.safeParse(text).success, false, JSON.stringify(text));
    }
  });
});
