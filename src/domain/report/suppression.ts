/**
 * No child identified by a small number. A table of counts (rows: units; columns: steps, reasons
 * …) with its totals is published only after
 *
 * - **primary suppression**: every cell below the threshold (default 5, zero included) that is a
 *   breakdown below the municipality total is shown as "under 5";
 * - **secondary suppression**: further cells are hidden until no cell under the threshold can be
 *   worked out from what is shown — the totals, the other cells, and what the marks themselves
 *   say ("under 5" is 0–4; a hidden cell could be anything; no count is negative). When the
 *   municipality's own totals pin small cells whatever else is hidden (two units, "under 5"
 *   each, total 8), those cells are shown as hidden rather than "under 5".
 *
 * The check is exact. With every total written as a negative entry, each line (row or column)
 * of the table sums to zero, so the suppressed cells are the edges of a bipartite graph between
 * lines, and the table's other solutions differ from the true one by circulations on it. A
 * suppressed cell can take another value if and only if it lies on a cycle that can carry one
 * unit of change within every bound on the way: a path search in the residual graph
 * (`canMove`). A line whose total is not published constrains nothing; such lines are merged
 * into one free node. Zero cells are shown as "under 5" too, but need no protection: a zero
 * identifies nobody.
 */

export type TableShape = {
  rows: readonly string[];
  cols: readonly string[];
  /** values[row][col]: counts, whole and not negative. */
  values: readonly (readonly number[])[];
  /**
   * Additive tables (open cases per step) have row totals, column totals and a grand total.
   * Other tables (one figure per column: consents given, refused …) have column totals only.
   */
  additive: boolean;
  /**
   * The municipality's totals (the grand total of an additive table, each column total of the
   * other kind) are published as they are: the whole municipality is not a breakdown.
   */
  totalsAreMunicipality: boolean;
  threshold: number;
};

export type ShownCell = { kind: 'value'; value: number } | { kind: 'under'; threshold: number } | { kind: 'hidden' };

export type SuppressedTable = {
  rows: readonly string[];
  cols: readonly string[];
  cells: ShownCell[][];
  /** Row totals (additive tables only). */
  rowTotals: ShownCell[] | null;
  colTotals: ShownCell[];
  /** The grand total (additive tables only). */
  total: ShownCell | null;
};

type Edge = {
  /** The row-side and column-side node (lines); 'F' is every line whose total is not published. */
  a: string;
  b: string;
  /** +1 for a cell, -1 for a total: every line then sums to zero. */
  sign: 1 | -1;
  value: number;
  /** Never hidden as secondary (the totals that are published unless themselves small). */
  totalLike: boolean;
  /** Never suppressed at all: the municipality's own totals. */
  exempt: boolean;
  primary: boolean;
  suppressed: boolean;
  /** How a suppressed edge is shown: "under t" tells the reader 0..t-1, "hidden" nothing. */
  label: 'under' | 'hidden';
  /** Where the edge is shown: [row, col] with -1 for the totals' row/column. */
  at: [number, number];
};

const FREE = 'F';

export function suppress(shape: TableShape): SuppressedTable {
  const edges = edgesOf(shape);
  for (const e of edges) {
    e.primary = !e.exempt && e.value < shape.threshold;
    e.suppressed = e.primary;
    if (e.primary) e.label = 'under';
  }
  protect(edges, shape.threshold);
  return publish(shape, edges);
}

function edgesOf(shape: TableShape): Edge[] {
  const { rows, cols, values, additive } = shape;
  const edges: Edge[] = [];
  const rowNode = (i: number) => (additive ? `r${i}` : FREE);
  const add = (a: string, b: string, sign: 1 | -1, value: number, at: [number, number], totalLike: boolean, exempt: boolean) =>
    edges.push({ a, b, sign, value, totalLike, exempt, primary: false, suppressed: false, label: 'hidden', at });
  rows.forEach((_, i) => cols.forEach((_, j) => add(rowNode(i), `c${j}`, 1, values[i]![j]!, [i, j], false, false)));
  const colSum = (j: number) => rows.reduce((sum, _, i) => sum + values[i]![j]!, 0);
  if (additive) {
    // Row totals (lines r_i ↔ the totals column cT), column totals (rT ↔ c_j), the grand total (rT ↔ cT).
    rows.forEach((_, i) =>
      add(
        `r${i}`,
        'cT',
        -1,
        values[i]!.reduce((s, v) => s + v, 0),
        [i, -1],
        false,
        false,
      ),
    );
    cols.forEach((_, j) => add('rT', `c${j}`, -1, colSum(j), [-1, j], false, false));
    const total = cols.reduce((sum, _, j) => sum + colSum(j), 0);
    add('rT', 'cT', 1, total, [-1, -1], true, shape.totalsAreMunicipality);
  } else {
    cols.forEach((_, j) => add(FREE, `c${j}`, -1, colSum(j), [-1, j], true, shape.totalsAreMunicipality));
  }
  return edges;
}

/** Adds secondary suppressions until every suppressed small non-zero cell can take another value. */
function protect(edges: Edge[], threshold: number): void {
  for (;;) {
    const exposed = edges.find((e) => e.primary && e.value > 0 && !canMove(edges, e, threshold));
    if (!exposed) return;
    const candidates = edges
      .filter((e) => !e.suppressed && !e.exempt && !e.totalLike)
      .sort((x, y) => x.value - y.value || Number(touches(y, exposed)) - Number(touches(x, exposed)));
    if (candidates.length === 0) {
      // Nothing left to hide: the municipality's totals and the "under" marks pin the cell. Say less about it.
      if (exposed.label === 'hidden') return;
      exposed.label = 'hidden';
      continue;
    }
    const single = candidates.find((c) => {
      c.suppressed = true;
      const works = canMove(edges, exposed, threshold);
      c.suppressed = false;
      return works;
    });
    // Hidden, not "under": a secondary cell is at least the threshold, and saying so would help the reader.
    // No one cell is enough: hide the smallest one on the same line and look again.
    (single ?? candidates.find((c) => touches(c, exposed)) ?? candidates[0]!).suppressed = true;
  }
}

function touches(x: Edge, y: Edge): boolean {
  return x.a === y.a || x.b === y.b;
}

/** The bounds a reader knows: "under t" is 0..t-1, a hidden cell is any count. */
function canRaise(e: Edge, threshold: number): boolean {
  return e.label === 'under' ? e.value < threshold - 1 : true;
}
function canLower(e: Edge): boolean {
  return e.value > 0;
}

/**
 * Whether a suppressed cell can take another value consistent with everything published: a
 * cycle through it in the residual graph of the other suppressed cells. Exported for tests.
 */
function canMove(edges: readonly Edge[], p: Edge, threshold: number): boolean {
  const arcs = new Map<string, string[]>();
  const arc = (from: string, to: string) => {
    const list = arcs.get(from);
    if (list) list.push(to);
    else arcs.set(from, [to]);
  };
  for (const e of edges) {
    if (!e.suppressed || e === p) continue;
    // Raising z (= sign × value) is an arc a→b, lowering it b→a.
    const up = e.sign > 0 ? canRaise(e, threshold) : canLower(e);
    const down = e.sign > 0 ? canLower(e) : canRaise(e, threshold);
    if (up) arc(e.a, e.b);
    if (down) arc(e.b, e.a);
  }
  const reach = (from: string, to: string) => {
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (node === to) return true;
      for (const next of arcs.get(node) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return false;
  };
  const up = p.sign > 0 ? canRaise(p, threshold) : canLower(p);
  const down = p.sign > 0 ? canLower(p) : canRaise(p, threshold);
  return (up && reach(p.b, p.a)) || (down && reach(p.a, p.b));
}

function publish(shape: TableShape, edges: Edge[]): SuppressedTable {
  const shown = (e: Edge): ShownCell =>
    !e.suppressed
      ? { kind: 'value', value: e.value }
      : e.label === 'under'
        ? { kind: 'under', threshold: shape.threshold }
        : { kind: 'hidden' };
  const find = (i: number, j: number) => edges.find((e) => e.at[0] === i && e.at[1] === j)!;
  return {
    rows: shape.rows,
    cols: shape.cols,
    cells: shape.rows.map((_, i) => shape.cols.map((_, j) => shown(find(i, j)))),
    rowTotals: shape.additive ? shape.rows.map((_, i) => shown(find(i, -1))) : null,
    colTotals: shape.cols.map((_, j) => shown(find(-1, j))),
    total: shape.additive ? shown(find(-1, -1)) : null,
  };
}

/** A one-figure series (a trend): each value on its own, small ones "under" the threshold unless exempt. */
export function suppressSeries(values: readonly number[], threshold: number, exempt: boolean): ShownCell[] {
  return values.map((value) => (exempt || value >= threshold ? { kind: 'value', value } : { kind: 'under', threshold }));
}
