import restify from 'restify';
import type { Logger } from '../log';
import type { Bot } from '../bot/app';
import { LagetAdapter } from '../bot/adapter';
import { ActivityEnvelope } from './activity-envelope';

export type HttpServer = {
  url: string;
  /** Stops accepting requests, lets the turns in flight finish, then closes. */
  close(): Promise<void>;
};

export type HttpDeps = {
  bot: Bot;
  log: Logger;
  isReady: () => Promise<boolean>;
  /** What /healthz adds to its "ok": facts an operator should see, such as when the directory was last read. */
  health?: () => Promise<Record<string, unknown>>;
  /** True when bot credentials are configured: every request must carry a token. */
  requireToken: boolean;
  /** Local only: the Agents Playground says en-US for everyone, which is not the person's choice. */
  ignorePlaygroundLocale: boolean;
  port: number;
  host: string;
};

const MAX_BODY_BYTES = 256 * 1024;

export async function startHttpServer(deps: HttpDeps): Promise<HttpServer> {
  const server = restify.createServer({ name: 'laget', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false }));

  let inFlight = 0;
  let drained: (() => void) | undefined;

  server.post('/api/messages', async (req, res) => {
    if (deps.requireToken && !req.headers.authorization) {
      // Whatever the body: a caller without a token learns nothing about what Laget would accept.
      deps.log.warn('request without a token refused');
      res.send(401, { code: 'Unauthorized', message: 'A Bot Framework token is required.' });
      return;
    }
    const envelope = ActivityEnvelope.safeParse(req.body);
    if (!envelope.success) {
      deps.log.warn({ issues: envelope.error.issues.map((issue) => issue.path.join('.')) }, 'malformed activity refused');
      res.send(400, { code: 'BadRequest', message: 'The request body is not a valid activity.' });
      return;
    }
    if (deps.requireToken && deps.bot.adapter instanceof LagetAdapter) {
      // Checked here as well: the adapter answers 500 (and prints a stack trace) for a token whose
      // signature does not verify. Every refused token is a quiet 401, before any state is read.
      try {
        await deps.bot.adapter.authenticate(envelope.data, String(req.headers.authorization));
      } catch (error) {
        deps.log.warn({ reason: error instanceof Error ? error.message : String(error) }, 'request with an invalid token refused');
        res.send(401, { code: 'Unauthorized', message: 'The Bot Framework token is not valid.' });
        return;
      }
    }
    if (deps.ignorePlaygroundLocale && req.headers['x-ms-agents-playground']) {
      delete (req.body as { locale?: string }).locale;
    }
    inFlight += 1;
    try {
      await deps.bot.adapter.process(req, res, deps.bot.handleTurn);
    } catch (error) {
      deps.log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.send(500, { code: 'InternalError' });
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  });

  server.get('/healthz', async (_req, res) => {
    let facts: Record<string, unknown>;
    try {
      facts = (await deps.health?.()) ?? {};
    } catch (error) {
      // The process is alive; what it could not look up is said, not turned into a failure.
      facts = { facts: 'unavailable' };
      deps.log.warn({ err: error }, 'health facts could not be read');
    }
    res.send(200, { status: 'ok', ...facts });
  });

  server.get('/readyz', async (_req, res) => {
    const ready = await deps.isReady();
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'store unreachable' });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  const address = server.address();
  const url = `http://${deps.host.includes(':') ? `[${deps.host}]` : deps.host}:${address.port}`;
  deps.log.info({ url }, 'listening');

  return {
    url,
    async close() {
      const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
      server.server.closeIdleConnections();
      if (inFlight > 0) {
        deps.log.info({ inFlight }, 'waiting for turns in flight');
        await new Promise<void>((resolve) => {
          drained = resolve;
        });
      }
      server.server.closeAllConnections();
      await closed;
    },
  };
}
