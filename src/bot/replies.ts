import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../cards/guards';
import { localeFrom, type Locale } from '../i18n';

export function localeOf(context: TurnContext): Locale {
  return localeFrom(context.activity.locale);
}

/**
 * The language the client asked for in this activity, or undefined when it said none — as locally,
 * where the Agents Playground's locale is removed before the turn (it always says en-US).
 */
export function clientLocaleOf(context: TurnContext): Locale | undefined {
  const locale = context.activity.locale;
  return typeof locale === 'string' && locale.trim() !== '' ? localeFrom(locale) : undefined;
}

function cardActivity(card: AdaptiveCardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

export async function sendCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity(cardActivity(card));
}
