import { reportCard } from '../cards/report';
import { activeLeaders } from '../domain/directory';
import { lastDay, tertialAt, tertialBefore, tertial, type TertialId } from '../domain/report/period';
import type { Municipality } from '../domain/municipality';
import { addWorkingDays, dayOf } from '../domain/time';
import { catalogue, format } from '../i18n';
import { cardMessage } from '../scheduler/conversation-port';
import type { JobSpec, Job } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { Composer, Composition } from '../scheduler/job-runner';
import type { JobSource } from '../scheduler/scheduler';
import type { DirectoryStore } from '../store/directory';
import type { PeopleRepository } from '../store/people';
import { reminderInstant, type ReminderTiming } from './reminders';
import type { ReportService } from './report-service';

/**
 * When a tertial ends, each coordinator gets the municipality's report and each leader the
 * report for their units, in personal chat, on the next working day at the reminder hour. A plain
 * scheduled job per person and tertial with a deterministic id (`report:<tertial>:<person>`), so
 * any number of instances, and a restart, post it once. The report is built at send time and
 * its read audited with the job id.
 */
export const TERTIAL_REPORT_JOB_KIND = 'report.tertial';

export type TertialReportParams = { tertial: TertialId; personId: string };

/** A report not posted within this many days of its day (Laget was down) is no longer sent. */
const LIFETIME_DAYS = 14;

export class TertialReportSource implements JobSource {
  readonly name = 'tertial-report';

  constructor(
    private readonly deps: {
      municipality: Municipality;
      directory: Pick<DirectoryStore, 'coordinators' | 'unit'>;
      people: PeopleRepository;
      timing: ReminderTiming;
    },
  ) {}

  async due(now: Date): Promise<JobSpec[]> {
    const ended = tertialBefore(tertialAt(now, this.deps.timing.timeZone));
    const day = addWorkingDays(lastDay(ended), 1);
    const dueAt = reminderInstant(day, this.deps.timing);
    const staleAfter = new Date(dueAt.getTime() + LIFETIME_DAYS * 24 * 3600 * 1000);
    // Outside the days it may be posted on, nothing is read at all.
    if (dayOf(now, this.deps.timing.timeZone) < day || now >= staleAfter) return [];
    // The coordinators and every unit's leaders, as the directory has them (the composer checks each again at send time).
    const { directory, municipality } = this.deps;
    const leaders = await Promise.all(municipality.units.map(async (u) => activeLeaders(await directory.unit(u.id)).map((l) => l.id)));
    const recipients = [...new Set([...(await directory.coordinators()).map((c) => c.id), ...leaders.flat()])];
    const specs: JobSpec[] = [];
    for (const personId of recipients) {
      const address = (await this.deps.people.read(personId))?.doc.personalChat;
      if (!address) continue; // Laget has not met them yet: they can write "rapport" themselves
      const params: TertialReportParams = { tertial: ended.id, personId };
      specs.push({
        id: jobId('report', ended.id, personId),
        kind: TERTIAL_REPORT_JOB_KIND,
        dueAt: dueAt.toISOString(),
        staleAfter: staleAfter.toISOString(),
        address,
        params,
      });
    }
    return specs;
  }
}

export class TertialReportComposer implements Composer {
  constructor(private readonly deps: { reports: ReportService; municipality: Municipality; people: PeopleRepository }) {}

  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as TertialReportParams;
    const outcome = await this.deps.reports.read({ personId: params.personId, correlationId: job.id, now }, tertial(params.tertial));
    if (outcome.kind === 'refused') return { kind: 'drop', reason: 'no longer a coordinator or leader' };
    const locale = (await this.deps.people.read(params.personId))?.doc.locale ?? 'nb';
    const intro = format(catalogue(locale).report.scheduledIntro, { period: params.tertial });
    return { kind: 'post', activity: cardMessage(reportCard(outcome.report, this.deps.municipality, locale, { intro })) };
  }
}
