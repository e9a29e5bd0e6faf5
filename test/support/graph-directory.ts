import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenCredential } from '@azure/identity';
import type { Config } from '../../src/config';
import { LOCAL_MUNICIPALITY_FILE } from '../../src/config';
import type { LagetOptions } from '../../src/laget';
import type { Logger } from '../../src/log';
import { projectRoot } from '../../src/paths';
import { users } from './activities';
import type { FakeGraph } from './fake-graph';
import { startTestLaget, type Running } from './laget';

/** A token the fake Graph accepts; what a managed identity would give Laget in Azure. */
export const FAKE_GRAPH_CREDENTIAL: TokenCredential = {
  getToken: async () => ({ token: 'fake-graph-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export type GraphUnit = { id: string; name: string; kind: string; staff: string; leaders: string };

/** A municipality file (the local one's ladder, child welfare, rhythm) whose units take their people from Graph groups. */
export function graphMunicipalityFile(units: readonly GraphUnit[], coordinatorsGroup?: string): string {
  const local = JSON.parse(readFileSync(join(projectRoot, LOCAL_MUNICIPALITY_FILE), 'utf8')) as Record<string, unknown>;
  const file = join(mkdtempSync(join(tmpdir(), 'laget-graph-')), 'municipality.json');
  writeFileSync(
    file,
    JSON.stringify({
      ...local,
      coordinators: [],
      ...(coordinatorsGroup ? { coordinatorsGroup } : {}),
      units: units.map((u) => ({ id: u.id, name: u.name, kind: u.kind, groups: { staff: u.staff, leaders: u.leaders } })),
    }),
  );
  return file;
}

/** Laget with DIRECTORY=graph against the fake Graph (the test credential, quick back-off). */
export function startGraphLaget(
  graph: FakeGraph,
  municipalityFile: string,
  env: Record<string, string> = {},
  options: LagetOptions & { log?: Logger } = {},
  configure?: (config: Config) => Config,
): Promise<Running> {
  return startTestLaget(
    {
      DIRECTORY: 'graph',
      GRAPH_BASE_URL: env.GRAPH_BASE_URL ?? graph.url,
      GRAPH_CLIENT_ID: 'laget-test-app',
      MUNICIPALITY_FILE: municipalityFile,
      ...env,
    },
    { ...options, directory: { graphCredential: FAKE_GRAPH_CREDENTIAL, graph: { baseDelayMs: 50 }, ...options.directory } },
    configure,
  );
}

/**
 * The people of the scenarios in the fake Graph, in three units: Solsikken barnehage (Kari, Anne,
 * Nina; the leaders group holds Per), Bjørkelangen skole (Lise, Nina, Tor; Ola), and Haugen skole
 * (Tor; led by its group's owner, Ola). Tor is in the coordinators' group too.
 */
type ScenarioGroups = Record<'solsikkenStaff' | 'solsikkenLeaders' | 'bjorkelangenStaff' | 'bjorkelangenLeaders' | 'haugenStaff', string>;

export function scenarioInGraph(graph: FakeGraph): { units: GraphUnit[]; groups: ScenarioGroups; coordinators: string } {
  for (const user of Object.values(users)) graph.addUser({ id: user.aadObjectId, displayName: user.name });
  const { kari, per, lise, ola, nina, tor, anne } = users;
  const groups = {
    solsikkenStaff: graph.addGroup(randomUUID(), [kari.aadObjectId, anne.aadObjectId, nina.aadObjectId]),
    solsikkenLeaders: graph.addGroup(randomUUID(), [per.aadObjectId]),
    bjorkelangenStaff: graph.addGroup(randomUUID(), [lise.aadObjectId, nina.aadObjectId, tor.aadObjectId]),
    bjorkelangenLeaders: graph.addGroup(randomUUID(), [ola.aadObjectId]),
    haugenStaff: graph.addGroup(randomUUID(), [tor.aadObjectId], [ola.aadObjectId]),
  };
  const coordinators = graph.addGroup(randomUUID(), [tor.aadObjectId]);
  return {
    groups,
    coordinators,
    units: [
      {
        id: 'solsikken-barnehage',
        name: 'Solsikken barnehage',
        kind: 'kindergarten',
        staff: groups.solsikkenStaff,
        leaders: groups.solsikkenLeaders,
      },
      {
        id: 'bjorkelangen-skole',
        name: 'Bjørkelangen skole',
        kind: 'school',
        staff: groups.bjorkelangenStaff,
        leaders: groups.bjorkelangenLeaders,
      },
      { id: 'haugen-skole', name: 'Haugen skole', kind: 'school', staff: groups.haugenStaff, leaders: 'owners' },
    ],
  };
}
