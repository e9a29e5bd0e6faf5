/**
 * Synthetic Norwegian identity numbers for tests, made by the rules themselves (not by the code
 * under test): a date, an individual number its century allows, two mod-11 check digits. And
 * the spellings people type them in.
 */

export type IdentityKind = 'fødselsnummer' | 'd-nummer' | 'h-nummer' | 'synthetic';

const two = (n: number) => String(n).padStart(2, '0');

function mod11(digits: readonly number[], weights: readonly number[]): number | undefined {
  const rest = weights.reduce((sum, w, i) => sum + w * digits[i]!, 0) % 11;
  if (rest === 1) return undefined; // no digit makes it right: this individual number is never given
  return rest === 0 ? 0 : 11 - rest;
}

/**
 * A valid number for someone born on `born` (1900–2039), of the given kind: D-nummer adds 40 to
 * the day, H-nummer 40 to the month, Skatteetaten's synthetic test numbers 80 to the month.
 * `pick` chooses the individual number; undefined when none near it has check digits.
 */
export function identityNumber(born: Date, kind: IdentityKind, pick: number): string | undefined {
  const year = born.getUTCFullYear();
  const yy = year % 100;
  const individuals = year >= 2000 ? { from: 500, to: 999 } : yy >= 40 && pick % 2 === 1 ? { from: 900, to: 999 } : { from: 0, to: 499 };
  const day = born.getUTCDate() + (kind === 'd-nummer' ? 40 : 0);
  const month = born.getUTCMonth() + 1 + (kind === 'h-nummer' ? 40 : kind === 'synthetic' ? 80 : 0);
  const span = individuals.to - individuals.from + 1;
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const individual = individuals.from + ((pick + attempt) % span);
    const nine = Array.from(`${two(day)}${two(month)}${two(yy)}${String(individual).padStart(3, '0')}`, Number);
    const k1 = mod11(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === undefined) continue;
    const k2 = mod11([...nine, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k2 === undefined) continue;
    return [...nine, k1, k2].join('');
  }
  return undefined;
}

const SEPARATORS = [' ', '-', '–', '—', '\u2011', '\u2212', '\u00a0', '\u202f', '\u2009', '.', '/', '  '];
const ZERO_WIDTH = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad'];

const fullWidth = (text: string) => text.replace(/\d/g, (c) => String.fromCodePoint(0xff10 + Number(c)));

/** The ways a person might write these 11 digits. */
export function spellings(digits: string): string[] {
  const [d, m, y, n] = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4, 6), digits.slice(6)];
  const date = `${d}${m}${y}`;
  return [
    digits,
    ...SEPARATORS.map((sep) => `${date}${sep}${n}`),
    `${d}.${m}.${y} ${n}`,
    `${d}.${m}.${y}-${n}`,
    `${d}.${m}.${y}–${n}`,
    `${d} ${m} ${y} ${n.slice(0, 3)} ${n.slice(3)}`,
    `${date.slice(0, 3)} ${date.slice(3)} ${n.slice(0, 3)} ${n.slice(3)}`,
    ...ZERO_WIDTH.map((zw) => Array.from(digits).join(zw)),
    `${date}\u200b${n}`,
    fullWidth(digits),
    fullWidth(`${date}–${n}`),
    fullWidth(`${d}.${m}.${y}\u00a0${n}`),
    `${fullWidth(date)} ${n}`,
  ];
}
