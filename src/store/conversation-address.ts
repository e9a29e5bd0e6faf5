import { z } from 'zod';

/**
 * Where a proactive message goes: a conversation reference kept from the install event
 * (channel) or from the person's first message (personal chat). Stored with the job, so a
 * job can be posted without reading anything else.
 */
const common = {
  /** The Bot Connector base URL of the conversation's region, with its trailing slash. */
  serviceUrl: z.string().url(),
  conversationId: z.string().min(1).max(512),
  tenantId: z.string().min(1).max(128).optional(),
  /** The bot's own id in the conversation (`28:…`), as the install event or first message gave it. */
  botId: z.string().min(1).max(256).optional(),
};

export const PersonalAddressSchema = z.object({ kind: z.literal('personal'), ...common });

const ChannelAddressSchema = z.object({
  kind: z.literal('channel'),
  ...common,
  channelId: z.string().min(1).max(512),
  teamId: z.string().min(1).max(512).optional(),
  /** Start a new thread in the channel (a call for cases, an agenda) instead of replying. */
  newThread: z.boolean().optional(),
});

export const ConversationAddressSchema = z.discriminatedUnion('kind', [PersonalAddressSchema, ChannelAddressSchema]);
export type ConversationAddress = z.infer<typeof ConversationAddressSchema>;
export type PersonalAddress = z.infer<typeof PersonalAddressSchema>;
export type ChannelAddress = z.infer<typeof ChannelAddressSchema>;
