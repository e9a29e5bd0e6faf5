import { isDeepStrictEqual } from 'node:util';
import type { Container, ItemDefinition, SqlParameter } from '@azure/cosmos';
import { ZodError, type z } from 'zod';

/** A document as read from Cosmos, with the ETag that a later write must match. */
export type Versioned<T> = { doc: T; etag: string };

/** Someone else changed the document since it was read: re-read and decide again. */
export class ConcurrencyConflict extends Error {
  constructor(readonly id: string) {
    super(`document ${id} changed since it was read`);
    this.name = 'ConcurrencyConflict';
  }
}

/** A document with that id already exists (create-only writes: claims, idempotency records). */
export class AlreadyExists extends Error {
  constructor(readonly id: string) {
    super(`document ${id} already exists`);
    this.name = 'AlreadyExists';
  }
}

/** Cosmos could not be reached or gave up (throttled, timed out): nothing was written by us. */
export class StoreUnavailable extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`store unavailable during ${operation}`);
    this.name = 'StoreUnavailable';
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A write that failed this way may still have been applied: the connection broke or timed out
 * after the request left, or the server failed after acting. (A 429 or a 4xx was certainly not.)
 */
function mayHaveLanded(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status === 408 || status >= 500;
}

/** Same content, whatever the key order, the system properties or fields left undefined. */
function sameContent(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/**
 * Typed access to one container. Every read is parsed with the document's zod schema
 * (which upgrades older schema versions); every write of an existing document is
 * conditional on the ETag it was read with, so nothing is silently overwritten. A write whose
 * answer is lost (connection cut, timeout) is settled by reading the document back, so callers
 * never treat a write that happened as one that did not (an un-audited change, an orphan case).
 */
export class Documents<T extends { id: string }> {
  constructor(
    private readonly container: Container,
    private readonly schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    private readonly partitionKeyOf: (doc: T) => string,
  ) {}

  async read(id: string, partitionKey: string): Promise<Versioned<T> | undefined> {
    let response;
    try {
      response = await this.container.item(id, partitionKey).read<ItemDefinition>();
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.translate('read', id, error);
    }
    if (response.statusCode === 404 || !response.resource) return undefined;
    return { doc: this.schema.parse(response.resource), etag: response.etag };
  }

  async create(doc: T): Promise<Versioned<T>> {
    const parsed = this.schema.parse(doc);
    const body = parsed as ItemDefinition;
    try {
      const response = await this.container.items.create(body);
      // The store keeps what it was given (plus its own _rid, _etag, _ts): no need to parse it again.
      return { doc: parsed, etag: response.etag };
    } catch (error) {
      if (mayHaveLanded(error)) {
        // The answer was lost: if the document is there as we wrote it, the create happened.
        const now = await this.readAfterFailure(doc.id, this.partitionKeyOf(doc));
        if (now && sameContent(now.doc, body)) return now;
      }
      throw this.translate('create', doc.id, error);
    }
  }

  async replace(doc: T, etag: string): Promise<Versioned<T>> {
    const parsed = this.schema.parse(doc);
    const body = parsed as ItemDefinition;
    try {
      const response = await this.container
        .item(doc.id, this.partitionKeyOf(doc))
        .replace(body, { accessCondition: { type: 'IfMatch', condition: etag } });
      return { doc: parsed, etag: response.etag };
    } catch (error) {
      if (mayHaveLanded(error)) {
        // The answer was lost. Unchanged since `etag`: nothing was written. Changed to exactly what
        // we wrote: our replace happened. Changed otherwise: someone else's write stands.
        const now = await this.readAfterFailure(doc.id, this.partitionKeyOf(doc));
        if (now && now.etag !== etag) {
          if (sameContent(now.doc, body)) return now;
          throw new ConcurrencyConflict(doc.id);
        }
      }
      throw this.translate('replace', doc.id, error);
    }
  }

  /**
   * After a write whose outcome is unknown: the document as it is now, or undefined when it
   * cannot be read either (the store is still away; the write's failure stands as it was).
   */
  private async readAfterFailure(id: string, partitionKey: string): Promise<Versioned<T> | undefined> {
    try {
      return await this.read(id, partitionKey);
    } catch {
      return undefined;
    }
  }

  /**
   * Writes the document whether or not it exists, with no ETag: only for documents derived from
   * others (the directory's per-person entries) or no one reads to change (the due index's
   * progress record), where the last writer is as right as the first.
   */
  async upsert(doc: T): Promise<void> {
    const body = this.schema.parse(doc) as ItemDefinition;
    try {
      await this.container.items.upsert(body);
    } catch (error) {
      throw this.translate('upsert', doc.id, error);
    }
  }

  async delete(id: string, partitionKey: string, etag?: string): Promise<boolean> {
    try {
      await this.container.item(id, partitionKey).delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : undefined);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw this.translate('delete', id, error);
    }
  }

  /**
   * Pass the partition key so that Cosmos routes the query to one partition, and name the
   * partition in the SQL too: the embedded server on its own ignores the key (embedded-cosmos.ts
   * scopes it, but the SQL keeps the query right on any Cosmos-compatible server).
   */
  async query(query: string, parameters: SqlParameter[], options: { partitionKey?: string } = {}): Promise<Versioned<T>[]> {
    let resources: ItemDefinition[];
    try {
      const response = await this.container.items
        .query<ItemDefinition>({ query, parameters }, options.partitionKey ? { partitionKey: options.partitionKey } : {})
        .fetchAll();
      resources = response.resources;
    } catch (error) {
      throw this.translate('query', query, error);
    }
    return resources.map((resource) => ({ doc: this.schema.parse(resource), etag: String(resource._etag) }));
  }

  /** A cross-partition query a page at a time: for maintenance that walks a whole container once, never for a turn or a pass. */
  async *pages(query: string, parameters: SqlParameter[], pageSize: number): AsyncGenerator<Versioned<T>[]> {
    const iterator = this.container.items.query<ItemDefinition>({ query, parameters }, { maxItemCount: pageSize });
    while (iterator.hasMoreResults()) {
      let resources: ItemDefinition[];
      try {
        ({ resources } = await iterator.fetchNext());
      } catch (error) {
        throw this.translate('query', query, error);
      }
      if (resources.length > 0) yield resources.map((resource) => ({ doc: this.schema.parse(resource), etag: String(resource._etag) }));
    }
  }

  private translate(operation: string, id: string, error: unknown): Error {
    if (error instanceof ZodError) return error;
    const status = statusOf(error);
    if (status === 412) return new ConcurrencyConflict(id);
    if (status === 409) return new AlreadyExists(id);
    if (status === undefined || status === 408 || status === 429 || status >= 500) {
      return new StoreUnavailable(operation, error);
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}
