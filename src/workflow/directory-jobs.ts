import type { DirectorySync } from '../directory';
import type { Job } from '../scheduler/job';
import type { Composer, Composition } from '../scheduler/job-runner';
import type { RecurringJob } from '../scheduler/scheduler';

/**
 * Who works where is kept current by the scheduler: a recurring job every delta interval
 * (`recurring:directory-sync:<instant>`), claimed like any other, so one instance looks each time;
 * the sync itself decides whether a delta or a full reading is due (and holds its own lease).
 * An occurrence missed while Laget was down is dropped once the next one is due.
 */
export const DIRECTORY_SYNC_JOB_KIND = 'directory.sync';

export function directorySyncs(intervalMs: number): RecurringJob {
  return {
    name: 'directory-sync',
    kind: DIRECTORY_SYNC_JOB_KIND,
    next: (after) => new Date((Math.floor(after.getTime() / intervalMs) + 1) * intervalMs),
    lifetimeMs: intervalMs,
  };
}

/** Runs one occurrence: whatever sync is due now, if any. */
export class DirectorySyncTask implements Composer {
  constructor(private readonly sync: Pick<DirectorySync, 'runIfDue'>) {}

  async compose(_job: Job, now: Date): Promise<Composition> {
    const outcome = await this.sync.runIfDue(now);
    return { kind: 'done', note: outcome ? `directory sync: ${outcome.kind}` : 'directory sync: nothing due' };
  }
}
