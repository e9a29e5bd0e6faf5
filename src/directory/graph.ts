import { ClientSecretCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { Client, GraphError, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import type { GraphConfig } from '../config';
import type { Logger } from '../log';

/**
 * Microsoft Graph through the official client (`@microsoft/microsoft-graph-client`), signed in with
 * `@azure/identity` — the App Service's managed identity in Azure, a client secret elsewhere. The
 * client builds the requests, parses the answers and maps errors to `GraphError`; Laget gives it
 * its own middleware chain:
 *
 * - the token goes only to the configured Graph address (GRAPH_BASE_URL): the client's own handler
 *   sends it only to https Graph hosts, which a fake Graph on 127.0.0.1 in the tests is not;
 * - throttling: 429, 503 and 504 are tried again after `Retry-After` (plus up to 20 % jitter, so
 *   that instances throttled together do not return together), or after an exponential back-off
 *   with full jitter when Graph names no time; a connection that fails is tried twice more;
 * - each attempt has a time limit.
 *
 * Links Graph returns (`@odata.nextLink`, `@odata.deltaLink`) are followed only on the configured
 * address, so the token never goes anywhere else.
 */

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** What a sync or a bench wants to know about the calls it made. */
export type GraphCounters = { requests: number; throttled: number; failedConnections: number };

export type GraphApiOptions = {
  /** Replaces the credential built from the configuration (tests). */
  credential?: TokenCredential;
  /** The longest one attempt may take. */
  attemptTimeoutMs?: number;
  /** Tries of one request before its failure stands (throttling). */
  maxAttempts?: number;
  /** The first back-off when Graph gives no Retry-After; doubled each time. */
  baseDelayMs?: number;
  /** The longest Laget waits before one retry, whatever Retry-After says. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
};

/** Graph answered, but not with what was asked: the status and Graph's error code. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'GraphFailure';
  }
}

export class GraphApi {
  readonly counters: GraphCounters = { requests: 0, throttled: 0, failedConnections: 0 };
  private readonly client: Client;
  private readonly origin: string;
  private readonly base: string;

  constructor(config: GraphConfig, log: Logger, options: GraphApiOptions = {}) {
    const url = new URL(config.baseUrl);
    this.origin = url.origin;
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    const credential = options.credential ?? credentialFor(config);
    const auth = new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] });
    const chain: Middleware[] = [
      new BearerToOrigin(auth, this.origin),
      new Throttling(this.counters, log, {
        attemptTimeoutMs: options.attemptTimeoutMs ?? 30_000,
        maxAttempts: options.maxAttempts ?? 6,
        baseDelayMs: options.baseDelayMs ?? 1_000,
        maxDelayMs: options.maxDelayMs ?? 60_000,
        sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
        random: options.random ?? Math.random,
      }),
      new HTTPMessageHandler(),
    ];
    this.client = Client.initWithMiddleware({
      middleware: chain,
      baseUrl: this.origin,
      defaultVersion: url.pathname.replace(/^\/+|\/+$/g, ''),
    });
  }

  /** GET a path under the base address ("/users/…") or a link Graph returned. */
  async get<T>(pathOrLink: string): Promise<T> {
    return this.call(() => this.client.api(this.relative(pathOrLink)).get() as Promise<T>);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call(() => this.client.api(this.relative(path)).post(body) as Promise<T>);
  }

  /**
   * Every page of a collection, following `@odata.nextLink`; the last page of a delta round carries
   * the `@odata.deltaLink` to continue from next time.
   */
  async *pages<T>(first: string): AsyncGenerator<{ value: T[]; deltaLink?: string }> {
    let link: string | undefined = first;
    while (link) {
      const page: GraphPage<T> = await this.get<GraphPage<T>>(link);
      yield { value: page.value ?? [], ...(page['@odata.deltaLink'] ? { deltaLink: page['@odata.deltaLink'] } : {}) };
      link = page['@odata.nextLink'];
    }
  }

  /** A path relative to the base address, from a path or from a link on the same address (anything else is refused). */
  private relative(pathOrLink: string): string {
    if (pathOrLink.startsWith('/')) return pathOrLink;
    if (pathOrLink.startsWith(`${this.base}/`)) return pathOrLink.slice(this.base.length);
    throw new GraphFailure(0, 'foreign-link', `Graph returned a link outside ${this.base}; not followed`);
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof GraphFailure) throw error;
      // A success whose body could not be parsed (an empty 201 that says it is JSON): it succeeded.
      if (error instanceof GraphError && error.statusCode >= 200 && error.statusCode < 300) return undefined as T;
      if (error instanceof GraphError && error.statusCode > 0) {
        throw new GraphFailure(error.statusCode, error.code ?? undefined, `Graph answered ${error.statusCode}: ${error.message}`);
      }
      throw new GraphFailure(0, 'unreachable', `Graph could not be reached: ${(error as Error)?.message ?? String(error)}`);
    }
  }
}

type GraphPage<T> = { value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };

function credentialFor(config: GraphConfig): TokenCredential {
  const c = config.credential;
  return c.kind === 'client-secret'
    ? new ClientSecretCredential(c.tenantId, c.clientId, c.secret)
    : new ManagedIdentityCredential({ clientId: c.clientId });
}

/** Adds the bearer token to requests for the configured Graph address, and to nothing else. */
class BearerToOrigin implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly auth: TokenCredentialAuthenticationProvider,
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    // `Context.request` is typed with the DOM's RequestInfo, which Node's types do not name: a string or a Request.
    const request: unknown = context.request;
    const url = typeof request === 'string' ? request : (request as Request).url;
    if (new URL(url).origin === this.origin) {
      const token = await this.auth.getAccessToken();
      const headers = new Headers(context.options?.headers);
      headers.set('Authorization', `Bearer ${token}`);
      context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

type ThrottlingOptions = Required<
  Pick<GraphApiOptions, 'attemptTimeoutMs' | 'maxAttempts' | 'baseDelayMs' | 'maxDelayMs' | 'sleep' | 'random'>
>;

const RETRIED_STATUSES = new Set([429, 503, 504]);
/** Tries of a request whose connection fails: Graph being away should not hold a sync for long. */
const CONNECTION_ATTEMPTS = 3;

/** Graph's throttling, honoured: see the module comment. */
class Throttling implements Middleware {
  private next?: Middleware;

  constructor(
    private readonly counters: GraphCounters,
    private readonly log: Logger,
    private readonly options: ThrottlingOptions,
  ) {}

  async execute(context: Context): Promise<void> {
    const { maxAttempts, attemptTimeoutMs } = this.options;
    const original = context.options ?? {};
    for (let attempt = 1; ; attempt += 1) {
      context.options = { ...original, signal: AbortSignal.timeout(attemptTimeoutMs) };
      this.counters.requests += 1;
      try {
        await this.next!.execute(context);
      } catch (error) {
        this.counters.failedConnections += 1;
        if (attempt >= CONNECTION_ATTEMPTS) throw error;
        await this.options.sleep(this.backoff(attempt));
        continue;
      }
      const response = context.response;
      if (!response || !RETRIED_STATUSES.has(response.status) || attempt >= maxAttempts) return;
      this.counters.throttled += 1;
      const delay = this.delayFor(response, attempt);
      this.log.info(
        { status: response.status, attempt, delayMs: delay },
        'Graph throttled the request; trying again after the wait it asked for',
      );
      await response.body?.cancel().catch(() => undefined);
      await this.options.sleep(delay);
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }

  /** Retry-After (seconds or a date) plus up to 20 % jitter; else exponential back-off with full jitter. */
  private delayFor(response: Response, attempt: number): number {
    const header = response.headers.get('retry-after');
    if (header !== null) {
      const seconds = Number(header);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
      if (Number.isFinite(ms) && ms >= 0) return Math.min(this.options.maxDelayMs, Math.round(ms * (1 + 0.2 * this.options.random())));
    }
    return this.backoff(attempt);
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling * this.options.random());
  }
}
