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
  constructor(readonly operation: string, override readonly cause: unknown) {
    super(`store unavailable during ${operation}`);
    this.name = 'StoreUnavailable';
  }
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * Typed access to one container. Every read is parsed with the document's zod schema
 * (which upgrades older schema versions); every write of an existing document is
 * conditional on the ETag it was read with, so nothing is silently overwritten.
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
    const body = this.schema.parse(doc) as ItemDefinition;
    try {
      const response = await this.container.items.create(body);
      return { doc: this.schema.parse(response.resource), etag: response.etag };
    } catch (error) {
      throw this.translate('create', doc.id, error);
    }
  }

  async replace(doc: T, etag: string): Promise<Versioned<T>> {
    const body = this.schema.parse(doc) as ItemDefinition;
    try {
      const response = await this.container
        .item(doc.id, this.partitionKeyOf(doc))
        .replace(body, { accessCondition: { type: 'IfMatch', condition: etag } });
      return { doc: this.schema.parse(response.resource), etag: response.etag };
    } catch (error) {
      throw this.translate('replace', doc.id, error);
    }
  }

  async delete(id: string, partitionKey: string, etag?: string): Promise<boolean> {
    try {
      await this.container
        .item(id, partitionKey)
        .delete(etag ? { accessCondition: { type: 'IfMatch', condition: etag } } : undefined);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw this.translate('delete', id, error);
    }
  }

  /**
   * Queries must name their partition in the SQL itself (the embedded server ignores the
   * partitionKey option); pass the partition key too so that real Cosmos routes it to one partition.
   */
  async query(
    query: string,
    parameters: SqlParameter[],
    options: { partitionKey?: string } = {},
  ): Promise<Versioned<T>[]> {
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
