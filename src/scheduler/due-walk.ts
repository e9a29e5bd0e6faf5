import type { Logger } from '../log';
import type { Versioned } from '../store/documents';
import { mapLimit } from './pool';
import { slotAfter, slotEnd, slotOf, slotsBetween, WRITE_MARGIN_MS, type DueEntry, type DueIndex, type Slot } from '../store/due-index';

/** A job listed as due by now, with every listing of it in the slots read (a moved job may have several). */
export type DueCandidate = { id: string; dueAt: string; listings: { slot: string; key: string; entry: DueEntry }[] };

/** A listing without its job is cleared once it is this old: the writer that listed it has given up or died. */
export const ORPHAN_AFTER_MS = 10 * 60 * 1000;

/** Slots read side by side (catch-up after downtime reads one per hour missed). */
const READ_CONCURRENCY = 8;

/**
 * One instance's walk along the due index: which slots are finished, and which jobs a pass
 * should look at. Finished slots are remembered in memory (only ever moved on by this instance,
 * from the shared progress record at start), so a pass in a running deployment reads the current
 * hour only — plus, around the turn of the hour, the hour before (to see it emptied) and the one
 * after (where jobs due in its last minutes are listed).
 */
export class DueWalk {
  private doneUpTo: string | undefined;

  constructor(
    private readonly index: DueIndex,
    private readonly log: Logger,
  ) {}

  /** Reads the unfinished slots up to `now` and returns the jobs listed as due, earliest first, at most `limit`. */
  async begin(now: Date, limit: number): Promise<DueRound> {
    const doneUpTo = await this.finishedUpTo(now);
    const slots = slotsBetween(slotAfter(doneUpTo), slotOf(new Date(now.getTime() + WRITE_MARGIN_MS)));
    const read = await mapLimit(slots, READ_CONCURRENCY, async (slot) => ({ slot, found: await this.index.read(slot) }));
    const nowIso = now.toISOString();
    const byJob = new Map<string, DueCandidate>();
    for (const { slot, found } of read) {
      for (const [key, entry] of Object.entries(found?.doc.entries ?? {})) {
        if (entry.dueAt > nowIso) continue;
        const candidate = byJob.get(entry.id) ?? { id: entry.id, dueAt: entry.dueAt, listings: [] };
        if (entry.dueAt < candidate.dueAt) candidate.dueAt = entry.dueAt;
        candidate.listings.push({ slot, key, entry });
        byJob.set(entry.id, candidate);
      }
    }
    const all = [...byJob.values()].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    return new DueRound(this.index, read, all.slice(0, limit), all.length > limit, (slot) => this.finished(slot, now));
  }

  /** The last finished slot: from the shared record at start, then as this instance finishes slots. */
  private async finishedUpTo(now: Date): Promise<string> {
    const before = slotAfter(slotOf(now), -1);
    if (this.doneUpTo === undefined) {
      const progress = (await this.index.progress())?.doc ?? (await this.index.startProgress(before, now));
      this.doneUpTo = progress.doneUpTo;
    }
    // A clock set back (the local "klokke"), or a record written by an instance whose clock runs ahead: start from now.
    if (this.doneUpTo > before) this.doneUpTo = before;
    return this.doneUpTo;
  }

  /** Called by a round that found every slot up to `slot` finished. */
  private async finished(slot: string, now: Date): Promise<void> {
    if (this.doneUpTo !== undefined && slot <= this.doneUpTo) return;
    this.doneUpTo = slot;
    try {
      await this.index.saveProgress(slot, now);
    } catch (error) {
      // Only a later start reads it; this instance goes on from its own memory.
      this.log.warn({ err: error, slot }, 'could not record the scheduler progress; trying again at the next finished slot');
    }
  }
}

/** The slots one pass read, and what became of the jobs listed in them. */
export class DueRound {
  private readonly finishedKeys = new Map<string, Set<string>>();

  constructor(
    private readonly index: DueIndex,
    private readonly read: readonly { slot: string; found: Versioned<Slot> | undefined }[],
    readonly candidates: readonly DueCandidate[],
    /** More jobs were due than the pass takes: run another pass at once. */
    readonly more: boolean,
    private readonly finishedUpTo: (slot: string) => Promise<void>,
  ) {}

  /** The job needs no listing any more (finished, moved later, or never created): its listings go. */
  finish(candidate: DueCandidate): void {
    for (const { slot, key } of candidate.listings) {
      const keys = this.finishedKeys.get(slot) ?? new Set<string>();
      keys.add(key);
      this.finishedKeys.set(slot, keys);
    }
  }

  /**
   * Takes finished jobs out of their slots. A slot whose hour is over is emptied: what is left in it
   * (jobs still being worked on, or not yet reached) is listed again under the current hour first.
   * Every slot up to the first one that could not be emptied is finished.
   */
  async end(now: Date): Promise<void> {
    let contiguous = true;
    let finishedUpTo: string | undefined;
    for (const { slot, found } of this.read) {
      const over = slotEnd(slot) <= now;
      const keys = this.finishedKeys.get(slot) ?? new Set<string>();
      let emptied = !found;
      try {
        if (found && over) {
          const left = Object.entries(found.doc.entries).filter(([key]) => !keys.has(key));
          if (left.length > 0)
            await this.index.carry(
              left.map(([, entry]) => entry),
              now,
            );
          emptied = await this.index.remove(found, Object.keys(found.doc.entries));
        } else if (found && keys.size > 0) {
          await this.index.remove(found, [...keys]);
        }
      } catch {
        emptied = false; // the store went away: the next pass reads the slot again
      }
      contiguous &&= over && emptied;
      if (contiguous) finishedUpTo = slot;
    }
    if (finishedUpTo !== undefined) await this.finishedUpTo(finishedUpTo);
  }
}
