import { performance } from 'node:perf_hooks';
import { createAdapter } from '../src/bot/adapter';
import { BotConversationPort } from '../src/bot/proactive';
import { teamPost } from '../src/cards/teams';
import { createLogger } from '../src/log';
import { Sender, type SendResult } from '../src/scheduler/sender';
import type { ChannelAddress } from '../src/store/conversation-address';
import { LimitedConnector, minimumSpanMs } from './limited-connector';
import { round } from './stats';

/**
 * Reminder fan-out through the scheduler's sender (src/scheduler/sender.ts) and the bot's port
 * (src/bot/proactive.ts, the real adapter) into a Bot Connector that enforces Teams' limits.
 * Jobs are handed to the sender 8 at a time, as the scheduler does.
 */
export type FanOutResult = {
  name: string;
  posts: number;
  wallMs: number;
  minimumMs: number;
  ratio: number;
  throttled: number;
  lost: number;
  duplicated: number;
  notSent: number;
};

/** An agenda as the team's channel gets it: codes, times and who brings what — never a child's name. */
function agendaCard(n: number) {
  return teamPost({
    title: `Agenda for tverrfaglig team ${n}, onsdag 4. mars kl. 14.00–15.30`,
    paragraphs: ['Sakene drøftes med kode. Navn brukes bare der samtykket dekker teamet.'],
    lines: [
      '14.00 UR-7K4Q – evaluering (Kari Nordmann, navngitt)',
      '14.20 UR-4HNW – ny sak, anonym (Lise Berg)',
      '14.40 Tema: rutiner ved fravær',
    ],
    footnote: 'Meld inn saker i din egen chat med Laget.',
  });
}

async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

export async function fanOut(name: string, targets: { conversationId: string; newThread: boolean }[]): Promise<FanOutResult> {
  const connector = await new LimitedConnector().start();
  try {
    const adapter = createAdapter({ kind: 'anonymous', connectorTimeoutMs: 10_000 });
    const sender = new Sender(new BotConversationPort(adapter, ''), { log: createLogger('silent') });
    const addresses: ChannelAddress[] = targets.map((target) => ({
      kind: 'channel',
      serviceUrl: connector.url,
      conversationId: target.conversationId,
      channelId: target.conversationId,
      teamId: target.conversationId,
      tenantId: 'tenant-bench',
      newThread: target.newThread,
    }));
    const started = performance.now();
    const results: SendResult[] = await mapPool(addresses, 8, (address) =>
      sender.send(
        address,
        { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: agendaCard(1) }] },
        { budgetMs: 110_000 },
      ),
    );
    const wallMs = performance.now() - started;
    const expected = new Map<string, number>();
    for (const target of targets) expected.set(target.conversationId, (expected.get(target.conversationId) ?? 0) + 1);
    let lost = 0;
    let duplicated = 0;
    for (const [conversation, count] of expected) {
      const got = connector.accepted.get(conversation) ?? 0;
      if (got < count) lost += count - got;
      if (got > count) duplicated += got - count;
    }
    const minimumMs = minimumSpanMs(targets.map((target) => target.conversationId));
    return {
      name,
      posts: targets.length,
      wallMs: Math.round(wallMs),
      minimumMs,
      ratio: round(wallMs / minimumMs, 3),
      throttled: connector.throttled,
      lost,
      duplicated,
      notSent: results.filter((result) => result.kind !== 'sent').length,
    };
  } finally {
    await connector.stop();
  }
}
