import { startEmbeddedCosmos, type EmbeddedCosmos, type ObservedStoreRequest } from '../src/store/embedded-cosmos';
import { serve } from './ipc';
import { startProfile, stopProfile } from './profile';

/**
 * The store in a process of its own: the embedded Cosmos server with a request observer, so the
 * benchmark can count the requests each kind of turn makes and see whether any query spans
 * partitions (a query without the x-ms-documentdb-partitionkey header). On Azure the store's own
 * work happens on Cosmos DB, not in Laget's process; here it gets a process (a core) of its own.
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

let cosmos: EmbeddedCosmos | undefined;
let seen: ClassifiedRequest[] = [];
let recording = false;

serve({
  async start() {
    cosmos = await startEmbeddedCosmos(0, {
      observe: (request) => {
        if (recording) seen.push(classify(request));
      },
    });
    return { endpoint: cosmos.endpoint };
  },
  record(on: boolean) {
    recording = on;
    seen = [];
    return true;
  },
  requests() {
    return seen;
  },
  profileStart: () => startProfile(),
  profileStop: (name: string) => stopProfile(name),
  async stop() {
    await cosmos?.close();
    return true;
  },
});
