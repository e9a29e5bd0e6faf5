import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Connector service. */
export type ConnectorCall = {
  method: string;
  path: string;
  conversationId: string;
  activity: Record<string, unknown>;
  receivedAt: number;
  /** The Authorization header the bot sent (its own token, when it has credentials). */
  authorization?: string;
};

/**
 * Every call any FakeConnector in this test process received for a channel conversation (a reply
 * into a channel, or a new thread posted to one), answered or not. The root `after` hook in
 * mocha-setup.ts checks them all once at the end of the run for child data (channel-privacy.ts).
 */
export const channelTraffic: ConnectorCall[] = [];

/** True when the call goes to a team channel rather than a personal or group chat. */
export function isChannelCall(call: Pick<ConnectorCall, 'path' | 'conversationId' | 'activity'>): boolean {
  const activity = call.activity as {
    conversation?: { conversationType?: unknown; id?: unknown };
    channelData?: { channel?: unknown; teamsChannelId?: unknown };
    isGroup?: unknown;
  };
  // A 1:1 chat Laget opened by installing itself (its id from Graph) is personal, not a channel.
  if (call.conversationId.endsWith('@unq.gbl.spaces')) return false;
  if (call.conversationId.startsWith('19:')) return true;
  if (activity.conversation?.conversationType === 'channel') return true;
  if (typeof activity.conversation?.id === 'string' && activity.conversation.id.startsWith('19:')) return true;
  // POST /v3/conversations with a channel in channelData: a new thread (TeamsInfo.sendMessageToTeamsChannel).
  return (
    call.path === '/v3/conversations' && (activity.channelData?.channel !== undefined || activity.channelData?.teamsChannelId !== undefined)
  );
}

/** Decides the answer to one call; the default accepts everything. */
/** An HTTP answer, or `reset`: the connection is cut after the request arrived (the sender cannot know). */
export type ConnectorAnswer = { status: number; headers?: Record<string, string>; body?: unknown } | { reset: true };
/** Decides the answer to one call; may take its time (a slow or hanging connector). */
export type ConnectorBehaviour = (call: ConnectorCall) => ConnectorAnswer | undefined | Promise<ConnectorAnswer | undefined>;

/** A member of a Teams team as the Bot Connector lists it (`TeamsChannelAccount`). */
export type RosterEntry = { id: string; aadObjectId: string; name: string };

/**
 * A stand-in for the Bot Connector service (which cannot be reached from here) as a real HTTP
 * server on 127.0.0.1. It records every activity the bot sends, so tests assert on what a user
 * would see, and it can answer with failures (429, 502, 403) to exercise the sender's policy.
 * It also serves each team's roster (`GET /v3/conversations/{teamId}/pagedmembers`, as
 * `TeamsInfo.getPagedTeamMembers` asks), two members a page: `defaultRoster` for any team not
 * given one of its own in `rosters`.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** The members of each Teams team, by its id. */
  readonly rosters = new Map<string, RosterEntry[]>();
  defaultRoster: RosterEntry[] = [];
  /** Every roster request, and whether to fail it (the roster cannot be read). */
  readonly rosterCalls: string[] = [];
  rosterFails = false;
  /** Every call that arrived, whatever the answer (or none): what may have reached Teams. */
  readonly received: ConnectorCall[] = [];
  behaviour: ConnectorBehaviour = () => undefined;
  private server?: Server;
  private waiters: Array<{ predicate: (call: ConnectorCall) => boolean; resolve: (call: ConnectorCall) => void }> = [];
  private nextId = 1;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake connector not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Activities sent to one conversation (replies and proactive posts alike), in order. */
  activitiesIn(conversationId: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.conversationId === conversationId).map((call) => call.activity);
  }

  /** Resolves with the first call (already made or future) that matches. */
  waitFor(predicate: (call: ConnectorCall) => boolean, timeoutMs = 5_000): Promise<ConnectorCall> {
    const existing = this.calls.find(predicate);
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake connector: no matching call in time')), timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    const paged = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path);
    if (req.method === 'GET' && paged) {
      this.rosterCalls.push(paged[1]!);
      if (this.rosterFails) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'roster unavailable' } }));
        return;
      }
      const members = this.rosters.get(paged[1]!) ?? this.defaultRoster;
      const from = Number(new URL(req.url ?? '', 'http://x').searchParams.get('continuationToken') ?? '0');
      const page = members.slice(from, from + 2);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ members: page, ...(from + 2 < members.length ? { continuationToken: String(from + 2) } : {}) }));
      return;
    }
    const match = /\/v3\/conversations\/([^/]+)/.exec(path);
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path,
      conversationId: match?.[1] ?? '',
      activity: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      receivedAt: Date.now(),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    if (isChannelCall(call)) channelTraffic.push(call);
    this.received.push(call);
    const answer = await this.behaviour(call);
    if (answer && 'reset' in answer) {
      req.socket.destroy();
      return;
    }
    if (answer && answer.status >= 300) {
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body ?? { error: { code: 'Fake', message: 'fake failure' } }));
      return;
    }
    this.calls.push(call);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.predicate(call)) return true;
      waiter.resolve(call);
      return false;
    });
    if (call.method === 'POST' && path === '/v3/conversations') {
      const id = `created-${this.nextId++}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id, activityId: `activity-${this.nextId++}` }));
      return;
    }
    res.writeHead(answer?.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer?.body ?? { id: `activity-${this.nextId++}` }));
  }
}
