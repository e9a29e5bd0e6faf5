import { CosmosClient, type Container, type Database } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from '../config';
import type { Logger } from '../log';
import { CONTAINERS, type ContainerName } from './containers';
import { EMBEDDED_COSMOS_KEY, startEmbeddedCosmos, type EmbeddedCosmos } from './embedded-cosmos';

export type Store = {
  database: Database;
  containers: Record<ContainerName, Container>;
  /** The in-process server when running locally without COSMOS_ENDPOINT. */
  embedded?: EmbeddedCosmos;
  /** True when Cosmos answers a cheap request: what /readyz reports. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
};

/**
 * Interactive turns must answer within Teams' deadlines (an invoke ~5 s), so the client gives
 * up on throttling after about two seconds instead of the SDK's 30 s default, and a request
 * that hangs fails after a few seconds; the user then gets "could not save, try again".
 */
const INTERACTIVE_RETRY = { maxRetryAttemptCount: 3, maxWaitTimeInSeconds: 2 };
const REQUEST_TIMEOUT_MS = 5_000;

export async function openStore(cosmos: Config['cosmos'], log: Logger, options: { embeddedPort?: number } = {}): Promise<Store> {
  const embedded = cosmos.kind === 'embedded' ? await startEmbeddedCosmos(options.embeddedPort ?? 0) : undefined;
  const endpoint = embedded ? embedded.endpoint : (cosmos as { endpoint: string }).endpoint;
  const key = embedded ? EMBEDDED_COSMOS_KEY : cosmos.kind === 'remote' ? cosmos.key : undefined;

  // The SDK's default agents keep connections alive (a custom agent would also refuse plain HTTP).
  const client = new CosmosClient({
    endpoint,
    ...(key ? { key } : { aadCredentials: new DefaultAzureCredential() }),
    connectionPolicy: {
      // A plain-HTTP endpoint is the embedded server (or an emulator): no regional endpoints to discover.
      enableEndpointDiscovery: !endpoint.startsWith('http:'),
      requestTimeout: REQUEST_TIMEOUT_MS,
      retryOptions: INTERACTIVE_RETRY,
    },
  });

  try {
    const { database } = await client.databases.createIfNotExists({ id: cosmos.database });
    const containers = {} as Record<ContainerName, Container>;
    for (const [name, definition] of Object.entries(CONTAINERS) as [ContainerName, (typeof CONTAINERS)[ContainerName]][]) {
      const { container } = await database.containers.createIfNotExists({
        id: definition.id,
        partitionKey: { paths: [definition.partitionKey] },
        ...('defaultTtl' in definition ? { defaultTtl: definition.defaultTtl } : {}),
      });
      containers[name] = container;
    }
    log.info({ endpoint: embedded ? 'embedded' : endpoint, database: cosmos.database }, 'store ready');

    return {
      database,
      containers,
      embedded,
      async isReachable() {
        try {
          await database.read();
          return true;
        } catch (error) {
          log.warn({ err: error }, 'store not reachable');
          return false;
        }
      },
      async close() {
        client.dispose();
        await embedded?.close();
      },
    };
  } catch (error) {
    client.dispose();
    await embedded?.close();
    throw error;
  }
}
