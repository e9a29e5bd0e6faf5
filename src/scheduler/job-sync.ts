import { newJob, type JobSpec } from './job';
import type { JobStore } from './job-store';
import { mapLimit } from './pool';

/** Writes side by side: enough for a turn not to wait on them one by one, few enough not to flood the store. */
const CONCURRENCY = 16;

/**
 * Makes the stored jobs follow a change of what they are about: from the jobs `was` called for
 * to the ones `is` calls for, by id. A new one is created, one whose time changed is moved, one
 * no longer called for is taken back (if not yet claimed: its composer still checks at send time).
 * With `repair` (after a failed attempt), every job `is` calls for is made sure of and moved to its
 * time, not only the changed ones; with `onlyMissing` (data written before its jobs were kept this
 * way), every one that does not exist is made and one that exists is left as it is (the code before
 * made it from the same dates). Idempotent: ids are deterministic and every write is create-only or
 * ETag-guarded. A job already stale is not made. Throws the first failure once every write has settled.
 */
export async function syncJobs(
  jobs: Pick<JobStore, 'ensure' | 'move' | 'cancel'>,
  was: readonly JobSpec[],
  is: readonly JobSpec[],
  now: Date,
  options: { repair?: boolean; onlyMissing?: boolean } = {},
): Promise<void> {
  const before = new Map(was.map((spec) => [spec.id, spec]));
  const after = new Map(is.map((spec) => [spec.id, spec]));
  const writes: (() => Promise<unknown>)[] = [];
  for (const id of before.keys()) if (!after.has(id)) writes.push(() => jobs.cancel(id));
  for (const spec of after.values()) {
    if (spec.staleAfter !== null && spec.staleAfter <= now.toISOString()) continue;
    const previous = before.get(spec.id);
    if (!previous || options.repair || options.onlyMissing) {
      writes.push(async () => {
        if ((await jobs.ensure(newJob(spec, now))) === 'exists' && !options.onlyMissing) await jobs.move(spec, now);
      });
    } else if (previous.dueAt !== spec.dueAt || previous.staleAfter !== spec.staleAfter) {
      writes.push(() => jobs.move(spec, now));
    }
  }
  const results = await mapLimit(writes, CONCURRENCY, (write) =>
    write().then(
      () => undefined,
      (error: unknown) => ({ error }),
    ),
  );
  const failed = results.find((result) => result !== undefined);
  if (failed) throw failed.error;
}
