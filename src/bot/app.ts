import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { Application, TurnState, type TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../log';
import { StoreUnavailable } from '../store/documents';
import { AddressBook } from './addresses';
import { registerApprovals } from './approvals';
import { registerLadderFlow } from './ladder-flow';
import { registerDevClock } from './dev-clock';
import { registerMyCases } from './my-cases';
import { registerReport } from './report';
import { refuseOutsidePersonalChat } from './personal-only';
import { BotConversationPort } from './proactive';
import { registerTeams } from './teams';
import type { Services } from './services';
import { registerUroFlow } from './uro-flow';
import { errorCard, refusalCard } from '../cards/common';
import { catalogue } from '../i18n';
import { actorOf, lacksSignedIdentity, tenantOf } from './actor';
import { createAdapter } from './adapter';
import { localeOf, sendCard } from './replies';
import { registerWelcome } from './welcome';

export type BotDeps = {
  config: Config;
  log: Logger;
  services: Services;
  /** Moved by the local-only "klokke" command. */
  clock?: Clock;
};

export type Bot = {
  adapter: TeamsAdapter;
  app: Application<TurnState>;
  /** The turn logic the HTTP layer hands to adapter.process. */
  handleTurn(context: TurnContext): Promise<void>;
};

/**
 * The teams-ai Application and everything registered on it. This folder (with src/http) is the
 * only place that knows botbuilder and teams-ai: a move to the Microsoft 365 Agents SDK stays here.
 */
export function createBot(deps: BotDeps): Bot {
  const adapter = createAdapter(deps.config.bot);
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.bot.kind === 'authenticated' ? deps.config.bot.appId : '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  // Order matters: teams-ai takes the first route that matches; the welcome module's catch-all is last.
  if (deps.config.environment === 'local' && deps.clock) registerDevClock(app, deps.services, deps.clock);
  registerTeams(
    app,
    deps.services,
    new BotConversationPort(adapter, deps.config.bot.kind === 'authenticated' ? deps.config.bot.appId : ''),
  );
  registerUroFlow(app, deps.services);
  registerLadderFlow(app, deps.services);
  registerApprovals(app, deps.services);
  registerMyCases(app, deps.services);
  registerReport(app, deps.services);
  registerWelcome(app, deps.services);

  const addresses = new AddressBook(deps.services);
  const allowed = new Set(deps.config.allowedTenantIds);

  async function handleTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const log = deps.log.child({ activityId: activity.id, type: activity.type, name: activity.name });
    // Refuse foreign tenants before any state is read.
    if (allowed.size > 0) {
      const tenant = tenantOf(activity);
      if (!tenant || !allowed.has(tenant)) {
        log.warn({ tenant }, 'activity from a tenant that is not allowed; refused');
        if (activity.type === ActivityTypes.Invoke) {
          await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
        }
        return;
      }
    }
    // Outside local runs, no signed identity, no turn: nothing is read or changed (src/bot/actor.ts).
    if (lacksSignedIdentity(activity, deps.config.environment)) {
      log.warn('message or invoke without from.aadObjectId; refused');
      await refuseWithoutIdentity(context);
      return;
    }
    try {
      if (activity.type === ActivityTypes.Message || activity.type === ActivityTypes.Invoke) await addresses.remember(context);
      if (await refuseOutsidePersonalChat(context)) return;
      const handled = await app.run(context);
      if (!handled && activity.type === ActivityTypes.Invoke) await answerUnhandledInvoke(context);
    } catch (error) {
      log.error({ err: error, user: actorOf(activity).userId }, 'turn failed');
      await answerFailure(context, error, log);
    }
  }

  return { adapter, app, handleTurn };
}

/** A 400 for an invoke; a Norwegian (or English) card for a message. */
async function refuseWithoutIdentity(context: TurnContext): Promise<void> {
  const locale = localeOf(context);
  const sentence = catalogue(locale).errors.identityMissing;
  if (context.activity.type === ActivityTypes.Invoke) {
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 400, body: { code: 'BadRequest', message: sentence } },
    });
    return;
  }
  await sendCard(context, refusalCard(locale, sentence));
}

/** Invokes Laget does not handle get a clear 400 rather than the adapter's 501. */
async function answerUnhandledInvoke(context: TurnContext): Promise<void> {
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 400, body: { code: 'BadRequest', message: `Laget does not handle invoke '${context.activity.name ?? ''}'` } },
  });
}

async function answerFailure(context: TurnContext, error: unknown, log: Logger): Promise<void> {
  const card = errorCard(localeOf(context), error instanceof StoreUnavailable ? 'store-unavailable' : 'unexpected');
  try {
    if (context.activity.type === ActivityTypes.Invoke) {
      if (!context.turnState.get(INVOKE_RESPONSE_KEY)) {
        await context.sendActivity({
          type: ActivityTypes.InvokeResponse,
          value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
        });
      }
    } else if (context.activity.type === ActivityTypes.Message) {
      await sendCard(context, card);
    }
  } catch (replyError) {
    log.error({ err: replyError }, 'could not tell the user about the failure');
  }
}
