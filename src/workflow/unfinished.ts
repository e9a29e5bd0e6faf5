import type { Logger } from '../log';

/**
 * Work that belongs to a saved change but could not be done with it because the store went away
 * between the save and the writes that follow it: the audit entry, the notices, the report's
 * counters, the scheduled jobs. Each is idempotent (ids and keys derived from the change), so a
 * try whose answer was lost does no harm. One queue per process, shared by the services that save
 * (the CaseService, the TeamService); the scheduler drains it on every poll, a saving turn nudges it.
 */
export type UnfinishedItem = {
  /** Ids only (`caseId`, or `teamId` and `meetingId`): what the log lines name. */
  about: Record<string, string>;
  what: 'audit entry' | 'notices' | 'report counters' | 'scheduled jobs';
  run: () => Promise<void>;
};

/** Unfinished after-save work kept per process; beyond this the oldest is given up (and was logged). */
const MAX_UNFINISHED = 10_000;

export class UnfinishedWork {
  private readonly items: UnfinishedItem[] = [];
  private finishing: Promise<number> | undefined;

  constructor(private readonly log: Logger) {}

  /** How many saved changes still wait for something. */
  get count(): number {
    return this.items.length;
  }

  keep(item: UnfinishedItem): void {
    this.items.push(item);
    if (this.items.length > MAX_UNFINISHED) {
      const given = this.items.shift()!;
      this.log.error(
        { ...given.about, what: given.what },
        'gave up storing late what a saved change left undone (see its earlier log line)',
      );
    }
  }

  /** Tries again what is kept (one pass at a time); returns how many still wait. */
  finish(): Promise<number> {
    if (this.items.length === 0) return Promise.resolve(0);
    if (!this.finishing) {
      this.finishing = this.tryAll().finally(() => {
        this.finishing = undefined;
      });
    }
    return this.finishing;
  }

  private async tryAll(): Promise<number> {
    for (const item of [...this.items]) {
      try {
        await item.run();
      } catch {
        continue; // the store is still away: next time
      }
      const index = this.items.indexOf(item);
      if (index >= 0) this.items.splice(index, 1); // it may have been given up meanwhile
      this.log.info({ ...item.about, what: item.what }, 'stored late what a saved change had left undone');
    }
    return this.items.length;
  }
}
