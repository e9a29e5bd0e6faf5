import type { ObservedStoreRequest } from '../../src/store/embedded-cosmos';

/**
 * What a request the embedded Cosmos server received was, as Cosmos DB would bill it: a point
 * operation, a query on one partition or across partitions (no x-ms-documentdb-partitionkey
 * header), or the query-plan request @azure/cosmos sends before a query. Used by the benchmarks
 * and by the tests that count the store requests of a turn or of a scheduler pass.
 */
export type StoreRequestKind =
  | 'point read'
  | 'create'
  | 'replace'
  | 'upsert'
  | 'delete'
  | 'patch'
  | 'bulk'
  | 'query (one partition)'
  | 'query (cross-partition)'
  | 'query plan'
  | 'metadata';

export type ClassifiedRequest = { kind: StoreRequestKind; container: string; sql?: string };

export function classify(request: ObservedStoreRequest): ClassifiedRequest {
  const h = request.headers;
  const match = /^\/dbs\/[^/]+\/colls\/([^/]+)\/docs(\/[^?]*)?/.exec(request.path);
  const container = match?.[1] ?? '-';
  const isDoc = match?.[2] !== undefined && match[2] !== '' && match[2] !== '/';
  if (!match) return { kind: 'metadata', container };
  if (request.method === 'POST' && h['x-ms-cosmos-is-query-plan-request'])
    return { kind: 'query plan', container, sql: sqlOf(request.body) };
  if (request.method === 'POST' && h['x-ms-documentdb-isquery']) {
    return {
      kind: h['x-ms-documentdb-partitionkey'] ? 'query (one partition)' : 'query (cross-partition)',
      container,
      sql: sqlOf(request.body),
    };
  }
  if (
    request.method === 'POST' &&
    (h['x-ms-cosmos-is-batch-request'] || h['x-ms-cosmos-batch-operation'] || request.body.trimStart().startsWith('['))
  )
    return { kind: 'bulk', container };
  if (request.method === 'POST' && !isDoc) return { kind: h['x-ms-documentdb-is-upsert'] ? 'upsert' : 'create', container };
  if (request.method === 'GET' && isDoc) return { kind: 'point read', container };
  if (request.method === 'PUT' && isDoc) return { kind: 'replace', container };
  if (request.method === 'DELETE' && isDoc) return { kind: 'delete', container };
  if (request.method === 'PATCH' && isDoc) return { kind: 'patch', container };
  return { kind: 'metadata', container };
}

function sqlOf(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { query?: string }).query?.replace(/\s+/g, ' ').trim();
  } catch {
    return undefined;
  }
}
