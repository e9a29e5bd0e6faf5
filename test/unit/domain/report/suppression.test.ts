import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadLadder } from '../../../../src/domain/ladder';
import { ACROSS_UNITS } from '../../../../src/domain/report/counters';
import { buildReport } from '../../../../src/domain/report/figures';
import { tertial } from '../../../../src/domain/report/period';
import { suppress, type ShownCell, type SuppressedTable, type TableShape } from '../../../../src/domain/report/suppression';

/**
 * An attacker's view of a published table, worked out independently of suppression.ts: every
 * assignment of whole, non-negative numbers to the suppressed cells that fits what is shown (the
 * published cells and totals, "under t" as 0..t-1, hidden as any count) and the table's sums.
 * A small cell is "derived" when all of them give it the same value.
 */
function derivable(shape: TableShape, published: SuppressedTable): string[] {
  const { rows, cols, values, threshold } = shape;
  const m = rows.length;
  const n = cols.length;
  const grand = values.flat().reduce((s, v) => s + v, 0);
  const domain = (cell: ShownCell, max: number): number[] =>
    cell.kind === 'value' ? [cell.value] : cell.kind === 'under' ? range(0, Math.min(threshold - 1, max)) : range(0, max);
  const fits = (cell: ShownCell, value: number) =>
    cell.kind === 'value' ? cell.value === value : cell.kind === 'under' ? value < threshold : true;
  const seen: Set<number>[][] = rows.map(() => cols.map(() => new Set<number>()));
  const grid = rows.map(() => cols.map(() => 0));
  // Searching only up to the true grand total makes the oracle stricter, never laxer: more values can only hide more.
  const max = grand;
  const sensitive = values.flatMap((row, i) => row.flatMap((v, j) => (v > 0 && v < threshold ? [[i, j] as const] : [])));
  const done = () => sensitive.every(([i, j]) => seen[i]![j]!.size >= 2);
  const search = (k: number): void => {
    if (k === m * n) {
      const rowSums = grid.map((row) => row.reduce((s, v) => s + v, 0));
      const colSums = cols.map((_, j) => grid.reduce((s, row) => s + row[j]!, 0));
      if (published.rowTotals && !rowSums.every((v, i) => fits(published.rowTotals![i]!, v))) return;
      if (!colSums.every((v, j) => fits(published.colTotals[j]!, v))) return;
      if (
        published.total &&
        !fits(
          published.total,
          colSums.reduce((s, v) => s + v, 0),
        )
      )
        return;
      grid.forEach((row, i) => row.forEach((v, j) => seen[i]![j]!.add(v)));
      return;
    }
    const i = Math.floor(k / n);
    const j = k % n;
    const up = (cell: ShownCell | undefined) =>
      cell === undefined ? max : cell.kind === 'value' ? cell.value : cell.kind === 'under' ? threshold - 1 : max;
    for (const v of domain(published.cells[i]![j]!, max)) {
      grid[i]![j] = v;
      // Prune: a partial row or column over what its total can be, or a full one that does not fit it.
      const rowTotal = published.rowTotals?.[i];
      const rowSum = grid[i]!.slice(0, j + 1).reduce((s, x) => s + x, 0);
      if (rowSum > up(rowTotal)) break;
      if (rowTotal && j === n - 1 && !fits(rowTotal, rowSum)) continue;
      const colTotal = published.colTotals[j]!;
      const colSum = grid.slice(0, i + 1).reduce((s, row) => s + row[j]!, 0);
      if (colSum > up(colTotal)) break;
      if (i === m - 1 && !fits(colTotal, colSum)) continue;
      search(k + 1);
      if (done()) return;
    }
    grid[i]![j] = 0;
  };
  search(0);
  const exposed: string[] = [];
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v > 0 && v < threshold && seen[i]![j]!.size < 2) exposed.push(`${rows[i]}/${cols[j]}=${v}`);
    }),
  );
  if (published.rowTotals) {
    // A row total is derived when every cell of its row is: the cells' values pin it.
    values.forEach((row, i) => {
      const total = row.reduce((s, v) => s + v, 0);
      const sums = new Set<number>();
      // Row sums over the solutions: rebuilt from the per-cell sets only when each is a single value.
      if (row.every((_, j) => seen[i]![j]!.size === 1)) sums.add(total);
      if (total > 0 && total < threshold && published.rowTotals![i]!.kind !== 'value' && sums.size === 1)
        exposed.push(`${rows[i]}/total=${total}`);
    });
  }
  return exposed;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => from + k);
}

/** Small counts are common in a municipality's units: mostly 0–6, now and then up to 12. */
const count = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 12 }) });

const tableArb = fc
  .record({ m: fc.integer({ min: 2, max: 3 }), n: fc.integer({ min: 2, max: 3 }), additive: fc.boolean(), municipality: fc.boolean() })
  .chain(({ m, n, additive, municipality }) =>
    fc.array(fc.array(count, { minLength: n, maxLength: n }), { minLength: m, maxLength: m }).map((values): TableShape => ({
      rows: values.map((_, i) => `unit-${i}`),
      cols: values[0]!.map((_, j) => `col-${j}`),
      values,
      additive,
      totalsAreMunicipality: municipality,
      threshold: 5,
    })),
  );

describe('suppression: no child identified by a small number', () => {
  it('shows every cell under the threshold as "under 5" and keeps the municipality total', () => {
    const table = suppress({
      rows: ['a', 'b'],
      cols: ['1', '2'],
      values: [
        [3, 10],
        [12, 9],
      ],
      additive: true,
      totalsAreMunicipality: true,
      threshold: 5,
    });
    assert.deepEqual(table.cells[0]![0], { kind: 'under', threshold: 5 });
    assert.deepEqual(table.total, { kind: 'value', value: 34 });
  });

  it('hides a second cell in the row and column of a lone small cell (secondary suppression)', () => {
    const table = suppress({
      rows: ['a', 'b'],
      cols: ['1', '2'],
      values: [
        [3, 10],
        [12, 9],
      ],
      additive: true,
      totalsAreMunicipality: true,
      threshold: 5,
    });
    // Row a: 3 + 10 = 13 and column 1: 3 + 12 = 15 would give the 3 away: the others of the cycle are hidden.
    assert.equal(table.cells.flat().filter((c) => c.kind === 'hidden').length, 3);
    const shape: TableShape = {
      rows: ['a', 'b'],
      cols: ['1', '2'],
      values: [
        [3, 10],
        [12, 9],
      ],
      additive: true,
      totalsAreMunicipality: true,
      threshold: 5,
    };
    assert.deepEqual(derivable(shape, table), []);
  });

  it('finds a small cell derived from the totals when nothing else is hidden (the oracle can fail)', () => {
    const shape: TableShape = {
      rows: ['a', 'b'],
      cols: ['1', '2'],
      values: [
        [3, 10],
        [12, 9],
      ],
      additive: true,
      totalsAreMunicipality: true,
      threshold: 5,
    };
    const onlyPrimary: SuppressedTable = {
      rows: shape.rows,
      cols: shape.cols,
      cells: [
        [
          { kind: 'under', threshold: 5 },
          { kind: 'value', value: 10 },
        ],
        [
          { kind: 'value', value: 12 },
          { kind: 'value', value: 9 },
        ],
      ],
      rowTotals: [
        { kind: 'value', value: 13 },
        { kind: 'value', value: 21 },
      ],
      colTotals: [
        { kind: 'value', value: 15 },
        { kind: 'value', value: 19 },
      ],
      total: { kind: 'value', value: 34 },
    };
    assert.deepEqual(derivable(shape, onlyPrimary), ['a/1=3']);
  });

  it('property: no published table lets a cell under the threshold be derived', () => {
    fc.assert(
      fc.property(tableArb, (shape) => {
        const published = suppress(shape);
        // Nothing under the threshold is ever shown as a number, except the municipality's own totals.
        published.cells.flat().forEach((cell) => assert.ok(cell.kind !== 'value' || cell.value >= 5));
        (published.rowTotals ?? []).forEach((cell) => assert.ok(cell.kind !== 'value' || cell.value >= 5));
        assert.deepEqual(derivable(shape, published), [], JSON.stringify({ shape, published }));
      }),
      { numRuns: 300, seed: 1717 },
    );
  });

  it('property: the team meetings figure, the row of teams across units included, lets no small cell be derived', () => {
    const ladder = loadLadder('aurskog-holand');
    const rowsArb = fc.array(fc.array(count, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 3 });
    fc.assert(
      fc.property(rowsArb, fc.boolean(), (values, municipality) => {
        const counters = values.map(([held, anonymous, named], i) => ({
          unitId: `unit-${i}`,
          flows: { 'team-meeting.held': held!, 'team-meeting.items.anonymous': anonymous!, 'team-meeting.items.named': named! },
          state: {},
        }));
        // The coordinator's report: the last row is the teams across units'. A leader's: units only.
        const across = municipality ? { ...counters.at(-1)!, unitId: ACROSS_UNITS } : undefined;
        const report = buildReport({
          scope: municipality ? { kind: 'municipality' } : { kind: 'units', unitIds: counters.map((c) => c.unitId) },
          ladder,
          period: tertial('2026-T1'),
          today: '2026-05-01',
          rules: { threshold: 5, approvalLimitWorkingDays: 3, handoverLimitDays: 7 },
          units: municipality ? counters.slice(0, -1) : counters,
          ...(across ? { acrossUnits: across } : {}),
          trend: [],
        });
        const published = report.figures.find((f) => f.id === 'team-meetings')!.table!;
        assert.equal(published.rows.at(-1) === ACROSS_UNITS, municipality);
        const shape: TableShape = {
          rows: published.rows,
          cols: published.cols,
          values,
          additive: false,
          totalsAreMunicipality: municipality,
          threshold: 5,
        };
        published.cells.flat().forEach((cell) => assert.ok(cell.kind !== 'value' || cell.value >= 5));
        assert.deepEqual(derivable(shape, published), [], JSON.stringify({ shape, published }));
      }),
      { numRuns: 200, seed: 1718 },
    );
  });
});
