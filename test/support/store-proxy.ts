import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request on its way to the store, as the proxy sees it. */
export type StoreRequest = { method: string; path: string; headers: IncomingMessage['headers']; body: string };

/**
 * What to do with a request:
 *  - `forward`: pass it on and the answer back (the default);
 *  - `refuse`: cut the connection before anything reaches the store (nothing was written);
 *  - `lose-answer`: pass it on, let the store act, then cut the connection instead of answering
 *    (the client cannot know whether its write happened);
 *  - `throttle`: answer 429 with a Retry-After of 100 ms, as Cosmos DB does when the request units
 *    run out (nothing reaches the store).
 */
export type StoreFault = 'forward' | 'refuse' | 'lose-answer' | 'throttle';

/**
 * An HTTP proxy in front of a running Cosmos-compatible server, for outages that keep the data:
 * `down()` stops listening and drops every connection (the client sees the store vanish),
 * `up()` listens again on the same port; the server behind it never stops, so nothing is lost.
 * `fault` picks out single requests to fail.
 */
export class StoreProxy {
  fault: (request: StoreRequest) => StoreFault = () => 'forward';
  /** Every request that reached the store through the proxy. */
  readonly forwarded: StoreRequest[] = [];
  /** Every request answered 429 instead. */
  readonly throttled: StoreRequest[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly agent = new Agent({ keepAlive: true });
  private port = 0;

  private constructor(private readonly target: URL) {}

  static async start(targetEndpoint: string): Promise<StoreProxy> {
    const proxy = new StoreProxy(new URL(targetEndpoint));
    await proxy.up();
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  /** Listens (again) on the same port as before. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** The store is gone: no new connections, and the open ones are cut. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async stop(): Promise<void> {
    await this.down();
    this.agent.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const seen: StoreRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: body.toString('utf8') };
    const fault = this.fault(seen);
    if (fault === 'refuse' || !this.server) {
      req.socket.destroy();
      return;
    }
    if (fault === 'throttle') {
      this.throttled.push(seen);
      res.writeHead(429, { 'content-type': 'application/json', 'x-ms-retry-after-ms': '100', 'x-ms-substatus': '3200' });
      res.end(JSON.stringify({ code: 'TooManyRequests', message: 'Request rate is large.' }));
      return;
    }
    this.forwarded.push(seen);
    const upstream = request(
      {
        host: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.agent,
      },
      (answer) => {
        if (fault === 'lose-answer') {
          answer.resume();
          answer.once('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => req.socket.destroy());
    upstream.end(body);
  }
}
