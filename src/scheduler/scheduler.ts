import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log';
import { newJob, type Job, type SourceSpec } from './job';
import { JobRunner, type Composer, type JobOutcome } from './job-runner';
import type { JobStore } from './job-store';
import type { Sender } from './sender';

/** Knows which messages will be due soon (from meeting series, case dates …). */
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

export type SchedulerHooks = {
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

export type RunReport = { created: number; outcomes: JobOutcome[] };

/**
 * Specs this instance has already ensured, so that a poll does not re-create them (a 409 each):
 * by id, or for a source whose jobs can move, by id and times — a moved message is looked at again.
 */
const ENSURED_CACHE_LIMIT = 10_000;

/**
 * Polls (the embedded store has no change feed): creates the jobs its sources say will be due,
 * then runs every due job through the claim → post → mark protocol (JobRunner). Any number of
 * instances may run side by side; each job is posted once.
 */
export class Scheduler {
  readonly instanceId: string;
  private readonly runner: JobRunner;
  private readonly elapsed: () => number;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly ensured = new Set<string>();
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
  }

  /** Polls every `intervalMs`; the next poll is timed from the end of the previous one. */
  start(intervalMs: number): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = () => {
      this.wakeRequested = false;
      this.running = this.runOnce((this.options.now ?? (() => new Date()))())
        .then(() => undefined)
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
    const created = await this.ensureFromSources(now);
    const due = await this.options.store.due(clock(), this.batchSize);
    const outcomes = await mapPool(due, this.concurrency, async (found) => {
      const outcome = await this.runner.run(found, clock);
      await this.notify(outcome, found.doc);
      return outcome;
    });
    return { created, outcomes };
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
            await this.options.store.move(spec);
          } else if ((await this.options.store.ensure(newJob(spec, now))) === 'created') {
            created += 1;
          } else if (moves) {
            await this.options.store.move(spec);
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

/** Maps with at most `limit` calls in flight; results keep the input order. */
async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
