import assert from 'node:assert/strict';
import { z } from 'zod';
import { createLogger } from '../../src/log';
import { openStore, type Store } from '../../src/store/cosmos';
import { CONTAINERS } from '../../src/store/containers';
import { ConcurrencyConflict, AlreadyExists, Documents } from '../../src/store/documents';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';

const Note = z.object({ id: z.string(), teamId: z.string(), text: z.string(), schemaVersion: z.literal(1) });
type Note = z.infer<typeof Note>;

describe('the store on the embedded Cosmos server, through the real @azure/cosmos client', () => {
  const log = createLogger('silent');
  let server: EmbeddedCosmos;
  let store: Store;
  let notes: Documents<Note>;

  before(async () => {
    server = await startEmbeddedCosmos();
    store = await openStore({ kind: 'remote', endpoint: server.endpoint, key: 'local', database: 'laget-test' }, log);
    notes = new Documents(store.containers.teams, Note, (note) => note.teamId);
  });
  after(async () => {
    await store.close();
    await server.close();
  });

  it('creates the database and every container, and doing it again changes nothing', async () => {
    const again = await openStore({ kind: 'remote', endpoint: server.endpoint, key: 'local', database: 'laget-test' }, log);
    const { resources } = await again.database.containers.readAll().fetchAll();
    assert.deepEqual(
      resources.map((container) => container.id).sort(),
      Object.values(CONTAINERS)
        .map((c) => c.id)
        .sort(),
    );
    const { resource: cases } = await again.containers.cases.read();
    assert.deepEqual(cases?.partitionKey?.paths, ['/unitId']);
    await again.close();
  });

  it('creates and reads back a document with its ETag', async () => {
    const created = await notes.create({ id: 'n1', teamId: 't1', text: 'first', schemaVersion: 1 });
    const read = await notes.read('n1', 't1');
    assert.deepEqual(read?.doc, { id: 'n1', teamId: 't1', text: 'first', schemaVersion: 1 });
    assert.equal(read?.etag, created.etag);
  });

  it('returns nothing for a document that does not exist', async () => {
    assert.equal(await notes.read('missing', 't1'), undefined);
  });

  it('refuses a second create of the same id', async () => {
    await assert.rejects(notes.create({ id: 'n1', teamId: 't1', text: 'again', schemaVersion: 1 }), AlreadyExists);
  });

  it('replaces with the current ETag and refuses a stale one (412), keeping the newer text', async () => {
    const read = (await notes.read('n1', 't1'))!;
    await notes.replace({ ...read.doc, text: 'second' }, read.etag);
    await assert.rejects(notes.replace({ ...read.doc, text: 'stale write' }, read.etag), ConcurrencyConflict);
    assert.equal((await notes.read('n1', 't1'))?.doc.text, 'second');
  });

  it('answers a query that names a partition key from that partition only, as Cosmos does, also after writes', async () => {
    await notes.create({ id: 'q1', teamId: 'qa', text: 'query me', schemaVersion: 1 });
    await notes.create({ id: 'q2', teamId: 'qb', text: 'query me', schemaVersion: 1 });
    const texts = async (partitionKey?: string) => {
      const query = { query: 'SELECT c.id FROM c WHERE c.text = @text', parameters: [{ name: '@text', value: 'query me' }] };
      const { resources } = await store.containers.teams.items
        .query<{ id: string }>(query, partitionKey ? { partitionKey } : {})
        .fetchAll();
      return resources.map((r) => r.id).sort();
    };
    assert.deepEqual(await texts('qa'), ['q1']);
    assert.deepEqual(await texts(), ['q1', 'q2']);
    // A write after the first scoped query is seen by the next one.
    const q1 = (await notes.read('q1', 'qa'))!;
    await notes.replace({ ...q1.doc, text: 'changed' }, q1.etag);
    await notes.create({ id: 'q3', teamId: 'qa', text: 'query me', schemaVersion: 1 });
    assert.deepEqual(await texts('qa'), ['q3']);
    assert.deepEqual(await texts('qb'), ['q2']);
  });

  it('reports reachability for /readyz', async () => {
    assert.equal(await store.isReachable(), true);
  });

  it('starts its own embedded server when no endpoint is configured, and stops it on close', async () => {
    const local = await openStore({ kind: 'embedded', database: 'laget' }, log);
    assert.ok(local.embedded);
    assert.equal(await local.isReachable(), true);
    const endpoint = local.embedded.endpoint;
    await local.close();
    await assert.rejects(fetch(endpoint));
  });
});
