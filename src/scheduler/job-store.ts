import type { Container, ItemDefinition } from '@azure/cosmos';
import type { Logger } from '../log';
import { ConcurrencyConflict, AlreadyExists, Documents, StoreUnavailable, type Versioned } from '../store/documents';
import { JobSchema, type Job } from './job';

/** The outcome of a guarded write: done, or someone else changed the job first (skip it). */
export type JobWrite = { kind: 'done'; job: Versioned<Job> } | { kind: 'lost' };

const MAX_ERROR = 500;

/**
 * The `jobs` container. Every change is a replace conditional on the ETag the caller read, so
 * of two instances acting on the same job exactly one wins; the loser gets `lost` and moves on.
 */
export class JobStore {
  private readonly documents: Documents<Job>;

  constructor(
    private readonly container: Container,
    private readonly log?: Logger,
  ) {
    this.documents = new Documents(container, JobSchema, (job) => job.id);
  }

  /** Create-only: a job with the same (deterministic) id already existing is the normal case. */
  async ensure(job: Job): Promise<'created' | 'exists'> {
    try {
      await this.documents.create(job);
      return 'created';
    } catch (error) {
      if (error instanceof AlreadyExists) return 'exists';
      throw error;
    }
  }

  /**
   * Moves a job that has not been claimed yet to new due and stale times (its series changed).
   * Conditional on the ETag it read: a job an instance claims meanwhile is left as it is, so a
   * move can never make a message post twice — at worst it posts at the time it had before.
   */
  async move(spec: Pick<Job, 'id' | 'dueAt' | 'staleAfter'>): Promise<'moved' | 'unchanged' | 'missing' | 'not-pending'> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = await this.read(spec.id);
      if (!current) return 'missing';
      const { doc } = current;
      if (doc.state !== 'pending') return 'not-pending';
      if (doc.dueAt === spec.dueAt && doc.staleAfter === spec.staleAfter) return 'unchanged';
      const write = await this.write({ ...doc, dueAt: spec.dueAt, staleAfter: spec.staleAfter }, current.etag);
      if (write.kind === 'done') return 'moved';
    }
    // Changed three times while we looked: it is being worked on; the next poll looks again.
    return 'not-pending';
  }

  read(id: string): Promise<Versioned<Job> | undefined> {
    return this.documents.read(id, id);
  }

  /**
   * Pending jobs that are due and claimed jobs whose claim has expired, oldest first.
   * Cross-partition (every job is its own partition): it runs only in the background poll.
   */
  async due(now: Date, limit: number): Promise<Versioned<Job>[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`limit out of range: ${limit}`);
    // TOP takes a literal: the embedded server does not accept a parameter there.
    const query = `SELECT TOP ${limit} * FROM c
      WHERE (c.state = 'pending' AND c.dueAt <= @now) OR (c.state = 'claimed' AND c.claim.until <= @now)
      ORDER BY c.dueAt`;
    let resources: ItemDefinition[];
    try {
      ({ resources } = await this.container.items
        .query<ItemDefinition>({ query, parameters: [{ name: '@now', value: now.toISOString() }] })
        .fetchAll());
    } catch (error) {
      throw new StoreUnavailable('query due jobs', error);
    }
    // Parsed one by one: a single unreadable document must not stop every other reminder.
    const jobs: Versioned<Job>[] = [];
    for (const resource of resources) {
      const parsed = JobSchema.safeParse(resource);
      if (parsed.success) jobs.push({ doc: parsed.data, etag: String(resource._etag) });
      else this.log?.error({ jobId: String(resource.id), issues: parsed.error.issues.length }, 'unreadable job document skipped');
    }
    return jobs;
  }

  /**
   * Deletes finished jobs (sent, dropped, failed, unknown) whose last write — the moment they
   * finished, Cosmos' `_ts` — is before `cutoff`; returns how many it deleted. Each delete is
   * conditional on the ETag it read, so a job changed meanwhile is left for the next run.
   * Cross-partition and in batches of `batchSize`: retention only, never the interactive path.
   */
  async deleteFinishedBefore(cutoff: Date, batchSize = 500): Promise<number> {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new RangeError(`batch size out of range: ${batchSize}`);
    // TOP takes a literal: the embedded server does not accept a parameter there.
    const query = `SELECT TOP ${batchSize} c.id, c._etag FROM c
      WHERE c.state IN ('sent', 'dropped', 'failed', 'unknown') AND c._ts < @before`;
    const before = Math.floor(cutoff.getTime() / 1000);
    let deleted = 0;
    for (;;) {
      let found: { id: string; _etag: string }[];
      try {
        ({ resources: found } = await this.container.items
          .query<{ id: string; _etag: string }>({ query, parameters: [{ name: '@before', value: before }] })
          .fetchAll());
      } catch (error) {
        throw new StoreUnavailable('query finished jobs', error);
      }
      let progress = 0;
      for (const { id, _etag: etag } of found) {
        try {
          if (await this.documents.delete(id, id, etag)) progress += 1;
        } catch (error) {
          if (!(error instanceof ConcurrencyConflict)) throw error;
        }
      }
      deleted += progress;
      // A short batch was the last one; a batch with nothing deletable would only repeat itself.
      if (found.length < batchSize || progress === 0) return deleted;
    }
  }

  claim(job: Job, etag: string, instanceId: string, now: Date, ttlMs: number): Promise<JobWrite> {
    const until = new Date(now.getTime() + ttlMs).toISOString();
    return this.write(
      { ...job, state: 'claimed', claim: { by: instanceId, until }, attempts: job.attempts + 1, postStartedAt: null },
      etag,
    );
  }

  /** Recorded before the first post attempt: a claim that expires after this is never re-posted. */
  beginPost(job: Job, etag: string, now: Date): Promise<JobWrite> {
    return this.write({ ...job, postStartedAt: now.toISOString() }, etag);
  }

  markSent(job: Job, etag: string, sent: { activityId?: string; now: Date }): Promise<JobWrite> {
    return this.write(
      { ...job, state: 'sent', sentAt: sent.now.toISOString(), activityId: sent.activityId ?? null, lastError: null },
      etag,
    );
  }

  markDropped(job: Job, etag: string, reason: string): Promise<JobWrite> {
    return this.write({ ...job, state: 'dropped', lastError: truncate(reason) }, etag);
  }

  markFailed(job: Job, etag: string, reason: string): Promise<JobWrite> {
    return this.write({ ...job, state: 'failed', lastError: truncate(reason) }, etag);
  }

  /** The post may or may not have reached Teams: kept for a person to look at, never re-posted. */
  markUnknown(job: Job, etag: string, reason: string): Promise<JobWrite> {
    return this.write({ ...job, state: 'unknown', lastError: truncate(reason) }, etag);
  }

  /** Back to pending when nothing was posted (the composer failed, the send was deferred). */
  release(job: Job, etag: string, reason: string): Promise<JobWrite> {
    return this.write({ ...job, state: 'pending', claim: null, postStartedAt: null, lastError: truncate(reason) }, etag);
  }

  private async write(job: Job, etag: string): Promise<JobWrite> {
    try {
      return { kind: 'done', job: await this.documents.replace(job, etag) };
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return { kind: 'lost' };
      throw error;
    }
  }
}

function truncate(text: string): string {
  return text.length <= MAX_ERROR ? text : `${text.slice(0, MAX_ERROR - 1)}…`;
}
