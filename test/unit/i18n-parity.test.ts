import { strict as assert } from 'node:assert';
import { en } from '../../src/i18n/en';
import { nb } from '../../src/i18n/nb';

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
