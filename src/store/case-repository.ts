import type { Container } from '@azure/cosmos';
import type { Case } from '../domain/case';
import { CaseCodeClaims } from './case-codes';
import { Documents, type Versioned } from './documents';
import { StoredCaseSchema, type StoredCase } from './case-document';

/**
 * Cases, partitioned by unit. Every interactive query passes its unit as the partition key, so
 * Cosmos (and the embedded server, see embedded-cosmos.ts) reads one partition, and names it in
 * the SQL as well, so a query sent without the key could never return another unit's cases.
 * Writes are conditional on the ETag the case was read with.
 */
export type CaseRef = { caseId: string; unitId: string };

const SECONDS_PER_DAY = 24 * 3600;

export class CaseRepository {
  private readonly documents: Documents<StoredCase>;
  private readonly codes: CaseCodeClaims;

  constructor(
    containers: { cases: Container; caseCodes: Container },
    private readonly retention: { monthsAfterClosure: number },
  ) {
    this.documents = new Documents<StoredCase>(containers.cases, StoredCaseSchema, (c) => c.unitId);
    this.codes = new CaseCodeClaims(containers.caseCodes);
  }

  async read(ref: CaseRef): Promise<Versioned<Case> | undefined> {
    return strip(await this.documents.read(ref.caseId, ref.unitId));
  }

  /**
   * Create-only: the code is claimed first (case-codes.ts), so a code ever used in any unit of
   * the municipality — even by a case deleted since — is refused with AlreadyExists.
   */
  async create(c: Case): Promise<Versioned<Case>> {
    await this.codes.claim(c.id, c.createdAt);
    return strip(await this.documents.create(this.withRetention(c)))!;
  }

  /** Replaces the case if it is unchanged since `etag` was read; ConcurrencyConflict otherwise. */
  async replace(c: Case, etag: string): Promise<Versioned<Case>> {
    return strip(await this.documents.replace(this.withRetention(c), etag))!;
  }

  /** The open cases a person owns in one unit ("mine saker"): one partition. */
  async ownedBy(personId: string, unitId: string): Promise<Versioned<Case>[]> {
    return this.query(
      'SELECT * FROM c WHERE c.unitId = @unitId AND c.owner.id = @personId AND c.status != "closed"',
      { unitId, personId },
      unitId,
    );
  }

  /** The closed cases a person owns in one unit, while they are kept (retention): they can be reopened. */
  async closedOwnedBy(personId: string, unitId: string): Promise<Versioned<Case>[]> {
    return this.query(
      'SELECT * FROM c WHERE c.unitId = @unitId AND c.owner.id = @personId AND c.status = "closed"',
      { unitId, personId },
      unitId,
    );
  }

  /** Cases offered to a person (a handover waiting for their answer) in one unit. */
  async offeredTo(personId: string, unitId: string): Promise<Versioned<Case>[]> {
    return this.query(
      'SELECT * FROM c WHERE c.unitId = @unitId AND c.pendingHandover.to.id = @personId AND c.status != "closed"',
      { unitId, personId },
      unitId,
    );
  }

  /** Open cases in a unit where the person is the nearest leader ("mine enheter", "til godkjenning"). */
  async ledBy(personId: string, unitId: string): Promise<Versioned<Case>[]> {
    return this.query(
      'SELECT * FROM c WHERE c.unitId = @unitId AND c.nearestLeader.id = @personId AND c.status != "closed"',
      { unitId, personId },
      unitId,
    );
  }

  /** Every case not closed, a page at a time, across units: for one-time maintenance (src/workflow/schedule-backfill.ts), never a turn or a pass. */
  async *open(pageSize = 100): AsyncGenerator<Case[]> {
    for await (const page of this.documents.pages('SELECT * FROM c WHERE c.status != "closed"', [], pageSize)) {
      yield page.map((found) => strip(found)!.doc);
    }
  }

  /** Closed cases whose retention period has run out (the sweeper's work; spans units). */
  async closedBefore(instant: string): Promise<Versioned<Case>[]> {
    return this.query('SELECT * FROM c WHERE c.status = "closed" AND c.closed.at < @instant', { instant });
  }

  async delete(ref: CaseRef, etag: string): Promise<boolean> {
    return this.documents.delete(ref.caseId, ref.unitId, etag);
  }

  /** Cosmos deletes a closed case on its own after the retention period (the sweeper does it where ttl is not honoured). */
  private withRetention(c: Case): StoredCase {
    if (c.status !== 'closed') return c;
    return { ...c, ttl: this.retention.monthsAfterClosure * 31 * SECONDS_PER_DAY };
  }

  private async query(sql: string, params: Record<string, string>, partitionKey?: string): Promise<Versioned<Case>[]> {
    const parameters = Object.entries(params).map(([name, value]) => ({ name: `@${name}`, value }));
    const found = await this.documents.query(sql, parameters, partitionKey ? { partitionKey } : {});
    return found.map((versioned) => strip(versioned)!);
  }
}

/** The domain never sees the storage-only ttl. */
function strip(versioned: Versioned<StoredCase> | undefined): Versioned<Case> | undefined {
  if (!versioned) return undefined;
  const { ttl: _ttl, ...doc } = versioned.doc;
  return { doc, etag: versioned.etag };
}
