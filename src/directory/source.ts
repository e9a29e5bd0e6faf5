import type { DirectorySnapshot } from '../domain/directory';
import type { DirectorySource as SourceKind, Municipality } from '../domain/municipality';
import type { DeltaCursors } from '../store/directory';

/** One reading of a directory, and where the next delta continues from (null: the source has no deltas). */
export type Reading = { snapshot: DirectorySnapshot; cursors: DeltaCursors | null };

/** Where Laget learns who works where (DIRECTORY=file|graph). */
export interface DirectorySource {
  readonly kind: SourceKind;
  /** The whole directory, read now. */
  full(): Promise<Reading>;
  /** What changed since `cursors`, applied to `previous`; absent for a source without deltas. */
  delta?(previous: DirectorySnapshot, cursors: DeltaCursors): Promise<Reading>;
}

/** The delta cursors can no longer be used (Graph forgot them): a full reading is needed. */
export class DeltaExpired extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaExpired';
  }
}

/**
 * DIRECTORY=file: the municipality file is the directory. Each unit lists its leaders and staff
 * (the synthetic people locally; a small municipality's real ones), and `coordinators` the
 * coordinators. Everyone listed has an active account; taking someone off the list is their leaving.
 */
export class FileDirectorySource implements DirectorySource {
  readonly kind = 'file' as const;

  constructor(private readonly municipality: Municipality) {}

  async full(): Promise<Reading> {
    const active = (people: readonly { id: string; name: string }[]) => people.map((p) => ({ id: p.id, name: p.name, enabled: true }));
    return {
      snapshot: {
        units: Object.fromEntries(this.municipality.units.map((u) => [u.id, { staff: active(u.staff), leaders: active(u.leaders) }])),
        coordinators: active(this.municipality.coordinators),
      },
      cursors: null,
    };
  }
}
