import { Resvg } from '@resvg/resvg-js';
import type { Report } from '../domain/report/figures';
import type { ShownCell } from '../domain/report/suppression';
import type { Municipality } from '../domain/municipality';
import { catalogue, labelOf, type Locale } from '../i18n';
import { cellText, unitName } from './report-view';

/**
 * The report's chart, drawn on the server: open cases per step and unit (a grid whose shade
 * follows the count; a suppressed cell is grey and says "under 5" or "skjult", never its value),
 * and new and open cases over the last three tertials (bars only where the figure is shown).
 * SVG written here and turned into a PNG by resvg (its binary comes in its npm package). The font
 * comes in an npm package too (DejaVu Sans), so the chart draws the same text on any machine: an
 * App Service image may have no fonts at all.
 */
const WIDTH = 520;
const FONT = 'DejaVu Sans';
const FONT_FILES = [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'), require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')];

function reportChartSvg(report: Report, m: Municipality, locale: Locale): string {
  const t = catalogue(locale).report;
  const grid = report.figures.find((f) => f.id === 'open-by-step')?.table ?? null;
  const parts: string[] = [];
  let y = 8;
  if (grid) {
    const labelWidth = 150;
    const cellWidth = Math.min(52, Math.floor((WIDTH - labelWidth - 8) / Math.max(1, grid.cols.length)));
    const cellHeight = 22;
    grid.cols.forEach((col, j) =>
      parts.push(text(labelWidth + j * cellWidth + cellWidth / 2, y + 12, shortColumn(col, locale), 10, 'middle', '#333')),
    );
    y += 18;
    const max = Math.max(1, ...grid.cells.flat().map((c) => (c.kind === 'value' ? c.value : 0)));
    grid.rows.forEach((unitId, i) => {
      parts.push(text(4, y + 15, clip(unitName(m, unitId), 22), 11, 'start', '#222'));
      grid.cols.forEach((_, j) => {
        const cell = grid.cells[i]![j]!;
        const x = labelWidth + j * cellWidth;
        parts.push(`<rect x="${x + 1}" y="${y + 1}" width="${cellWidth - 2}" height="${cellHeight - 2}" fill="${shade(cell, max)}"/>`);
        const dark = cell.kind === 'value' && cell.value / max > 0.55;
        parts.push(
          text(x + cellWidth / 2, y + 15, cellShort(cell, locale), cell.kind === 'value' ? 11 : 8, 'middle', dark ? '#fff' : '#222'),
        );
      });
      y += cellHeight;
    });
    y += 12;
  }
  // The trend: one pair of bars per tertial.
  const trend = report.trend;
  const top = Math.max(1, ...trend.flatMap((p) => [p.newCases, p.openAtEnd]).map((c) => (c?.kind === 'value' ? c.value : 0)));
  const barArea = 70;
  const groupWidth = (WIDTH - 160) / Math.max(1, trend.length);
  parts.push(`<rect x="8" y="${y}" width="10" height="10" fill="#5b9bd5"/>`, text(22, y + 9, t.trendNew, 10, 'start', '#333'));
  parts.push(`<rect x="80" y="${y}" width="10" height="10" fill="#2e5d8a"/>`, text(94, y + 9, t.trendOpen, 10, 'start', '#333'));
  y += 16;
  const base = y + barArea;
  trend.forEach((point, k) => {
    const x = 150 + k * groupWidth;
    [point.newCases, point.openAtEnd].forEach((cell, b) => {
      const bx = x + b * 34;
      if (cell?.kind === 'value') {
        const h = Math.round((cell.value / top) * (barArea - 14));
        parts.push(`<rect x="${bx}" y="${base - h}" width="30" height="${h}" fill="${b === 0 ? '#5b9bd5' : '#2e5d8a'}"/>`);
        parts.push(text(bx + 15, base - h - 3, String(cell.value), 10, 'middle', '#222'));
      } else {
        parts.push(text(bx + 15, base - 4, cellShort(cell, locale), 8, 'middle', '#666'));
      }
    });
    parts.push(text(x + 32, base + 13, point.period.id, 10, 'middle', '#333'));
  });
  parts.push(`<line x1="146" y1="${base}" x2="${WIDTH - 4}" y2="${base}" stroke="#999" stroke-width="1"/>`);
  const height = base + 20;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>${parts.join('')}</svg>`
  );
}

export function reportChartPng(report: Report, m: Municipality, locale: Locale): Buffer {
  const svg = reportChartSvg(report, m, locale);
  return new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT }, background: '#ffffff' })
    .render()
    .asPng();
}

function shade(cell: ShownCell, max: number): string {
  if (cell.kind !== 'value') return '#e4e4e4';
  // From a pale to a deep blue as the count grows.
  const f = cell.value / max;
  const mix = (a: number, b: number) => Math.round(a + (b - a) * f);
  return `rgb(${mix(222, 31)},${mix(235, 78)},${mix(247, 121)})`;
}

function cellShort(cell: ShownCell | null, locale: Locale): string {
  if (cell?.kind === 'under') return `<${cell.threshold}`;
  return cellText(cell, locale);
}

function shortColumn(column: string, locale: Locale): string {
  return clip(labelOf(catalogue(locale).report.columns, column) ?? column, 8);
}

function clip(value: string, length: number): string {
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}

function text(x: number, y: number, value: string, size: number, anchor: 'start' | 'middle', fill: string): string {
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" text-anchor="${anchor}" fill="${fill}">${escapeXml(value)}</text>`;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
