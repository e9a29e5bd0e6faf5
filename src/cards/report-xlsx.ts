import type { Report } from '../domain/report/figures';
import type { Municipality } from '../domain/municipality';
import { catalogue, type Locale } from '../i18n';
import { asOfText, cellText, figureViews, reportTitle, scopeText } from './report-view';

/**
 * The report as a spreadsheet: a front sheet (title, scope, the state's day and the rule on small
 * numbers, the trend) and one sheet per figure with the same cells as the card and the chart —
 * text where a figure is suppressed, numbers where it is shown.
 */
export async function reportWorkbook(report: Report, m: Municipality, locale: Locale): Promise<Buffer> {
  // Loaded on first use: exceljs takes about a second to load, which every start would pay for a
  // spreadsheet that only coordinators and leaders ask for now and then.
  const { default: ExcelJS } = await import('exceljs');
  const t = catalogue(locale).report;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Laget';
  const front = workbook.addWorksheet(t.keyTitle);
  front.addRow([reportTitle(report, locale)]).font = { bold: true, size: 14 };
  front.addRow([scopeText(report, m, locale)]);
  front.addRow([asOfText(report, locale)]);
  front.addRow([]);
  front.addRow(['', t.trendNew, t.trendOpen]).font = { bold: true };
  for (const point of report.trend) {
    front.addRow([point.period.id, excelValue(cellText(point.newCases, locale)), excelValue(cellText(point.openAtEnd, locale))]);
  }
  front.getColumn(1).width = 40;
  for (const view of figureViews(report, m, locale)) {
    const sheet = workbook.addWorksheet(sheetName(view.title));
    sheet.addRow([view.title]).font = { bold: true, size: 12 };
    if (view.rows === null) {
      sheet.addRow([t.unknown]);
      continue;
    }
    sheet.addRow(view.header).font = { bold: true };
    view.rows.forEach((row, index) => {
      const added = sheet.addRow(row.map((cell, k) => (k === 0 ? cell : excelValue(cell))));
      if (index === view.rows!.length - 1) added.font = { bold: true };
    });
    sheet.getColumn(1).width = 30;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A shown count as a number (sums work in Excel); "under 5" and "skjult" stay text. */
function excelValue(text: string): string | number {
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(title: string): string {
  return title.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);
}
