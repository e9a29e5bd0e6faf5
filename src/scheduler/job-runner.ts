import type { Logger } from '../log';
import type { ConversationAddress } from '../store/conversation-address';
import { StoreUnavailable, type Versioned } from '../store/documents';
import type { OutboundActivity } from './conversation-port';
import { isClaimExpired, isStale, type Job } from './job';
import type { JobStore, JobWrite } from './job-store';
import type { Sender, SendResult } from './sender';

/** Builds a job's message at send time, from the current data (an agenda from today's items) — or, for a task, does its work. */
export interface Composer {
  compose(job: Job, now: Date): Promise<Composition>;
}
export type Composition =
  /** `to`: where it goes, for a job made without an address (the person's chat as Laget knows it now). */
  | { kind: 'post'; activity: OutboundActivity; to?: ConversationAddress }
  | { kind: 'drop'; reason: string }
  /** A task did its work; nothing is posted. */
  | { kind: 'done'; note?: string };

/** What happened to one job. */
export type JobOutcome =
  | { jobId: string; kind: 'sent'; activityId?: string }
  | { jobId: string; kind: 'dropped'; reason: string }
  | { jobId: string; kind: 'done' }
  | { jobId: string; kind: 'failed'; reason: string }
  | { jobId: string; kind: 'not-in-roster' }
  | { jobId: string; kind: 'unknown'; reason: string }
  /** Back to pending without a post (composer error, send deferred): a later run tries again. */
  | { jobId: string; kind: 'released'; reason: string }
  /**
   * Something failed mid-way (the store, most likely). Nothing more was written: a claim this
   * instance holds expires and the job comes back, or becomes `unknown` if its post had begun.
   */
  | { jobId: string; kind: 'interrupted'; reason: string }
  /** Another instance changed the job first; it is theirs. */
  | { jobId: string; kind: 'lost' }
  /** No composer for its kind here (e.g. an older instance during a rolling deploy): left for another. */
  | { jobId: string; kind: 'skipped'; reason: string };

export type JobRunnerOptions = {
  store: JobStore;
  sender: Sender;
  composers: Readonly<Record<string, Composer>>;
  log: Logger;
  instanceId: string;
  claimTtlMs: number;
  /** Part of the claim no post may use: clock skew between instances and the final write. */
  claimMarginMs: number;
  /** Claims of one job before it is given up (a job that keeps killing its instance). */
  maxClaims: number;
  /** Milliseconds from a monotonic clock, to measure how much of the claim is used up. */
  elapsed: () => number;
};

const MARK_RETRIES = 3;

/**
 * The protocol for one job: claim (ETag) → compose → wait for the rate limit → begin post (ETag) → send → mark (ETag).
 * Every write is conditional on the ETag of the previous one, so an instance whose claim was
 * taken over can write nothing more; and a post starts only within the claim's lifetime.
 */
export class JobRunner {
  constructor(private readonly options: JobRunnerOptions) {}

  /**
   * `clock` is the run's time: the instant the run was asked for, moving on with real time, so a
   * claim taken late in a long run still lasts its full TTL from when it was taken.
   */
  async run(found: Versioned<Job>, clock: () => Date): Promise<JobOutcome> {
    const { doc: job } = found;
    const log = this.options.log.child({ jobId: job.id, kind: job.kind });
    try {
      return await this.process(found, clock, log);
    } catch (error) {
      log.error({ err: error }, 'job interrupted; it comes back once its claim expires');
      return { jobId: job.id, kind: 'interrupted', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async process({ doc: job, etag }: Versioned<Job>, clock: () => Date, log: Logger): Promise<JobOutcome> {
    const { store, composers, instanceId, claimTtlMs, claimMarginMs, elapsed } = this.options;
    const jobId = job.id;
    const now = clock();
    if (job.state === 'claimed' && isClaimExpired(job, now) && job.postStartedAt !== null) {
      // Its instance died while posting: the message may be in Teams already. Never post it twice.
      const reason = `instance ${job.claim?.by ?? '?'} stopped while posting; outcome unknown`;
      return settled(await store.markUnknown(job, etag, reason), { jobId, kind: 'unknown', reason }, log);
    }
    if (job.attempts >= this.options.maxClaims) {
      const reason = `claimed ${job.attempts} times without finishing`;
      return settled(await store.markFailed(job, etag, reason), { jobId, kind: 'failed', reason }, log);
    }
    if (isStale(job, now)) {
      // The catch-up after downtime: what is no longer relevant is dropped, not posted late.
      const reason = `stale since ${job.staleAfter}`;
      return settled(await store.markDropped(job, etag, reason), { jobId, kind: 'dropped', reason }, log);
    }
    const composer = composers[job.kind];
    if (!composer) return { jobId, kind: 'skipped', reason: `no composer for ${job.kind}` };

    const claimedAt = elapsed();
    const claim = await store.claim(job, etag, instanceId, clock(), claimTtlMs);
    if (claim.kind === 'lost') return { jobId, kind: 'lost' };
    const claimed = claim.job;
    /** What is left of the claim for posting. */
    const budgetMs = () => claimTtlMs - claimMarginMs - (elapsed() - claimedAt);

    let composition: Composition;
    try {
      composition = await composer.compose(claimed.doc, clock());
    } catch (error) {
      const reason = `composer failed: ${error instanceof Error ? error.message : String(error)}`;
      log.warn({ err: error }, 'composer failed; releasing the job');
      return settled(await store.release(claimed.doc, claimed.etag, reason), { jobId, kind: 'released', reason }, log);
    }
    if (composition.kind === 'done') {
      return settled(
        await withRetries(() => store.markDone(claimed.doc, claimed.etag, composition.note, clock())),
        { jobId, kind: 'done' },
        log,
      );
    }
    const address = composition.kind === 'post' ? (claimed.doc.address ?? composition.to) : undefined;
    if (composition.kind === 'drop' || !address) {
      const reason = composition.kind === 'drop' ? composition.reason : 'no conversation to post to (the person has not talked to Laget)';
      return settled(await store.markDropped(claimed.doc, claimed.etag, reason), { jobId, kind: 'dropped', reason }, log);
    }

    if (budgetMs() <= 0) {
      // Composing took the whole claim: another instance may take the job any moment. Nothing was posted.
      const reason = 'the claim ran out while composing';
      return settled(await store.release(claimed.doc, claimed.etag, reason), { jobId, kind: 'released', reason }, log);
    }
    // "Posting has begun" is recorded when the post is about to leave — after its turn in the
    // conversation's queue and its rate-limit slot — so a process that dies while the job waits for
    // a slot has posted nothing, and the job is simply claimed again once the claim expires.
    const begun: { write?: JobWrite } = {};
    const result = await this.options.sender.send(address, composition.activity, {
      budgetMs: budgetMs(),
      correlationId: jobId,
      beforeFirstAttempt: async () => {
        begun.write = await store.beginPost(claimed.doc, claimed.etag, clock());
        return begun.write.kind === 'done';
      },
    });
    if (begun.write === undefined) return this.record(claimed, result, clock(), log); // nothing left: released
    if (begun.write.kind === 'lost') return { jobId, kind: 'lost' };
    return this.record(begun.write.job, result, clock(), log);
  }

  /** Writes the send's result. A store blip here is retried: the post has already happened. */
  private async record({ doc: job, etag }: Versioned<Job>, result: SendResult, now: Date, log: Logger): Promise<JobOutcome> {
    const { store } = this.options;
    const jobId = job.id;
    switch (result.kind) {
      case 'sent': {
        const markSent = () => store.markSent(job, etag, { activityId: result.activityId, now });
        const write = await withRetries(markSent).catch((error: unknown) => {
          // Its postStartedAt stays, so once the claim expires the job turns unknown: never posted twice.
          log.error({ err: error, activityId: result.activityId }, 'posted, but could not record it as sent');
          throw error;
        });
        return settled(write, { jobId, kind: 'sent', activityId: result.activityId }, log);
      }
      case 'not-in-roster': {
        const write = await withRetries(() => store.markFailed(job, etag, 'not-in-roster'));
        return settled(write, { jobId, kind: 'not-in-roster' }, log);
      }
      case 'failed': {
        const write = await withRetries(() => store.markFailed(job, etag, result.reason));
        return settled(write, { jobId, kind: 'failed', reason: result.reason }, log);
      }
      case 'unknown': {
        const write = await withRetries(() => store.markUnknown(job, etag, result.reason));
        return settled(write, { jobId, kind: 'unknown', reason: result.reason }, log);
      }
      case 'deferred': {
        // Nothing reached Teams (at most attempts that failed with a transient status): it may go back.
        const write = await withRetries(() => store.release(job, etag, result.reason));
        return settled(write, { jobId, kind: 'released', reason: result.reason }, log);
      }
    }
  }
}

function settled(write: JobWrite, outcome: JobOutcome, log: Logger): JobOutcome {
  if (write.kind === 'lost') {
    // Only possible when our claim had expired and another instance changed the job.
    log.error({ outcome: outcome.kind }, 'job changed by another instance while this one held it');
    return { jobId: outcome.jobId, kind: 'lost' };
  }
  if (outcome.kind === 'failed' || outcome.kind === 'unknown') {
    log.error({ outcome }, 'job settled; needs a person to look at it');
  } else {
    log.info({ outcome: outcome.kind }, 'job settled');
  }
  return outcome;
}

async function withRetries(write: () => Promise<JobWrite>): Promise<JobWrite> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof StoreUnavailable) || attempt >= MARK_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
