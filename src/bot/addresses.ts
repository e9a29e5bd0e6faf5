import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { PersonalAddress } from '../store/conversation-address';
import { conversationKind, tenantOf } from './actor';
import { personOf, type Services } from './services';

/**
 * Remembers where each person's personal chat with Laget is, so that reminders and notices can
 * reach them later. The address is written when it is new or has changed; a small in-memory
 * cache keeps ordinary turns from reading the store for it.
 */
export class AddressBook {
  private readonly known = new Map<string, string>();

  constructor(private readonly services: Services) {}

  async remember(context: BotTurnContext): Promise<void> {
    if (conversationKind(context.activity) !== 'personal') return;
    const address = personalAddressOf(context);
    const me = personOf(context);
    const fingerprint = `${address.serviceUrl}|${address.conversationId}`;
    if (this.known.get(me.id) === fingerprint) return;
    const person = await this.services.people.read(me.id);
    const stored = person?.doc.personalChat;
    const mri = context.activity.from?.id;
    if (!stored || stored.serviceUrl !== address.serviceUrl || stored.conversationId !== address.conversationId || person?.doc.mri !== mri) {
      const updated = await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({ ...p, personalChat: address, mri }));
      // Notices that waited for this person can go out now.
      await this.services.notices.release(updated, this.services.now());
    }
    this.known.set(me.id, fingerprint);
  }
}

export function personalAddressOf(context: BotTurnContext): PersonalAddress {
  const activity = context.activity;
  return {
    serviceUrl: activity.serviceUrl,
    conversationId: activity.conversation.id,
    tenantId: tenantOf(activity),
    botId: activity.recipient?.id,
    kind: 'personal',
  };
}
