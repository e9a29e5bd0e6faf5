/**
 * Laget never stores a national identity number (fødselsnummer, D-number, H-number: 11 digits).
 * The check is deliberately wider than a checksum test: a mistyped number is still personal data,
 * and an alias or a note has no business holding 11 digits in a row.
 *
 * Refused:
 * - 11 or more consecutive digits anywhere ("01020312345", "ref 123456789012");
 * - the usual written forms "DDMMYY NNNNN", "DDMMYY-NNNNN", "DDMMYY.NNNNN";
 * - runs made only of digits and spaces that add up to 11 or more digits ("010 203 123 45").
 * Dates, phone numbers and date ranges with separators ("13.05.2024-17.05.2024") pass.
 */
export function containsNationalId(text: string): boolean {
  if (/\d{11}/.test(text)) return true;
  if (/(?<!\d)\d{6}[ .\-/]\d{5}(?!\d)/.test(text)) return true;
  for (const run of text.match(/[\d ]+/g) ?? []) {
    if (run.replace(/ /g, '').length >= 11) return true;
  }
  return false;
}

/**
 * The first free-text field of a command-like value that holds something shaped like a national id,
 * as a dotted path ('alias', 'answers.seenOrHeard', 'goals.0.text'), or null.
 * Keys that hold ids (`id`, `…Id`, `…Ids`) are opaque references, not text, and are skipped.
 */
export function findNationalId(value: unknown, path: string = ''): string | null {
  if (typeof value === 'string') return containsNationalId(value) ? path : null;
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
