import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RateWindow } from '../src/scheduler/rate-limit';

/**
 * A Bot Connector that enforces Teams' documented limits the way Teams counts them — sliding
 * windows on arrival, per conversation (7 per second, 8 per 2 s, 60 per 30 s) and for the app in
 * the tenant (30 per second) — and answers 429 with Retry-After beyond them. It records every
 * accepted post per conversation, so lost or duplicated posts show.
 */
const TEAMS_LIMITS = {
  conversation: [
    { windowMs: 1_000, max: 7 },
    { windowMs: 2_000, max: 8 },
    { windowMs: 30_000, max: 60 },
  ] as readonly RateWindow[],
  tenant: [{ windowMs: 1_000, max: 30 }] as readonly RateWindow[],
};

export class LimitedConnector {
  readonly accepted = new Map<string, number>();
  throttled = 0;
  firstArrival = 0;
  lastAnswer = 0;
  private readonly perConversation = new Map<string, number[]>();
  private readonly tenant: number[] = [];
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
        const now = Date.now();
        this.firstArrival ||= now;
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { channelData?: { channel?: { id?: string } } };
        // A new thread (POST /v3/conversations) counts against its channel; a reply against its conversation.
        const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        const conversation = match ? decodeURIComponent(match[1]!) : (body.channelData?.channel?.id ?? 'unknown');
        const times = this.perConversation.get(conversation) ?? [];
        const over = [
          ...TEAMS_LIMITS.conversation.map((w) => [w, times] as const),
          ...TEAMS_LIMITS.tenant.map((w) => [w, this.tenant] as const),
        ].some(([w, log]) => log.filter((t) => t > now - w.windowMs).length >= w.max);
        if (over) {
          this.throttled += 1;
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
          res.end('{"error":{"code":"Throttled","message":"too many requests"}}');
          return;
        }
        times.push(now);
        this.perConversation.set(conversation, times);
        this.tenant.push(now);
        this.accepted.set(conversation, (this.accepted.get(conversation) ?? 0) + 1);
        this.lastAnswer = Date.now();
        const id = `${++this.id}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(match ? { id } : { id: `${conversation};messageid=${id}`, activityId: id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** The earliest the last of `posts` can arrive (ms after the first) when every window is respected and the network is instant. */
export function minimumSpanMs(posts: readonly string[], limits = TEAMS_LIMITS): number {
  const perConversation = new Map<string, number[]>();
  const tenant: number[] = [];
  let last = 0;
  for (const conversation of posts) {
    const times = perConversation.get(conversation) ?? [];
    let t = last; // in the order given
    for (;;) {
      const windows = [...limits.conversation.map((w) => [w, times] as const), ...limits.tenant.map((w) => [w, tenant] as const)];
      // The earliest instant at or after t when every window holds fewer than its maximum.
      let later = t;
      for (const [w, log] of windows) {
        const inWindow = log.filter((x) => x > t - w.windowMs);
        if (inWindow.length >= w.max) later = Math.max(later, inWindow[inWindow.length - w.max]! + w.windowMs);
      }
      if (later === t) break;
      t = later;
    }
    times.push(t);
    perConversation.set(conversation, times);
    tenant.push(t);
    last = t;
  }
  return last;
}
