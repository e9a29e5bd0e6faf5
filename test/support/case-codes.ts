import { CASE_CODE_ALPHABET, CASE_CODE_PREFIX } from '../../src/domain/case-code';

/**
 * Deterministic, distinct case codes for fixtures that need many cases: `lead` (letters from the
 * code alphabet, e.g. "BM") followed by `n` in base 27, padded so that the body has `length` characters.
 */
export function syntheticCaseCode(n: number, lead = '', length = 4): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a case number: ${n}`);
  for (const char of lead) if (!CASE_CODE_ALPHABET.includes(char)) throw new RangeError(`"${char}" is not in the case code alphabet`);
  let body = '';
  let rest = n;
  do {
    body = CASE_CODE_ALPHABET[rest % CASE_CODE_ALPHABET.length] + body;
    rest = Math.floor(rest / CASE_CODE_ALPHABET.length);
  } while (rest > 0);
  const width = Math.max(length - lead.length, body.length);
  const code = `${CASE_CODE_PREFIX}${lead}${body.padStart(width, CASE_CODE_ALPHABET[0])}`;
  if (code.length > CASE_CODE_PREFIX.length + 8) throw new RangeError(`case number ${n} does not fit in a case code`);
  return code;
}
