import { loadConfig, type Config } from '../../src/config';
import { startLaget, type Laget, type LagetOptions } from '../../src/laget';
import { createLogger, type Logger } from '../../src/log';
import { FakeConnector } from './fake-connector';
import { users, type Activity } from './activities';

export type Running = {
  laget: Laget;
  connector: FakeConnector;
  /** POSTs an activity to /api/messages through a real socket. */
  post(activity: Activity, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
};

/**
 * Laget as `npm run bot` runs it — restify, the real CloudAdapter and teams-ai Application, the
 * real @azure/cosmos client against the embedded server — on a free port, with a fake Bot
 * Connector on 127.0.0.1 to receive what the bot sends.
 */
export async function startTestLaget(
  env: Record<string, string> = {},
  options: LagetOptions & { log?: Logger } = {},
  /** Changes the loaded configuration, e.g. to behave as a deployed environment while keeping the embedded store. */
  configure: (config: Config) => Config = (config) => config,
): Promise<Running> {
  const connector = await new FakeConnector().start();
  // Every synthetic person is in every team unless a test gives a team a roster of its own.
  connector.defaultRoster = Object.values(users).map((user) => ({ id: user.mri, aadObjectId: user.aadObjectId, name: user.name }));
  const config: Config = configure(
    loadConfig({
      LAGET_ENV: 'local',
      PORT: '0',
      LOG_LEVEL: process.env.LOG_LEVEL,
      SCHEDULER_INTERVAL_SECONDS: '0',
      // A chat Laget opens itself (proactive installation) is posted to through the fake connector.
      TEAMS_SERVICE_URL: connector.url,
      ...env,
    }),
  );
  const laget = await startLaget(config, options.log ?? createLogger(config.logLevel), options);
  return {
    laget,
    connector,
    async post(activity, headers = {}) {
      const response = await fetch(`${laget.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    async stop() {
      await laget.stop();
      await connector.stop();
    },
  };
}

/** The Adaptive Card inside a sent activity, if any. */
export function cardOf(activity: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const attachments = activity?.attachments as Array<{ contentType?: string; content?: Record<string, unknown> }> | undefined;
  return attachments?.find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** What a person sees of a card's text: a markdown link as its text, a no-break space as a space. */
function visible(text: string): string {
  return text.replace(/(?<!\\)\[((?:[^\]\\]|\\.)*)\]\([^)]*\)/g, '$1').replace(/\u00a0/g, ' ');
}

/** All the visible text of a card (TextBlocks, facts, button titles), for assertions. */
export function textOf(card: unknown): string {
  const parts: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
        if (typeof record[key] === 'string') parts.push(visible(record[key]));
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return parts.join('\n');
}
