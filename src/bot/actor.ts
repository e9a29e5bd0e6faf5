import type { Activity } from 'botbuilder';
import type { Config } from '../config';

/**
 * Who is acting in this turn, taken from the activity Teams signed — never from card data.
 * `userId` is the Entra object id (stable across chats); `mri` is the Teams user id (29:…)
 * that Universal Actions' refresh lists need.
 */
export type Actor = { userId: string; mri: string; name: string; tenantId?: string };

/**
 * Outside local runs, an activity that runs a route needing a signed identity (every route unless
 * the table says otherwise) must carry `from.aadObjectId`: the chat id (`from.id`) is not the
 * person's stable identity, so such a turn is refused before any state is read (src/bot/app.ts).
 * Locally a client other than the Agents Playground (which sends it) may lack it, and `actorOf`
 * falls back to `from.id`.
 */
export function lacksSignedIdentity(activity: Partial<Activity>, environment: Config['environment']): boolean {
  if (environment === 'local') return false;
  return !activity.from?.aadObjectId;
}

export function actorOf(activity: Partial<Activity>): Actor {
  const from = activity.from;
  return {
    userId: from?.aadObjectId || from?.id || 'unknown',
    mri: from?.id || 'unknown',
    name: from?.name || '',
    tenantId: tenantOf(activity),
  };
}

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const { conversation, channelData } = tenantFieldsOf(activity);
  return conversation ?? channelData;
}

/** The two places an activity names its tenant: `conversation.tenantId` and `channelData.tenant.id`. */
export function tenantFieldsOf(activity: Partial<Activity>): { conversation?: string; channelData?: string } {
  const fromConversation: unknown = activity.conversation?.tenantId;
  const fromChannelData: unknown = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return {
    ...(typeof fromConversation === 'string' && fromConversation !== '' ? { conversation: fromConversation } : {}),
    ...(typeof fromChannelData === 'string' && fromChannelData !== '' ? { channelData: fromChannelData } : {}),
  };
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}
