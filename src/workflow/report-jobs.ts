import { reportCard } from '../cards/report';
import { activeLeaders } from '../domain/directory';
import { lastDay, tertialAt, tertialBefore, tertial, type Period, type TertialId } from '../domain/report/period';
import type { Municipality } from '../domain/municipality';
import { addWorkingDays } from '../domain/time';
import { catalogue, format } from '../i18n';
import { cardMessage } from '../scheduler/conversation-port';
import { newJob, type JobSpec, type Job } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { Composer, Composition } from '../scheduler/job-runner';
import type { JobStore } from '../scheduler/job-store';
import type { RecurringJob } from '../scheduler/scheduler';
import type { DirectoryStore } from '../store/directory';
import type { PeopleRepository } from '../store/people';
import { reminderInstant, type ReminderTiming } from './reminders';
import type { ReportService } from './report-service';

/**
 * When a tertial ends, each coordinator gets the municipality's report and each leader the
 * report for their units, in personal chat, on the next working day at the reminder hour.
 *
 * A recurring job (`recurring:tertial-report:<instant>`, one per tertial) comes due at that hour;
 * the instance that claims it creates one job per person and tertial with a deterministic id
 * (`report:<tertial>:<person>`), so any number of instances, a restart or a re-run post each
 * report once. The report is built at send time and its read audited with the job id. Nothing is
 * read on the days between.
 */
export const TERTIAL_REPORT_JOB_KIND = 'report.tertial';
export const TERTIAL_REPORTS_JOB_KIND = 'report.tertial-recipients';

type TertialReportParams = { tertial: TertialId; personId: string };

/** A report not posted within this many days of its day (Laget was down) is no longer sent. */
const LIFETIME_MS = 14 * 24 * 3600 * 1000;

/** The instant a tertial's report goes out: the next working day after its last day, at the reminder hour. */
function tertialReportInstant(period: Period, timing: ReminderTiming): Date {
  return reminderInstant(addWorkingDays(lastDay(period), 1), timing);
}

/** The recurring job that starts each tertial's reports. */
export function tertialReports(timing: ReminderTiming): RecurringJob {
  return {
    name: 'tertial-report',
    kind: TERTIAL_REPORTS_JOB_KIND,
    next(after) {
      const current = tertialAt(after, timing.timeZone);
      const ended = tertialReportInstant(tertialBefore(current), timing);
      return ended > after ? ended : tertialReportInstant(current, timing);
    },
    lifetimeMs: LIFETIME_MS,
  };
}

/** Runs the recurring job: one report job per coordinator and leader who may read it. */
export class TertialRecipientsTask implements Composer {
  constructor(
    private readonly deps: {
      municipality: Municipality;
      directory: Pick<DirectoryStore, 'coordinators' | 'unit'>;
      jobs: Pick<JobStore, 'ensure'>;
      timeZone: string;
    },
  ) {}

  async compose(job: Job, now: Date): Promise<Composition> {
    const ended = tertialBefore(tertialAt(new Date(job.dueAt), this.deps.timeZone));
    // The coordinators and every unit's leaders, as the directory has them (the composer checks each again at send time).
    const { directory, municipality } = this.deps;
    const leaders = await Promise.all(municipality.units.map(async (u) => activeLeaders(await directory.unit(u.id)).map((l) => l.id)));
    const recipients = [...new Set([...(await directory.coordinators()).map((c) => c.id), ...leaders.flat()])];
    let created = 0;
    for (const personId of recipients) {
      const params: TertialReportParams = { tertial: ended.id, personId };
      const spec: JobSpec = {
        id: jobId('report', ended.id, personId),
        kind: TERTIAL_REPORT_JOB_KIND,
        dueAt: job.dueAt,
        staleAfter: job.staleAfter,
        // The person's chat as Laget knows it when the report is sent (someone it has not met is skipped: they can write "rapport").
        address: null,
        params,
      };
      if ((await this.deps.jobs.ensure(newJob(spec, now))) === 'created') created += 1;
    }
    return { kind: 'done', note: `${created} of ${recipients.length} report jobs created for ${ended.id}` };
  }
}

export class TertialReportComposer implements Composer {
  constructor(private readonly deps: { reports: ReportService; municipality: Municipality; people: PeopleRepository }) {}

  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as TertialReportParams;
    const person = (await this.deps.people.read(params.personId))?.doc;
    if (!job.address && !person?.personalChat) return { kind: 'drop', reason: 'Laget has not talked with this person yet' };
    const outcome = await this.deps.reports.read({ personId: params.personId, correlationId: job.id, now }, tertial(params.tertial));
    if (outcome.kind === 'refused') return { kind: 'drop', reason: 'no longer a coordinator or leader' };
    const locale = person?.locale ?? 'nb';
    const intro = format(catalogue(locale).report.scheduledIntro, { period: params.tertial });
    return {
      kind: 'post',
      activity: cardMessage(reportCard(outcome.report, this.deps.municipality, locale, { intro })),
      ...(person?.personalChat ? { to: person.personalChat } : {}),
    };
  }
}
