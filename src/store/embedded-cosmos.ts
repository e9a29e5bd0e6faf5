import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createHttpServer } from '@vercel/cosmosdb-server';

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

/** The Azure Cosmos DB Emulator's published key; the embedded server does not check it. */
export const EMBEDDED_COSMOS_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export async function startEmbeddedCosmos(port = 0): Promise<EmbeddedCosmos> {
  const server: Server = createHttpServer();
  let requests = 0;
  server.on('request', () => {
    requests += 1;
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
