import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Municipality } from '../src/domain/municipality';
import { GraphApi } from '../src/directory/graph';
import { GraphDirectorySource } from '../src/directory/graph-source';
import { DirectorySync } from '../src/directory/sync';
import { loadMunicipality, LOCAL_MUNICIPALITY_FILE } from '../src/config';
import { createLogger } from '../src/log';
import { projectRoot } from '../src/paths';
import { openStore } from '../src/store/cosmos';
import { DirectoryStore } from '../src/store/directory';
import { FakeGraph } from '../test/support/fake-graph';
import { FAKE_GRAPH_CREDENTIAL } from '../test/support/graph-directory';
import { round } from './stats';

/**
 * `npm run bench:directory`: the directory sync of 5,000 users in 60 groups (30 units, each with a
 * staff group and a leaders group; 400 people in two units) from a fake Graph on 127.0.0.1 into
 * the embedded store. For a full sync and a delta run after 40 changes it prints the Graph
 * requests made against the minimum number of pages the groups need at that page size, the
 * time, and the store requests; at Graph's default page (100) and its largest (999). Nothing is
 * asserted; the target is requests = minimum pages + the delta cursors (1 for users, 1 per 20 groups).
 */

const USERS = 5_000;
const UNITS = 30;
const LEADERS_PER_UNIT = 2;
const IN_TWO_UNITS = 400;
const CHANGES = 40;

type Row = {
  run: string;
  pageSize: number;
  graphRequests: number;
  minimumPages: number;
  cursorRequests: number;
  ms: number;
  storeRequests: number;
  peopleWritten: number;
};

async function measure(pageSize: number): Promise<Row[]> {
  const graph = await new FakeGraph().start();
  graph.pageSize = pageSize;
  const log = createLogger('silent');
  for (let n = 0; n < USERS; n += 1) graph.addUser({ id: randomUUID(), displayName: `Ansatt ${n}` });
  const ids = [...graph.users.keys()];
  const staffSize = Math.floor((USERS - UNITS * LEADERS_PER_UNIT) / UNITS);
  const local = loadMunicipality(LOCAL_MUNICIPALITY_FILE);
  const units: Municipality['units'] = [];
  const staffGroups: string[] = [];
  for (let u = 0; u < UNITS; u += 1) {
    const staff = ids.slice(u * staffSize, (u + 1) * staffSize);
    // The first people of the next unit work here too.
    const shared = u < UNITS - 1 ? ids.slice((u + 1) * staffSize, (u + 1) * staffSize + Math.floor(IN_TWO_UNITS / (UNITS - 1))) : [];
    const leaders = ids.slice(USERS - (u + 1) * LEADERS_PER_UNIT, USERS - u * LEADERS_PER_UNIT);
    const staffGroup = graph.addGroup(randomUUID(), [...staff, ...shared]);
    staffGroups.push(staffGroup);
    units.push({
      id: `enhet-${u + 1}`,
      name: `Enhet ${u + 1}`,
      kind: 'school',
      leaders: [],
      staff: [],
      groups: { staff: staffGroup, leaders: graph.addGroup(randomUUID(), leaders) },
    });
  }
  const municipality: Municipality = { ...local, units, coordinators: [] };
  const minimumPages = [...graph.groups.values()].reduce((sum, g) => sum + Math.max(1, Math.ceil(g.members.size / pageSize)), 0);
  const cursorRequests = 1 + Math.ceil(graph.groups.size / 20);

  const store = await openStore({ kind: 'embedded', database: `bench-directory-${pageSize}` }, log);
  try {
    const api = new GraphApi({ baseUrl: graph.url, credential: { kind: 'managed-identity', clientId: 'bench' } }, log, {
      credential: FAKE_GRAPH_CREDENTIAL,
    });
    const sync = new DirectorySync({
      store: new DirectoryStore(store.containers.directory),
      source: new GraphDirectorySource(api, municipality, log),
      effects: { apply: async () => ({ casesChanged: 0 }) },
      unitIds: units.map((u) => u.id),
      log,
      instanceId: 'bench',
      deltaIntervalMs: 5 * 60_000,
      fullIntervalMs: 24 * 3_600_000,
    });
    const run = async (label: string, mode: 'full' | 'delta', pages: number, cursors: number): Promise<Row> => {
      const requests = api.counters.requests;
      const storeBefore = store.embedded!.requestCount;
      const started = performance.now();
      const outcome = await sync.run(new Date(), mode);
      if (outcome.kind !== 'synced') throw new Error(`the sync did not finish: ${JSON.stringify(outcome)}`);
      return {
        run: label,
        pageSize,
        graphRequests: api.counters.requests - requests,
        minimumPages: pages,
        cursorRequests: cursors,
        ms: round(performance.now() - started),
        storeRequests: store.embedded!.requestCount - storeBefore,
        peopleWritten: outcome.peopleWritten,
      };
    };
    const full = await run('full sync', 'full', minimumPages, cursorRequests);

    // 40 changes: 10 disabled accounts, 20 people moving unit, 10 units with a new leader.
    for (let k = 0; k < 10; k += 1) graph.setEnabled(ids[k * 97]!, false);
    for (let k = 0; k < 20; k += 1) {
      const person = ids[1000 + k]!;
      graph.removeMember(staffGroups[Math.floor((1000 + k) / staffSize)]!, person);
      graph.addMember(staffGroups[(k + 3) % UNITS]!, person);
    }
    for (let k = 0; k < 10; k += 1) {
      const leaders = units[k]!.groups!.leaders;
      graph.addMember(leaders, ids[2000 + k]!);
    }
    const changedGroups = new Set<string>();
    for (let k = 0; k < 20; k += 1) {
      changedGroups.add(staffGroups[Math.floor((1000 + k) / staffSize)]!).add(staffGroups[(k + 3) % UNITS]!);
    }
    for (let k = 0; k < 10; k += 1) changedGroups.add(units[k]!.groups!.leaders);
    const rereadPages = [...changedGroups].reduce(
      (sum, id) => sum + Math.max(1, Math.ceil(graph.groups.get(id)!.members.size / pageSize)),
      0,
    );
    const delta = await run(`delta after ${CHANGES} changes`, 'delta', rereadPages, cursorRequests);
    const quiet = await run('delta, nothing changed', 'delta', 0, cursorRequests);
    return [full, delta, quiet];
  } finally {
    await store.close();
    await graph.stop();
  }
}

async function main(): Promise<void> {
  const rows = [...(await measure(100)), ...(await measure(999))];
  console.table(rows);
  for (const row of rows) {
    const target = row.minimumPages + row.cursorRequests;
    console.log(
      `${row.run} at ${row.pageSize} a page: ${row.graphRequests} Graph requests for ${target} (pages ${row.minimumPages} + cursors ${row.cursorRequests}), ${row.ms} ms`,
    );
  }
  writeFileSync(
    join(projectRoot, 'bench', 'directory-results.json'),
    `${JSON.stringify({ users: USERS, groups: UNITS * 2, rows }, null, 2)}\n`,
  );
}

void main();
