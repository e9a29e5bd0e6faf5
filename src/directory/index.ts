import type { TokenCredential } from '@azure/identity';
import type { Config } from '../config';
import type { Logger } from '../log';
import type { DirectoryStore } from '../store/directory';
import { GraphApi, type GraphApiOptions } from './graph';
import { GraphDirectorySource } from './graph-source';
import { ProactiveInstaller, type PersonReacher } from './installer';
import { FileDirectorySource, type DirectorySource } from './source';
import { DirectorySync, type DirectoryEffects } from './sync';

export { DirectorySync } from './sync';
/** What tests and the bench may replace: the Graph credential and the client's timings. */
export type DirectoryOptions = { graphCredential?: TokenCredential; graph?: Omit<GraphApiOptions, 'credential'> };

/** A turn waits at most this long for Graph while installing Laget for someone. */
const INTERACTIVE_GRAPH: GraphApiOptions = { attemptTimeoutMs: 4_000, maxAttempts: 2, maxDelayMs: 2_000 };

/** Reading the directory (the municipality file or Microsoft Graph) into the store, on the scheduler's loop. */
export function createDirectorySync(
  config: Config,
  deps: { store: DirectoryStore; effects: DirectoryEffects; log: Logger; instanceId: string },
  options: DirectoryOptions = {},
): { sync: DirectorySync; graphCounters?: GraphApi['counters'] } {
  const log = deps.log.child({ component: 'directory' });
  const graph =
    config.directory.source === 'graph' && config.graph
      ? new GraphApi(config.graph, log, { ...options.graph, credential: options.graphCredential })
      : undefined;
  const source: DirectorySource = graph
    ? new GraphDirectorySource(graph, config.municipality, log)
    : new FileDirectorySource(config.municipality);
  const sync = new DirectorySync({
    store: deps.store,
    source,
    effects: deps.effects,
    unitIds: config.municipality.units.map((unit) => unit.id),
    log,
    instanceId: deps.instanceId,
    deltaIntervalMs: config.directory.deltaIntervalMs,
    fullIntervalMs: config.directory.fullIntervalMs,
  });
  return { sync, ...(graph ? { graphCounters: graph.counters } : {}) };
}

/**
 * With TEAMS_APP_CATALOG_ID: the installer the notice outbox uses to reach someone who has never
 * opened Laget. Its Graph calls happen inside a turn, so they wait little.
 */
export function createReacher(config: Config, log: Logger, options: DirectoryOptions = {}): PersonReacher | undefined {
  const install = config.proactiveInstall;
  if (!install || !config.graph) return undefined;
  const bot = config.bot.kind === 'authenticated' ? config.bot : undefined;
  return new ProactiveInstaller(
    new GraphApi(config.graph, log, { ...options.graph, ...INTERACTIVE_GRAPH, credential: options.graphCredential }),
    {
      catalogAppId: install.catalogAppId,
      serviceUrl: install.serviceUrl,
      graphBaseUrl: config.graph.baseUrl,
      ...(bot ? { botId: `28:${bot.appId}` } : {}),
      ...(bot?.tenantId ? { tenantId: bot.tenantId } : {}),
    },
    log.child({ component: 'installer' }),
  );
}
