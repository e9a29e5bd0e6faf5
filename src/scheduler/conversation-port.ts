import type { ConversationAddress } from '../store/conversation-address';

/**
 * The outbound side of the Bot Framework as the scheduler needs it. The bot layer implements it
 * (botbuilder's CloudAdapter.continueConversationAsync); the scheduler never imports botbuilder,
 * so moving to another SDK changes the implementation, not the scheduler.
 */
export interface ConversationPort {
  /**
   * Posts one activity. Resolves when the connector accepted it; throws a `PostFailure`
   * otherwise. Should stop and throw `PostFailure('timeout')` when `signal` aborts.
   */
  post(address: ConversationAddress, activity: OutboundActivity, signal: AbortSignal): Promise<{ activityId?: string }>;
}

/** A message activity as the Bot Framework accepts it (text and/or Adaptive Card attachments). */
export type OutboundActivity = {
  type: 'message';
  text?: string;
  summary?: string;
  attachments?: { contentType: string; content: unknown }[];
  /** Edit this message (an id the connector gave an earlier post) instead of posting a new one. */
  updateActivityId?: string;
  /** Anything else the connector accepts (entities, channelData). */
  [key: string]: unknown;
};

/** A message carrying one Adaptive Card. */
export function cardMessage(card: unknown): OutboundActivity {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
}

/**
 * - `http`: the connector answered with an error status (`code` from its error body, e.g.
 *   `BotNotInConversationRoster`).
 * - `network`: the request never left (connection refused, DNS): certainly not delivered.
 * - `timeout`: no answer in time, or the connection broke after the request was sent: the
 *   message may or may not have been delivered. Ports must report anything ambiguous this way.
 */
export type PostFailureKind = 'http' | 'timeout' | 'network';

export class PostFailure extends Error {
  readonly status?: number;
  readonly code?: string;
  readonly retryAfterMs?: number;

  constructor(
    readonly kind: PostFailureKind,
    details: { status?: number; code?: string; retryAfterMs?: number; message?: string } = {},
  ) {
    super(details.message ?? describe(kind, details.status, details.code));
    this.name = 'PostFailure';
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }
}

function describe(kind: PostFailureKind, status?: number, code?: string): string {
  if (kind !== 'http') return kind;
  return `HTTP ${status ?? '?'}${code ? ` ${code}` : ''}`;
}

/** Retry-After as milliseconds: either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
