import type { TurnContext } from 'botbuilder';
import { whereYouAreText } from '../cards/case';
import { teamIntroCard, welcomeCard, type FlowButton, type ResumeHint } from '../cards/common';
import { showView } from '../cards/payloads';
import { authorizeReport } from '../domain/report/access';
import { uroPosition } from '../domain/uro-progress';
import { format } from '../i18n';
import { personalAddressOf } from './addresses';
import { loadDirectoryEntry, unitsLedIn, type DirectoryNeeds } from './directory-entry';
import { personOf, turnOf, type Needs } from './services';
import { catalogue } from '../i18n';
import { conversationKind } from './actor';
import { clientLocaleOf, localeOf, sendCard } from './replies';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type WelcomeNeeds = Needs<'cases' | 'notices' | 'now' | 'people'> & DirectoryNeeds;

/** The flows a person can start from the welcome card; leaders also get their own lists. */
async function flowButtons(context: TurnContext, services: WelcomeNeeds): Promise<FlowButton[]> {
  const t = catalogue(localeOf(context));
  // Read here too: the install event (a greeting) is not a message, so the turn has not read it.
  const entry = await loadDirectoryEntry(context, services);
  const leads = unitsLedIn(entry).length > 0;
  const reports = authorizeReport(entry).kind === 'allowed';
  return [
    { verb: 'uro.new' as const, title: t.welcome.newCase },
    { verb: 'cases.mine' as const, title: t.welcome.myCases },
    ...(leads
      ? [
          { verb: 'leader.approvals' as const, title: t.leader.approvalsTitle },
          { verb: 'leader.units' as const, title: t.leader.unitsTitle },
        ]
      : []),
    ...(reports ? [{ verb: 'report.show' as const, title: t.report.command }] : []),
  ];
}

/** The welcome card, with "where you are" when the person has a case in progress. */
async function sendWelcome(context: TurnContext, services: WelcomeNeeds): Promise<void> {
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
  await sendCard(context, welcomeCard(locale, await flowButtons(context, services), resume));
}

/** Help where the person is: the welcome card in the 1:1 chat; where others read along, no case and no flow. */
async function sendHelp(context: TurnContext, services: WelcomeNeeds): Promise<void> {
  const kind = conversationKind(context.activity);
  if (kind === 'personal') await sendWelcome(context, services);
  else if (kind === 'channel') await context.sendActivity(catalogue(localeOf(context)).teams.help);
  else await sendCard(context, teamIntroCard(localeOf(context), 'group-chat'));
}

/**
 * First contact: a welcome card when Laget is installed in the personal chat (once), an
 * introduction in a group chat, and help wherever someone asks for it. Unknown text and unknown
 * card verbs are answered by the route table (src/bot/router.ts).
 */
export class Welcome {
  constructor(private readonly services: WelcomeNeeds) {}

  /** Installed in the personal chat: remember the chat for later reminders; greet only the first time (clients may resend the install). */
  async installedInPersonalChat(context: TurnContext): Promise<void> {
    const services = this.services;
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
  }

  async installedInGroupChat(context: TurnContext): Promise<void> {
    await sendCard(context, teamIntroCard(localeOf(context), 'group-chat'));
  }

  async help(context: TurnContext): Promise<void> {
    await sendHelp(context, this.services);
  }
}
