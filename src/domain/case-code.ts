import { z } from 'zod';

/**
 * The case code: the only name Laget gives a case, e.g. `UR-7K4Q`. Random, never derived from
 * the child. The alphabet leaves out 0, 1 and L (confused with O, I and each other when read
 * aloud or copied by hand) and every vowel (A E I O U Y), so that codes never spell words:
 * 8 digits and 19 consonants, 27^4 ≈ 531 000 codes of length 4.
 */
export const CASE_CODE_PREFIX = 'UR-';
export const CASE_CODE_ALPHABET = '23456789BCDFGHJKMNPQRSTVWXZ';
const CASE_CODE_LENGTH = 4;

export const CaseCodeSchema = z.string().regex(new RegExp(`^UR-[${CASE_CODE_ALPHABET}]{4,8}$`), 'expected a case code such as UR-7K4Q');
export type CaseCode = z.infer<typeof CaseCodeSchema>;

/** A source of uniform random integers in [0, maxExclusive) — `crypto.randomInt` fits as it is. */
export type RandomInt = (maxExclusive: number) => number;

/** A new random case code. The store must still refuse a duplicate id and ask for another one. */
export function generateCaseCode(randomInt: RandomInt, length: number = CASE_CODE_LENGTH): CaseCode {
  if (!Number.isInteger(length) || length < 4 || length > 8) throw new RangeError('case code length must be 4–8');
  let body = '';
  for (let i = 0; i < length; i += 1) {
    const index = randomInt(CASE_CODE_ALPHABET.length);
    if (!Number.isInteger(index) || index < 0 || index >= CASE_CODE_ALPHABET.length) {
      throw new RangeError(`random source returned ${index}, outside [0, ${CASE_CODE_ALPHABET.length})`);
    }
    body += CASE_CODE_ALPHABET[index];
  }
  return `${CASE_CODE_PREFIX}${body}`;
}

/** Adapts a `() => number in [0, 1)` source (e.g. a seeded generator in tests) to a RandomInt. */
export function randomIntFrom(random: () => number): RandomInt {
  return (maxExclusive) => Math.min(maxExclusive - 1, Math.floor(random() * maxExclusive));
}
