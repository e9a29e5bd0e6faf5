import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { PersonalAddress } from '../workflow/records';
import { conversationKind, tenantOf } from './actor';
import { clientLocaleOf } from './replies';
import { personOf, type Needs } from './services';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type AddressBookNeeds = Needs<'notices' | 'now' | 'people'>;

/**
 * Remembers where each person's personal chat with Laget is, and the language their client speaks,
 * so that reminders and notices reach them later in that language. The person is written only when
 * the address or the language is new or has changed; a small in-memory cache keeps ordinary turns
 * from reading the store for it.
 */
export class AddressBook {
  private readonly known = new Map<string, string>();

  constructor(private readonly services: AddressBookNeeds) {}

  async remember(context: BotTurnContext): Promise<void> {
    if (conversationKind(context.activity) !== 'personal') return;
    const address = personalAddressOf(context);
    const me = personOf(context);
    // No locale in the activity (the local Playground's is removed): keep what is stored.
    const locale = clientLocaleOf(context);
    const fingerprint = `${address.serviceUrl}|${address.conversationId}|${locale ?? ''}`;
    if (this.known.get(me.id) === fingerprint) return;
    const person = await this.services.people.read(me.id);
    const stored = person?.doc.personalChat;
    const mri = context.activity.from?.id;
    const moved =
      !stored || stored.serviceUrl !== address.serviceUrl || stored.conversationId !== address.conversationId || person?.doc.mri !== mri;
    const relocalised = locale !== undefined && person?.doc.locale !== locale;
    if (moved || relocalised) {
      const updated = await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({
        ...p,
        personalChat: address,
        mri,
        ...(locale !== undefined ? { locale } : {}),
      }));
      // Notices that waited for this person can go out now.
      if (moved) await this.services.notices.release(updated, this.services.now());
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
