import type { TurnContext } from 'botbuilder';
import { errorCard } from '../cards/common';
import type { AdaptiveCardJson } from '../cards/guards';
import type { PayloadProblems } from '../cards/payloads';
import { localeOf } from './replies';

/** The error card for a refused payload: each field by its label, cross-field checks in their own sentence. */
export function invalidPayloadCard(context: TurnContext, problems: PayloadProblems, hint?: string): AdaptiveCardJson {
  return errorCard(localeOf(context), 'invalid-payload', problems.fields, {
    unknown: problems.unknown,
    checks: problems.checks,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** Answers an Action.Execute invoke with a card, so teams-ai or the SDK never edit the message on their own. */
export async function answerInvokeWithCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity({
    type: 'invokeResponse',
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
  });
}

/** Answers an Action.Execute invoke with a sentence Teams shows the presser alone; the card pressed stays as it is. */
export async function answerInvokeWithMessage(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({
    type: 'invokeResponse',
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } },
  });
}
