import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { refusalCard, teamIntroCard } from '../cards/common';
import { Payloads, type PayloadOf } from '../cards/payloads';
import {
  meetingText,
  measuresCard,
  minutesFormCard,
  setupSavedCard,
  teamPost,
  teamSetupCard,
  topicCard,
  type ProposedMeasure,
} from '../cards/teams';
import { findMeeting, MeetingSeriesSchema, type Meeting, type MeetingSeriesInput } from '../domain/meeting-series';
import type { AdaptiveCardJson } from '../cards/guards';
import type { OutboundActivity } from '../scheduler/conversation-port';
import { findNationalId } from '../domain/national-id';
import type { PersonRef } from '../domain/primitives';
import { catalogue, format, refusalText } from '../i18n';
import type { ChannelAddress, PersonalAddress } from '../store/conversation-address';
import { teamKeyOf, type AgendaItem, type Team } from '../store/teams';
import type { ConversationPort } from '../scheduler/conversation-port';
import { conversationKind, tenantOf } from './actor';
import { localeOf, sendCard } from './replies';
import { CaseViews, toRef } from './case-views';
import { normaliseText } from './commands';
import { personOf, todayIn, turnOf, type Services } from './services';
import { onSubmit } from './submit';

/**
 * The interdisciplinary team in its Teams channel: registered when Laget is installed in the
 * team, set up from a card ("@Laget sett opp team"), topics brought from the channel, cases
 * brought from the owner's own chat, minutes written in the lead's or owner's own chat. What
 * the channel sees is decided in the composers (src/workflow/team-composers.ts): codes only.
 */
export function registerTeams(app: Application<TurnState>, services: Services, direct: ConversationPort): void {
  const teams = new TeamsFlow(services, direct);
  const inChannel = (context: BotTurnContext) => conversationKind(context.activity) === 'channel';
  const says = (words: readonly string[]) => async (context: BotTurnContext) => inChannel(context) && words.includes(normaliseText(context.activity.text));

  app.activity(
    async (context) =>
      context.activity.type === 'conversationUpdate' &&
      inChannel(context) &&
      (context.activity.membersAdded ?? []).some((member) => member.id === context.activity.recipient?.id),
    (context) => teams.installed(context),
  );
  app.message(says(['sett opp team', 'sett opp teamet', 'set up team', 'oppsett', 'setup']), (context) => teams.setupForm(context));
  app.message(says(['tema', 'nytt tema', 'topic', 'meld inn tema']), (context) => teams.topicForm(context));
  app.message(says(['hjelp', 'help', 'hei', 'hi']), async (context) => {
    await context.sendActivity(catalogue(localeOf(context)).teams.help);
  });
  onSubmit(app, 'team.setup-form', Payloads['team.setup-form'], (context) => teams.setupForm(context));
  onSubmit(app, 'team.setup', Payloads['team.setup'], (context, data) => teams.setup(context, data));
  onSubmit(app, 'team.topic-form', Payloads['team.topic-form'], (context) => teams.topicForm(context));
  onSubmit(app, 'team.topic', Payloads['team.topic'], (context, data) => teams.topic(context, data));
  onSubmit(app, 'team.minutes-form', Payloads['team.minutes-form'], (context, data) => teams.minutesForm(context, data));
  onSubmit(app, 'team.minutes', Payloads['team.minutes'], (context, data) => teams.minutes(context, data));
  onSubmit(app, 'team.bring', Payloads['team.bring'], (context, data) => teams.bring(context, data));
  onSubmit(app, 'team.add-measures', Payloads['team.add-measures'], (context, data) => teams.addMeasures(context, data));
}

class TeamsFlow {
  private readonly views: CaseViews;

  constructor(
    private readonly services: Services,
    private readonly direct: ConversationPort,
  ) {
    this.views = new CaseViews(services);
  }

  /** Installed in a team: remember the channel, introduce Laget, offer the set-up. */
  async installed(context: BotTurnContext): Promise<void> {
    const team = await this.register(context);
    const t = catalogue(localeOf(context));
    await sendCard(context, teamIntroCard(localeOf(context)));
    await sendCard(context, teamPost({ title: team.name, paragraphs: [t.teams.setupIntro], buttons: [{ title: t.teams.setupTitle, data: { verb: 'team.setup-form', teamId: team.teamId } }] }));
  }

  async setupForm(context: BotTurnContext): Promise<void> {
    const team = await this.register(context);
    await sendCard(
      context,
      teamSetupCard({ locale: localeOf(context), team, municipality: this.services.municipality, me: personOf(context), today: todayIn(this.services) }),
    );
  }

  async setup(context: BotTurnContext, data: PayloadOf<'team.setup'>): Promise<void> {
    const locale = localeOf(context);
    const team = await this.register(context);
    const schedule: MeetingSeriesInput['schedule'] =
      data.scheduleKind === 'dates'
        ? { kind: 'dates', meetings: (data.dates ?? []).map((date) => ({ date, start: data.start, end: data.end })) }
        : {
            kind: 'cadence',
            everyWeeks: data.everyWeeks ?? 6,
            weekday: data.weekday ?? 'tuesday',
            start: data.start,
            end: data.end,
            from: data.from ?? todayIn(this.services),
            until: data.until ?? todayIn(this.services),
          };
    const parsed = MeetingSeriesSchema.safeParse({
      id: 'series',
      name: data.name,
      timeZone: this.services.config.timeZone,
      schedule,
      rhythm: {
        callForCases: { daysBefore: data.callDays ?? 7 },
        agenda: { daysBefore: data.agendaDays ?? 1 },
        avoidWeekends: true,
      },
    });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.at(-1)).join(', ');
      await sendCard(context, refusalCard(locale, `${catalogue(locale).teams.scheduleLabel}: ${fields}`));
      return;
    }
    const lead = this.lead(context, data.leadId);
    const saved = await this.services.teams.update(team.teamId, this.services.now(), (current) => ({
      ...current,
      name: data.name,
      kind: data.kind,
      unitId: data.unitId === 'none' ? null : data.unitId,
      active: true,
      lead,
      roles: data.roles ?? current.roles,
      series: parsed.data,
    }));
    this.services.log.info({ teamId: saved.teamId }, 'team set up');
    await sendCard(context, setupSavedCard(locale, saved, this.services.now()));
  }

  async topicForm(context: BotTurnContext): Promise<void> {
    const team = await this.register(context);
    if (!team.series) {
      await context.sendActivity(catalogue(localeOf(context)).teams.notATeam);
      return;
    }
    await sendCard(context, topicCard(localeOf(context), team, this.services.now()));
  }

  /** A general topic for a meeting, from the channel; refused if it carries an identity number. */
  async topic(context: BotTurnContext, data: PayloadOf<'team.topic'>): Promise<void> {
    const locale = localeOf(context);
    if (findNationalId({ topic: data.topic }) !== null) {
      await sendCard(context, refusalCard(locale, refusalText(locale, 'national-id-not-allowed', { field: 'topic' })));
      return;
    }
    const found = await this.teamMeeting(data.teamId, data.meetingId);
    if (!found) {
      await context.sendActivity(catalogue(locale).teams.notATeam);
      return;
    }
    const { team, meeting } = found;
    const now = this.services.now();
    const item: AgendaItem = {
      id: `topic-${now.getTime()}`,
      meetingId: meeting.id,
      kind: 'topic',
      caseId: null,
      unitId: null,
      mode: null,
      question: data.topic,
      owner: personOf(context),
      addedAt: now.toISOString(),
      minutesRecordedAt: null,
    };
    await this.services.teams.update(team.teamId, now, (current) => ({ ...current, items: [...current.items, item] }));
    await context.sendActivity(format(catalogue(locale).teams.topicSaved, { meeting: meetingText(locale, meeting) }));
  }

  /** From the owner's own chat: the case goes to the team's agenda as a code and a neutral question. */
  async bring(context: BotTurnContext, data: PayloadOf<'team.bring'>): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const [teamId, meetingId] = data.meeting.split('|') as [string, string];
    const found = await this.teamMeeting(teamId, meetingId);
    if (!found || !found.team.active) {
      await sendCard(context, refusalCard(locale, t.teams.noTeams));
      return;
    }
    const outcome = await this.services.cases.execute(
      turnOf(context, this.services),
      toRef(data),
      { type: 'bring-to-team', teamId, mode: data.mode, question: data.question, meetingOn: found.meeting.date },
      { expectedEtag: data.rev },
    );
    if (outcome.kind === 'refused') {
      // Name the team, not its key, when consent does not cover it.
      const detail = outcome.detail?.missingTeams ? { ...outcome.detail, missingTeams: [found.team.name] } : outcome.detail;
      await this.views.refused(context, { ...outcome, detail });
      return;
    }
    const now = this.services.now();
    const { team, meeting } = found;
    const item: AgendaItem = {
      id: `${outcome.case.id}-${meeting.id}`,
      meetingId: meeting.id,
      kind: 'case',
      caseId: outcome.case.id,
      unitId: outcome.case.unitId,
      mode: data.mode,
      question: data.question,
      owner: personOf(context),
      addedAt: now.toISOString(),
      minutesRecordedAt: null,
    };
    await this.services.teams.update(teamId, now, (current) => ({
      ...current,
      items: [...current.items.filter((existing) => existing.id !== item.id), item],
    }));
    await context.sendActivity(
      format(t.teams.brought, { code: outcome.case.id, team: team.name, meeting: meetingText(locale, meeting), mode: t.teams.modeShort[data.mode] }),
    );
  }

  /** "Skriv referat" pressed in the channel: the form goes to the person's own chat, never the channel. */
  async minutesForm(context: BotTurnContext, data: PayloadOf<'team.minutes-form'>): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const me = personOf(context);
    const found = await this.teamMeeting(data.teamId, data.meetingId);
    if (!found) return;
    const items = this.itemsFor(found.team, found.meeting.id, me);
    const person = await this.services.people.read(me.id);
    if (items.length === 0 || !person?.doc.personalChat) {
      await context.sendActivity(items.length === 0 ? t.teams.notLeadOrOwner : t.teams.needPersonalChat);
      return;
    }
    await this.sendPersonally(person.doc.personalChat, minutesFormCard(locale, found.team, found.meeting, items));
    await context.sendActivity(t.teams.minutesFormSent);
  }

  /** Minutes saved: each case's notes and measures go to its owner's chat; the team keeps only that they exist. */
  async minutes(context: BotTurnContext, data: PayloadOf<'team.minutes'>): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const me = personOf(context);
    const found = await this.teamMeeting(data.teamId, data.meetingId);
    if (!found) return;
    const { team, meeting } = found;
    const mine = this.itemsFor(team, meeting.id, me);
    const ids = data.items.split(',');
    const field = (n: number, name: string) => {
      const value = (data as Record<string, unknown>)[`item${n}${name}`];
      return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
    };
    const forwarded: string[] = [];
    const now = this.services.now();
    for (const [index, id] of ids.entries()) {
      const item = mine.find((candidate) => candidate.id === id);
      if (!item || item.kind !== 'case' || !item.caseId || !item.unitId) continue;
      const n = index + 1;
      const measure = field(n, 'Measure');
      const due = field(n, 'Due');
      const measures: ProposedMeasure[] = measure && due ? [{ what: measure, who: field(n, 'Who') ?? '–', dueOn: due }] : [];
      const notes = { known: field(n, 'Known'), options: field(n, 'Options'), nextOn: field(n, 'Next') };
      const opened = await this.services.cases.open({ ...turnOf(context, this.services), correlationId: `${context.activity.id}:${item.id}` }, { caseId: item.caseId, unitId: item.unitId });
      if (opened.kind === 'refused' && item.owner.id !== me.id) continue;
      const ownerId = opened.kind === 'opened' ? opened.case.owner.id : item.owner.id;
      const owner = await this.services.people.read(ownerId);
      if (!owner?.doc.personalChat) continue;
      const card = measuresCard(owner.doc.locale ?? 'nb', { id: item.caseId, unitId: item.unitId }, meetingText(owner.doc.locale ?? 'nb', meeting), notes, measures);
      await this.sendPersonally(owner.doc.personalChat, card);
      forwarded.push(item.caseId);
    }
    await this.services.teams.update(team.teamId, now, (current) => ({
      ...current,
      items: current.items.map((item) => (mine.some((m) => m.id === item.id) ? { ...item, minutesRecordedAt: now.toISOString() } : item)),
    }));
    await context.sendActivity(format(t.teams.minutesSaved, { forwarded: forwarded.length > 0 ? format(t.teams.minutesForwarded, { codes: forwarded.join(', ') }) : t.teams.minutesNone }));
  }

  /** The owner agrees: the team's measures become actions on the case (the owner's own command). */
  async addMeasures(context: BotTurnContext, data: PayloadOf<'team.add-measures'>): Promise<void> {
    const outcome = await this.services.cases.execute(
      turnOf(context, this.services),
      toRef(data),
      data.measures.map((m) => ({ type: 'add-action' as const, action: { what: `${m.what} (${m.who})`, who: { kind: 'other' as const, label: m.who }, dueOn: m.dueOn } })),
    );
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    await this.views.showDone(context, outcome, { style: 'good', text: format(catalogue(localeOf(context)).teams.measuresAdded, { code: outcome.case.id }) });
  }

  /** The team and one of its meetings, if both still exist. */
  private async teamMeeting(teamId: string, meetingId: string): Promise<{ team: Team; meeting: Meeting } | undefined> {
    const team = (await this.services.teams.read(teamId))?.doc;
    const meeting = team?.series ? findMeeting(team.series, meetingId) : undefined;
    return team && meeting ? { team, meeting } : undefined;
  }

  /** A card for a person's own chat, sent at once (the answer to something they pressed in the channel). */
  private async sendPersonally(address: PersonalAddress, card: AdaptiveCardJson): Promise<void> {
    const activity: OutboundActivity = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
    await this.direct.post(address, activity, AbortSignal.timeout(10_000));
  }

  /** The lead writes minutes for every item; anyone else for the items they brought. */
  private itemsFor(team: Team, meetingId: string, me: PersonRef): AgendaItem[] {
    const items = team.items.filter((item) => item.meetingId === meetingId);
    return team.lead?.id === me.id ? items : items.filter((item) => item.owner.id === me.id);
  }

  private lead(context: BotTurnContext, leadId: string | undefined): PersonRef {
    const me = personOf(context);
    if (!leadId || leadId === me.id) return me;
    const leader = this.services.municipality.units.flatMap((unit) => unit.leaders).find((l) => l.id === leadId);
    return leader ?? me;
  }

  /** The team this channel activity belongs to, created (inactive) on first sight. */
  private async register(context: BotTurnContext): Promise<Team> {
    const activity = context.activity;
    const channelData = (activity.channelData ?? {}) as { team?: { id?: string; name?: string }; channel?: { id?: string }; teamsChannelId?: string };
    const teamsTeamId = channelData.team?.id ?? activity.conversation.id.split(';')[0]!;
    const channelId = channelData.channel?.id ?? channelData.teamsChannelId ?? activity.conversation.id.split(';')[0]!;
    const channel: ChannelAddress = {
      kind: 'channel',
      serviceUrl: activity.serviceUrl,
      conversationId: channelId,
      channelId,
      teamId: teamsTeamId,
      tenantId: tenantOf(activity),
      botId: activity.recipient?.id,
      newThread: true,
    };
    const now = this.services.now().toISOString();
    const teamId = teamKeyOf(teamsTeamId);
    const team = await this.services.teams.ensure({
      schemaVersion: 1,
      id: 'team',
      teamId,
      teamsTeamId,
      name: catalogue(localeOf(context)).teams.defaultName,
      kind: 'interdisciplinary',
      unitId: null,
      channel,
      active: false,
      lead: null,
      roles: [],
      series: null,
      items: [],
      createdAt: now,
      updatedAt: now,
    });
    // The rhythm goes to the channel where the team is set up (the first one, until then).
    if (conversationKind(activity) === 'channel' && team.channel.channelId !== channelId && activity.type === 'message') {
      return this.services.teams.update(teamId, this.services.now(), (current) => ({ ...current, channel }));
    }
    return team;
  }
}

