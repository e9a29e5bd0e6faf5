import { ACROSS_UNITS } from '../domain/report/counters';
import type { FigureId, Report } from '../domain/report/figures';
import type { ShownCell, SuppressedTable } from '../domain/report/suppression';
import type { Municipality } from '../domain/municipality';
import { catalogue, format, formatDay, labelOf, type Locale } from '../i18n';

/**
 * The report as people read it — titles, column names, each cell as text ("under 5", "skjult") —
 * shared by the card, the chart and the spreadsheet, so all three show the same figures.
 */
export type FigureView = {
  id: FigureId;
  title: string;
  /** First the unit column, then the figure's columns, then the total (additive figures). */
  header: string[];
  /** One row per unit (and the teams across units' in the municipality's team figures), then the totals row; null when the figure's state was not counted. */
  rows: string[][] | null;
};

export function cellText(cell: ShownCell | null, locale: Locale): string {
  const t = catalogue(locale).report;
  if (cell === null) return t.unknown;
  if (cell.kind === 'value') return String(cell.value);
  return cell.kind === 'under' ? format(t.under, { threshold: cell.threshold }) : t.hidden;
}

export function columnLabel(figure: FigureId, column: string, locale: Locale): string {
  const t = catalogue(locale).report;
  if (figure === 'outcomes') {
    const [step, outcome] = column.split('.');
    return format(outcome === 'a' ? t.columns.outcomeA : t.columns.outcomeB, { step: step ?? column });
  }
  // Step ids (1, 2a, 2b …) are what staff call the steps.
  return labelOf(t.columns, column) ?? column;
}

export function unitName(m: Municipality, unitId: string): string {
  return m.units.find((unit) => unit.id === unitId)?.name ?? unitId;
}

export function figureViews(report: Report, m: Municipality, locale: Locale): FigureView[] {
  const t = catalogue(locale).report;
  return report.figures.map(({ id, table }) => ({
    id,
    title: (t.figures as Record<string, string>)[id] ?? id,
    header: table ? [t.unit, ...table.cols.map((c) => columnLabel(id, c, locale)), ...(table.rowTotals ? [t.total] : [])] : [],
    rows: table ? tableRows(table, m, locale) : null,
  }));
}

function tableRows(table: SuppressedTable, m: Municipality, locale: Locale): string[][] {
  const t = catalogue(locale).report;
  const rows = table.rows.map((unitId, i) => [
    unitId === ACROSS_UNITS ? t.acrossUnits : unitName(m, unitId),
    ...table.cells[i]!.map((cell) => cellText(cell, locale)),
    ...(table.rowTotals ? [cellText(table.rowTotals[i]!, locale)] : []),
  ]);
  const totals = [
    t.total,
    ...table.colTotals.map((cell) => cellText(cell, locale)),
    ...(table.total ? [cellText(table.total, locale)] : []),
  ];
  return [...rows, totals];
}

export function reportTitle(report: Report, locale: Locale): string {
  const t = catalogue(locale).report;
  return report.period.kind === 'tertial'
    ? format(t.title, { period: report.period.id })
    : format(t.titleMonths, { from: report.period.from, to: report.period.to });
}

export function scopeText(report: Report, m: Municipality, locale: Locale): string {
  const t = catalogue(locale).report;
  return report.scope.kind === 'municipality'
    ? t.scopeMunicipality
    : format(t.scopeUnits, { units: report.scope.unitIds.map((id) => unitName(m, id)).join(', ') });
}

export function asOfText(report: Report, locale: Locale): string {
  return format(catalogue(locale).report.asOf, { day: formatDay(report.stateDay, locale), threshold: report.threshold });
}

/** The total of a column of a figure (the municipality's or the leader's units'), as text. */
export function figureTotal(report: Report, id: FigureId, column: string | null, locale: Locale): string {
  const table = report.figures.find((f) => f.id === id)?.table;
  if (!table) return cellText(null, locale);
  if (column === null) return cellText(table.total ?? table.colTotals[0] ?? null, locale);
  const index = table.cols.indexOf(column);
  return index < 0 ? cellText({ kind: 'value', value: 0 }, locale) : cellText(table.colTotals[index]!, locale);
}
