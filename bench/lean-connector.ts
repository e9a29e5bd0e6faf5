import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A lean Bot Connector on 127.0.0.1 for load: accepts every post at once, counts them, and keeps
 * the last body sent to each conversation (unparsed) so the benchmark can check that turns were
 * answered with what a person would see, not with an error card.
 */
export class LeanConnector {
  posts = 0;
  readonly last = new Map<string, string>();
  private server?: Server;
  private id = 0;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.posts += 1;
        const match = /\/v3\/conversations\/([^/]+)/.exec(req.url ?? '');
        if (match) this.last.set(decodeURIComponent(match[1]!), Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`{"id":"a-${++this.id}"}`);
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
