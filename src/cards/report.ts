import { DEVIATIONS, type Report } from '../domain/report/figures';
import type { Municipality } from '../domain/municipality';
import { catalogue, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { renderCard } from './render';
import { reportChartPng } from './report-chart';
import { asOfText, columnLabel, figureTotal, reportTitle, scopeText } from './report-view';

/**
 * The report card: the period, the deviations first, the key figures, and the chart as a PNG
 * inside the card (a data URL: no endpoint, no link that outlives the card). The per-unit
 * breakdowns are in the chart and in the spreadsheet (Last ned som regneark).
 */
export function reportCard(
  report: Report,
  m: Municipality,
  locale: Locale,
  options: { intro?: string; buttons?: boolean } = {},
): AdaptiveCardJson {
  const t = catalogue(locale).report;
  const chart = `data:image/png;base64,${reportChartPng(report, m, locale).toString('base64')}`;
  const period = report.period.kind === 'tertial' ? { tertial: report.period.id } : { from: report.period.from, to: report.period.to };
  const previous = report.trend.at(-2)?.period;
  const buttons =
    options.buttons === false
      ? []
      : [
          { title: t.download, data: { verb: 'report.xlsx' as const, ...period } },
          ...(previous ? [{ title: t.previous, data: { verb: 'report.show' as const, tertial: previous.id } }] : []),
        ];
  return renderCard('report', {
    intro: options.intro ?? '',
    title: reportTitle(report, locale),
    scope: scopeText(report, m, locale),
    asOf: asOfText(report, locale),
    deviationsTitle: t.deviationsTitle,
    deviations: DEVIATIONS.map((d) => ({
      title: columnLabel('deviations', d, locale),
      value: figureTotal(report, 'deviations', d, locale),
    })),
    keyTitle: t.keyTitle,
    key: [
      { title: t.key.newCases, value: figureTotal(report, 'new-cases', 'new', locale) },
      { title: t.key.openCases, value: figureTotal(report, 'open-by-step', null, locale) },
      { title: t.key.reports, value: figureTotal(report, 'reports', null, locale) },
      { title: t.key.closed, value: figureTotal(report, 'closed', null, locale) },
      { title: t.key.teamMeetings, value: figureTotal(report, 'team-meetings', 'held', locale) },
      {
        title: t.key.teamMeetingItems,
        value: `${figureTotal(report, 'team-meetings', 'anonymous', locale)} / ${figureTotal(report, 'team-meetings', 'named', locale)}`,
      },
    ],
    chartTitle: t.chartTitle,
    chart,
    chartAlt: t.chartAlt,
    buttons,
  });
}

/** The refusal for someone who is neither a coordinator nor a leader. */
export function reportNoAccessText(locale: Locale): string {
  return catalogue(locale).report.noAccess;
}
