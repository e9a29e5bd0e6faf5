import type { TurnContext } from 'botbuilder';
import { catalogue } from '../i18n';
import { conversationKind } from './actor';
import { commandOf } from './commands';
import { localeOf } from './replies';

/**
 * A worry about a child is raised only in the person's 1:1 chat with Laget. In a channel or a
 * group chat, everything but the team's own commands and cards is refused with a hint — before
 * any route runs — so no card that asks about a child can ever appear where others read along.
 */
const SHARED_VERBS = new Set(['team.setup-form', 'team.setup', 'team.topic-form', 'team.topic', 'team.minutes-form', 'welcome.show']);

export async function refuseOutsidePersonalChat(context: TurnContext): Promise<boolean> {
  const activity = context.activity;
  if (conversationKind(activity) === 'personal' || activity.type !== 'message') return false;
  const verb = typeof activity.value === 'object' && activity.value !== null ? (activity.value as { verb?: unknown }).verb : undefined;
  const personalCommand = ['newCase', 'myCases', 'resume', 'cancel', 'approvals', 'units', 'report'].includes(
    commandOf(activity.text) ?? '',
  );
  const personalSubmit = verb !== undefined && !SHARED_VERBS.has(String(verb));
  if (!personalCommand && !personalSubmit) return false;
  await context.sendActivity(catalogue(localeOf(context)).team.channelHint);
  return true;
}
