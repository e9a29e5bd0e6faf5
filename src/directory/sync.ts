import { directoryChanges, type DirectoryChanges, type DirectorySnapshot } from '../domain/directory';
import type { Logger } from '../log';
import type { DirectoryState, DirectoryStore } from '../store/directory';
import { ConcurrencyConflict, type Versioned } from '../store/documents';
import { DeltaExpired, type DirectorySource, type Reading } from './source';

/**
 * Keeps the stored directory current (src/store/directory.ts): a full reading at start and every
 * `fullIntervalMs` (daily), a delta every `deltaIntervalMs` (minutes) where the source has deltas.
 * It runs from the scheduler's loop; one instance at a time holds the lease, so any number of
 * instances sync once. Each run:
 *
 *   claim the lease → read the stored snapshot → read the source → compare → apply what the
 *   changes mean for open cases (DirectoryEffects, idempotent) → store the new snapshot (each
 *   unit conditional on the ETag it was read with) → release the lease with the new state
 *
 * A run that fails leaves the snapshot as it was: Laget goes on working with it, and the state
 * (shown on /healthz) and the log say when it was taken and what went wrong.
 */

/** What the changes mean for open cases: the leader changes and the departures, applied once. */
export interface DirectoryEffects {
  apply(changes: DirectoryChanges, context: { version: number; now: Date }): Promise<{ casesChanged: number }>;
}

export type SyncMode = 'full' | 'delta';

export type SyncOutcome =
  | { kind: 'busy' }
  | {
      kind: 'synced';
      mode: SyncMode;
      version: number;
      changes: { leaderChanges: number; departures: number };
      casesChanged: number;
      peopleWritten: number;
      peopleRemoved: number;
      ms: number;
    }
  | { kind: 'failed'; mode: SyncMode; message: string; snapshotAt: string | null };

export type DirectorySyncDeps = {
  store: DirectoryStore;
  source: DirectorySource;
  effects: DirectoryEffects;
  /** The configured units, in the municipality's order. */
  unitIds: readonly string[];
  log: Logger;
  instanceId: string;
  deltaIntervalMs: number;
  fullIntervalMs: number;
  /** How long one run may hold the lease before another instance may take over. Default 10 min. */
  leaseMs?: number;
  /** Monotonic milliseconds, for the run's duration. */
  elapsed?: () => number;
};

const DEFAULT_LEASE_MS = 10 * 60_000;

export class DirectorySync {
  private running: Promise<SyncOutcome> | undefined;

  constructor(private readonly deps: DirectorySyncDeps) {}

  /**
   * At start: a full reading, unless another instance finished one within the delta interval
   * (several instances starting together read the directory once).
   */
  async atStart(now: Date): Promise<SyncOutcome | undefined> {
    const { doc: state } = await this.deps.store.readState();
    if (state.source === this.deps.source.kind && state.lastFullAt && ageMs(state.lastFullAt, now) < this.deps.deltaIntervalMs)
      return undefined;
    return this.run(now, 'full');
  }

  /** From the scheduler's loop: whatever is due now, if anything. */
  async runIfDue(now: Date): Promise<SyncOutcome | undefined> {
    if (this.running) return undefined;
    const { doc: state } = await this.deps.store.readState();
    const mode = this.dueMode(state, now);
    return mode ? this.run(now, mode) : undefined;
  }

  /** One run now (tests and the scheduler); a run already going in this process is waited for instead. */
  run(now: Date, mode: SyncMode): Promise<SyncOutcome> {
    this.running ??= this.runLeased(now, mode).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private dueMode(state: DirectoryState, now: Date): SyncMode | undefined {
    const { deltaIntervalMs, fullIntervalMs, source } = this.deps;
    // After a failure, the next try waits one delta interval (Graph may be away for a while).
    if (state.lastError && ageMs(state.lastError.at, now) < deltaIntervalMs) return undefined;
    if (state.source !== source.kind || !state.lastFullAt || ageMs(state.lastFullAt, now) >= fullIntervalMs) return 'full';
    if (!source.delta || !state.cursors) return undefined;
    const lastRun = [state.lastDeltaAt, state.lastFullAt]
      .filter((at): at is string => at !== null)
      .sort()
      .at(-1)!;
    return ageMs(lastRun, now) >= deltaIntervalMs ? 'delta' : undefined;
  }

  private async runLeased(now: Date, requested: SyncMode): Promise<SyncOutcome> {
    const { store, log, instanceId } = this.deps;
    const held = await store.claim(instanceId, now, this.deps.leaseMs ?? DEFAULT_LEASE_MS);
    if (held === 'busy') return { kind: 'busy' };
    const started = this.elapsed();
    let mode = requested;
    try {
      const previous = await store.readSnapshot(this.deps.unitIds);
      const first = held.doc.version === 0 || held.doc.source !== this.deps.source.kind;
      if (first || !held.doc.cursors) mode = 'full';
      let reading: Reading;
      try {
        reading = mode === 'delta' ? await this.deps.source.delta!(previous.snapshot, held.doc.cursors!) : await this.deps.source.full();
      } catch (error) {
        if (!(error instanceof DeltaExpired)) throw error;
        log.warn({ reason: error.message }, 'directory delta no longer possible; reading the directory in full');
        mode = 'full';
        reading = await this.deps.source.full();
      }
      const version = held.doc.version + 1;
      // The first reading of a source has nothing to compare with: no case is changed by it.
      const changes = first ? { leaderChanges: [], departures: [] } : directoryChanges(previous.snapshot, reading.snapshot);
      const { casesChanged } = await this.deps.effects.apply(changes, { version, now });
      const written = await store.writeSnapshot(previous, reading.snapshot, this.deps.unitIds, version, now);
      const at = now.toISOString();
      await store.release(held, {
        ...held.doc,
        source: this.deps.source.kind,
        version,
        snapshotAt: at,
        lastFullAt: mode === 'full' ? at : held.doc.lastFullAt,
        lastDeltaAt: mode === 'delta' ? at : held.doc.lastDeltaAt,
        lastError: null,
        cursors: reading.cursors,
      });
      const outcome: SyncOutcome = {
        kind: 'synced',
        mode,
        version,
        changes: { leaderChanges: changes.leaderChanges.length, departures: changes.departures.length },
        casesChanged,
        peopleWritten: written.peopleWritten,
        peopleRemoved: written.peopleRemoved,
        ms: Math.round(this.elapsed() - started),
      };
      log.info({ ...outcome, people: countPeople(reading.snapshot) }, 'directory synced');
      return outcome;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const snapshotAt = held.doc.snapshotAt;
      log.warn(
        { err: error, mode, snapshotAt },
        snapshotAt
          ? `directory sync failed; Laget keeps working on the snapshot taken ${snapshotAt}`
          : 'directory sync failed and there is no snapshot yet: nobody is in a unit until a sync succeeds',
      );
      await this.recordFailure(held, { at: now.toISOString(), message });
      return { kind: 'failed', mode, message, snapshotAt };
    }
  }

  /** Releases the lease with the error, unless another instance has taken it since (then its state stands). */
  private async recordFailure(held: Versioned<DirectoryState>, lastError: { at: string; message: string }): Promise<void> {
    try {
      await this.deps.store.release(held, { ...held.doc, lastError });
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) this.deps.log.warn({ err: error }, 'could not record the directory sync failure');
    }
  }

  private elapsed(): number {
    return (this.deps.elapsed ?? (() => performance.now()))();
  }
}

function ageMs(at: string, now: Date): number {
  return now.getTime() - Date.parse(at);
}

function countPeople(snapshot: DirectorySnapshot): number {
  return new Set(Object.values(snapshot.units).flatMap((u) => [...u.staff, ...u.leaders].map((m) => m.id))).size;
}
