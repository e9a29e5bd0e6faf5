import { createHash } from 'node:crypto';
import type { Container, ItemDefinition, PatchOperation } from '@azure/cosmos';
import { z } from 'zod';
import { IsoDateTimeSchema } from '../domain/primitives';
import { AlreadyExists, ConcurrencyConflict, Documents, StoreUnavailable, type Versioned } from './documents';

/**
 * Where the scheduler finds what is due without asking the whole `jobs` container: one small
 * document per UTC hour ("slot") listing the jobs that fall due in it and are not finished yet,
 * and one progress document saying up to which slot everything is finished. A pass reads the
 * slots from the first unfinished one to the current one — in a running deployment, one point
 * read — whatever the number of units, cases and teams.
 *
 * Point reads, not queries: @azure/cosmos (4.9 and 4.10 alike) sends a query-plan request before
 * every item query, even one scoped to a partition key, and no option turns that off (only
 * `forceQueryPlan` forces it). A slot read is one request and, for a small document, 1 RU.
 *
 * The rules that make it safe (the scheduler's side is in src/scheduler/due-walk.ts):
 * - A job is listed before it is created or moved, so a job that exists can always be found;
 *   a listing whose job never came (the writer died in between) is an orphan, cleared later.
 * - A writer never lists into a slot the scheduler may have finished with: the slot is the
 *   job's own hour, or — for a job already due or due within `WRITE_MARGIN_MS` — the hour it will
 *   be in `WRITE_MARGIN_MS` from now. A scheduler calls a slot finished only once its hour has
 *   ended, so a listing in flight lands first unless it takes longer than the margin.
 * - A slot's entries leave only when their job is finished (or moved to another slot, or never
 *   existed); a slot whose hour has ended and whose entries are all gone is finished for good.
 */

const SLOT_MS = 3600 * 1000;
/** Longer than a listing write takes (timeouts and retries included) plus the clock skew between instances. */
export const WRITE_MARGIN_MS = 2 * 60 * 1000;

/** The slot (UTC hour, `2026-03-10T08`) of an instant. */
export function slotOf(instant: Date | string): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(Math.floor(ms / SLOT_MS) * SLOT_MS).toISOString().slice(0, 13);
}

function slotStart(slot: string): Date {
  return new Date(`${slot}:00:00.000Z`);
}

export function slotEnd(slot: string): Date {
  return new Date(slotStart(slot).getTime() + SLOT_MS);
}

export function slotAfter(slot: string, n = 1): string {
  return slotOf(new Date(slotStart(slot).getTime() + n * SLOT_MS));
}

/** Slots from `first` to `last`, both included (none when `first` is after `last`). */
export function slotsBetween(first: string, last: string): string[] {
  const slots: string[] = [];
  for (let slot = first; slot <= last; slot = slotAfter(slot)) slots.push(slot);
  return slots;
}

/** The slot a job due at `dueAt`, listed at `now`, goes into (see the rules above). */
function listingSlot(dueAt: string, now: Date): string {
  const own = slotOf(dueAt);
  const earliest = slotOf(new Date(now.getTime() + WRITE_MARGIN_MS));
  return own > earliest ? own : earliest;
}

/** The key of a job's entry in a slot: short, and safe in a JSON Patch path whatever the job id holds. */
function entryKey(jobId: string): string {
  return createHash('sha256').update(jobId).digest('base64url').slice(0, 22);
}

const DueEntrySchema = z.object({
  /** The job's id in `jobs`. */
  id: z.string().min(1).max(255),
  /** When the job was due as it was listed (a job moved later is found through its newer listing). */
  dueAt: IsoDateTimeSchema,
  /** When it was listed: a listing without a job is cleared only once it is old enough to be an orphan. */
  at: IsoDateTimeSchema,
});
export type DueEntry = z.infer<typeof DueEntrySchema>;

export const SlotSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^slot:\d{4}-\d{2}-\d{2}T\d{2}$/),
  slot: z.string(),
  /** By `entryKey(jobId)`. */
  entries: z.record(DueEntrySchema),
});
export type Slot = z.infer<typeof SlotSchema>;

const ProgressSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.literal('progress'),
  /** Every slot up to and including this one is finished. */
  doneUpTo: z.string(),
  updatedAt: IsoDateTimeSchema,
});
export type Progress = z.infer<typeof ProgressSchema>;

const slotId = (slot: string) => `slot:${slot}`;
/** Operations Cosmos accepts in one patch request. */
const PATCH_LIMIT = 10;

/**
 * The `due` container (partitioned by /id: every slot is its own small partition, read by id).
 * Listing is a JSON Patch `set` (one request, no ETag to race on); removal is a replace with the
 * ETag the scheduler read, so an entry listed meanwhile is never lost.
 */
export class DueIndex {
  private readonly slots: Documents<Slot>;
  private readonly progressDocs: Documents<Progress>;

  constructor(private readonly container: Container) {
    this.slots = new Documents(container, SlotSchema, (doc) => doc.id);
    this.progressDocs = new Documents(container, ProgressSchema, (doc) => doc.id);
  }

  /** Lists a job due at `dueAt` (idempotent: listing it again in the same slot changes nothing that matters). */
  async list(job: { id: string; dueAt: string }, now: Date): Promise<string> {
    const slot = listingSlot(job.dueAt, now);
    await this.setAll(slot, [[entryKey(job.id), { id: job.id, dueAt: job.dueAt, at: now.toISOString() }]]);
    return slot;
  }

  private async setAll(slot: string, entries: ReadonlyArray<readonly [string, DueEntry]>): Promise<void> {
    const operations: PatchOperation[] = entries.map(([key, value]) => ({ op: 'set', path: `/entries/${key}`, value }));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await this.patch(slot, operations)) return;
      try {
        await this.slots.create({ schemaVersion: 1, id: slotId(slot), slot, entries: Object.fromEntries(entries) });
        return;
      } catch (error) {
        if (!(error instanceof AlreadyExists)) throw error;
        // Another writer created the slot first: set our entries in theirs.
      }
    }
    throw new StoreUnavailable('list a due job', new Error(`slot ${slot} kept appearing and disappearing`));
  }

  /**
   * Lists entries of a slot whose hour is over again, in the slot a new listing would go to now,
   * keeping when each was first listed: jobs still being worked on (or held by an instance that
   * died) move along with the clock, so the scheduler never has to look further back than the last
   * hour. Ten entries per request (Cosmos' limit for one patch).
   */
  async carry(entries: readonly DueEntry[], now: Date): Promise<void> {
    const bySlot = new Map<string, DueEntry[]>();
    for (const entry of entries) {
      const slot = listingSlot(entry.dueAt, now);
      bySlot.set(slot, [...(bySlot.get(slot) ?? []), entry]);
    }
    for (const [slot, list] of bySlot) {
      for (let i = 0; i < list.length; i += PATCH_LIMIT) {
        const chunk = list.slice(i, i + PATCH_LIMIT);
        await this.setAll(
          slot,
          chunk.map((entry) => [entryKey(entry.id), entry] as const),
        );
      }
    }
  }

  read(slot: string): Promise<Versioned<Slot> | undefined> {
    return this.slots.read(slotId(slot), slotId(slot));
  }

  /**
   * Takes the given entries out of a slot, conditional on the ETag the caller read it with; a
   * slot left empty is deleted (the next listing makes it again), so an idle pass finds nothing
   * to read. Returns false when the slot changed meanwhile (a job was listed): nothing was
   * removed, and the next pass tries again.
   */
  async remove(read: Versioned<Slot>, keys: readonly string[]): Promise<boolean> {
    const entries = Object.fromEntries(Object.entries(read.doc.entries).filter(([key]) => !keys.includes(key)));
    try {
      if (Object.keys(entries).length === 0) await this.slots.delete(read.doc.id, read.doc.id, read.etag);
      else await this.slots.replace({ ...read.doc, entries }, read.etag);
      return true;
    } catch (error) {
      if (error instanceof ConcurrencyConflict) return false;
      throw error;
    }
  }

  /** The slot everything up to is finished, as the last scheduler to say so saw it. */
  async progress(): Promise<Versioned<Progress> | undefined> {
    return this.progressDocs.read('progress', 'progress');
  }

  /**
   * Starts the record at `doneUpTo` if there is none yet (a first start: nothing was listed before),
   * and returns the record as it is.
   */
  async startProgress(doneUpTo: string, now: Date): Promise<Progress> {
    try {
      return (await this.progressDocs.create({ schemaVersion: 1, id: 'progress', doneUpTo, updatedAt: now.toISOString() })).doc;
    } catch (error) {
      if (!(error instanceof AlreadyExists)) throw error;
      const found = await this.progress();
      if (!found) throw new StoreUnavailable('read scheduler progress', error);
      return found.doc;
    }
  }

  /**
   * Records that every slot up to `doneUpTo` is finished: one write, no read. Two instances write
   * the same value; a lagging one may write an older value, which only makes a later start look at
   * a few more (empty) slots.
   */
  async saveProgress(doneUpTo: string, now: Date): Promise<void> {
    await this.progressDocs.upsert({ schemaVersion: 1, id: 'progress', doneUpTo, updatedAt: now.toISOString() });
  }

  /** False when the slot does not exist yet. */
  private async patch(slot: string, operations: PatchOperation[]): Promise<boolean> {
    try {
      await this.container.item(slotId(slot), slotId(slot)).patch<ItemDefinition>(operations);
      return true;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 404) return false;
      if (typeof code === 'number' && code !== 408 && code !== 429 && code < 500) throw error;
      throw new StoreUnavailable('list a due job', error);
    }
  }
}
