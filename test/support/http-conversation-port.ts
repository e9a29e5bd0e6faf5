import type { ConversationAddress } from '../../src/store/conversation-address';
import { PostFailure, parseRetryAfter, type ConversationPort, type OutboundActivity } from '../../src/scheduler/conversation-port';

/**
 * The scheduler's port over plain HTTP, as the Bot Connector REST API defines it: a reply-less
 * post to `v3/conversations/{id}/activities`, or a new channel thread through `v3/conversations`.
 * Tests point it at the FakeConnector; production uses the bot layer's botbuilder implementation.
 */
export class HttpConversationPort implements ConversationPort {
  /** Every post the port started (delivered or not), to tell "posted once" from "tried once". */
  readonly started: { conversationId: string; at: number }[] = [];

  async post(address: ConversationAddress, activity: OutboundActivity, signal: AbortSignal): Promise<{ activityId?: string }> {
    const newThread = address.kind === 'channel' && address.newThread === true;
    const url = newThread
      ? `${address.serviceUrl}v3/conversations`
      : `${address.serviceUrl}v3/conversations/${encodeURIComponent(address.conversationId)}/activities`;
    const body = newThread
      ? { isGroup: true, activity, channelData: { channel: { id: address.channelId }, tenant: { id: address.tenantId } } }
      : activity;
    this.started.push({ conversationId: address.conversationId, at: Date.now() });

    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
    } catch (error) {
      if (signal.aborted) throw new PostFailure('timeout', { message: 'aborted: no answer in time' });
      // Refused before anything was sent is safe to retry; anything else may have arrived.
      const code = (error as { cause?: { code?: string } }).cause?.code;
      const neverSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND';
      throw new PostFailure(neverSent ? 'network' : 'timeout', { message: `fetch failed: ${code ?? String(error)}` });
    }
    const text = await response.text();
    const json = text ? (JSON.parse(text) as { id?: string; activityId?: string; error?: { code?: string } }) : {};
    if (!response.ok) {
      throw new PostFailure('http', {
        status: response.status,
        code: json.error?.code,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
      });
    }
    return { activityId: json.activityId ?? json.id };
  }
}
