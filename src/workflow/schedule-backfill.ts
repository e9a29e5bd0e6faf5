import type { Case } from '../domain/case';
import type { Logger } from '../log';
import type { Job, JobSpec } from '../scheduler/job';
import type { JobStore } from '../scheduler/job-store';
import type { Composer, Composition } from '../scheduler/job-runner';
import { mapLimit } from '../scheduler/pool';
import type { CaseService } from './case-service';
import type { CaseSchedule } from './reminders';

/**
 * The move to the due index, once per database: before it, the scheduler found jobs by asking the
 * `jobs` container across partitions and made the cases' reminders by asking every unit's cases
 * on every pass. After it, a job is found only if it is listed, and a case's jobs are made when
 * the case changes. So, once (a job with a fixed id, claimed like any other: exactly one instance
 * runs it, and a crash mid-way only means it runs again — every step is idempotent):
 * - every job that is not finished is listed;
 * - every open case gets the jobs its dates call for.
 * (A team's rhythm is still made by its job source on every pass, src/workflow/team-composers.ts.)
 * Cross-partition reads, once; never in a pass.
 */
export const SCHEDULE_BACKFILL_JOB_KIND = 'maintenance.due-index';

export function scheduleBackfill(): JobSpec {
  return {
    id: 'maintenance:due-index:v1',
    kind: SCHEDULE_BACKFILL_JOB_KIND,
    dueAt: new Date(0).toISOString(),
    staleAfter: null,
    address: null,
    params: {},
  };
}

/** Cases made sure of side by side. */
const CONCURRENCY = 8;

export class ScheduleBackfillTask implements Composer {
  constructor(
    private readonly deps: {
      jobs: Pick<JobStore, 'listUnfinished'>;
      cases: Pick<CaseService, 'openPagesForSystem'>;
      caseSchedule: Pick<CaseSchedule, 'sync'>;
      log: Logger;
    },
  ) {}

  async compose(_job: Job, now: Date): Promise<Composition> {
    const listed = await this.deps.jobs.listUnfinished(now);
    let cases = 0;
    for await (const page of this.deps.cases.openPagesForSystem()) {
      await mapLimit(page, CONCURRENCY, (c: Case) => this.deps.caseSchedule.sync(null, c, { now, onlyMissing: true }));
      cases += page.length;
    }
    const note = `listed ${listed} unfinished jobs; made sure of the jobs of ${cases} open cases`;
    this.deps.log.info({ listed, cases }, 'scheduler: moved to the due index');
    return { kind: 'done', note };
  }
}
