import type { Container } from '@azure/cosmos';
import { DueIndex } from '../store/due-index';
import { ConcurrencyConflict, AlreadyExists, Documents, StoreUnavailable, type Versioned } from '../store/documents';
import { FINISHED_STATES, JobSchema, type Job } from './job';

/** The outcome of a guarded write: done, or someone else changed the job first (skip it). */
export type JobWrite = { kind: 'done'; job: Versioned<Job> } | { kind: 'lost' };

const MAX_ERROR = 500;

/**
 * The `jobs` container, and the listing of each job in the `due` index. Every change is a
 * replace conditional on the ETag the caller read, so of two instances acting on the same job
 * exactly one wins; the loser gets `lost` and moves on.
 */
export class JobStore {
  private readonly container: Container;
  private readonly documents: Documents<Job>;
  readonly index: DueIndex;

  constructor(containers: { jobs: Container; due: Container }) {
    this.container = containers.jobs;
    this.documents = new Documents(containers.jobs, JobSchema, (job) => job.id);
    this.index = new DueIndex(containers.due);
  }

  /**
   * Create-only: a job with the same (deterministic) id already existing is the normal case.
   * Listed in the due index first (as of the job's `createdAt`), so a job that exists is always
   * found; a writer that dies in between leaves only a listing, which the scheduler clears.
   */
  async ensure(job: Job): Promise<'created' | 'exists'> {
    await this.index.list(job, new Date(job.createdAt));
    try {
      await this.documents.create(job);
      return 'created';
    } catch (error) {
      if (error instanceof AlreadyExists) return 'exists';
      throw error;
    }
  }

  /**
   * Moves a job that has not been claimed yet to new due and stale times (its date or its series
   * changed). Conditional on the ETag it read: a job an instance claims meanwhile is left as it
   * is, so a move can never make a message post twice — at worst it posts at the time it had
   * before. The new time is listed before the job changes; the old listing is cleared when it
   * comes up (the job is due later than it says).
   */
  async move(spec: Pick<Job, 'id' | 'dueAt' | 'staleAfter'>, now: Date): Promise<'moved' | 'unchanged' | 'missing' | 'not-pending'> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = await this.read(spec.id);
      if (!current) return 'missing';
      const { doc } = current;
      if (doc.state !== 'pending') return 'not-pending';
      if (doc.dueAt === spec.dueAt && doc.staleAfter === spec.staleAfter) return 'unchanged';
      if (doc.dueAt !== spec.dueAt) await this.index.list({ id: spec.id, dueAt: spec.dueAt }, now);
      const write = await this.write({ ...doc, dueAt: spec.dueAt, staleAfter: spec.staleAfter }, current.etag);
      if (write.kind === 'done') return 'moved';
    }
    // Changed three times while we looked: it is being worked on; the next poll looks again.
    return 'not-pending';
  }

  /**
   * Takes back a job that has not been claimed yet (its date was cancelled): deleted, so that the
   * same date set again makes the job anew. A job already claimed, posted or dropped is left as it
   * is — its composer checks the date again at send time. Its listing is cleared when it comes up.
   */
  async cancel(id: string): Promise<'cancelled' | 'missing' | 'not-pending'> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = await this.read(id);
      if (!current) return 'missing';
      if (current.doc.state !== 'pending') return 'not-pending';
      try {
        return (await this.documents.delete(id, id, current.etag)) ? 'cancelled' : 'missing';
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict)) throw error;
      }
    }
    return 'not-pending';
  }

  /** Throws a ZodError for a document this version cannot read (one a newer version wrote during a rolling deploy). */
  read(id: string): Promise<Versioned<Job> | undefined> {
    return this.documents.read(id, id);
  }

  /**
   * Lists every job that is not finished in the due index: the one-time move from the layout
   * before the index, where the scheduler found jobs by a cross-partition query. Cross-partition,
   * so it runs once (a maintenance job), never in a pass. Returns how many it listed.
   */
  async listUnfinished(now: Date): Promise<number> {
    let listed = 0;
    const iterator = this.container.items.query<{ id: string; dueAt: string }>(
      "SELECT c.id, c.dueAt FROM c WHERE c.state IN ('pending', 'claimed')",
    );
    try {
      while (iterator.hasMoreResults()) {
        const { resources } = await iterator.fetchNext();
        for (const job of resources) {
          await this.index.list(job, now);
          listed += 1;
        }
      }
    } catch (error) {
      throw error instanceof StoreUnavailable ? error : new StoreUnavailable('list unfinished jobs', error);
    }
    return listed;
  }

  /**
   * Deletes finished jobs (sent, dropped, failed, unknown, done) whose last write — the moment they
   * finished, Cosmos' `_ts` — is before `cutoff`; returns how many it deleted. Each delete is
   * conditional on the ETag it read, so a job changed meanwhile is left for the next run.
   * Cross-partition and in batches of `batchSize`: retention only, never the interactive path.
   */
  async deleteFinishedBefore(cutoff: Date, batchSize = 500): Promise<number> {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw new RangeError(`batch size out of range: ${batchSize}`);
    // TOP takes a literal: the embedded server does not accept a parameter there.
    const finished = [...FINISHED_STATES].map((state) => `'${state}'`).join(', ');
    const query = `SELECT TOP ${batchSize} c.id, c._etag FROM c
      WHERE c.state IN (${finished}) AND c._ts < @before`;
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

  /** A task whose work is done (nothing was to be posted). */
  markDone(job: Job, etag: string, note: string | undefined, now: Date): Promise<JobWrite> {
    return this.write({ ...job, state: 'done', sentAt: now.toISOString(), lastError: note ? truncate(note) : null }, etag);
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
      // Changed by someone else, or taken back (its date was cancelled) since it was read.
      if (error instanceof ConcurrencyConflict || (error as { code?: unknown } | null)?.code === 404) return { kind: 'lost' };
      throw error;
    }
  }
}

function truncate(text: string): string {
  return text.length <= MAX_ERROR ? text : `${text.slice(0, MAX_ERROR - 1)}…`;
}
