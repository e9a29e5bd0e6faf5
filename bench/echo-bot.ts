import type { Bot } from '../src/bot/app';
import { createAdapter } from '../src/bot/adapter';
import { startHttpServer } from '../src/http/server';
import { createLogger } from '../src/log';

/**
 * The floor: a bot that does nothing but answer, on exactly Laget's path — the same restify
 * server (src/http/server.ts: body parser, envelope check, in-flight tracking), the same adapter
 * (src/bot/adapter.ts: teams-ai TeamsAdapter over the CloudAdapter, the same connector client).
 * A message is echoed through the Bot Connector; an invoke is answered with a small card, as
 * Laget answers Action.Execute.
 */
export type EchoBot = { url: string; close(): Promise<void> };

const ECHO_CARD = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'echo' }] };

type EchoContext = {
  activity: { type: string; text?: string };
  sendActivity(activity: unknown): Promise<unknown>;
};

export async function startEchoBot(): Promise<EchoBot> {
  const adapter = createAdapter({ kind: 'anonymous', connectorTimeoutMs: 10_000 });
  const handleTurn = async (context: EchoContext) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
    else if (context.activity.type === 'invoke') {
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: ECHO_CARD } },
      });
    }
  };
  const bot = { adapter, app: undefined, handleTurn } as unknown as Bot;
  const http = await startHttpServer({
    bot,
    log: createLogger('silent'),
    isReady: async () => true,
    requireToken: false,
    ignorePlaygroundLocale: false,
    port: 0,
    host: '127.0.0.1',
  });
  return { url: http.url, close: () => http.close() };
}
