import type { Case } from '../domain/case';
import type { Logger } from '../log';
import type { Job, JobSpec } from '../scheduler/job';
import type { JobStore } from '../scheduler/job-store';
import type { Composer, Composition } from '../scheduler/job-runner';
import { mapLimit } from '../scheduler/pool';
import type { CaseService } from './case-service';
import type { CaseSchedule } from './reminders';
import type { TeamSchedule } from './team-schedule';
import type { Team } from '../domain/team';
import type { TeamRepository } from '../store/teams';

/**
 * The move to the due index, once per database: before it, the scheduler found jobs by asking the
 * `jobs` container across partitions and made the cases' reminders by asking every unit's cases
 * on every pass. After it, a job is found only if it is listed, and a case's jobs are made when
 * the case changes. So, once (a job with a fixed id, claimed like any other: exactly one instance
 * runs it, and a crash mid-way only means it runs again — every step is idempotent):
 * - every job that is not finished is listed;
 * - every open case gets the jobs its dates call for.
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

/**
 * The same move for the teams' rhythm, once per database: before it, a job source asked every
 * active team on every pass and made the jobs of the next two days; after it, a team's jobs are
 * made when the team or a meeting's record changes (`TeamSchedule`). So, once, every active team
 * gets the jobs its series calls for (those the source made already are left as they are).
 */
export const TEAM_SCHEDULE_BACKFILL_JOB_KIND = 'maintenance.team-rhythm';

export function teamScheduleBackfill(): JobSpec {
  return {
    id: 'maintenance:team-rhythm:v1',
    kind: TEAM_SCHEDULE_BACKFILL_JOB_KIND,
    dueAt: new Date(0).toISOString(),
    staleAfter: null,
    address: null,
    params: {},
  };
}

export class TeamScheduleBackfillTask implements Composer {
  constructor(
    private readonly deps: {
      teams: Pick<TeamRepository, 'active'>;
      teamSchedule: Pick<TeamSchedule, 'sync'>;
      log: Logger;
    },
  ) {}

  async compose(_job: Job, now: Date): Promise<Composition> {
    const teams = await this.deps.teams.active();
    await mapLimit(teams, CONCURRENCY, (team: Team) => this.deps.teamSchedule.sync(null, team, { now, onlyMissing: true }));
    this.deps.log.info({ teams: teams.length }, "scheduler: the teams' rhythm moved to the due index");
    return { kind: 'done', note: `made sure of the jobs of ${teams.length} active teams` };
  }
}
