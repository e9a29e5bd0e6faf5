import { randomUUID } from 'node:crypto';

/** Synthetic Teams identities for tests (the people of ../shared/scenarios.md). */
export type TestUser = { aadObjectId: string; mri: string; name: string };

export const TENANT_ID = 'tenant-laget-test';
export const BOT = { id: '28:laget-bot', name: 'Laget' };

export const users = {
  kari: { aadObjectId: 'aad-kari', mri: '29:kari', name: 'Kari Nordmann' },
  per: { aadObjectId: 'aad-per', mri: '29:per', name: 'Per Hansen' },
  lise: { aadObjectId: 'aad-lise', mri: '29:lise', name: 'Lise Berg' },
  ola: { aadObjectId: 'aad-ola', mri: '29:ola', name: 'Ola Dahl' },
  nina: { aadObjectId: 'aad-nina', mri: '29:nina', name: 'Nina Lund' },
  tor: { aadObjectId: 'aad-tor', mri: '29:tor', name: 'Tor Moen' },
  /** The example municipality's coordinator (config/municipality.local.json). */
  kim: { aadObjectId: 'aad-kim', mri: '29:kim', name: 'Kim Lie' },
  anne: { aadObjectId: 'aad-anne', mri: '29:anne', name: 'Anne Vik' },
} satisfies Record<string, TestUser>;

export type Activity = Record<string, unknown>;

export function personalConversationId(user: TestUser): string {
  return `a:personal-${user.aadObjectId}`;
}

function base(serviceUrl: string, user: TestUser, conversation: Record<string, unknown>, locale = 'nb-NO') {
  return {
    id: randomUUID(),
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale,
    from: { id: user.mri, name: user.name, aadObjectId: user.aadObjectId },
    recipient: BOT,
    conversation,
    channelData: { tenant: { id: TENANT_ID } },
  };
}

function personal(user: TestUser) {
  return { id: personalConversationId(user), conversationType: 'personal', tenantId: TENANT_ID };
}

export const CHANNEL = { teamId: '19:team-solsikken@thread.tacv2', channelId: '19:team-solsikken@thread.tacv2' };

function channel(channelId: string = CHANNEL.channelId) {
  return { id: channelId, conversationType: 'channel', tenantId: TENANT_ID, isGroup: true };
}

/** Another channel of the same Teams team (e.g. "Generelt"). */
export const OTHER_CHANNEL_ID = '19:general-solsikken@thread.tacv2';

export const GROUP_CHAT_ID = '19:group-solsikken@thread.v2';

function groupChat() {
  return { id: GROUP_CHAT_ID, conversationType: 'groupChat', tenantId: TENANT_ID, isGroup: true };
}

/** A message in a group chat that @mentions Laget. */
export function groupChatMessage(serviceUrl: string, user: TestUser, text: string): Activity {
  return {
    ...base(serviceUrl, user, groupChat()),
    type: 'message',
    text: `<at>Laget</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>Laget</at>', mentioned: BOT }],
  };
}

export function botInstalledInGroupChat(serviceUrl: string, user: TestUser): Activity {
  return { ...base(serviceUrl, user, groupChat()), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

export function message(serviceUrl: string, user: TestUser, text: string, locale?: string): Activity {
  return { ...base(serviceUrl, user, personal(user), locale), type: 'message', text };
}

export function channelMessage(serviceUrl: string, user: TestUser, text: string, channelId: string = CHANNEL.channelId): Activity {
  const activity = base(serviceUrl, user, channel(channelId));
  return {
    ...activity,
    type: 'message',
    text: `<at>Laget</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>Laget</at>', mentioned: BOT }],
    channelData: { ...activity.channelData, team: { id: CHANNEL.teamId }, channel: { id: channelId } },
  };
}

/** An Action.Execute press on a card in a team channel (Teams sends the team and channel with it). */
export function channelExecute(
  serviceUrl: string,
  user: TestUser,
  verb: string,
  data: Record<string, unknown>,
  channelId: string = CHANNEL.channelId,
): Activity {
  const activity = execute(serviceUrl, user, verb, data, { conversation: channel(channelId) });
  return { ...activity, channelData: { ...(activity.channelData as object), team: { id: CHANNEL.teamId }, channel: { id: channelId } } };
}

/** What Teams sends when a person presses an Action.Submit button: the data plus the inputs. */
export function submit(serviceUrl: string, user: TestUser, value: Record<string, unknown>, locale?: string): Activity {
  return { ...base(serviceUrl, user, personal(user), locale), type: 'message', value };
}

/** What Teams sends as someone types in a `Data.Query` typeahead field (an Input.ChoiceSet, style filtered). */
export function searchInvoke(serviceUrl: string, user: TestUser, value: unknown): Activity {
  return { ...base(serviceUrl, user, personal(user)), type: 'invoke', name: 'application/search', value };
}

/** What Teams sends for an Action.Execute (Universal Actions) press or an automatic refresh. */
export function execute(
  serviceUrl: string,
  user: TestUser,
  verb: string,
  data: Record<string, unknown>,
  options: { trigger?: 'manual' | 'automatic'; conversation?: Record<string, unknown>; replyToId?: string } = {},
): Activity {
  return {
    ...base(serviceUrl, user, options.conversation ?? personal(user)),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: options.replyToId ?? 'card-activity-1',
    value: { action: { type: 'Action.Execute', verb, data }, trigger: options.trigger ?? 'manual' },
  };
}

export function botInstalledInPersonalChat(serviceUrl: string, user: TestUser): Activity {
  return { ...base(serviceUrl, user, personal(user)), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

export function botInstalledInTeam(serviceUrl: string, user: TestUser): Activity {
  const activity = base(serviceUrl, user, channel());
  return {
    ...activity,
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
    channelData: {
      ...activity.channelData,
      eventType: 'teamMemberAdded',
      team: { id: CHANNEL.teamId, name: 'Solsikken tverrfaglig team' },
      channel: { id: CHANNEL.channelId },
    },
  };
}
