import type { CloseReason } from '../case';
import type { Ladder } from '../ladder';
import type { IsoDate } from '../primitives';
import { addDays, addWorkingDays } from '../time';
import { isCooperationStep, type Counts } from './counters';
import { firstDay, lastDay, stateDay, type Period } from './period';
import { suppress, suppressSeries, type ShownCell, type SuppressedTable } from './suppression';

/**
 * The figures of the tertial report, each defined once, over the counters of one unit for one
 * period: its flows summed over the period's months, and its state at the period's end (null
 * when Laget did not count that unit's state then).
 */
export type UnitPeriodCounters = { unitId: string; flows: Counts; state: Counts | null };

export type ReportRules = {
  /** Cells below this are shown as "under N" (the municipality's threshold, default 5). */
  threshold: number;
  /** Working days a request for approval may wait before it counts as a deviation. */
  approvalLimitWorkingDays: number;
  /** Days a handover may wait for the colleague's answer. */
  handoverLimitDays: number;
};

const FIGURE_IDS = [
  'deviations',
  'new-cases',
  'open-by-step',
  'moves',
  'outcomes',
  'closed',
  'reports',
  'consents',
  'team-items',
  'team-meetings',
  'cooperation-meetings',
] as const;
export type FigureId = (typeof FIGURE_IDS)[number];

export const DEVIATIONS = [
  'evaluation-overdue',
  'approval-waiting',
  'period-beyond-max',
  'handover-not-accepted',
  'no-child-voice',
] as const;
export type Deviation = (typeof DEVIATIONS)[number];

type FigureContext = { ladder: Ladder; period: Period; day: IsoDate; rules: ReportRules; units: readonly UnitPeriodCounters[] };

type FigureDefinition = {
  id: FigureId;
  /** Additive: the columns add up to a meaningful row total (cases per step); otherwise each column is its own figure. */
  additive: boolean;
  /** Counted from the period's end state (unknown when the state is unknown). */
  fromState: boolean;
  /** Teams across units count here too: the municipality's table gets their row (`ACROSS_UNITS`). */
  acrossUnits?: true;
  columns(ctx: FigureContext): string[];
  value(unit: UnitPeriodCounters, column: string, ctx: FigureContext): number;
};

const flow = (prefix: string) => (unit: UnitPeriodCounters, column: string) => unit.flows[`${prefix}${column}`] ?? 0;

/** Keys of a unit's counts with a prefix, without it. */
function suffixes(counts: readonly (Counts | null)[], prefix: string): string[] {
  const found = new Set<string>();
  for (const c of counts) for (const key of Object.keys(c ?? {})) if (key.startsWith(prefix)) found.add(key.slice(prefix.length));
  return [...found];
}

/** Sum of the state's dated counters `prefix<date>` whose date passes the test. */
function datedSum(state: Counts | null, prefix: string, test: (date: IsoDate) => boolean): number {
  let sum = 0;
  for (const [key, value] of Object.entries(state ?? {})) if (key.startsWith(prefix) && test(key.slice(prefix.length))) sum += value;
  return sum;
}

/** Known columns first, in the ladder's order, then anything else the counters hold (another ladder's steps). */
function ordered(known: readonly string[], found: readonly string[], keepAllKnown: boolean): string[] {
  const present = new Set(found);
  const first = known.filter((k) => keepAllKnown || present.has(k));
  return [...first, ...found.filter((f) => !known.includes(f)).sort()];
}

const FIGURES: readonly FigureDefinition[] = [
  {
    id: 'deviations',
    additive: false,
    fromState: true,
    columns: () => [...DEVIATIONS],
    value: (unit, column, { day, rules }) => deviation(unit.state, column as Deviation, day, rules),
  },
  { id: 'new-cases', additive: false, fromState: false, columns: () => ['new'], value: (unit) => unit.flows['new'] ?? 0 },
  {
    id: 'open-by-step',
    additive: true,
    fromState: true,
    columns: ({ ladder, units }) => {
      const found = suffixes(
        units.map((u) => u.state),
        'open.',
      );
      // Every step of the ladder, and the statuses beside it only when a case has one.
      const steps = ladder.steps.map((s) => s.id);
      const known = ['draft', ...steps, 'monitoring', 'reported'];
      return [...known.filter((k) => steps.includes(k) || found.includes(k)), ...found.filter((f) => !known.includes(f)).sort()];
    },
    value: (unit, column) => unit.state?.[`open.${column}`] ?? 0,
  },
  { id: 'moves', additive: true, fromState: false, columns: () => ['up', 'down'], value: flow('move.') },
  {
    id: 'outcomes',
    additive: true,
    fromState: false,
    columns: ({ ladder, units }) =>
      ordered(
        ladder.steps.filter((s) => s.outcomes !== null).flatMap((s) => [`${s.id}.a`, `${s.id}.b`]),
        suffixes(
          units.map((u) => u.flows),
          'outcome.',
        ),
        false,
      ),
    value: flow('outcome.'),
  },
  {
    id: 'closed',
    additive: true,
    fromState: false,
    columns: ({ units }) =>
      ordered(
        ['resolved', 'reported', 'moved-away', 'taken-over', 'other'] satisfies CloseReason[],
        suffixes(
          units.map((u) => u.flows),
          'closed.',
        ),
        true,
      ),
    value: flow('closed.'),
  },
  {
    id: 'reports',
    additive: true,
    fromState: false,
    columns: ({ ladder, units }) =>
      ordered(
        ['none', ...ladder.steps.map((s) => s.id)],
        suffixes(
          units.map((u) => u.flows),
          'report.from.',
        ),
        false,
      ),
    value: flow('report.from.'),
  },
  {
    id: 'consents',
    additive: false,
    fromState: false,
    columns: () => ['given', 'refused', 'withdrawn', 'expired'],
    value: (unit, column, { period, day }) =>
      column === 'expired'
        ? datedSum(unit.state, 'consent-expires.', (d) => d >= firstDay(period) && d <= lastDay(period) && d <= day)
        : (unit.flows[`consent.${column}`] ?? 0),
  },
  { id: 'team-items', additive: true, fromState: false, columns: () => ['anonymous', 'named'], value: flow('team-item.') },
  {
    // Meetings marked held (by the team's lead) and the case items they discussed: each column its own figure.
    id: 'team-meetings',
    additive: false,
    fromState: false,
    acrossUnits: true,
    columns: () => ['held', 'anonymous', 'named'],
    value: (unit, column) => unit.flows[column === 'held' ? 'team-meeting.held' : `team-meeting.items.${column}`] ?? 0,
  },
  {
    id: 'cooperation-meetings',
    additive: false,
    fromState: false,
    columns: () => ['held', 'evaluated'],
    value: (unit, column, { ladder }) =>
      column === 'held'
        ? (unit.flows['cooperation-meeting.held'] ?? 0)
        : Object.entries(unit.flows)
            .filter(([key]) => key.startsWith('outcome.') && isCooperationStep(ladder, key.split('.')[1]!))
            .reduce((sum, [, value]) => sum + value, 0),
  },
];

/** A deviation on the day the state is read for. */
export function deviation(state: Counts | null, kind: Deviation, day: IsoDate, rules: ReportRules): number {
  switch (kind) {
    case 'evaluation-overdue':
      return datedSum(state, 'evaluation-due.', (d) => d < day);
    case 'approval-waiting':
      return datedSum(state, 'approval-since.', (d) => addWorkingDays(d, rules.approvalLimitWorkingDays) < day);
    case 'period-beyond-max':
      return datedSum(state, 'period-ends.', (d) => d < day);
    case 'handover-not-accepted':
      return datedSum(state, 'handover-since.', (d) => addDays(d, rules.handoverLimitDays) < day);
    case 'no-child-voice':
      return state?.['no-child-voice'] ?? 0;
  }
}

/** Who the report is for: the whole municipality (a coordinator) or some units (a leader's own). */
export type ReportScope = { kind: 'municipality' } | { kind: 'units'; unitIds: readonly string[] };

type FigureTable = { id: FigureId; table: SuppressedTable | null };

type TrendPoint = { period: Period; newCases: ShownCell; openAtEnd: ShownCell | null };

export type Report = {
  scope: ReportScope;
  period: Period;
  /** The day states and deviations are read for: today, or the day after a past period. */
  stateDay: IsoDate;
  threshold: number;
  /** Every figure as a suppressed table (null: its state is not known for this period). */
  figures: FigureTable[];
  /** New cases and open cases at the end, for this period and the two before it (oldest first). */
  trend: TrendPoint[];
};

/** The report over the counters of the units in scope, for one period (and the trend periods before it). */
export function buildReport(input: {
  scope: ReportScope;
  ladder: Ladder;
  period: Period;
  today: IsoDate;
  rules: ReportRules;
  units: readonly UnitPeriodCounters[];
  /** The counters of teams across units (`ACROSS_UNITS`): the municipality's report only. */
  acrossUnits?: UnitPeriodCounters;
  trend: readonly { period: Period; units: readonly UnitPeriodCounters[] }[];
}): Report {
  const day = stateDay(input.period, input.today);
  const municipality = input.scope.kind === 'municipality';
  const ctx: FigureContext = { ladder: input.ladder, period: input.period, day, rules: input.rules, units: input.units };
  const stateKnown = input.units.every((u) => u.state !== null);
  const figures = FIGURES.map((figure): FigureTable => {
    if (figure.fromState && !stateKnown) return { id: figure.id, table: null };
    const cols = figure.columns(ctx);
    const rows = figure.acrossUnits && municipality && input.acrossUnits ? [...input.units, input.acrossUnits] : input.units;
    return {
      id: figure.id,
      table: suppress({
        rows: rows.map((u) => u.unitId),
        cols,
        values: rows.map((u) => cols.map((col) => figure.value(u, col, ctx))),
        additive: figure.additive,
        totalsAreMunicipality: municipality,
        threshold: input.rules.threshold,
      }),
    };
  });
  const trend = input.trend.map(({ period, units }): TrendPoint => {
    const sum = (pick: (u: UnitPeriodCounters) => number) => units.reduce((s, u) => s + pick(u), 0);
    const newCases = sum((u) => u.flows['new'] ?? 0);
    const known = units.every((u) => u.state !== null);
    const open = sum((u) => Object.entries(u.state ?? {}).reduce((s, [k, v]) => (k.startsWith('open.') ? s + v : s), 0));
    const [shownNew, shownOpen] = suppressSeries([newCases, open], input.rules.threshold, municipality);
    return { period, newCases: shownNew!, openAtEnd: known ? shownOpen! : null };
  });
  return {
    scope: input.scope,
    period: input.period,
    stateDay: day,
    threshold: input.rules.threshold,
    figures,
    trend,
  };
}
