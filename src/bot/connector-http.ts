import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import https from 'node:https';

/**
 * The HTTP client Laget's Bot Framework adapter uses to call the Bot Connector (replies within a
 * turn, and proactive posts from the scheduler). The SDK's default client has no time limit and
 * its retry policy re-sends a request whose connection broke after it left, so:
 *
 *  - every attempt has a time limit (`attemptTimeoutMs`): a connector that never answers no
 *    longer holds a turn, or a graceful shutdown, forever;
 *  - a failure after the request may have reached the connector (no answer in time, the
 *    connection reset) is reported with the code `OUTCOME_UNKNOWN`, which the SDK's retry policy
 *    does not retry and the scheduler's port maps to "unknown": a message that may have arrived
 *    is never posted twice;
 *  - a failure before anything was sent (connection refused, no such host) keeps its system code
 *    and is retried as before; so are 429 (honouring Retry-After) and 5xx answers to replies,
 *    which the Bot Connector documents as not delivered.
 *
 * Proactive posts (the scheduler's) have their own retry policy in src/scheduler/sender.ts, with
 * Teams' rate limits and the job's claim as budget; inside `asProactivePost` an error status is
 * therefore handed straight to it (ConnectorStatusError) instead of being retried here as well.
 *
 * It plugs in through ConnectorClientOptions.httpClient (the SDK's legacy HttpClient shape) and
 * uses node:http(s) with keep-alive connections, as the SDK's own client does (Node's fetch costs
 * about a millisecond more per call).
 */

type Headers = {
  toJson(options?: { preserveCase?: boolean }): Record<string, string>;
  get(name: string): string | undefined;
  set(name: string, value: string | number): void;
  contains(name: string): boolean;
  remove(name: string): boolean;
  rawHeaders(): Record<string, string>;
  headersArray(): { name: string; value: string }[];
  headerNames(): string[];
  headerValues(): string[];
  clone(): Headers;
};

/** The parts of the SDK's WebResourceLike this client reads. */
export type ConnectorRequest = {
  url: string;
  method: string;
  body?: unknown;
  headers: { toJson(options?: { preserveCase?: boolean }): Record<string, string> };
  abortSignal?: { aborted: boolean; addEventListener(type: 'abort', listener: () => void): void };
};

export type ConnectorResponse = { request: ConnectorRequest; status: number; headers: Headers; bodyAsText: string };

/** Codes of failures that happen before a request leaves: certainly not delivered, safe to retry. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A call that failed without an answer: `OUTCOME_UNKNOWN`, or the system code of one that never left. */
class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** An error status answered to a proactive post, for the scheduler's port to read (proactive.ts). */
export class ConnectorStatusError extends Error {
  /** The Bot Connector's error code from the body (e.g. BotNotInConversationRoster). */
  readonly connectorCode?: string;
  readonly retryAfter?: string;
  constructor(
    readonly statusCode: number,
    headers: Headers,
    bodyAsText: string,
  ) {
    super(`the Bot Connector answered ${statusCode}`);
    this.name = 'ConnectorStatusError';
    this.retryAfter = headers.get('retry-after');
    try {
      const code = (JSON.parse(bodyAsText) as { error?: { code?: unknown } }).error?.code;
      if (typeof code === 'string') this.connectorCode = code;
    } catch {
      // not JSON
    }
  }
}

const proactive = new AsyncLocalStorage<true>();

/** Runs `post` with the sender, not the SDK, deciding about retries of the calls it makes. */
export function asProactivePost<T>(post: () => Promise<T>): Promise<T> {
  return proactive.run(true, post);
}

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

export class BoundedConnectorHttpClient {
  constructor(private readonly attemptTimeoutMs: number) {}

  sendRequest(request: ConnectorRequest): Promise<ConnectorResponse> {
    return new Promise<ConnectorResponse>((resolve, reject) => {
      const url = new URL(request.url);
      const agent = agents[url.protocol as keyof typeof agents];
      if (!agent) {
        reject(new ConnectorError('ERR_INVALID_PROTOCOL', `cannot post to ${url.protocol}`));
        return;
      }
      const body =
        request.body === undefined || request.body === null
          ? undefined
          : typeof request.body === 'string'
            ? request.body
            : JSON.stringify(request.body);
      // Answers come uncompressed: ask for nothing else.
      const headers = Object.fromEntries(
        Object.entries(request.headers.toJson({ preserveCase: true })).filter(([name]) => name.toLowerCase() !== 'accept-encoding'),
      );
      let timedOut = false;
      const fail = (error: unknown) => {
        clearTimeout(timer);
        const code = systemCode(error);
        if (!timedOut && code !== undefined && NOT_SENT.has(code))
          reject(new ConnectorError(code, `${code}: the request never reached the Bot Connector`));
        else {
          const why = timedOut ? `no answer within ${this.attemptTimeoutMs} ms` : `the connection failed (${code ?? String(error)})`;
          reject(new ConnectorError('OUTCOME_UNKNOWN', `${why}; the Bot Connector may have received the request`));
        }
      };
      const req = (url.protocol === 'https:' ? https : http).request(url, { method: request.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const status = res.statusCode ?? 0;
          const bodyAsText = Buffer.concat(chunks).toString('utf8');
          const responseHeaders = headersOf(res.headers);
          if (status >= 400 && proactive.getStore()) reject(new ConnectorStatusError(status, responseHeaders, bodyAsText));
          else resolve({ request, status, headers: responseHeaders, bodyAsText });
        });
      });
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error('timeout'));
      }, this.attemptTimeoutMs);
      req.on('error', fail);
      if (request.abortSignal?.aborted) req.destroy(new Error('aborted by the caller'));
      else request.abortSignal?.addEventListener('abort', () => req.destroy(new Error('aborted by the caller')));
      req.end(body);
    });
  }
}

/** The system error code of a failed request (ECONNREFUSED, ECONNRESET …), also when wrapped. */
function systemCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function headersOf(source: http.IncomingHttpHeaders): Headers {
  const map = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined) map.set(name.toLowerCase(), { name, value: Array.isArray(value) ? value.join(', ') : value });
  }
  const headers: Headers = {
    toJson: () => Object.fromEntries([...map.values()].map(({ name, value }) => [name, value])),
    get: (name) => map.get(name.toLowerCase())?.value,
    set: (name, value) => void map.set(name.toLowerCase(), { name, value: String(value) }),
    contains: (name) => map.has(name.toLowerCase()),
    remove: (name) => map.delete(name.toLowerCase()),
    rawHeaders: () => Object.fromEntries([...map.entries()].map(([key, { value }]) => [key, value])),
    headersArray: () => [...map.values()],
    headerNames: () => [...map.values()].map(({ name }) => name),
    headerValues: () => [...map.values()].map(({ value }) => value),
    clone: () => headersOf(source),
  };
  return headers;
}
