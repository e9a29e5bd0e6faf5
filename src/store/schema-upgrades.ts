/** A stored document as JSON, before its schema has parsed it. */
export type RawDocument = Record<string, unknown>;

/** One step: a document of version n becomes one of version n + 1 (or later). */
export type Upgrades = Readonly<Record<number, (doc: RawDocument) => RawDocument>>;

/**
 * Brings a document written by an older Laget up to `current`, step by step, so that reading never
 * needs a migration run. A document without `schemaVersion` is taken to be `unversioned`; anything
 * that is not an object passes through for the schema to refuse.
 */
export function upgradeDocument(input: unknown, kind: string, current: number, upgrades: Upgrades, unversioned: number): unknown {
  if (!input || typeof input !== 'object') return input;
  let doc = input as RawDocument;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : unversioned;
  while (version < current) {
    const upgrade = upgrades[version];
    if (!upgrade) throw new Error(`no upgrade from ${kind} schema version ${version}`);
    doc = upgrade(doc);
    version = doc.schemaVersion as number;
  }
  return doc;
}
