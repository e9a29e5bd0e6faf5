import { TeamsInfo, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { PostFailure, parseRetryAfter, type ConversationPort, type OutboundActivity } from '../scheduler/conversation-port';
import type { ConversationAddress } from '../workflow/records';
import { asProactivePost, ConnectorStatusError } from './connector-http';

/**
 * The scheduler's way out through the Bot Framework: a proactive message into a stored
 * conversation (personal chat, or a new thread in a team channel). Failures are mapped to what
 * the sender's retry policy needs: the HTTP status and code, Retry-After, and — most important —
 * whether the message may have arrived (`timeout`) or certainly did not (`network`).
 */
export class BotConversationPort implements ConversationPort {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's app id; with anonymous local auth any non-empty string does for channel posts. */
    private readonly botAppId: string,
  ) {}

  async post(address: ConversationAddress, activity: OutboundActivity, signal: AbortSignal): Promise<{ activityId?: string }> {
    const reference = referenceOf(address);
    const attempt = new Promise<{ activityId?: string }>((resolve, reject) => {
      // The sender retries (with Teams' rate limits in mind); the SDK must not retry underneath it.
      asProactivePost(() =>
        this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
          if (typeof activity.updateActivityId === 'string') {
            // An edit of a message Laget posted before (the leader's approval card once the request falls away).
            const { updateActivityId, ...edit } = activity;
            await context.updateActivity({ ...(edit as Partial<Activity>), id: updateActivityId });
            resolve({ activityId: updateActivityId });
          } else if (address.kind === 'channel' && address.newThread) {
            const [, activityId] = await TeamsInfo.sendMessageToTeamsChannel(
              context,
              activity as Partial<Activity> as Activity,
              address.channelId,
              this.botAppId || 'laget-local',
            );
            resolve({ activityId });
          } else {
            const response = await context.sendActivity(activity);
            resolve({ activityId: response?.id });
          }
        }),
      ).catch((error: unknown) => reject(toPostFailure(error)));
    });
    const aborted = new Promise<never>((_resolve, reject) => {
      const onAbort = () => reject(new PostFailure('timeout', { message: 'no answer from the Bot Connector in time' }));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([attempt, aborted]);
  }
}

function referenceOf(address: ConversationAddress): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: address.serviceUrl,
    conversation: {
      id: address.conversationId,
      conversationType: address.kind === 'channel' ? 'channel' : 'personal',
      tenantId: address.tenantId,
      isGroup: address.kind === 'channel',
      name: '',
    },
    ...(address.botId ? { bot: { id: address.botId, name: 'Laget' } } : {}),
  };
}

/** Errors a request can end with before anything was sent: the message certainly did not arrive. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type ConnectorError = {
  statusCode?: number;
  status?: number;
  code?: string;
  message?: string;
  response?: {
    headers?: { get?: (name: string) => string | undefined } & Record<string, unknown>;
    bodyAsText?: string;
    parsedBody?: unknown;
  };
  body?: unknown;
};

function toPostFailure(error: unknown): PostFailure {
  if (error instanceof PostFailure) return error;
  if (error instanceof ConnectorStatusError) {
    return new PostFailure('http', {
      status: error.statusCode,
      code: error.connectorCode,
      retryAfterMs: parseRetryAfter(error.retryAfter, Date.now()),
    });
  }
  const e = (error ?? {}) as ConnectorError;
  const status = e.statusCode ?? e.status;
  if (typeof status === 'number' && status > 0) {
    const headers = e.response?.headers;
    const retryAfter = headers?.get?.('retry-after') ?? (headers?.['retry-after'] as string | undefined);
    return new PostFailure('http', { status, code: errorCode(e), retryAfterMs: parseRetryAfter(retryAfter, Date.now()) });
  }
  const code = typeof e.code === 'string' ? e.code : '';
  if (NEVER_SENT.has(code)) return new PostFailure('network', { code, message: e.message });
  // A reset or a cut connection after the request left: it may have arrived.
  return new PostFailure('timeout', { code: code || undefined, message: e.message ?? 'the post ended without an answer' });
}

/** The Bot Connector's error code (e.g. BotNotInConversationRoster) from wherever the SDK put it. */
function errorCode(e: ConnectorError): string | undefined {
  const candidates: unknown[] = [e.response?.parsedBody, e.body];
  if (e.response?.bodyAsText) {
    try {
      candidates.push(JSON.parse(e.response.bodyAsText));
    } catch {
      // not JSON
    }
  }
  for (const body of candidates) {
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    if (typeof code === 'string') return code;
  }
  return typeof e.code === 'string' && !/^E[A-Z]+$/.test(e.code) ? e.code : undefined;
}
