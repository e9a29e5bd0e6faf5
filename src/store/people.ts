import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { PersonalAddressSchema } from './conversation-address';
import { AlreadyExists, ConcurrencyConflict, Documents, type Versioned } from './documents';

/**
 * What Laget remembers about a person (by Entra object id): their display name, the units where
 * they have had cases, the case they are working on now, and how to reach them in personal chat
 * later. Who works in which unit is the directory's (src/store/directory.ts), not this.
 * No child data lives here.
 */

const PersonSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  /** bokmål unless the person chose English (or their client says English). */
  locale: z.enum(['nb', 'en']).optional(),
  /** The units where the person has opened or taken over a case: "mine saker" looks there too after they move. */
  unitIds: z.array(z.string()),
  /** The case whose card flow the person is in now: resumed by "fortsett" and explained by "hjelp". */
  activeCase: z.object({ caseId: z.string(), unitId: z.string() }).nullable(),
  personalChat: PersonalAddressSchema.nullable(),
  /** The person's Teams user id (29:…), for Universal Actions' refresh lists. */
  mri: z.string().optional(),
  /** Notices for this person that waited for their personal-chat address (sent once it is known). */
  pendingNotices: z
    .array(z.object({ caseId: z.string(), unitId: z.string(), about: z.string(), ref: z.string().optional(), key: z.string() }))
    .default([]),
  welcomedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof PersonSchema>;

export class PeopleRepository {
  private readonly documents: Documents<Person>;
  /** Teams user ids seen in this process, by person id (see `mriOf`). */
  private readonly mris = new Map<string, string>();

  constructor(container: Container) {
    this.documents = new Documents<Person>(container, PersonSchema, (p) => p.userId);
  }

  async read(userId: string): Promise<Versioned<Person> | undefined> {
    const found = await this.documents.read(personDocId(userId), userId);
    if (found?.doc.mri) this.rememberMri(userId, found.doc.mri);
    return found;
  }

  /**
   * A person's Teams user id (29:…), for Universal Actions' refresh lists. Teams gives each user
   * one id per bot that never changes, so the ids seen in this process are kept: an approval card
   * needs no read of the owner when the same turn's notice has just read them.
   */
  async mriOf(userId: string): Promise<string | undefined> {
    return this.mris.get(userId) ?? (await this.read(userId))?.doc.mri;
  }

  private rememberMri(userId: string, mri: string): void {
    if (this.mris.size >= MAX_REMEMBERED_MRIS && !this.mris.has(userId)) this.mris.delete(this.mris.keys().next().value!);
    this.mris.set(userId, mri);
  }

  /**
   * Reads, changes and writes a person with the ETag, creating them when new; on a concurrent
   * change it re-reads and applies the change again.
   */
  async update(userId: string, name: string, now: Date, change: (person: Person) => Person): Promise<Person> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.read(userId);
      const base: Person = current?.doc ?? {
        schemaVersion: 1,
        id: personDocId(userId),
        userId,
        name,
        unitIds: [],
        activeCase: null,
        personalChat: null,
        welcomedAt: null,
        pendingNotices: [],
        updatedAt: now.toISOString(),
      };
      const next = { ...change(base), updatedAt: now.toISOString() };
      try {
        const saved = current ? await this.documents.replace(next, current.etag) : await this.documents.create(next);
        if (saved.doc.mri) this.rememberMri(userId, saved.doc.mri);
        return saved.doc;
      } catch (error) {
        const retry = error instanceof ConcurrencyConflict || error instanceof AlreadyExists;
        if (!retry || attempt >= 4) throw error;
      }
    }
  }
}

/** Enough for every member of staff of a large municipality; the oldest is forgotten first. */
const MAX_REMEMBERED_MRIS = 20_000;

/** Cosmos ids cannot contain / \ ? #; Entra object ids never do, but test ids might. */
function personDocId(userId: string): string {
  return encodeURIComponent(userId);
}
