import assert from 'node:assert/strict';
import { createLogger } from '../../src/log';
import { GraphApi, GraphFailure } from '../../src/directory/graph';
import { FakeGraph } from '../support/fake-graph';
import { FAKE_GRAPH_CREDENTIAL } from '../support/graph-directory';

/** Laget's Graph client (the official client with Laget's middleware) against the fake Graph: throttling, links, the token. */
describe('the Graph client: throttling, links and the token', () => {
  let graph: FakeGraph;
  const waits: number[] = [];
  const api = (options: { random?: number; maxAttempts?: number } = {}) =>
    new GraphApi({ baseUrl: graph.url, credential: { kind: 'managed-identity', clientId: 'x' } }, createLogger('silent'), {
      credential: FAKE_GRAPH_CREDENTIAL,
      sleep: async (ms) => void waits.push(ms),
      random: () => options.random ?? 0.5,
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });

  before(async () => {
    graph = await new FakeGraph().start();
    for (let n = 0; n < 5; n += 1) graph.addUser({ id: `u-${n}`, displayName: `Person ${n}` });
    graph.addGroup('6d3b3c9e-1f7a-4c2e-9b1d-0a2b3c4d5e6f', ['u-0', 'u-1', 'u-2', 'u-3', 'u-4']);
    graph.pageSize = 2;
  });
  beforeEach(() => {
    waits.length = 0;
    graph.throttle = () => undefined;
  });
  after(async () => graph.stop());

  const members = '/groups/6d3b3c9e-1f7a-4c2e-9b1d-0a2b3c4d5e6f/transitiveMembers/microsoft.graph.user?$select=id,displayName&$top=999';

  it('follows @odata.nextLink through every page', async () => {
    const ids: string[] = [];
    for await (const page of api().pages<{ id: string }>(members)) ids.push(...page.value.map((u) => u.id));
    assert.deepEqual(ids, ['u-0', 'u-1', 'u-2', 'u-3', 'u-4']);
  });

  it('waits what Retry-After says, plus at most a fifth as jitter, and then gets the page', async () => {
    let count = 0;
    graph.throttle = (r) => (r.path.includes('transitiveMembers') && count++ < 2 ? 3 : undefined);
    const page = await api({ random: 1 }).get<{ value: unknown[] }>(members);
    assert.equal(page.value.length, 2);
    assert.deepEqual(waits, [3600, 3600], 'Retry-After 3 s, plus 20 % at the most');
    await api({ random: 0 }).get(members);
  });

  it('backs off exponentially with full jitter when Graph names no time, and gives up after its attempts', async () => {
    graph.throttle = () => null;
    await assert.rejects(
      api({ random: 0.5, maxAttempts: 4 }).get(members),
      (error: unknown) => error instanceof GraphFailure && error.status === 429,
    );
    assert.deepEqual(waits, [500, 1000, 2000], 'half of 1 s, 2 s, 4 s (random 0.5), then the fourth answer stands');
  });

  it('never follows a link to another address, so the token cannot leave', async () => {
    await assert.rejects(
      api().get('https://evil.example/v1.0/users'),
      (error: unknown) => error instanceof GraphFailure && error.code === 'foreign-link',
    );
    assert.ok(graph.requests.every((r) => r.authorization === 'Bearer fake-graph-token'));
  });

  it('fails quickly, as unreachable, when Graph is down', async () => {
    const down = new GraphApi(
      { baseUrl: 'http://127.0.0.1:9/v1.0', credential: { kind: 'managed-identity', clientId: 'x' } },
      createLogger('silent'),
      {
        credential: FAKE_GRAPH_CREDENTIAL,
        sleep: async (ms) => void waits.push(ms),
      },
    );
    await assert.rejects(down.get('/users'), (error: unknown) => error instanceof GraphFailure && error.code === 'unreachable');
    assert.equal(waits.length, 2, 'two more tries after the first, then the failure stands');
    assert.equal(down.counters.failedConnections, 3);
  });
});
