/**
 * Laget never stores a Norwegian identity number: a fødselsnummer, a D-nummer or an H-nummer
 * (11 digits: the date of birth DDMMYY, an individual number of three digits, two mod-11 check
 * digits). People type them in many spellings: "120318 12345", "12.03.18 12345", with the en dash
 * Word and Teams put in by themselves ("120318–12345"), a no-break or a zero-width space, or
 * full-width digits from a phone keyboard. Every check here first brings text to one form:
 * Unicode NFKC (full-width digits become 0–9), format characters removed (zero-width spaces,
 * joiners, soft hyphens, direction marks), and dashes of every kind, dots and spaces of every
 * kind read as separators.
 *
 * Two checks, for two purposes:
 * - `identityNumbersIn` (free text that can leave the owner's chat, and every text a command
 *   stores): the 11-digit numbers, written with or without separators, whose date part is a date
 *   and whose two check digits are right. A phone number, a date, a case code or a number that
 *   fails its check digits is not one, so a person's ordinary writing is not refused.
 * - `hasElevenDigitRun` (the alias): 11 digits in a row once separators are gone, valid or not.
 */

/** Dashes (hyphen, en and em dash, figure dash, minus sign …), dots, slashes and spaces of every kind, tabs and line breaks. */
const SEPARATORS = String.raw`\p{Pd}\u2212\u2010\u2011./\p{Zs}\s`;
/** Digits joined only by separators: "12.03.18 12345", "120318–12345", "987 65 432". */
const DIGIT_CHUNK = new RegExp(String.raw`\d(?:[\d${SEPARATORS}]*\d)?`, 'gu');
const SEPARATOR_RUN = new RegExp(`[${SEPARATORS}]+`, 'gu');

/** NFKC, then no format characters (zero-width spaces and joiners, soft hyphens, direction marks). */
function normaliseForIdentityCheck(text: string): string {
  return text.normalize('NFKC').replace(/\p{Cf}/gu, '');
}

/**
 * The identity numbers in a text, as 11 plain digits. A number may be written in groups joined by
 * separators ("12.03.18 12345"): every run of whole groups that adds up to 11 digits is a
 * candidate. Groups are never cut, so two dates next to each other ("13.05.2024-17.05.2024") or a
 * date next to a phone number do not combine into a false number.
 */
export function identityNumbersIn(text: string): string[] {
  const found = new Set<string>();
  for (const chunk of normaliseForIdentityCheck(text).match(DIGIT_CHUNK) ?? []) {
    const groups = chunk.split(SEPARATOR_RUN);
    for (let first = 0; first < groups.length; first += 1) {
      let digits = '';
      for (let last = first; last < groups.length && digits.length < 11; last += 1) {
        digits += groups[last];
        if (digits.length === 11 && isValidIdentityNumber(digits)) found.add(digits);
      }
    }
  }
  return [...found];
}

export function containsIdentityNumber(text: string): boolean {
  return identityNumbersIn(text).length > 0;
}

/**
 * The alias check: 11 digits in a row once separators and format characters are gone, whether
 * the check digits are right or not. An alias is initials or a nickname and never needs eleven
 * digits; a mistyped identity number (or one under the new rules from 2032, or a foreign one) is
 * still a person's number to whoever reads it — and the alias is the one piece of the case that
 * is shown to the leader and on the owner's lists — so here nothing that long gets in.
 */
export function hasElevenDigitRun(text: string): boolean {
  return /\d{11}/.test(normaliseForIdentityCheck(text).replace(SEPARATOR_RUN, ''));
}

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/**
 * Whether 11 digits are a valid fødselsnummer, D-nummer (day + 40) or H-nummer (month + 40), also
 * the synthetic test numbers of Skatteetaten's Tenor (month + 80): a real date in a century the
 * individual number allows, and both mod-11 check digits right.
 */
export function isValidIdentityNumber(digits: string): boolean {
  if (!/^\d{11}$/.test(digits)) return false;
  const d = Array.from(digits, Number);
  if (checkDigit(d, K1_WEIGHTS) !== d[9] || checkDigit(d, K2_WEIGHTS) !== d[10]) return false;
  let day = d[0]! * 10 + d[1]!;
  let month = d[2]! * 10 + d[3]!;
  const year = d[4]! * 10 + d[5]!;
  if (day > 40) day -= 40; // D-nummer
  if (month > 80)
    month -= 80; // Skatteetaten's synthetic test numbers
  else if (month > 40) month -= 40; // H-nummer (and NAV's synthetic numbers)
  const individual = d[6]! * 100 + d[7]! * 10 + d[8]!;
  return centuriesOf(individual, year).some((century) => isDate(century + year, month, day));
}

/** The mod-11 check digit over the digits before it, or -1 when none exists (a remainder of 1). */
function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  const sum = weights.reduce((total, weight, i) => total + weight * digits[i]!, 0);
  const digit = 11 - (sum % 11);
  return digit === 11 ? 0 : digit === 10 ? -1 : digit;
}

/** The centuries an individual number stands for with this two-digit year (both, where the rules leave it open). */
function centuriesOf(individual: number, year: number): number[] {
  if (individual <= 499) return [1900];
  if (individual <= 749 && year >= 54) return [1800];
  if (year <= 39) return [2000];
  if (individual >= 900) return [1900];
  return [1900, 2000];
}

function isDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

/**
 * The first text field of a command-like value that holds an identity number, as a dotted path
 * ('alias', 'answers.seenOrHeard', 'goals.0.text'), or null. An `alias` is held to the stricter
 * alias check. Keys that hold ids (`id`, `…Id`, `…Ids`) are opaque references, not text, and are skipped.
 */
export function findNationalId(value: unknown, path: string = ''): string | null {
  if (typeof value === 'string') {
    const isAlias = path === 'alias' || path.endsWith('.alias');
    return (isAlias ? hasElevenDigitRun(value) : containsIdentityNumber(value)) ? path : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const hit = findNationalId(item, path === '' ? String(index) : `${path}.${index}`);
      if (hit !== null) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isIdKey(key)) continue;
      const hit = findNationalId(item, path === '' ? key : `${path}.${key}`);
      if (hit !== null) return hit;
    }
  }
  return null;
}

function isIdKey(key: string): boolean {
  return key === 'id' || key === 'type' || /Ids?$/.test(key);
}
