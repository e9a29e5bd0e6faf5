import { forEachLimited } from '../concurrency';
import { isDeepStrictEqual } from 'node:util';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import {
  DirectoryMemberSchema,
  peopleOf,
  UnitMembershipSchema,
  type DirectoryMember,
  type DirectoryPerson,
  type DirectorySnapshot,
} from '../domain/directory';
import { IsoDateTimeSchema, PersonIdSchema, PersonRefSchema, SlugSchema, type PersonRef } from '../domain/primitives';
import { AlreadyExists, ConcurrencyConflict, Documents, type Versioned } from './documents';

/**
 * The directory as Laget last read it (src/directory/sync.ts), in the `directory` container
 * (partition key /id: every document is read by its id):
 *
 * - `unit:<unitId>` — the unit's staff and leaders (with disabled accounts, so a change is seen):
 *   the snapshot itself; the baton picker and the leader's reassign offer read it in one point read.
 * - `person:<id>` — one person as a turn needs them: their units, each with its active leaders,
 *   and whether they coordinate. Derived from the units, written only where it changed, so one
 *   point read per turn answers "where may this person open a case, and who is the leader".
 * - `coordinators` — the coordinators' group.
 * - `state` — when the snapshot was taken, the last error, the delta cursors, and the lease that
 *   lets one instance sync at a time.
 *
 * No child data, and only what the directory gives: ids, display names, sign-in names, enabled.
 */

const DirectoryUnitDocSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  kind: z.literal('unit'),
  unitId: SlugSchema,
  ...UnitMembershipSchema.shape,
  version: z.number().int().min(1),
  syncedAt: IsoDateTimeSchema,
});
export type DirectoryUnitDoc = z.infer<typeof DirectoryUnitDocSchema>;

const DirectoryPersonDocSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  kind: z.literal('person'),
  personId: PersonIdSchema,
  name: z.string().min(1).max(256),
  units: z.array(z.object({ unitId: SlugSchema, leads: z.boolean(), leaders: z.array(PersonRefSchema) })),
  coordinator: z.boolean(),
  version: z.number().int().min(1),
});
type DirectoryPersonDoc = z.infer<typeof DirectoryPersonDocSchema>;

const CoordinatorsDocSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.literal('coordinators'),
  kind: z.literal('coordinators'),
  members: z.array(DirectoryMemberSchema),
  version: z.number().int().min(1),
});
type CoordinatorsDoc = z.infer<typeof CoordinatorsDocSchema>;

/** Where the next delta continues from (Graph's deltaLinks); none for a source without deltas. */
const DeltaCursorsSchema = z.object({
  users: z.string().max(4000).optional(),
  groups: z.array(z.string().max(4000)).max(200),
  /** Which groups the cursors follow (a fingerprint): another set of groups in the file needs a full reading. */
  scope: z.string().max(200).optional(),
});
export type DeltaCursors = z.infer<typeof DeltaCursorsSchema>;

const DirectoryStateSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.literal('state'),
  kind: z.literal('state'),
  source: z.enum(['file', 'graph']).nullable(),
  /** Counts the snapshots written; 0 before the first. */
  version: z.number().int().min(0),
  /** When the snapshot in use was taken (the last sync that succeeded). */
  snapshotAt: IsoDateTimeSchema.nullable(),
  lastFullAt: IsoDateTimeSchema.nullable(),
  lastDeltaAt: IsoDateTimeSchema.nullable(),
  /** The last attempt that failed, if it came after the last success. */
  lastError: z.object({ at: IsoDateTimeSchema, message: z.string().max(500) }).nullable(),
  cursors: DeltaCursorsSchema.nullable(),
  /** The instance syncing now; another instance leaves it alone until `until`. */
  lease: z.object({ by: z.string().max(200), until: IsoDateTimeSchema }).nullable(),
});
export type DirectoryState = z.infer<typeof DirectoryStateSchema>;

export type DirectoryStatus = Pick<DirectoryState, 'source' | 'version' | 'snapshotAt' | 'lastFullAt' | 'lastDeltaAt' | 'lastError'>;

/** The snapshot as stored, with what a writer needs to replace it without losing another writer's update. */
export type StoredSnapshot = {
  snapshot: DirectorySnapshot;
  units: ReadonlyMap<string, Versioned<DirectoryUnitDoc>>;
  coordinators: Versioned<CoordinatorsDoc> | undefined;
};

const unitDocId = (unitId: string) => `unit:${unitId}`;
/** Cosmos ids cannot contain / \ ? #: Entra object ids never do, test ids might. */
const personDocId = (personId: string) => `person:${encodeURIComponent(personId)}`;
const EMPTY_STATE: DirectoryState = {
  schemaVersion: 1,
  id: 'state',
  kind: 'state',
  source: null,
  version: 0,
  snapshotAt: null,
  lastFullAt: null,
  lastDeltaAt: null,
  lastError: null,
  cursors: null,
  lease: null,
};
/** Writes at once while a snapshot is stored: enough to keep a sync of thousands of people short, few enough for a serverless account. */
const WRITE_CONCURRENCY = 8;

export class DirectoryStore {
  private readonly unitDocs: Documents<DirectoryUnitDoc>;
  private readonly personDocs: Documents<DirectoryPersonDoc>;
  private readonly coordinatorDocs: Documents<CoordinatorsDoc>;
  private readonly stateDocs: Documents<DirectoryState>;

  constructor(container: Container) {
    this.unitDocs = new Documents(container, DirectoryUnitDocSchema, (d) => d.id);
    this.personDocs = new Documents(container, DirectoryPersonDocSchema, (d) => d.id);
    this.coordinatorDocs = new Documents(container, CoordinatorsDocSchema, (d) => d.id);
    this.stateDocs = new Documents(container, DirectoryStateSchema, (d) => d.id);
  }

  /** The person as a turn needs them, or undefined: not in any unit, not a coordinator (or no snapshot yet). One point read. */
  async person(personId: string): Promise<DirectoryPerson | undefined> {
    const id = personDocId(personId);
    const found = await this.personDocs.read(id, id);
    if (!found) return undefined;
    const { personId: pid, name, units, coordinator } = found.doc;
    return { id: pid, name, units, coordinator };
  }

  /** A unit's members as last read (disabled accounts included: callers count `activeMembers`). One point read. */
  async unit(unitId: string): Promise<DirectoryUnitDoc | undefined> {
    const id = unitDocId(unitId);
    return (await this.unitDocs.read(id, id))?.doc;
  }

  /** The coordinators (the coordinators' group, or the file's list) with active accounts. */
  async coordinators(): Promise<PersonRef[]> {
    const found = await this.coordinatorDocs.read('coordinators', 'coordinators');
    return (found?.doc.members ?? []).filter((m) => m.enabled).map((m) => ({ id: m.id, name: m.name }));
  }

  /** Where the directory comes from, when its snapshot was taken and the last failure since: for /healthz. */
  async status(): Promise<DirectoryStatus> {
    const { source, version, snapshotAt, lastFullAt, lastDeltaAt, lastError } = (await this.readState()).doc;
    return { source, version, snapshotAt, lastFullAt, lastDeltaAt, lastError };
  }

  async readState(): Promise<Versioned<DirectoryState>> {
    return (await this.stateDocs.read('state', 'state')) ?? { doc: EMPTY_STATE, etag: '' };
  }

  /**
   * Takes the lease for one sync, if no other instance holds it: `busy` otherwise. Conditional on
   * the ETag read, so of two instances asking at once exactly one gets it.
   */
  async claim(instanceId: string, now: Date, leaseMs: number): Promise<Versioned<DirectoryState> | 'busy'> {
    const current = await this.readState();
    const lease = current.doc.lease;
    if (lease && lease.by !== instanceId && lease.until > now.toISOString()) return 'busy';
    const next = { ...current.doc, lease: { by: instanceId, until: new Date(now.getTime() + leaseMs).toISOString() } };
    try {
      return current.etag === '' ? await this.stateDocs.create(next) : await this.stateDocs.replace(next, current.etag);
    } catch (error) {
      if (error instanceof ConcurrencyConflict || error instanceof AlreadyExists) return 'busy';
      throw error;
    }
  }

  /** Ends a sync: the new state (lease released), if the lease is still this sync's (ConcurrencyConflict otherwise). */
  async release(held: Versioned<DirectoryState>, state: Omit<DirectoryState, 'lease'>): Promise<void> {
    await this.stateDocs.replace({ ...state, lease: null }, held.etag);
  }

  /** The stored snapshot of these units (an empty unit for one never synced). */
  async readSnapshot(unitIds: readonly string[]): Promise<StoredSnapshot> {
    const units = new Map<string, Versioned<DirectoryUnitDoc>>();
    await forEachLimited(unitIds, WRITE_CONCURRENCY, async (unitId) => {
      const found = await this.unitDocs.read(unitDocId(unitId), unitDocId(unitId));
      if (found) units.set(unitId, found);
    });
    const coordinators = await this.coordinatorDocs.read('coordinators', 'coordinators');
    const snapshot: DirectorySnapshot = {
      units: Object.fromEntries(
        unitIds.map((unitId) => {
          const doc = units.get(unitId)?.doc;
          return [unitId, { staff: doc?.staff ?? [], leaders: doc?.leaders ?? [] }];
        }),
      ),
      coordinators: coordinators?.doc.members ?? [],
    };
    return { snapshot, units, coordinators };
  }

  /**
   * Stores a new snapshot over `previous`: first the people whose entry changed (and the removal of
   * those no longer in any unit), then each changed unit and the coordinators, each conditional on
   * the ETag `previous` was read with. A writer working from an older reading therefore fails
   * (ConcurrencyConflict) instead of overwriting a newer snapshot; and a sync that stops half-way
   * leaves the units as they were, so the next one computes — and writes — the same people again.
   */
  async writeSnapshot(
    previous: StoredSnapshot,
    next: DirectorySnapshot,
    unitIds: readonly string[],
    version: number,
    now: Date,
  ): Promise<{ peopleWritten: number; peopleRemoved: number; unitsWritten: number }> {
    const before = peopleOf(previous.snapshot, unitIds);
    const after = peopleOf(next, unitIds);
    const changed = [...after.values()].filter((person) => !isDeepStrictEqual(person, before.get(person.id)));
    const removed = [...before.keys()].filter((id) => !after.has(id));
    // Written afresh where the stored entry may be missing (a first sync, or one that stopped half-way).
    await forEachLimited(changed, WRITE_CONCURRENCY, async (person) => {
      const { id: personId, name, units, coordinator } = person;
      await this.personDocs.upsert({
        schemaVersion: 1,
        id: personDocId(personId),
        kind: 'person',
        personId,
        name,
        units,
        coordinator,
        version,
      });
    });
    await forEachLimited(removed, WRITE_CONCURRENCY, async (personId) => {
      const id = personDocId(personId);
      await this.personDocs.delete(id, id);
    });
    let unitsWritten = 0;
    await forEachLimited(unitIds, WRITE_CONCURRENCY, async (unitId) => {
      const membership = next.units[unitId] ?? { staff: [], leaders: [] };
      const stored = previous.units.get(unitId);
      if (stored && sameMembers(stored.doc.staff, membership.staff) && sameMembers(stored.doc.leaders, membership.leaders)) return;
      const doc: DirectoryUnitDoc = {
        schemaVersion: 1,
        id: unitDocId(unitId),
        kind: 'unit',
        unitId,
        staff: membership.staff,
        leaders: membership.leaders,
        version,
        syncedAt: now.toISOString(),
      };
      if (stored) await this.unitDocs.replace(doc, stored.etag);
      else await this.unitDocs.create(doc).catch(conflictOnExisting);
      unitsWritten += 1;
    });
    if (!previous.coordinators || !sameMembers(previous.coordinators.doc.members, next.coordinators)) {
      const doc: CoordinatorsDoc = { schemaVersion: 1, id: 'coordinators', kind: 'coordinators', members: [...next.coordinators], version };
      if (previous.coordinators) await this.coordinatorDocs.replace(doc, previous.coordinators.etag);
      else await this.coordinatorDocs.create(doc).catch(conflictOnExisting);
    }
    return { peopleWritten: changed.length, peopleRemoved: removed.length, unitsWritten };
  }
}

/** Someone else created it after we read that it was missing: their snapshot is newer than ours. */
function conflictOnExisting(error: unknown): never {
  if (error instanceof AlreadyExists) throw new ConcurrencyConflict(error.id);
  throw error;
}

function sameMembers(a: readonly DirectoryMember[], b: readonly DirectoryMember[]): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}
