import type { Activity, TurnContext } from 'botbuilder';
import { INVOKE_RESPONSE_KEY } from 'botbuilder';
import { z } from 'zod';
import { errorCard, refusalCard } from '../cards/common';
import type { AdaptiveCardJson } from '../cards/guards';
import {
  ExecutePayloads,
  parsePayload,
  Payloads,
  type ExecuteVerb,
  type PayloadOf,
  type PayloadProblems,
  type Verb,
} from '../cards/payloads';
import { catalogue } from '../i18n';
import type { Logger } from '../log';
import { conversationKind, type ConversationKind } from './actor';
import { commandOf, COMMANDS, normaliseText, type TextCommand } from './commands';
import { localeOf, sendCard } from './replies';
import { answerInvokeWithCard, answerInvokeWithMessage, invalidPayloadCard } from './submit';

/**
 * The route table's machinery: how a route is declared, which route an activity asks for, and
 * what answers it. Every guard is derived from the declarations — where a route may run
 * (conversation kinds), what may trigger it (activity types), whether it needs a signed identity,
 * and the payload schema its verb is parsed with — so nothing is kept in sync by hand. The table
 * itself (every command and card verb of Laget) is src/bot/routes.ts.
 */

export const PERSONAL: readonly ConversationKind[] = ['personal'];
export const CHANNEL: readonly ConversationKind[] = ['channel'];
export const GROUP_CHAT: readonly ConversationKind[] = ['groupChat'];
/** Every conversation kind: a personal chat, a group chat and a team's channel. */
export const EVERYWHERE: readonly ConversationKind[] = ['personal', 'groupChat', 'channel'];

/**
 * The activity types Teams sends a bot. Only three can run a route: a `message` (a typed command or
 * an Action.Submit), an `invoke` (an Action.Execute, or the answer to a file consent card) and a
 * `conversationUpdate` (Laget installed). An edited message (`messageUpdate`), a deletion, a
 * reaction or an event carrying the same text or data runs nothing and gets no answer.
 */
export const ACTIVITY_TYPES = [
  'message',
  'messageUpdate',
  'messageDelete',
  'messageReaction',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'event',
  'typing',
  'endOfConversation',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

type Declared = {
  /** Where the route may run; anywhere else it is answered with a sentence saying where it works. */
  conversations: readonly ConversationKind[];
  /** The activity types that trigger it; the same text or data in any other type runs nothing. */
  activityTypes: readonly ActivityType[];
  /** Outside local runs, a turn without `from.aadObjectId` is refused before any state is read. */
  signedIdentity: boolean;
};

export type Handler = (context: TurnContext) => Promise<void>;
/** What to do with a payload its schema refused (the default: the error card, and nothing else). */
export type InvalidPayloadHandler = (context: TurnContext, value: unknown, problems: PayloadProblems, verb: Verb) => Promise<void>;

/** A typed command ("mine saker"), or a phrase a team says in its channel ("@Laget sett opp team"). */
export type CommandRoute = Declared & {
  kind: 'command';
  command: string;
  matches: (text: string) => boolean;
  /** Words that trigger it, as a person would type them (for help texts and the route-table test). */
  example: string;
  handler: Handler;
};
/** An Action.Submit: its verb, and the strict schema of what the card sends. */
export type SubmitRoute = Declared & {
  kind: 'submit';
  verb: Verb;
  schema: z.ZodType<unknown, z.ZodTypeDef, unknown>;
  handler: (context: TurnContext, data: unknown) => Promise<void>;
  onInvalid?: InvalidPayloadHandler;
};
/**
 * What an Action.Execute is answered with: a card (drawn in place of the one pressed), or a sentence
 * Teams shows the presser alone (the card pressed stays as it is; nothing is posted).
 */
export type ExecuteAnswer = AdaptiveCardJson | { type: 'message'; text: string };
/** An Action.Execute (Universal Actions): answered with what the handler returns. */
export type ExecuteRoute = Declared & {
  kind: 'execute';
  verb: ExecuteVerb;
  schema: z.ZodType<unknown, z.ZodTypeDef, unknown>;
  handler: (context: TurnContext, data: unknown) => Promise<ExecuteAnswer>;
};
/** Laget added to a conversation. */
export type InstallRoute = Declared & { kind: 'install'; command: string; handler: Handler };
/** What a person answered on a file consent card (Teams' way for a bot to hand over a file). */
type FileConsentResponse = { action?: unknown; context?: unknown; uploadInfo?: unknown };
export type FileConsentRoute = Declared & {
  kind: 'file-consent';
  command: string;
  action: 'accept' | 'decline';
  handler: (context: TurnContext, response: FileConsentResponse) => Promise<void>;
};

/** What a typeahead field (an Input.ChoiceSet with `Data.Query`) sends as someone types: Teams' `application/search` invoke. */
const SearchQuerySchema = z
  .object({
    kind: z.literal('search').optional(),
    queryText: z.string().max(200),
    dataset: z.string().max(200),
    queryOptions: z
      .object({ skip: z.number().int().min(0).max(1000).optional(), top: z.number().int().min(1).max(100).optional() })
      .optional(),
  })
  .passthrough();
export type SearchQuery = { queryText: string; dataset: string; skip: number; top: number };
export type SearchChoice = { title: string; value: string };
/** A typeahead search, by its dataset's prefix: answered with the choices the handler returns (empty: nothing found, or not allowed). */
export type SearchRoute = Declared & {
  kind: 'search';
  command: string;
  dataset: string;
  handler: (context: TurnContext, query: SearchQuery) => Promise<SearchChoice[]>;
};

export type Route = CommandRoute | SubmitRoute | ExecuteRoute | InstallRoute | FileConsentRoute | SearchRoute;

type Options = { signedIdentity?: boolean };

/** A command of src/bot/commands.ts, typed as a message ("mine saker", "@Laget hjelp"). */
export function command(
  name: TextCommand,
  conversations: readonly ConversationKind[],
  handler: Handler,
  options: Options = {},
): CommandRoute {
  return { ...phrase(name, COMMANDS[name], conversations, handler, options), matches: (text) => commandOf(text) === name };
}

/** A command matched by its own words (normalised as commands are), or by a test of the raw text (its name is then an example). */
export function phrase(
  name: string,
  words: readonly string[] | ((text: string) => boolean),
  conversations: readonly ConversationKind[],
  handler: Handler,
  options: Options = {},
): CommandRoute {
  const matches = typeof words === 'function' ? words : (text: string) => words.includes(normaliseText(text));
  return {
    kind: 'command',
    command: name,
    matches,
    example: typeof words === 'function' ? name : words[0]!,
    handler,
    conversations,
    activityTypes: ['message'],
    signedIdentity: options.signedIdentity ?? true,
  };
}

/** An Action.Submit verb, parsed with its schema in src/cards/payloads.ts before the handler sees it. */
export function submit<V extends Verb>(
  verb: V,
  conversations: readonly ConversationKind[],
  handler: (context: TurnContext, data: PayloadOf<V>) => Promise<void>,
  options: Options & { onInvalid?: InvalidPayloadHandler } = {},
): SubmitRoute {
  return {
    kind: 'submit',
    verb,
    schema: Payloads[verb],
    handler: handler as SubmitRoute['handler'],
    ...(options.onInvalid ? { onInvalid: options.onInvalid } : {}),
    conversations,
    activityTypes: ['message'],
    signedIdentity: options.signedIdentity ?? true,
  };
}

/** An Action.Execute verb, parsed with its schema in src/cards/payloads.ts; the handler returns the card to answer with. */
export function execute<V extends ExecuteVerb>(
  verb: V,
  conversations: readonly ConversationKind[],
  handler: (context: TurnContext, data: PayloadOf<V>) => Promise<ExecuteAnswer>,
  options: Options = {},
): ExecuteRoute {
  return {
    kind: 'execute',
    verb,
    schema: ExecutePayloads[verb],
    handler: handler as ExecuteRoute['handler'],
    conversations,
    activityTypes: ['invoke'],
    signedIdentity: options.signedIdentity ?? true,
  };
}

/** Laget added to a conversation of these kinds. */
export function installed(conversations: readonly ConversationKind[], handler: Handler, options: Options = {}): InstallRoute {
  return {
    kind: 'install',
    command: `installed in ${conversations.join(' and ')}`,
    handler,
    conversations,
    activityTypes: ['conversationUpdate'],
    signedIdentity: options.signedIdentity ?? true,
  };
}

/** The answer to a file consent card: accepted (Laget uploads the file) or declined. Answered 200 by the router. */
export function fileConsent(
  action: 'accept' | 'decline',
  conversations: readonly ConversationKind[],
  handler: FileConsentRoute['handler'],
  options: Options = {},
): FileConsentRoute {
  return {
    kind: 'file-consent',
    command: `file consent ${action}`,
    action,
    handler,
    conversations,
    activityTypes: ['invoke'],
    signedIdentity: options.signedIdentity ?? true,
  };
}

/** A typeahead search in a card (Data.Query) whose dataset starts with `prefix`. */
export function search(
  prefix: string,
  conversations: readonly ConversationKind[],
  handler: SearchRoute['handler'],
  options: Options = {},
): SearchRoute {
  return {
    kind: 'search',
    command: `search ${prefix}`,
    dataset: prefix,
    handler,
    conversations,
    activityTypes: ['invoke'],
    signedIdentity: options.signedIdentity ?? true,
  };
}

/** What an activity asks for, whatever its type: the type decides later whether it may. */
type Trigger =
  | { kind: 'command'; text: string }
  | { kind: 'file-consent'; action: unknown; response: FileConsentResponse }
  | { kind: 'search'; dataset: unknown }
  | { kind: 'submit'; verb: unknown; value: unknown }
  | { kind: 'execute'; verb: unknown; data: unknown }
  | { kind: 'install' }
  | { kind: 'none' };

function triggerOf(activity: Partial<Activity>): Trigger {
  const value = activity.value as Record<string, unknown> | undefined;
  if (activity.name === 'fileConsent/invoke') {
    const response = (typeof value === 'object' && value !== null ? value : {}) as FileConsentResponse;
    return { kind: 'file-consent', action: ownValue(response, 'action'), response };
  }
  if (activity.name === 'application/search') {
    return { kind: 'search', dataset: typeof value === 'object' && value !== null ? ownValue(value, 'dataset') : undefined };
  }
  if (activity.name === 'adaptiveCard/action') {
    const action = (value?.action ?? {}) as { verb?: unknown; data?: unknown };
    return { kind: 'execute', verb: action.verb, data: action.data ?? {} };
  }
  if (!activity.text && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return { kind: 'submit', verb: ownValue(value, 'verb'), value };
  }
  if (typeof activity.text === 'string' && activity.text.trim() !== '') return { kind: 'command', text: activity.text };
  const botId = activity.recipient?.id;
  const added: unknown = activity.membersAdded;
  if (botId && Array.isArray(added) && added.some((member: { id?: unknown } | null) => member?.id === botId)) return { kind: 'install' };
  return { kind: 'none' };
}

/** A key of a payload the client sent, only if it is the payload's own (never one from its prototype). */
function ownValue(value: object, key: string): unknown {
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * What the table decides for one activity, before anything is read:
 * - `run`: the route runs;
 * - `elsewhere`: the route exists but not in this kind of conversation (answered with where it works);
 * - `unknown`: no route for this text, verb or invoke (a hint, the error card, or a 400);
 * - `ignore`: nothing runs and nothing is answered (an edit, a reaction, someone else joining).
 */
export type Match =
  | { verdict: 'run'; route: Route }
  | { verdict: 'elsewhere'; route: Route }
  | { verdict: 'unknown'; trigger: 'command' | 'submit' | 'invoke' }
  | { verdict: 'ignore' };

export class RouteTable {
  constructor(readonly routes: readonly Route[]) {
    const seen = new Set<string>();
    for (const route of routes) {
      for (const kind of route.conversations) {
        const key = `${route.kind}|${nameOf(route)}|${kind}`;
        if (seen.has(key)) throw new Error(`route table: ${nameOf(route)} is declared twice for ${kind}`);
        seen.add(key);
      }
    }
  }

  /** The decision for an activity: pure, from the declarations alone. */
  match(activity: Partial<Activity>): Match {
    const type = activity.type ?? '';
    const kind = conversationKind(activity);
    const trigger = triggerOf(activity);
    const candidates = this.routes.filter((route) => triggers(route, trigger));
    const typed = candidates.filter((route) => (route.activityTypes as readonly string[]).includes(type));
    const here = typed.find((route) => route.conversations.includes(kind));
    if (here) return { verdict: 'run', route: here };
    if (typed[0]) return { verdict: 'elsewhere', route: typed[0] };
    // Teams waits for an answer to every invoke: one no route takes is refused with a 400.
    if (type === 'invoke') return { verdict: 'unknown', trigger: 'invoke' };
    if (candidates.length > 0) return { verdict: 'ignore' };
    if (type === 'message' && trigger.kind === 'command') return { verdict: 'unknown', trigger: 'command' };
    if (type === 'message' && trigger.kind === 'submit') return { verdict: 'unknown', trigger: 'submit' };
    return { verdict: 'ignore' };
  }

  /**
   * Answers an activity the table did not ignore. Every message and every invoke gets an answer:
   * a handler that answered nothing is followed by a sentence (and logged as a defect).
   */
  async answer(context: TurnContext, match: Exclude<Match, { verdict: 'ignore' }>, log: Logger): Promise<void> {
    switch (match.verdict) {
      case 'run':
        await run(context, match.route);
        break;
      case 'elsewhere':
        await answerElsewhere(context, match.route);
        break;
      case 'unknown':
        await answerUnknown(context, match.trigger);
        break;
    }
    await neverSilent(context, match, log);
  }
}

export function nameOf(route: Route): string {
  return route.kind === 'submit' || route.kind === 'execute' ? route.verb : route.command;
}

function triggers(route: Route, trigger: Trigger): boolean {
  switch (route.kind) {
    case 'command':
      return trigger.kind === 'command' && route.matches(trigger.text);
    case 'submit':
      return trigger.kind === 'submit' && trigger.verb === route.verb;
    case 'execute':
      return trigger.kind === 'execute' && trigger.verb === route.verb;
    case 'install':
      return trigger.kind === 'install';
    case 'file-consent':
      return trigger.kind === 'file-consent' && trigger.action === route.action;
    case 'search':
      return trigger.kind === 'search' && typeof trigger.dataset === 'string' && trigger.dataset.startsWith(route.dataset);
  }
}

async function run(context: TurnContext, route: Route): Promise<void> {
  switch (route.kind) {
    case 'command':
    case 'install':
      await route.handler(context);
      return;
    case 'submit': {
      const parsed = parsePayload(route.schema, context.activity.value);
      if (parsed.ok) await route.handler(context, parsed.data);
      else if (route.onInvalid) await route.onInvalid(context, context.activity.value, parsed, route.verb);
      else await sendCard(context, invalidPayloadCard(context, parsed));
      return;
    }
    case 'file-consent': {
      const value: unknown = context.activity.value;
      await route.handler(context, typeof value === 'object' && value !== null ? value : {});
      if (!context.turnState.get(INVOKE_RESPONSE_KEY)) await context.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
      return;
    }
    case 'search': {
      const parsed = SearchQuerySchema.safeParse(context.activity.value);
      const results = parsed.success
        ? await route.handler(context, {
            queryText: parsed.data.queryText,
            dataset: parsed.data.dataset,
            skip: parsed.data.queryOptions?.skip ?? 0,
            top: parsed.data.queryOptions?.top ?? 15,
          })
        : [];
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: { type: 'application/vnd.microsoft.search.searchResponse', value: { results } } },
      });
      return;
    }
    case 'execute': {
      const data = (context.activity.value as { action?: { data?: unknown } } | undefined)?.action?.data ?? {};
      const parsed = parsePayload(route.schema, data);
      const answer = parsed.ok ? await route.handler(context, parsed.data) : invalidPayloadCard(context, parsed);
      if (answer.type === 'message') await answerInvokeWithMessage(context, answer.text);
      else await answerInvokeWithCard(context, answer);
      return;
    }
  }
}

/** A route that exists, asked for in the wrong kind of conversation: where it works instead. Nothing is read. */
async function answerElsewhere(context: TurnContext, route: Route): Promise<void> {
  const t = catalogue(localeOf(context));
  const kind = conversationKind(context.activity);
  const sentence = route.conversations.includes('personal')
    ? kind === 'channel'
      ? t.team.channelHint
      : t.routes.personalOnly
    : route.conversations.includes('channel')
      ? t.routes.channelOnly
      : t.routes.notHere;
  if (context.activity.type === 'invoke') await answerInvokeWithCard(context, refusalCard(localeOf(context), sentence, { hint: '' }));
  else await context.sendActivity(sentence);
}

async function answerUnknown(context: TurnContext, trigger: 'command' | 'submit' | 'invoke'): Promise<void> {
  const t = catalogue(localeOf(context));
  if (trigger === 'invoke') {
    await context.sendActivity({
      type: 'invokeResponse',
      value: { status: 400, body: { code: 'BadRequest', message: `Laget does not handle invoke '${context.activity.name ?? ''}'` } },
    });
  } else if (trigger === 'submit') {
    // An old card, or a forged payload: the verb is not one Laget knows.
    await sendCard(context, errorCard(localeOf(context), 'invalid-payload', ['verb']));
  } else {
    await context.sendActivity(conversationKind(context.activity) === 'channel' ? t.team.channelHint : t.hint.unknown);
  }
}

/** Every message and invoke gets an answer; a handler that gave none is a defect, logged, and the person is told. */
async function neverSilent(context: TurnContext, match: Exclude<Match, { verdict: 'ignore' }>, log: Logger): Promise<void> {
  const type = context.activity.type;
  const route = match.verdict === 'unknown' ? undefined : nameOf(match.route);
  if (type === 'invoke' && !context.turnState.get(INVOKE_RESPONSE_KEY)) {
    log.warn({ route }, 'an invoke got no answer from its route; answered with a card');
    await answerInvokeWithCard(context, refusalCard(localeOf(context), catalogue(localeOf(context)).routes.nothingDone));
  } else if (type === 'message' && !context.responded) {
    log.warn({ route }, 'a message got no answer from its route; answered with a sentence');
    await context.sendActivity(catalogue(localeOf(context)).routes.nothingDone);
  }
}
