import type { Activity } from 'botbuilder';

/**
 * Who is acting in this turn, taken from the activity Teams signed — never from card data.
 * `userId` is the Entra object id (stable across chats); `mri` is the Teams user id (29:…)
 * that Universal Actions' refresh lists need.
 */
export type Actor = { userId: string; mri: string; name: string; tenantId?: string };

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
  const channelTenant = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return activity.conversation?.tenantId || (typeof channelTenant === 'string' ? channelTenant : undefined);
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

export function conversationKind(activity: Partial<Activity>): ConversationKind {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat') return 'groupChat';
  return 'personal';
}
