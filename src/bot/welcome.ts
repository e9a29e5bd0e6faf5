import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { errorCard, teamIntroCard, welcomeCard, type FlowButton } from '../cards/common';
import { Payloads } from '../cards/payloads';
import { catalogue } from '../i18n';
import { conversationKind } from './actor';
import { commandOf } from './commands';
import { localeOf, sendCard } from './replies';
import { isCardSubmit, onSubmit } from './submit';

/** The flows a person can start from the welcome card; grows as flows are added. */
function flowButtons(_context: TurnContext): FlowButton[] {
  return [];
}

export async function sendWelcome(context: TurnContext): Promise<void> {
  await sendCard(context, welcomeCard(localeOf(context), flowButtons(context)));
}

/**
 * First contact and the fallbacks: a welcome card in personal chat when Laget is installed or
 * someone asks for help, an introduction in a team channel, and a hint for anything unknown.
 */
export function registerWelcome(app: Application<TurnState>): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
    if (!botWasAdded) return;
    if (conversationKind(context.activity) === 'personal') {
      await sendWelcome(context);
    } else {
      await sendCard(context, teamIntroCard(localeOf(context)));
    }
  });

  app.message(async (context) => commandOf(context.activity.text) === 'help', async (context) => {
    await sendWelcome(context);
  });

  onSubmit(app, 'welcome.show', Payloads['welcome.show'], async (context) => {
    await sendWelcome(context);
  });

  // Registered last: anything no other route took. Typed text gets a hint; a card submit with an
  // unknown verb (an old card, a forged payload) gets the error card.
  app.activity(ActivityTypes.Message, async (context) => {
    const t = catalogue(localeOf(context));
    if (isCardSubmit(context)) {
      await sendCard(context, errorCard(localeOf(context), 'invalid-payload', ['verb']));
    } else if (conversationKind(context.activity) === 'channel') {
      await context.sendActivity(t.team.channelHint);
    } else {
      await context.sendActivity(t.hint.unknown);
    }
  });
}
