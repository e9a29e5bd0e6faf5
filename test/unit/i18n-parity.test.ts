import { strict as assert } from 'node:assert';
import { catalogue, format } from '../../src/i18n';
import { en } from '../../src/i18n/en';
import { nb, type Translation } from '../../src/i18n/nb';

/**
 * The compiler checks that English has every key bokmål has; it cannot see inside the strings. A
 * sentence whose translation lost, misspelt or added a `{placeholder}` shows the raw `{name}` (or
 * drops a date) to every English-speaking user, and a list with another length shifts every item
 * after the gap. This walks both catalogues side by side.
 */
type Mismatch = { path: string; problem: string };

const placeholders = (sentence: string): string[] => [...new Set(sentence.match(/\{\w+\}/g) ?? [])].sort();

function compare(path: string, left: unknown, right: unknown, found: Mismatch[]): void {
  if (typeof left === 'string' || typeof right === 'string') {
    if (typeof left !== 'string' || typeof right !== 'string') {
      found.push({ path, problem: 'a sentence in one language, something else in the other' });
      return;
    }
    const [a, b] = [placeholders(left), placeholders(right)];
    if (a.join() !== b.join()) found.push({ path, problem: `placeholders nb ${a.join(' ') || '–'} / en ${b.join(' ') || '–'}` });
    if (left.trim() === '' || right.trim() === '') found.push({ path, problem: 'an empty sentence' });
    return;
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) {
      found.push({
        path,
        problem: `lists of ${Array.isArray(left) ? left.length : '–'} and ${Array.isArray(right) ? right.length : '–'} items`,
      });
      return;
    }
    left.forEach((item, i) => compare(`${path}[${i}]`, item, right[i], found));
    return;
  }
  if (typeof left === 'object' && left !== null && typeof right === 'object' && right !== null) {
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys)
      compare(path ? `${path}.${key}` : key, (left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key], found);
    return;
  }
  if (left !== right && typeof left !== typeof right) found.push({ path, problem: `${typeof left} / ${typeof right}` });
}

describe('the message catalogues, bokmål and English, side by side', () => {
  it('have the same sentences with the same placeholders, and lists of the same length', () => {
    const found: Mismatch[] = [];
    compare('', nb, en, found);
    assert.deepEqual(found, []);
  });

  it('notices a translation that lost a placeholder (the check itself)', () => {
    const found: Mismatch[] = [];
    compare('', { a: 'Evaluering {date}', b: ['x', 'y'] }, { a: 'Evaluation', b: ['x'] }, found);
    assert.deepEqual(
      found.map((m) => m.path),
      ['a', 'b'],
    );
  });
});

describe('placeholders, checked by the compiler', () => {
  /** Never called: each line below must fail to compile, or the type check of the tests fails. */
  const wouldNotCompile = (t = catalogue('en')): unknown[] => {
    // @ts-expect-error a value missing
    const missing = format(t.notices.title, {});
    // @ts-expect-error a value misspelt
    const misspelt = format(t.notices.title, { cod: 'UR-7K4Q' });
    // @ts-expect-error a value the sentence has no place for
    const extra = format(t.notices.title, { code: 'UR-7K4Q', owner: 'Kari' });
    // @ts-expect-error a sentence with placeholders is not text until format fills them
    const unfilled: string = t.notices.title;
    // @ts-expect-error a translation that lost bokmål's placeholder
    const lost: Translation['notices']['title'] = 'Case';
    return [missing, misspelt, extra, unfilled, lost];
  };

  it('fills a sentence with the names its bokmål text has, in either language', () => {
    assert.equal(typeof wouldNotCompile, 'function');
    assert.equal(format(catalogue('nb').notices.title, { code: 'UR-7K4Q' }), 'Sak UR-7K4Q');
    assert.equal(format(catalogue('en').notices.title, { code: 'UR-7K4Q' }), 'Case UR-7K4Q');
  });
});
