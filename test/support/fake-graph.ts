import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Microsoft Graph on 127.0.0.1 (a real HTTP server: Laget's Graph client talks to
 * it through GRAPH_BASE_URL). It holds users (with `accountEnabled`), groups with members (users
 * or nested groups) and owners, and the personal-app installations of Teams, and answers:
 *
 * - `GET /groups/{id}/transitiveMembers/microsoft.graph.user` and `…/owners/microsoft.graph.user`,
 *   in pages of at most `pageSize` (and the client's `$top`), linked by `@odata.nextLink`;
 * - `GET /users/delta` and `GET /groups/delta` (filtered on `id eq '…'`): `$deltatoken=latest`
 *   gives a delta link at once; a delta link gives what changed since it, in pages, ending in the
 *   next `@odata.deltaLink` (a deleted user comes with `@removed`, a changed group with
 *   `members@delta`); an unknown token answers 410, as Graph does for an expired one;
 * - `POST /users/{id}/teamwork/installedApps` (201, 409 when installed already, 403 when the
 *   tenant's policy blocks it), the installations filtered by app, and `…/{installationId}/chat`.
 *
 * Every request needs a bearer token. `throttle` answers chosen requests with 429 and Retry-After.
 * It records each request, so tests and the bench can count pages and check what was asked for.
 */

export type FakeUser = { id: string; displayName: string; userPrincipalName: string; accountEnabled: boolean };
type FakeGroup = { members: Set<string>; owners: Set<string> };
export type GraphRequest = { method: string; path: string; query: URLSearchParams; authorization?: string; at: number };

const PREFIX = '/v1.0';
/** What Graph returns for a user when no $select is given: more than Laget needs. */
const EXTRA_FIELDS = { mail: 'ikke-bruk@example.no', jobTitle: 'Pedagog', mobilePhone: '+47 000 00 000' };

export class FakeGraph {
  readonly users = new Map<string, FakeUser>();
  readonly groups = new Map<string, FakeGroup>();
  readonly requests: GraphRequest[] = [];
  /** The largest page Graph gives, whatever the client asks for. */
  pageSize = 100;
  /** Seconds of Retry-After for a request to throttle (429; null: without Retry-After), or undefined to answer it. */
  throttle: (request: GraphRequest) => number | null | undefined = () => undefined;
  /** What the tenant allows for installing an app for a user. */
  installPolicy: 'allow' | 'block' = 'allow';
  /** Installations: user id → { installation id, chat id }. */
  readonly installed = new Map<string, { installationId: string; chatId: string; appId: string }>();
  private server?: Server;
  private seq = 0;
  private readonly changes: Array<{ seq: number; kind: 'user' | 'group'; id: string }> = [];
  private readonly deleted = new Set<string>();

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake Graph not started');
    return `http://127.0.0.1:${address.port}${PREFIX}`;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  // ---- the directory, as an administrator changes it ------------------------------------------

  addUser(user: Partial<FakeUser> & { id: string; displayName: string }): FakeUser {
    const created: FakeUser = {
      accountEnabled: true,
      userPrincipalName: `${user.displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@kommune.example.no`,
      ...user,
    };
    this.users.set(created.id, created);
    this.deleted.delete(created.id);
    this.changed('user', created.id);
    return created;
  }

  addGroup(id: string = randomUUID(), members: readonly string[] = [], owners: readonly string[] = []): string {
    this.groups.set(id, { members: new Set(members), owners: new Set(owners) });
    return id;
  }

  addMember(groupId: string, memberId: string): void {
    this.group(groupId).members.add(memberId);
    this.changed('group', groupId);
  }

  removeMember(groupId: string, memberId: string): void {
    this.group(groupId).members.delete(memberId);
    this.changed('group', groupId);
  }

  /** Owners are not reported by group deltas (Laget reads them again on each delta run). */
  setOwners(groupId: string, owners: readonly string[]): void {
    this.group(groupId).owners = new Set(owners);
  }

  setEnabled(userId: string, enabled: boolean): void {
    this.users.get(userId)!.accountEnabled = enabled;
    this.changed('user', userId);
  }

  deleteUser(userId: string): void {
    this.users.delete(userId);
    this.deleted.add(userId);
    for (const group of this.groups.values()) group.members.delete(userId);
    this.changed('user', userId);
  }

  /** Requests whose path matches, for counting pages. */
  requestsTo(pattern: RegExp): GraphRequest[] {
    return this.requests.filter((r) => pattern.test(r.path));
  }

  private group(id: string): FakeGroup {
    const group = this.groups.get(id);
    if (!group) throw new Error(`no group ${id}`);
    return group;
  }

  private changed(kind: 'user' | 'group', id: string): void {
    this.seq += 1;
    this.changes.push({ seq: this.seq, kind, id });
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => resolve(data));
    });
    const request: GraphRequest = {
      method: req.method ?? 'GET',
      path: url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname,
      query: url.searchParams,
      at: Date.now(),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    this.requests.push(request);
    const send = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      // As Graph: an answer without a body (201 for an installation) has no content type.
      res.writeHead(status, {
        ...(payload === undefined ? { 'content-length': '0' } : { 'content-type': 'application/json' }),
        ...headers,
      });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    const error = (status: number, code: string, message: string) => send(status, { error: { code, message } });
    if (!/^Bearer \S+/.test(request.authorization ?? '')) return error(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const retryAfter = this.throttle(request);
    if (retryAfter !== undefined) {
      const headers: Record<string, string> = retryAfter === null ? {} : { 'Retry-After': String(retryAfter) };
      return send(429, { error: { code: 'TooManyRequests', message: 'Too many requests' } }, headers);
    }
    try {
      const answer = this.route(request, body);
      if (!answer) return error(404, 'Request_ResourceNotFound', `no route for ${request.method} ${request.path}`);
      send(answer.status, answer.body);
    } catch (failure) {
      error(400, 'BadRequest', (failure as Error).message);
    }
  }

  private route(request: GraphRequest, body: string): { status: number; body?: unknown } | undefined {
    const { method, path, query } = request;
    let match: RegExpExecArray | null;
    if (method === 'GET' && (match = /^\/groups\/([^/]+)\/(transitiveMembers|owners)\/microsoft\.graph\.user$/.exec(path))) {
      const group = this.groups.get(match[1]!);
      if (!group) return { status: 404, body: { error: { code: 'Request_ResourceNotFound', message: 'no such group' } } };
      const ids = match[2] === 'owners' ? [...group.owners] : this.transitiveUsers(match[1]!);
      return {
        status: 200,
        body: this.page(
          path,
          query,
          ids.map((id) => this.userView(this.users.get(id)!, query)),
        ),
      };
    }
    if (method === 'GET' && path === '/users/delta') return this.usersDelta(query);
    if (method === 'GET' && path === '/groups/delta') return this.groupsDelta(query);
    if ((match = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path))) {
      const userId = decodeURIComponent(match[1]!);
      if (!this.users.has(userId)) return { status: 404, body: { error: { code: 'NotFound', message: 'no such user' } } };
      if (method === 'POST') return this.install(userId, body);
      const found = this.installed.get(userId);
      return { status: 200, body: { value: found ? [{ id: found.installationId, teamsApp: { id: found.appId } }] : [] } };
    }
    if (method === 'GET' && (match = /^\/users\/([^/]+)\/teamwork\/installedApps\/([^/]+)\/chat$/.exec(path))) {
      const found = this.installed.get(decodeURIComponent(match[1]!));
      if (!found || found.installationId !== decodeURIComponent(match[2]!)) return undefined;
      return { status: 200, body: { id: found.chatId } };
    }
    return undefined;
  }

  private install(userId: string, body: string): { status: number; body?: unknown } {
    if (this.installPolicy === 'block') {
      return { status: 403, body: { error: { code: 'Forbidden', message: 'App installation is blocked by the tenant’s policy.' } } };
    }
    if (this.installed.has(userId)) return { status: 409, body: { error: { code: 'Conflict', message: 'App is already installed.' } } };
    const bound = (JSON.parse(body) as Record<string, unknown>)['teamsApp@odata.bind'];
    const bind = typeof bound === 'string' ? bound : '';
    const appId = decodeURIComponent(bind.split('/').at(-1) ?? '');
    if (!appId) throw new Error('teamsApp@odata.bind is missing');
    this.installed.set(userId, { installationId: randomUUID(), chatId: `19:${userId}_laget-bot@unq.gbl.spaces`, appId });
    return { status: 201 };
  }

  private usersDelta(query: URLSearchParams): { status: number; body: unknown } {
    const since = this.since(query);
    if (since === 'expired')
      return { status: 410, body: { error: { code: 'syncStateNotFound', message: 'The delta token has expired.' } } };
    const ids = since === 'latest' ? [] : since === 'all' ? [...this.users.keys()] : this.changedSince(since, 'user');
    const value = ids.map((id) => {
      const user = this.users.get(id);
      return user ? this.userView(user, query) : { id, '@removed': { reason: 'deleted' } };
    });
    return { status: 200, body: this.deltaPage('/users/delta', query, value) };
  }

  private groupsDelta(query: URLSearchParams): { status: number; body: unknown } {
    const since = this.since(query);
    if (since === 'expired')
      return { status: 410, body: { error: { code: 'syncStateNotFound', message: 'The delta token has expired.' } } };
    const filter = query.get('$filter') ?? '';
    const wanted = new Set([...filter.matchAll(/id eq '([^']+)'/g)].map((m) => m[1]!));
    const ids = since === 'latest' ? [] : since === 'all' ? [...this.groups.keys()] : this.changedSince(since, 'group');
    const value = ids
      .filter((id) => wanted.size === 0 || wanted.has(id))
      .map((id) => ({
        id,
        'members@delta': [...(this.groups.get(id)?.members ?? [])].map((m) => ({ '@odata.type': '#microsoft.graph.user', id: m })),
      }));
    return { status: 200, body: this.deltaPage('/groups/delta', query, value) };
  }

  /** From which change on a delta request asks: all (first round), none (latest), a known token, or an expired one. */
  private since(query: URLSearchParams): number | 'all' | 'latest' | 'expired' {
    const token = query.get('$deltatoken');
    if (token === null) return query.get('$skiptoken') ? Number(query.get('$skiptoken')!.split('.')[0]) : 'all';
    if (token === 'latest') return 'latest';
    const n = Number(token);
    return Number.isInteger(n) && n >= 0 && n <= this.seq ? n : 'expired';
  }

  private changedSince(since: number, kind: 'user' | 'group'): string[] {
    return [...new Set(this.changes.filter((c) => c.seq > since && c.kind === kind).map((c) => c.id))];
  }

  /** A page of a delta round: paged with $skiptoken ("<since>.<offset>"), the last one with the next delta link. */
  private deltaPage(path: string, query: URLSearchParams, value: unknown[]): Record<string, unknown> {
    const offset = Number(query.get('$skiptoken')?.split('.')[1] ?? 0);
    const page = value.slice(offset, offset + this.pageSize);
    const keep = new URLSearchParams([...query].filter(([key]) => !['$skiptoken', '$deltatoken'].includes(key)));
    if (offset + this.pageSize < value.length) {
      const since = query.get('$deltatoken') ?? query.get('$skiptoken')?.split('.')[0] ?? '0';
      keep.set('$skiptoken', `${since === 'latest' ? this.seq : since}.${offset + this.pageSize}`);
      return { value: page, '@odata.nextLink': `${this.url}${path}?${keep.toString()}` };
    }
    keep.set('$deltatoken', String(this.seq));
    return { value: page, '@odata.deltaLink': `${this.url}${path}?${keep.toString()}` };
  }

  /** A collection page, `$top` and the server's own limit both honoured, linked by `$skiptoken`. */
  private page(path: string, query: URLSearchParams, value: unknown[]): Record<string, unknown> {
    const size = Math.min(this.pageSize, Number(query.get('$top') ?? this.pageSize));
    const offset = Number(query.get('$skiptoken') ?? 0);
    const page = value.slice(offset, offset + size);
    if (offset + size >= value.length) return { value: page };
    const next = new URLSearchParams(query);
    next.set('$skiptoken', String(offset + size));
    return { value: page, '@odata.nextLink': `${this.url}${path}?${next.toString()}` };
  }

  /** A user as Graph shows them: only the selected fields when `$select` is given. */
  private userView(user: FakeUser, query: URLSearchParams): Record<string, unknown> {
    const full: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user', ...EXTRA_FIELDS, ...user };
    const select = query.get('$select');
    if (!select) return full;
    return Object.fromEntries(Object.entries(full).filter(([key]) => key === 'id' || select.split(',').includes(key)));
  }

  /** The users in a group, through nested groups, once each. */
  private transitiveUsers(groupId: string, seen = new Set<string>()): string[] {
    if (seen.has(groupId)) return [];
    seen.add(groupId);
    const users = new Set<string>();
    for (const member of this.groups.get(groupId)?.members ?? []) {
      if (this.users.has(member)) users.add(member);
      else if (this.groups.has(member)) for (const nested of this.transitiveUsers(member, seen)) users.add(nested);
    }
    return [...users];
  }
}
