import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { PersonalAddressSchema } from './conversation-address';
import { AlreadyExists, ConcurrencyConflict, Documents, type Versioned } from './documents';

/**
 * What Laget remembers about a person (by Entra object id): their display name, the units they
 * work in, the case they are working on now, and how to reach them in personal chat later.
 * No child data lives here.
 */

export const PersonSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  /** bokmål unless the person chose English (or their client says English). */
  locale: z.enum(['nb', 'en']).optional(),
  unitIds: z.array(z.string()),
  /** The case whose card flow the person is in now: resumed by "fortsett" and explained by "hjelp". */
  activeCase: z.object({ caseId: z.string(), unitId: z.string() }).nullable(),
  personalChat: PersonalAddressSchema.nullable(),
  /** Notices for this person that waited for their personal-chat address (sent once it is known). */
  pendingNotices: z.array(z.object({ caseId: z.string(), unitId: z.string(), about: z.string(), ref: z.string().optional(), key: z.string() })).default([]),
  welcomedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Person = z.infer<typeof PersonSchema>;

export class PeopleRepository {
  private readonly documents: Documents<Person>;

  constructor(container: Container) {
    this.documents = new Documents<Person>(container, PersonSchema, (p) => p.userId);
  }

  async read(userId: string): Promise<Versioned<Person> | undefined> {
    return this.documents.read(personDocId(userId), userId);
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
        return saved.doc;
      } catch (error) {
        const retry = error instanceof ConcurrencyConflict || error instanceof AlreadyExists;
        if (!retry || attempt >= 4) throw error;
      }
    }
  }
}

/** Cosmos ids cannot contain / \ ? #; Entra object ids never do, but test ids might. */
function personDocId(userId: string): string {
  return encodeURIComponent(userId);
}
