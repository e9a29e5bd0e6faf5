import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import { PassThrough } from 'node:stream';
import { createHttpServer } from '@vercel/cosmosdb-server';
import Items from '@vercel/cosmosdb-server/lib/account/items';

/**
 * The Cosmos DB-compatible server used when Laget runs locally without COSMOS_ENDPOINT.
 * It lives in this process on 127.0.0.1 over plain HTTP (its bundled TLS certificate expired),
 * and keeps everything in memory: data is gone when the process stops.
 */
export type EmbeddedCosmos = {
  endpoint: string;
  /** Requests served so far: how the benchmark counts the store cost of a turn. */
  readonly requestCount: number;
  close(): Promise<void>;
};

/** One request as the server received it, for an observer (benchmarks, tests). */
export type ObservedStoreRequest = { method: string; path: string; headers: IncomingHttpHeaders; body: string };

export type EmbeddedCosmosOptions = {
  /** Sees every request, body included, before it is served (the body is buffered for it). */
  observe?: (request: ObservedStoreRequest) => void;
};

/** The Azure Cosmos DB Emulator's published key; the embedded server does not check it. */
export const EMBEDDED_COSMOS_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export async function startEmbeddedCosmos(port = 0, options: EmbeddedCosmosOptions = {}): Promise<EmbeddedCosmos> {
  scopeQueriesToTheirPartition();
  // keepAlive: without it the server answers every request with "connection: close", and each
  // request of the client then pays for a new TCP connection.
  const server: Server = createHttpServer({ keepAlive: true });
  const serve = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeListener('request', serve);
  let requests = 0;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const handle = (request: IncomingMessage) => queryPartition.run(partitionOfQuery(req), () => serve(request, res));
    if (!options.observe) {
      handle(req);
      return;
    }
    // The observer sees the body, so it is read here and replayed to the server.
    const observe = options.observe;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      observe({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: body.toString('utf8') });
      const replay = Object.assign(new PassThrough(), {
        headers: req.headers,
        method: req.method,
        url: req.url,
        socket: req.socket,
        httpVersion: req.httpVersion,
      });
      replay.end(body);
      handle(replay as unknown as IncomingMessage);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actualPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    get requestCount() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/*
 * Cosmos DB runs a query that names a partition key against that partition only. The embedded
 * server runs every query over every document in the container, so a one-partition query ("mine
 * saker") grew slower with every case in the store. Here a query request's partition key (its
 * x-ms-documentdb-partitionkey header) scopes the documents the server's query sees, as Cosmos
 * does; cross-partition queries (no such header) still see them all.
 */
const queryPartition = new AsyncLocalStorage<unknown>();

/** The scope of a query-plan request: no documents (see below). */
const NO_PARTITION = Symbol('no partition');

function partitionOfQuery(req: IncomingMessage): unknown {
  if (req.method !== 'POST') return undefined;
  // The client asks for a query plan alongside every query, and uses it only if the server says it
  // needs one — which this server never does. Not knowing plans, the server ran the plan request as
  // a full query over the whole container; it now runs it over nothing, which the client ignores alike.
  if (String(req.headers['x-ms-cosmos-is-query-plan-request']).toLowerCase() === 'true') return NO_PARTITION;
  const header = req.headers['x-ms-documentdb-partitionkey'];
  if (String(req.headers['x-ms-documentdb-isquery']).toLowerCase() !== 'true' || typeof header !== 'string') return undefined;
  try {
    const key: unknown = JSON.parse(header);
    return Array.isArray(key) && key.length === 1 && ['string', 'number', 'boolean'].includes(typeof key[0]) ? key[0] : undefined;
  } catch {
    return undefined;
  }
}

type StoredItem = { read(): Record<string, unknown> };
type ItemsInternals = {
  _data: Map<string, StoredItem>;
  _getPartition(data: Record<string, unknown>): unknown;
  /** Documents by partition key, built on the first scoped query after a change (see `_set`). */
  byPartition?: Map<unknown, Map<string, StoredItem>>;
};

let partitionsScoped = false;

function scopeQueriesToTheirPartition(): void {
  if (partitionsScoped) return;
  partitionsScoped = true;
  const proto = Items.prototype as unknown as ItemsInternals & {
    query: (this: ItemsInternals, ...args: unknown[]) => unknown;
    _set: (this: ItemsInternals, ...args: unknown[]) => unknown;
    delete: (this: ItemsInternals, ...args: unknown[]) => unknown;
  };
  const { query, _set: set, delete: remove } = proto;
  // Every write goes through _set or delete (replace is delete + _set): the index is rebuilt lazily after one.
  proto._set = function (...args) {
    this.byPartition = undefined;
    return set.apply(this, args);
  };
  proto.delete = function (...args) {
    this.byPartition = undefined;
    return remove.apply(this, args);
  };
  proto.query = function (...args) {
    const key = queryPartition.getStore();
    if (key === undefined) return query.apply(this, args);
    if (key !== NO_PARTITION && !this.byPartition) {
      this.byPartition = new Map();
      for (const [rid, item] of this._data) {
        const partition = this._getPartition(item.read());
        let items = this.byPartition.get(partition);
        if (!items) this.byPartition.set(partition, (items = new Map<string, StoredItem>()));
        items.set(rid, item);
      }
    }
    // The server's query reads this._data synchronously: it sees the one partition for this call.
    const all = this._data;
    this._data = (key === NO_PARTITION ? undefined : this.byPartition?.get(key)) ?? new Map<string, StoredItem>();
    try {
      return query.apply(this, args);
    } finally {
      this._data = all;
    }
  };
}
