import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../log';
import { StoreUnavailable } from '../workflow/records';
import { AddressBook } from './addresses';
import { BotConversationPort } from './proactive';
import { turnOf, writesOf, type Services } from './services';
import { errorCard, refusalCard } from '../cards/common';
import { catalogue, format } from '../i18n';
import type { CaseWrite } from '../workflow/case-service';
import { CaseViews, type CaseViewsNeeds } from './case-views';
import { actorOf, lacksSignedIdentity, tenantFieldsOf, tenantOf } from './actor';
import { createAdapter, type LagetAdapter } from './adapter';
import { loadDirectoryEntry } from './directory-entry';
import { localeOf, sendCard } from './replies';
import type { RouteTable } from './router';
import { lagetRoutes } from './routes';

export type BotDeps = {
  config: Config;
  log: Logger;
  services: Services;
  /** Moved by the local-only "klokke" command. */
  clock?: Clock;
  /** The adapter, when the wiring made it first (the team rosters and direct answers use it too). */
  adapter?: LagetAdapter;
};

export type Bot = {
  adapter: TeamsAdapter;
  /** Every command and card verb, with where it may run (src/bot/routes.ts). */
  routes: RouteTable;
  /** The turn logic the HTTP layer hands to adapter.process. */
  handleTurn: (context: TurnContext) => Promise<void>;
};

/**
 * The bot: the Bot Framework adapter and the route table. This folder (with src/http) is the only
 * place that knows botbuilder and teams-ai: a move to the Microsoft 365 Agents SDK stays here.
 */
export function createBot(deps: BotDeps): Bot {
  const adapter = deps.adapter ?? createAdapter(deps.config.bot);
  const botAppId = deps.config.bot.kind === 'authenticated' ? deps.config.bot.appId : '';
  const routes = lagetRoutes(deps.services, {
    direct: new BotConversationPort(adapter, botAppId),
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  const addresses = new AddressBook(deps.services);
  const allowed = new Set(deps.config.allowedTenantIds);

  async function handleTurn(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const log = deps.log.child({ activityId: activity.id, type: activity.type, name: activity.name });
    // An activity whose two tenant fields disagree is not what Teams sends: refused before anything is read.
    const tenants = tenantFieldsOf(activity);
    if (tenants.conversation && tenants.channelData && tenants.conversation !== tenants.channelData) {
      log.warn(tenants, 'activity whose tenant fields disagree; refused');
      if (activity.type === ActivityTypes.Invoke) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 403 } });
      }
      return;
    }
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
    // What the route table decides, before anything is read: an edit, a reaction or anything else
    // that triggers no route is not answered at all.
    const match = routes.match(activity);
    if (match.verdict === 'ignore') return;
    // Outside local runs, no signed identity, no turn: nothing is read or changed (src/bot/actor.ts).
    const needsIdentity = match.verdict === 'unknown' || match.route.signedIdentity;
    if (needsIdentity && lacksSignedIdentity(activity, deps.config.environment)) {
      log.warn('message or invoke without from.aadObjectId; refused');
      await refuseWithoutIdentity(context);
      return;
    }
    // A sentence Laget sends is plain text: a name or an alias people typed in it is shown as typed,
    // never read as markdown (a link, emphasis). Cards escape their own text (src/cards/render.ts).
    context.onSendActivities(async (_context, activities, next) => {
      for (const sent of activities)
        if (sent.type === ActivityTypes.Message && typeof sent.text === 'string' && !sent.textFormat) sent.textFormat = 'plain';
      return next();
    });
    try {
      if (activity.type === ActivityTypes.Message || activity.type === ActivityTypes.Invoke) {
        // Where the person works and who leads them: one point read, only for a route that runs.
        const entry = match.verdict === 'run' ? loadDirectoryEntry(context, deps.services) : undefined;
        await Promise.all([addresses.remember(context), entry]);
      }
      await routes.answer(context, match, log);
    } catch (error) {
      log.error({ err: error, user: actorOf(activity).userId }, 'turn failed');
      await answerFailure(context, error, log, deps.services);
    }
  }

  return { adapter, routes, handleTurn };
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
  if (context.activity.type === ActivityTypes.Message) await sendCard(context, refusalCard(locale, sentence));
}

/**
 * An answer to a turn that failed, saying only what is known: a change saved in this turn is said
 * to be saved (with the case as it is now, read again); a write whose answer never came is said to
 * have an unknown outcome, with how to check; only when nothing was written, "nothing is changed".
 */
async function answerFailure(context: TurnContext, error: unknown, log: Logger, services: CaseViewsNeeds): Promise<void> {
  const locale = localeOf(context);
  try {
    const written = writesOf(context);
    if (context.activity.type === ActivityTypes.Message && written.length > 0) {
      await answerAfterWrite(context, written, services);
      return;
    }
    const last = written.at(-1);
    const t = catalogue(locale);
    const card = last
      ? refusalCard(locale, format(last.outcome === 'begun' ? t.errors.outcomeUnknown : t.errors.savedNotShown, { code: last.caseId }), {
          hint: '',
        })
      : errorCard(locale, error instanceof StoreUnavailable ? 'store-unavailable' : 'unexpected');
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

async function answerAfterWrite(context: TurnContext, written: readonly CaseWrite[], services: CaseViewsNeeds): Promise<void> {
  const t = catalogue(localeOf(context));
  const last = written.at(-1)!;
  if (last.outcome === 'begun') {
    await context.sendActivity(format(t.errors.outcomeUnknown, { code: last.caseId }));
    return;
  }
  const views = new CaseViews(services);
  const opened = await services.cases.open(turnOf(context, services), { caseId: last.caseId, unitId: last.unitId }).catch(() => undefined);
  if (opened?.kind !== 'opened' || opened.basis !== 'owner') {
    await context.sendActivity(format(t.errors.savedNotShown, { code: last.caseId }));
    return;
  }
  await context.sendActivity(format(t.errors.savedThenFailed, { code: last.caseId }));
  await sendCard(context, await views.cardFor(views.cardContext(context, opened.case, opened.etag), 'next'));
}
