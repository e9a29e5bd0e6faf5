import { DateTime } from 'luxon';
import type { Case } from '../domain/case';
import type { Logger } from '../log';
import type { AuditLog, AuditRecord } from './audit-log';
import type { CaseRepository } from './case-repository';
import { ConcurrencyConflict } from './documents';

/**
 * Retention: Laget holds the workflow, not the journal.
 *
 * A closed case is deleted `monthsAfterClosure` months after it was closed (the municipality's
 * `retentionMonthsAfterClosure`, 12 by default). Twelve months is long enough for the owner to
 * export the case summary to the unit's journal or archive — where the record the law asks for
 * lives — and for a worry that comes back within the year to find its history (what was tried,
 * who was involved, which consents were given). It is short enough that Laget never becomes a
 * shadow journal: a second, unofficial record about a child that nobody archives, corrects or
 * deletes.
 *
 * Two mechanisms, so that it holds on both stores:
 * - Real Cosmos DB deletes the case on its own through the per-item `ttl` the repository sets on
 *   closure (`months × 31 days` after the last write: never before this sweeper's cut-off, and
 *   for the default 12 months about a week after it). So the daily sweeper, which leaves an
 *   audit entry, normally gets there first; `ttl` is the backstop when it has not run.
 * - The embedded server has no TTL expiry, so this sweeper deletes what is due: closed cases
 *   with `closed.at` before the cut-off, each deleted with the ETag it was read with (a case
 *   changed since is left for the next run), and one audit entry per deleted case.
 *
 * It also deletes finished scheduler jobs (sent, dropped, failed, unknown) older than
 * `finishedJobsAfterDays` days: they hold conversation addresses and ids, nothing worth keeping.
 *
 * Any number of instances may sweep at once: deletes are conditional, and the audit entry's id
 * is derived from the case and its closure, so a re-run or a second sweeper never writes a
 * second entry for the same deletion.
 */

/** The audit log's actor for what retention does (no person acts). */
export const RETENTION_ACTOR = 'laget-retention';

const DEFAULT_FINISHED_JOBS_AFTER_DAYS = 30;

/** After a failed run, the daily trigger waits this long before it tries again. */
const RETRY_AFTER_MS = 60 * 60 * 1000;

/** What the sweeper needs of the `jobs` container (src/scheduler/job-store.ts provides it). */
interface FinishedJobs {
  deleteFinishedBefore(cutoff: Date): Promise<number>;
}

export type RetentionOptions = {
  cases: CaseRepository;
  audit: AuditLog;
  jobs: FinishedJobs;
  log: Logger;
  /** municipality.retentionMonthsAfterClosure. */
  monthsAfterClosure: number;
  finishedJobsAfterDays?: number;
};

export type RetentionReport = {
  /** Cases closed before this instant were due. */
  casesClosedBefore: string;
  /** Deleted by this run, each with one audit entry. */
  casesDeleted: number;
  /** Changed since the sweep read them (ETag): left alone, looked at again next run. */
  casesChangedMeanwhile: number;
  /** Already gone (another sweeper or Cosmos' ttl); the audit entry is still made sure of. */
  casesAlreadyGone: number;
  jobsFinishedBefore: string;
  jobsDeleted: number;
};

export class RetentionSweeper {
  private readonly finishedJobsAfterDays: number;
  private lastRunDay: string | undefined;
  private retryAt = 0;
  private running = false;

  constructor(private readonly options: RetentionOptions) {
    if (!Number.isInteger(options.monthsAfterClosure) || options.monthsAfterClosure < 1) {
      throw new RangeError(`monthsAfterClosure must be a whole number of months ≥ 1: ${options.monthsAfterClosure}`);
    }
    this.finishedJobsAfterDays = options.finishedJobsAfterDays ?? DEFAULT_FINISHED_JOBS_AFTER_DAYS;
    if (!Number.isInteger(this.finishedJobsAfterDays) || this.finishedJobsAfterDays < 1) {
      throw new RangeError(`finishedJobsAfterDays must be a whole number of days ≥ 1: ${this.finishedJobsAfterDays}`);
    }
  }

  /** Cases closed before this instant are due at `now` (calendar months, UTC). */
  casesDueBefore(now: Date): Date {
    return DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months: this.options.monthsAfterClosure }).toJSDate();
  }

  /** One sweep at `now`: deletes what is due and says how much. Throws if the store fails (nothing is half-audited). */
  async runOnce(now: Date): Promise<RetentionReport> {
    const casesBefore = this.casesDueBefore(now);
    const jobsBefore = new Date(now.getTime() - this.finishedJobsAfterDays * 24 * 3600 * 1000);
    const report: RetentionReport = {
      casesClosedBefore: casesBefore.toISOString(),
      casesDeleted: 0,
      casesChangedMeanwhile: 0,
      casesAlreadyGone: 0,
      jobsFinishedBefore: jobsBefore.toISOString(),
      jobsDeleted: 0,
    };

    for (const { doc, etag } of await this.options.cases.closedBefore(casesBefore.toISOString())) {
      let deleted: boolean;
      try {
        deleted = await this.options.cases.delete({ caseId: doc.id, unitId: doc.unitId }, etag);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
        report.casesChangedMeanwhile += 1;
        this.options.log.info({ caseId: doc.id, unitId: doc.unitId }, 'retention: case changed since it was read; left for the next run');
        continue;
      }
      if (deleted) report.casesDeleted += 1;
      else report.casesAlreadyGone += 1;
      // Also when it was already gone: a sweeper that deleted it and died before its audit
      // entry is completed here; one that did not die wrote the same id (no second entry).
      await this.audit(doc, now);
    }

    report.jobsDeleted = await this.options.jobs.deleteFinishedBefore(jobsBefore);
    if (report.casesDeleted + report.jobsDeleted + report.casesChangedMeanwhile > 0)
      this.options.log.info({ retention: report }, 'retention sweep');
    return report;
  }

  /**
   * For a loop that polls often (the scheduler's): sweeps on the first call of each UTC day and
   * otherwise returns at once. Never throws: a failed sweep is logged and tried again an hour later.
   */
  async runIfDue(now: Date): Promise<RetentionReport | undefined> {
    const day = now.toISOString().slice(0, 10);
    if (this.running || this.lastRunDay === day || now.getTime() < this.retryAt) return undefined;
    this.running = true;
    try {
      const report = await this.runOnce(now);
      this.lastRunDay = day;
      return report;
    } catch (error) {
      this.retryAt = now.getTime() + RETRY_AFTER_MS;
      this.options.log.error({ err: error }, 'retention sweep failed; trying again in an hour');
      return undefined;
    } finally {
      this.running = false;
    }
  }

  /** The deletion, recorded once: the id comes from the case and its closure, not from this run. */
  private async audit(c: Case, now: Date): Promise<void> {
    const record: AuditRecord = {
      caseId: c.id,
      at: now.toISOString(),
      actorId: RETENTION_ACTOR,
      operation: 'delete',
      basis: 'system',
      outcome: 'allowed',
      correlationId: retentionCorrelationId(c),
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await this.options.audit.append(record);
        return;
      } catch (error) {
        // The case is gone either way; the entry goes to the log, in full, to be completed.
        if (attempt === 2) this.options.log.error({ err: error, audit: record }, 'audit entry could not be stored; recorded here instead');
      }
    }
  }
}

/** Stable across runs and instances; a later case that happens to reuse the code gets another id. */
function retentionCorrelationId(c: Pick<Case, 'id' | 'unitId' | 'closed'>): string {
  return `retention:${c.unitId}:${c.id}:${c.closed?.at ?? 'open'}`;
}
