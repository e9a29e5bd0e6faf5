import { z } from 'zod';
import { IsoDateTimeSchema } from '../domain/primitives';
import { ConversationAddressSchema } from '../store/conversation-address';
import { JobIdSchema } from './job-id';
import { JsonObjectSchema } from './json';

/**
 * A scheduled message — or a task such as a recurring sync — stored in the `jobs` container
 * (partitioned by /id, so every job is its own partition and every change is a point write
 * guarded by the ETag), and listed in the `due` index under the hour it falls due in
 * (src/store/due-index.ts), where the scheduler finds it.
 *
 * Life of a job:
 *   pending ──claim──▶ claimed ──begin post──▶ claimed + postStartedAt ──▶ sent | failed | unknown
 *      ▲                 │
 *      └──── release ────┤  (nothing was posted: the composer failed, the send was deferred)
 *                        ├──▶ dropped  (stale, or the composer found nothing to say)
 *                        └──▶ done     (a task: its work is done, nothing to post)
 * A claim that expires without `postStartedAt` is taken again by any instance; one that expires
 * with it means a post may have left: the job becomes `unknown`, never posted twice.
 */
const JOB_STATES = ['pending', 'claimed', 'sent', 'dropped', 'failed', 'unknown', 'done'] as const;
const JobStateSchema = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobStateSchema>;

const ClaimSchema = z.object({
  /** The instance holding the claim. */
  by: z.string().min(1).max(200),
  until: IsoDateTimeSchema,
});

export const JobSchema = z.object({
  schemaVersion: z.literal(1),
  id: JobIdSchema,
  /** Selects the composer, e.g. `team.agenda`, `case.evaluation`. */
  kind: z.string().min(1).max(64),
  dueAt: IsoDateTimeSchema,
  /** After this instant the message is dropped instead of posted (null: never stale). */
  staleAfter: IsoDateTimeSchema.nullable(),
  /**
   * Where the message goes; null when the composer names the conversation at send time (a
   * reminder goes to whoever owns the case then, in the chat Laget knows for them then).
   */
  address: ConversationAddressSchema.nullable(),
  /** What the composer needs to build the message at send time (ids, never child data). */
  params: JsonObjectSchema,
  state: JobStateSchema,
  claim: ClaimSchema.nullable(),
  /** How many times an instance has claimed the job; bounds a job that keeps crashing its instance. */
  attempts: z.number().int().min(0),
  /** Set just before the first post attempt: from here on the outcome may be "posted". */
  postStartedAt: IsoDateTimeSchema.nullable(),
  sentAt: IsoDateTimeSchema.nullable(),
  activityId: z.string().max(512).nullable(),
  lastError: z.string().max(500).nullable(),
  createdAt: IsoDateTimeSchema,
});
export type Job = z.infer<typeof JobSchema>;

/** What a job source asks for; the scheduler adds the bookkeeping. */
const JobSpecSchema = JobSchema.pick({ id: true, kind: true, dueAt: true, staleAfter: true, address: true, params: true });
export type JobSpec = z.infer<typeof JobSpecSchema>;

/**
 * What a job source returns: a spec, and whether it may only move a job that already exists
 * (a message now due beyond the source's horizon, after its series changed) and never create one.
 */
export type SourceSpec = JobSpec & { moveOnly?: boolean };

export function newJob(spec: JobSpec, now: Date): Job {
  return {
    schemaVersion: 1,
    ...JobSpecSchema.parse(spec),
    state: 'pending',
    claim: null,
    attempts: 0,
    postStartedAt: null,
    sentAt: null,
    activityId: null,
    lastError: null,
    createdAt: now.toISOString(),
  };
}

/** Nothing more happens to a job in these states. */
export const FINISHED_STATES: ReadonlySet<JobState> = new Set(['sent', 'dropped', 'failed', 'unknown', 'done']);

export function isFinished(job: Pick<Job, 'state'>): boolean {
  return FINISHED_STATES.has(job.state);
}

export function isStale(job: Pick<Job, 'staleAfter'>, now: Date): boolean {
  return job.staleAfter !== null && job.staleAfter <= now.toISOString();
}

export function isClaimExpired(job: Pick<Job, 'claim'>, now: Date): boolean {
  return job.claim !== null && job.claim.until <= now.toISOString();
}
