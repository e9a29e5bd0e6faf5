import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { whereYouAreText } from '../cards/case';
import { errorCard, teamIntroCard, welcomeCard, type FlowButton, type ResumeHint } from '../cards/common';
import { Payloads, showView } from '../cards/payloads';
import { unitsLedBy } from '../domain/municipality';
import { authorizeReport } from '../domain/report/access';
import { uroPosition } from '../domain/uro-progress';
import { format } from '../i18n';
import { personalAddressOf } from './addresses';
import { personOf, turnOf, type Services } from './services';
import { catalogue } from '../i18n';
import { conversationKind } from './actor';
import { commandOf } from './commands';
import { clientLocaleOf, localeOf, sendCard } from './replies';
import { isCardSubmit, onSubmit } from './submit';

/** The flows a person can start from the welcome card; leaders also get their own lists. */
function flowButtons(context: TurnContext, services: Services): FlowButton[] {
  const t = catalogue(localeOf(context));
  const leads = unitsLedBy(services.municipality, personOf(context).id).length > 0;
  const reports = authorizeReport(services.municipality, personOf(context).id).kind === 'allowed';
  return [
    { verb: 'uro.new', title: t.welcome.newCase },
    { verb: 'cases.mine', title: t.welcome.myCases },
    ...(leads
      ? [
          { verb: 'leader.approvals', title: t.leader.approvalsTitle },
          { verb: 'leader.units', title: t.leader.unitsTitle },
        ]
      : []),
    ...(reports ? [{ verb: 'report.show', title: t.report.command }] : []),
  ];
}

/** The welcome card, with "where you are" when the person has a case in progress. */
export async function sendWelcome(context: TurnContext, services: Services): Promise<void> {
  const locale = localeOf(context);
  const t = catalogue(locale);
  let resume: ResumeHint | undefined;
  const person = await services.people.read(personOf(context).id);
  const active = person?.doc.activeCase;
  if (active) {
    const opened = await services.cases.open(turnOf(context, services), active);
    if (opened.kind === 'opened' && opened.basis === 'owner' && opened.case.status !== 'closed') {
      const position = uroPosition(opened.case, services.cases.ladderOf(opened.case));
      resume = {
        text: whereYouAreText(locale, services.cases.ladderOf(opened.case), opened.case, position),
        button: format(t.resume.continue, { code: opened.case.id }),
        data: showView(opened.case, 'next'),
      };
    }
  }
  await sendCard(context, welcomeCard(locale, flowButtons(context, services), resume));
}

/** Help where the person is: the welcome card in the 1:1 chat; where others read along, no case and no flow. */
async function sendHelp(context: TurnContext, services: Services): Promise<void> {
  const kind = conversationKind(context.activity);
  if (kind === 'personal') await sendWelcome(context, services);
  else if (kind === 'channel') await context.sendActivity(catalogue(localeOf(context)).teams.help);
  else await sendCard(context, teamIntroCard(localeOf(context), 'group-chat'));
}

/**
 * First contact and the fallbacks: a welcome card in personal chat when Laget is installed or
 * someone asks for help, an introduction in a team channel, and a hint for anything unknown.
 */
export function registerWelcome(app: Application<TurnState>, services: Services): void {
  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    const botWasAdded = (context.activity.membersAdded ?? []).some((member) => member.id === botId);
    if (!botWasAdded) return;
    if (conversationKind(context.activity) === 'personal') {
      // Remember the chat for later reminders; greet only the first time (clients may resend the install).
      const me = personOf(context);
      const before = await services.people.read(me.id);
      const locale = clientLocaleOf(context);
      const updated = await services.people.update(me.id, me.name, services.now(), (p) => ({
        ...p,
        personalChat: personalAddressOf(context),
        // The client's language, for reminders and notices later (none locally: the Playground's is ignored).
        ...(locale !== undefined ? { locale } : {}),
        // The Teams id (29:…) too, so a leader who has only opened Laget is in approval cards' refresh list.
        mri: context.activity.from?.id ?? p.mri,
        welcomedAt: p.welcomedAt ?? services.now().toISOString(),
      }));
      await services.notices.release(updated, services.now());
      if (!before?.doc.welcomedAt) await sendWelcome(context, services);
    } else if (conversationKind(context.activity) === 'groupChat') {
      await sendCard(context, teamIntroCard(localeOf(context), 'group-chat'));
    } else {
      await sendCard(context, teamIntroCard(localeOf(context)));
    }
  });

  app.message(
    async (context) => commandOf(context.activity.text) === 'help',
    async (context) => {
      await sendHelp(context, services);
    },
  );

  onSubmit(app, 'welcome.show', Payloads['welcome.show'], async (context) => {
    await sendHelp(context, services);
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
