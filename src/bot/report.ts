import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { reportCard, reportNoAccessText } from '../cards/report';
import { reportWorkbook } from '../cards/report-xlsx';
import { monthsPeriod, tertial, type Period } from '../domain/report/period';
import { catalogue, format } from '../i18n';
import { localeOf, sendCard } from './replies';
import { directoryEntryOf } from './directory-entry';
import { personOf, type Needs } from './services';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type ReportFlowNeeds = Needs<'log' | 'municipality' | 'now' | 'reports'>;

/**
 * The tertial report in personal chat: `rapport` (or the welcome card's button) shows the card;
 * "Last ned som regneark" offers the spreadsheet through Teams' file consent flow for bots
 * (FileConsentCard → the person accepts → Laget uploads to the URL Teams gives → a file info
 * card). A client without file support (the Agents Playground) gets a plain sentence instead.
 * Routes: src/bot/routes.ts.
 */
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

/** What the consent card carries back: the period only. Who may see it is decided again on accept. */
const ConsentContextSchema = z
  .object({
    tertial: z
      .string()
      .regex(/^\d{4}-T[1-3]$/)
      .optional(),
    from: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
    to: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
      .optional(),
  })
  .strict();
type PeriodChoice = z.infer<typeof ConsentContextSchema>;

const UploadInfoSchema = z.object({
  uploadUrl: z.string().url(),
  contentUrl: z.string().url(),
  name: z.string().min(1).max(300),
  uniqueId: z.string().min(1).max(300),
  fileType: z.string().max(20).optional(),
});

export class ReportFlow {
  constructor(private readonly services: ReportFlowNeeds) {}

  async show(context: TurnContext, choice: PeriodChoice): Promise<void> {
    const locale = localeOf(context);
    const outcome = await this.read(context, choice);
    if (outcome.kind === 'refused') {
      await context.sendActivity(reportNoAccessText(locale));
      return;
    }
    await sendCard(context, reportCard(outcome.report, this.services.municipality, locale));
  }

  async offerFile(context: TurnContext, choice: PeriodChoice): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale).report;
    if (!supportsFiles(context)) {
      await context.sendActivity(t.fileUnsupported);
      return;
    }
    // Who may see the report is checked (and audited) now and again when the file is made.
    const outcome = await this.read(context, choice);
    if (outcome.kind === 'refused') {
      await context.sendActivity(reportNoAccessText(locale));
      return;
    }
    const workbook = await reportWorkbook(outcome.report, this.services.municipality, locale);
    const periodName = outcome.report.period.id.replace('..', '_');
    await context.sendActivity({
      attachments: [
        {
          contentType: FILE_CONSENT,
          name: format(t.fileConsentName, { period: periodName }),
          content: {
            description: format(t.fileConsentDescription, { period: outcome.report.period.id }),
            sizeInBytes: workbook.length,
            acceptContext: periodChoice(choice),
            declineContext: periodChoice(choice),
          },
        },
      ],
    });
  }

  /** The person declined the file: nothing is made. */
  async declined(context: TurnContext): Promise<void> {
    await context.sendActivity(catalogue(localeOf(context)).report.fileDeclined);
  }

  /** The person accepted: make the file for them now, upload it where Teams said, and show it. */
  async upload(context: TurnContext, response: { context?: unknown; uploadInfo?: unknown }): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale).report;
    const choice = ConsentContextSchema.safeParse(response.context ?? {});
    const info = UploadInfoSchema.safeParse(response.uploadInfo);
    if (!choice.success || !info.success) {
      await context.sendActivity(t.fileFailed);
      return;
    }
    const outcome = await this.read(context, choice.data);
    if (outcome.kind === 'refused') {
      await context.sendActivity(reportNoAccessText(locale));
      return;
    }
    const workbook = await reportWorkbook(outcome.report, this.services.municipality, locale);
    try {
      const put = await fetch(info.data.uploadUrl, {
        method: 'PUT',
        headers: { 'content-length': String(workbook.length), 'content-range': `bytes 0-${workbook.length - 1}/${workbook.length}` },
        body: workbook,
        signal: AbortSignal.timeout(10_000),
      });
      if (!put.ok) throw new Error(`upload answered ${put.status}`);
    } catch (error) {
      this.services.log.warn({ err: error }, 'report spreadsheet upload failed');
      await context.sendActivity(t.fileFailed);
      return;
    }
    await context.sendActivity({
      text: t.fileUploaded,
      attachments: [
        {
          contentType: FILE_INFO,
          contentUrl: info.data.contentUrl,
          name: info.data.name,
          content: { uniqueId: info.data.uniqueId, fileType: info.data.fileType ?? 'xlsx' },
        },
      ],
    });
  }

  private read(context: TurnContext, choice: PeriodChoice) {
    const now = this.services.now();
    return this.services.reports.read(
      {
        personId: personOf(context).id,
        correlationId: context.activity.id ?? `turn-${now.getTime()}`,
        now,
        person: directoryEntryOf(context),
      },
      periodOf(choice),
    );
  }
}

function periodChoice(choice: PeriodChoice & { verb?: string }): PeriodChoice {
  const { verb: _verb, ...period } = choice;
  return period;
}

function periodOf(choice: PeriodChoice): Period | undefined {
  if (choice.tertial) return tertial(choice.tertial);
  if (choice.from && choice.to && choice.from <= choice.to) return monthsPeriod(choice.from, choice.to);
  return undefined;
}

/**
 * Teams takes files from bots in personal chat; the Agents Playground (whose mocked connector
 * lives under /_connector) does not answer a file consent card.
 */
function supportsFiles(context: TurnContext): boolean {
  try {
    return !new URL(context.activity.serviceUrl ?? '').pathname.startsWith('/_connector');
  } catch {
    return false;
  }
}
