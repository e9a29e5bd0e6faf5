import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ZodError } from 'zod';
import type { Logger } from '../log';
import type { Versioned } from '../store/documents';
import { DueWalk, ORPHAN_AFTER_MS, type DueCandidate, type DueRound } from './due-walk';
import { isClaimExpired, isFinished, newJob, type Job, type JobSpec, type SourceSpec } from './job';
import { jobId } from './job-id';
import { JobRunner, type Composer, type JobOutcome } from './job-runner';
import type { JobStore } from './job-store';
import type { JsonObject } from './json';
import { mapLimit } from './pool';
import type { Sender } from './sender';

/**
 * A job that comes back on a schedule (a daily sync, the report after each tertial): one job per
 * occurrence, `recurring:<name>:<instant>`, run by the composer of its kind like any other job —
 * claimed, so exactly one instance runs each occurrence. The next occurrence is created before an
 * occurrence runs, and at every start, so the chain survives any crash; an occurrence missed while
 * Laget was down is dropped once stale and the chain goes on from now.
 */
export type RecurringJob = {
  name: string;
  kind: string;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
  /** How long after its time an occurrence is still run (null: always). */
  lifetimeMs: number | null;
  params?: JsonObject;
};

function occurrenceOf(recurring: RecurringJob, dueAt: Date): JobSpec {
  return {
    id: jobId('recurring', recurring.name, dueAt.toISOString()),
    kind: recurring.kind,
    dueAt: dueAt.toISOString(),
    staleAfter: recurring.lifetimeMs === null ? null : new Date(dueAt.getTime() + recurring.lifetimeMs).toISOString(),
    address: null,
    params: { ...recurring.params, recurring: recurring.name },
  };
}

/**
 * Knows which messages will be due soon by looking at data every pass. Laget's own jobs no longer
 * come this way (each is created when what it is about changes, the team rhythm included); kept
 * for tests of the scheduler's protocol.
 */
export interface JobSource {
  readonly name: string;
  /** Specs with deterministic ids: asking again for the same message gives the same id. */
  due(now: Date): Promise<SourceSpec[]>;
  /**
   * The source's messages can move while their ids stay (a team changes its offsets): a job
   * that exists and is still pending is moved to its spec's due and stale times, and
   * `moveOnly` specs are never created, only moved.
   */
  readonly movesPending?: boolean;
}

type SchedulerHooks = {
  /** The bot was removed from the conversation: mark the team inactive and tell its lead. */
  onNotInRoster?: (job: Job) => Promise<void>;
  /** The outcome of a post is unknown (a timeout, an instance that died mid-post): a person should check. */
  onUnknown?: (job: Job) => Promise<void>;
  onFailed?: (job: Job) => Promise<void>;
};

export type SchedulerOptions = {
  store: JobStore;
  sender: Sender;
  /** One composer per job kind. */
  composers: Readonly<Record<string, Composer>>;
  sources?: readonly JobSource[];
  recurring?: readonly RecurringJob[];
  /** Jobs made sure of at every start (create-only: a fixed id runs once per database, such as a one-time migration). */
  atStart?: readonly JobSpec[];
  /** Housekeeping run from the same loop; each task knows when it is due (retention: once a day). */
  daily?: readonly { runIfDue(now: Date): Promise<unknown> }[];
  hooks?: SchedulerHooks;
  log: Logger;
  /** Unique per process; by default host, pid and a random suffix. */
  instanceId?: string;
  /** How long a claim lasts; a crashed instance's jobs are taken over after this. Default 2 min. */
  claimTtlMs?: number;
  /** Part of the claim no post may use (clock skew, the final write). Default min(10 s, ttl/4). */
  claimMarginMs?: number;
  /** Claims of one job before it is marked failed. Default 5. */
  maxClaims?: number;
  /** Due jobs taken per run. Default 100. */
  batchSize?: number;
  /** Jobs handled at once; each conversation still has its own ordered queue in the sender. Default 8. */
  concurrency?: number;
  /** The clock of the polling loop. */
  now?: () => Date;
  /** Monotonic milliseconds, to measure how much of a claim is used up. */
  elapsed?: () => number;
};

export type RunReport = {
  created: number;
  outcomes: JobOutcome[];
  /** More jobs were due than one pass takes (`batchSize`): the loop runs again at once. */
  more: boolean;
};

/** Outcomes after which a job needs no listing in the due index any more. */
const FINAL_OUTCOMES: ReadonlySet<JobOutcome['kind']> = new Set(['sent', 'dropped', 'failed', 'not-in-roster', 'unknown', 'done']);

/**
 * Specs this instance has already ensured, so that a poll does not re-create them (a 409 each):
 * by id, or for a source whose jobs can move, by id and times — a moved message is looked at again.
 */
const ENSURED_CACHE_LIMIT = 10_000;

/**
 * Every pass reads the due index's current hour (src/store/due-index.ts: a point read, whatever
 * the size of the municipality) and runs each job listed as due through the claim → post → mark
 * protocol (JobRunner). Any number of instances may run side by side; each job is posted once.
 */
export class Scheduler {
  readonly instanceId: string;
  private readonly runner: JobRunner;
  private readonly elapsed: () => number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly ensured = new Set<string>();
  private readonly walk: DueWalk;
  private readonly recurringKinds: ReadonlyMap<string, RecurringJob>;
  private recurringStarted = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private tick: (() => void) | undefined;
  private wakeRequested = false;

  constructor(private readonly options: SchedulerOptions) {
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const claimTtlMs = options.claimTtlMs ?? 120_000;
    this.elapsed = options.elapsed ?? (() => performance.now());
    this.runner = new JobRunner({
      store: options.store,
      sender: options.sender,
      composers: options.composers,
      log: options.log.child({ instanceId: this.instanceId }),
      instanceId: this.instanceId,
      claimTtlMs,
      claimMarginMs: options.claimMarginMs ?? Math.min(10_000, claimTtlMs / 4),
      maxClaims: options.maxClaims ?? 5,
      elapsed: this.elapsed,
    });
    this.batchSize = options.batchSize ?? 100;
    this.concurrency = options.concurrency ?? 8;
    this.walk = new DueWalk(options.store.index, options.log);
    this.recurringKinds = new Map((options.recurring ?? []).map((recurring) => [recurring.kind, recurring]));
  }

  /** Polls every `intervalMs`; the next poll is timed from the end of the previous one. */
  start(intervalMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      this.wakeRequested = false;
      this.running = this.runOnce((this.options.now ?? (() => new Date()))())
        .then((report) => {
          if (report.more) this.wakeRequested = true;
        })
        .catch((error: unknown) => this.options.log.error({ err: error }, 'scheduler run failed'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.timer = setTimeout(tick, this.wakeRequested ? 0 : intervalMs);
        });
    };
    this.tick = tick;
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Runs a poll now instead of at the next interval (a notice was just queued and the person
   * should see it within seconds). Harmless when stopped or already running: a running poll is
   * followed at once by another.
   */
  wake(): void {
    if (this.stopped || !this.tick) return;
    if (this.running) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(this.tick, 0);
  }

  /** Stops polling and waits for a run in progress, so that a shutdown never cuts a post in half. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One poll at `now` (tests pass any instant; time then moves on from it as real time does). */
  async runOnce(now: Date): Promise<RunReport> {
    const startedAt = this.elapsed();
    const clock = () => new Date(now.getTime() + (this.elapsed() - startedAt));
    for (const task of this.options.daily ?? []) await task.runIfDue(now);
    if (!this.recurringStarted) this.recurringStarted = await this.startRecurring(now);
    const created = await this.ensureFromSources(now);
    const round = await this.walk.begin(clock(), this.batchSize);
    const outcomes = await mapLimit(round.candidates, this.concurrency, (candidate) => this.runCandidate(round, candidate, clock));
    await round.end(clock());
    const ran = outcomes.filter((outcome): outcome is JobOutcome => outcome !== undefined);
    // A task that ran may have made jobs due now (the tertial's reports): they are looked for at once.
    return { created, outcomes: ran, more: round.more || ran.some((outcome) => outcome.kind === 'done') };
  }

  /**
   * One job listed as due: read it, and run it if it is due and nobody holds it. Its listings go
   * once it is finished, was moved later (its newer listing stays), or never came to exist.
   */
  private async runCandidate(round: DueRound, candidate: DueCandidate, clock: () => Date): Promise<JobOutcome | undefined> {
    const now = clock();
    let found: Versioned<Job> | undefined;
    try {
      found = await this.options.store.read(candidate.id);
    } catch (error) {
      const unreadable = error instanceof ZodError;
      this.options.log.error(
        { err: error, jobId: candidate.id },
        unreadable ? 'unreadable job document skipped' : 'could not read a due job',
      );
      return undefined;
    }
    if (!found) {
      const newest = candidate.listings.reduce((latest, { entry }) => (entry.at > latest ? entry.at : latest), '');
      if (newest <= new Date(now.getTime() - ORPHAN_AFTER_MS).toISOString()) round.finish(candidate);
      return undefined;
    }
    const job = found.doc;
    if (isFinished(job) || (job.state === 'pending' && job.dueAt > now.toISOString())) {
      round.finish(candidate);
      return undefined;
    }
    if (job.state === 'claimed' && !isClaimExpired(job, now)) return undefined; // another instance is on it
    const recurring = this.recurringKinds.get(job.kind);
    if (recurring && !(await this.ensureNext(recurring, job, now))) return undefined;
    const outcome = await this.runner.run(found, clock);
    await this.notify(outcome, job);
    if (FINAL_OUTCOMES.has(outcome.kind)) round.finish(candidate);
    return outcome;
  }

  /**
   * Makes sure of the jobs every start needs: each recurring job's next occurrence, and the
   * `atStart` jobs. False (try again next pass) if the store did not answer.
   */
  private async startRecurring(now: Date): Promise<boolean> {
    const specs = [
      ...(this.options.recurring ?? []).map((recurring) => occurrenceOf(recurring, recurring.next(now))),
      ...(this.options.atStart ?? []),
    ];
    let ok = true;
    for (const spec of specs) {
      try {
        // Read first: at a restart these exist already, and a read is cheaper than listing and creating again.
        if (!(await this.options.store.read(spec.id))) await this.options.store.ensure(newJob(spec, now));
      } catch (error) {
        this.options.log.error({ err: error, jobId: spec.id }, 'could not create a job needed at start; trying again next poll');
        ok = false;
      }
    }
    return ok;
  }

  /** The occurrence after this one exists before this one runs, so the chain never breaks. */
  private async ensureNext(recurring: RecurringJob, job: Job, now: Date): Promise<boolean> {
    try {
      await this.options.store.ensure(newJob(occurrenceOf(recurring, recurring.next(now)), now));
      return true;
    } catch (error) {
      this.options.log.error({ err: error, jobId: job.id }, 'could not create the next occurrence; the job waits for the next poll');
      return false;
    }
  }

  private async ensureFromSources(now: Date): Promise<number> {
    let created = 0;
    for (const source of this.options.sources ?? []) {
      let specs: SourceSpec[];
      try {
        specs = await source.due(now);
      } catch (error) {
        // One broken source must not stop the others, nor the jobs already stored.
        this.options.log.error({ err: error, source: source.name }, 'job source failed');
        continue;
      }
      const moves = source.movesPending === true;
      for (const spec of specs) {
        // A move-only spec that found nothing must not hide the same spec once it may create the job.
        const key = moves ? `${spec.moveOnly ? 'move:' : ''}${spec.id}|${spec.dueAt}|${spec.staleAfter ?? ''}` : spec.id;
        if (this.ensured.has(key) || (spec.moveOnly && !moves)) continue;
        try {
          if (spec.moveOnly) {
            await this.options.store.move(spec, now);
          } else if ((await this.options.store.ensure(newJob(spec, now))) === 'created') {
            created += 1;
          } else if (moves) {
            await this.options.store.move(spec, now);
          }
        } catch (error) {
          const context = { err: error, source: source.name, jobId: spec.id };
          this.options.log.error(context, 'could not create job; trying again next poll');
          continue;
        }
        if (this.ensured.size >= ENSURED_CACHE_LIMIT) this.ensured.clear();
        this.ensured.add(key);
      }
    }
    return created;
  }

  private async notify(outcome: JobOutcome, job: Job): Promise<void> {
    const { hooks = {} } = this.options;
    const hook =
      outcome.kind === 'not-in-roster'
        ? hooks.onNotInRoster
        : outcome.kind === 'unknown'
          ? hooks.onUnknown
          : outcome.kind === 'failed'
            ? hooks.onFailed
            : undefined;
    if (!hook) return;
    try {
      await hook.call(hooks, job);
    } catch (error) {
      this.options.log.error({ err: error, jobId: job.id, outcome: outcome.kind }, 'scheduler hook failed');
    }
  }
}
