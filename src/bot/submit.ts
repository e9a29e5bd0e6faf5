import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { z } from 'zod';
import { errorCard } from '../cards/common';
import type { AdaptiveCardJson } from '../cards/guards';
import { parsePayload, type PayloadProblems } from '../cards/payloads';
import { localeOf, sendCard } from './replies';

/** What to do with a payload its schema refused (the default: the error card, and nothing else). */
export type InvalidPayloadHandler = (context: TurnContext, value: unknown, problems: PayloadProblems) => Promise<void>;

/**
 * Registers an Action.Submit handler whose payload is parsed with its strict schema first.
 * A payload that fails never reaches the handler: the person gets the error card naming the
 * fields by their labels (or `onInvalid` answers it), and nothing is changed.
 */
export function onSubmit<T>(
  app: Application<TurnState>,
  verb: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  handler: (context: TurnContext, data: T) => Promise<void>,
  onInvalid?: InvalidPayloadHandler,
): void {
  app.adaptiveCards.actionSubmit(verb, async (context, _state, value) => {
    const parsed = parsePayload(schema, value);
    if (!parsed.ok) {
      if (onInvalid) await onInvalid(context, value, parsed);
      else await sendCard(context, invalidPayloadCard(context, parsed));
      return;
    }
    await handler(context, parsed.data);
  });
}

/** The error card for a refused payload: each field by its label, cross-field checks in their own sentence. */
export function invalidPayloadCard(context: TurnContext, problems: PayloadProblems, hint?: string): AdaptiveCardJson {
  return errorCard(localeOf(context), 'invalid-payload', problems.fields, {
    unknown: problems.unknown,
    checks: problems.checks,
    ...(hint === undefined ? {} : { hint }),
  });
}

/**
 * Registers an Action.Execute (Universal Actions) handler the same way. It answers the invoke
 * itself with the card it returns, so teams-ai never edits the message for everyone on its own.
 */
export function onExecute<T>(
  app: Application<TurnState>,
  verb: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  handler: (context: TurnContext, data: T) => Promise<AdaptiveCardJson>,
): void {
  app.adaptiveCards.actionExecute(verb, async (context, _state, value) => {
    const parsed = parsePayload(schema, value);
    const card = parsed.ok ? await handler(context, parsed.data) : invalidPayloadCard(context, parsed);
    await answerInvokeWithCard(context, card);
    return card;
  });
}

export async function answerInvokeWithCard(context: TurnContext, card: AdaptiveCardJson): Promise<void> {
  await context.sendActivity({
    type: 'invokeResponse',
    value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
  });
}

/** A card submit is a message whose value is an object and whose text is empty. */
export function isCardSubmit(context: TurnContext): boolean {
  const { value, text } = context.activity;
  return !text && typeof value === 'object' && value !== null;
}
