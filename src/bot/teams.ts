import type { TurnContext as BotTurnContext } from 'botbuilder';
import { fieldLabel, refusalCard, teamIntroCard } from '../cards/common';
import type { AdaptiveCardJson } from '../cards/guards';
import type { PayloadOf } from '../cards/payloads';
import {
  bringToTeamCard,
  ITEMS_PER_MINUTES_FORM,
  MEASURES_PER_ITEM,
  meetingText,
  minutesFormCard,
  minutesSavedCard,
  setupSavedCard,
  teamPost,
  teamRefusalText,
  teamRhythmCard,
  teamSetupCard,
  topicCard,
  topicSavedCard,
  type MinutesReportLine,
} from '../cards/teams';
import { IsoDateSchema } from '../domain/primitives';
import { meetingOf, type Team } from '../domain/team';
import type { Place, TeamRefusal } from '../domain/team-decide';
import type { ScheduleKind } from '../domain/team-setup';
import { catalogue, format, refusalText } from '../i18n';
import { cardMessage, type ConversationPort } from '../scheduler/conversation-port';
import type { PersonalAddress } from '../workflow/records';
import type { ItemMinutesInput, ItemOutcome } from '../workflow/team-minutes';
import type { TeamTurn } from '../workflow/team-service';
import { conversationKind, tenantOf } from './actor';
import { CaseViews, toRef, type CaseViewsNeeds } from './case-views';
import { municipalityWithLeaders } from './directory-entry';
import { localeOf, sendCard } from './replies';
import { personOf, todayIn, turnOf } from './services';

/** What this flow reaches (src/bot/services.ts): what its case views reach, nothing more. */
export type TeamsFlowNeeds = CaseViewsNeeds;

/**
 * The interdisciplinary team's handlers and what they draw (its routes are declared in
 * src/bot/routes.ts). Everything the team may do, and who may do it, is decided by the TeamService
 * and the team domain (src/workflow/team-service.ts, src/domain/team-decide.ts); this file reads the
 * turn (who, where: the conversation Teams says it came from — never card data), calls the service,
 * and draws the answer.
 */
export class TeamsFlow {
  private readonly views: CaseViews;

  constructor(
    private readonly services: TeamsFlowNeeds,
    private readonly direct: ConversationPort,
  ) {
    this.views = new CaseViews(services);
  }

  /** Installed in a team: remember the channel, introduce Laget, offer the set-up. */
  async installed(context: BotTurnContext): Promise<void> {
    const team = await this.teamHere(context);
    const locale = localeOf(context);
    const t = catalogue(locale);
    await sendCard(context, teamIntroCard(locale));
    if (!team) return;
    await sendCard(
      context,
      teamPost({
        title: team.name,
        paragraphs: [t.teams.setupIntro],
        buttons: [{ title: t.teams.setupTitle, data: { verb: 'team.setup-form', teamId: team.teamId } }],
      }),
    );
  }

  /** The set-up: first the kind of rhythm, then that rhythm's card — for those who may change the team, in one of its channels. */
  async setupForm(context: BotTurnContext, scheduleKind?: ScheduleKind): Promise<void> {
    const locale = localeOf(context);
    const team = await this.teamHere(context);
    if (!team) return this.refuse(context, { kind: 'refused', reason: 'channel-only' });
    const turn = this.turn(context);
    const denied = await this.services.teams.maySetUp(turn, team);
    if (denied) return this.refuse(context, denied);
    if (!scheduleKind) return sendCard(context, teamRhythmCard(locale, team));
    await sendCard(
      context,
      teamSetupCard({
        locale,
        team,
        municipality: await municipalityWithLeaders(this.services),
        me: turn.actor,
        today: todayIn(this.services),
        scheduleKind,
      }),
    );
  }

  async setupCancelled(context: BotTurnContext): Promise<void> {
    await context.sendActivity(catalogue(localeOf(context)).teams.setupCancelled);
  }

  async setup(context: BotTurnContext, data: PayloadOf<'team.setup'>): Promise<void> {
    const locale = localeOf(context);
    const team = await this.teamHere(context);
    if (!team) return this.refuse(context, { kind: 'refused', reason: 'channel-only' });
    const { verb: _verb, teamId: _teamId, unitId, leadId, roles, kind, ...form } = data;
    const outcome = await this.services.teams.setUp(this.turn(context), team, {
      name: data.name,
      kind,
      unitId: unitId === 'none' ? null : unitId,
      leadId,
      roles,
      form,
    });
    switch (outcome.kind) {
      case 'accepted':
        return sendCard(context, setupSavedCard(locale, outcome.team, this.services.now(), outcome));
      case 'refused':
        return this.refuse(context, outcome);
      case 'invalid':
        return sendCard(
          context,
          refusalCard(locale, `${catalogue(locale).teams.scheduleLabel}: ${outcome.fields.map((f) => fieldLabel(locale, f)).join(', ')}`),
        );
      case 'busy':
        await context.sendActivity(catalogue(locale).teams.busy);
    }
  }

  async topicForm(context: BotTurnContext): Promise<void> {
    const team = await this.services.teams.ofPlace(placeOf(context));
    if (!team?.series) {
      await context.sendActivity(catalogue(localeOf(context)).teams.notATeam);
      return;
    }
    await sendCard(context, topicCard(localeOf(context), team, this.services.teams.openMeetings(team, this.services.now())));
  }

  /** A general topic for a meeting, from the team's own channel, by a member of the team. */
  async topic(context: BotTurnContext, data: PayloadOf<'team.topic'>): Promise<void> {
    const locale = localeOf(context);
    const outcome = await this.services.teams.addTopic(this.turn(context), data.teamId, data.meetingId, data.topic);
    if (outcome.kind === 'added') {
      return sendCard(context, topicSavedCard(locale, outcome.team, outcome.meeting, outcome.item.id, { already: !outcome.created }));
    }
    if (outcome.kind === 'busy') {
      await context.sendActivity(catalogue(locale).teams.busy);
      return;
    }
    const team = outcome.reason === 'agenda-closed' ? await this.services.teams.read(data.teamId) : undefined;
    if (team) {
      // The topic stays as typed, offered to the next meeting that takes items.
      const meetings = this.services.teams.openMeetings(team, this.services.now());
      return sendCard(context, topicCard(locale, team, meetings, { topic: data.topic, notice: teamRefusalText(locale, outcome) }));
    }
    return this.refuse(context, outcome);
  }

  async removeTopic(context: BotTurnContext, data: PayloadOf<'team.remove-topic'>): Promise<void> {
    const locale = localeOf(context);
    const outcome = await this.services.teams.removeTopic(this.turn(context), data.teamId, data.meetingId, data.itemId);
    if (outcome.kind === 'busy') return void (await context.sendActivity(catalogue(locale).teams.busy));
    if (outcome.kind === 'refused') return this.refuse(context, outcome);
    const team = await this.services.teams.read(data.teamId);
    const meeting = team ? meetingOf(team, data.meetingId) : undefined;
    await context.sendActivity(
      format(catalogue(locale).teams.topicRemoved, { meeting: meeting ? meetingText(locale, meeting) : data.meetingId }),
    );
  }

  /** From the owner's own chat: the case goes on the meeting's agenda (code and question); the note stays with the case. */
  async bring(context: BotTurnContext, data: PayloadOf<'team.bring'>): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const [teamId, meetingId] = data.meeting.split('|') as [string, string];
    const outcome = await this.services.teams.bringCase(this.turn(context), toRef(data), {
      teamId,
      meetingId,
      mode: data.mode,
      questionId: data.questionId,
      ...(data.note ? { note: data.note } : {}),
      expectedEtag: data.rev,
    });
    switch (outcome.kind) {
      case 'brought':
        await context.sendActivity(
          format(t.teams.brought, {
            code: outcome.done.case.id,
            team: outcome.team.name,
            meeting: meetingText(locale, outcome.meeting),
            mode: t.teams.modeShort[outcome.item.mode],
          }),
        );
        return;
      case 'case-unconfirmed':
        await context.sendActivity(
          format(t.teams.broughtUnconfirmed, { code: data.caseId, team: outcome.team.name, meeting: meetingText(locale, outcome.meeting) }),
        );
        return;
      case 'busy':
        await context.sendActivity(t.teams.busy);
        return;
      case 'case-refused': {
        const refused = outcome.refused;
        // Name the team, not its key, when consent does not cover it.
        const name = (await this.services.teams.read(teamId))?.name ?? teamId;
        const detail = refused.detail?.missingTeams ? { ...refused.detail, missingTeams: [name] } : refused.detail;
        await this.views.refused(context, { ...refused, detail });
        return;
      }
      case 'team-refused': {
        const reopen = ['agenda-closed', 'meeting-not-found', 'meeting-full'].includes(outcome.refusal.reason);
        if (reopen && (await this.bringCardAgain(context, data, outcome.refusal))) return;
        return this.refuse(context, outcome.refusal);
      }
    }
  }

  /** The bring card again, holding what was chosen and typed, with why it was refused and the next meeting preselected. */
  private async bringCardAgain(context: BotTurnContext, data: PayloadOf<'team.bring'>, refusal: TeamRefusal): Promise<boolean> {
    const locale = localeOf(context);
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data));
    if (opened.kind !== 'opened' || opened.basis !== 'owner') return false;
    const choices = await this.services.teams.bringChoices(opened.case, this.services.now());
    const [teamId] = data.meeting.split('|') as [string, string];
    const next = refusal.detail?.nextMeeting;
    await sendCard(
      context,
      bringToTeamCard(locale, opened.case, opened.etag, choices, {
        ...(next ? { meeting: `${teamId}|${next.id}` } : {}),
        mode: data.mode,
        questionId: data.questionId,
        ...(data.note ? { note: data.note } : {}),
        notice: teamRefusalText(locale, refusal, this.services.municipality),
      }),
    );
    return true;
  }

  /** The owner takes the case off a meeting (before its agenda is drawn); the item and the case's reference go together. */
  async withdraw(context: BotTurnContext, data: PayloadOf<'team.withdraw'>): Promise<void> {
    const locale = localeOf(context);
    const outcome = await this.services.teams.withdrawCase(this.turn(context), toRef(data), data.teamId, data.meetingId);
    switch (outcome.kind) {
      case 'withdrawn':
        return this.views.showDone(context, outcome.done, {
          style: 'good',
          text: format(catalogue(locale).teams.withdrawn, { code: data.caseId, meeting: meetingText(locale, outcome.meeting) }),
        });
      case 'case-refused':
        return this.views.refused(context, outcome.refused);
      case 'team-refused':
        return this.refuse(context, outcome.refusal);
      case 'busy':
        await context.sendActivity(catalogue(locale).teams.busy);
    }
  }

  /** "Skriv referat": the form goes to the presser's own chat; the answer (for them alone) says so, or why not. */
  async minutesForm(context: BotTurnContext, data: { teamId: string; meetingId: string }): Promise<{ sent: boolean; text: string }> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const turn = this.turn(context);
    const form = await this.services.teams.minutesForm(turn, data.teamId, data.meetingId);
    const notSent = (text: string) => ({ sent: false, text });
    if (form.kind === 'not-found') return notSent(teamRefusalText(locale, { kind: 'refused', reason: 'meeting-not-found' }));
    if (form.kind === 'nothing-to-write') return notSent(t.teams.notLeadOrOwner);
    if (form.kind === 'all-recorded') return notSent(t.teams.minutesAllRecorded);
    const person = await this.services.people.read(turn.actor.id);
    const address = person?.doc.personalChat;
    if (!address) return notSent(t.teams.needPersonalChat);
    // A long agenda comes as several forms, each saved on its own.
    for (let first = 0; first < form.entries.length; first += ITEMS_PER_MINUTES_FORM) {
      const part = form.entries.slice(first, first + ITEMS_PER_MINUTES_FORM);
      await this.sendPersonally(address, minutesFormCard(person.doc.locale ?? locale, form.team, form.meeting, part, first + 1));
    }
    return { sent: true, text: t.teams.minutesFormSent };
  }

  /** "Skriv referat" on a minutes post from before the button was an Action.Execute: the same, answered in the channel. */
  async minutesFormFromOldPost(context: BotTurnContext, data: { teamId: string; meetingId: string }): Promise<void> {
    await context.sendActivity((await this.minutesForm(context, data)).text);
  }

  /**
   * Minutes saved in the writer's own chat: each item's content goes into the case, to its owner
   * or into the meeting's minutes record; the writer is told where each went, and which could not
   * be delivered (those stay open). Nothing is posted in the channel.
   */
  async minutes(context: BotTurnContext, data: PayloadOf<'team.minutes'>): Promise<void> {
    const locale = localeOf(context);
    const fields = data as Record<string, unknown>;
    const itemIds = data.items
      .split(',')
      .filter((id) => id !== '')
      .slice(0, 20);
    const entries = itemIds.map((itemId, index) => minutesEntry(fields, itemId, index + 1));
    const turn = this.turn(context);
    const saved = await this.services.teams.saveMinutes(turn, data.teamId, data.meetingId, { entries, present: data.present ?? [] });
    if (saved.kind === 'not-found') return this.refuse(context, { kind: 'refused', reason: 'meeting-not-found' });
    if (saved.kind === 'nothing-to-write') return sendCard(context, refusalCard(locale, catalogue(locale).teams.notLeadOrOwner));
    if (saved.kind === 'national-id') {
      const field = fieldLabel(locale, cardFieldOf(saved.field, itemIds));
      return sendCard(context, refusalCard(locale, refusalText(locale, 'national-id-not-allowed', { field })));
    }
    const label = (o: ItemOutcome) => {
      const item = saved.record?.items.find((i) => i.id === o.itemId);
      return o.caseId ?? (item?.kind === 'topic' ? item.topic : o.itemId);
    };
    const t = catalogue(locale);
    const lines: MinutesReportLine[] = saved.outcomes.flatMap((o): MinutesReportLine[] => {
      switch (o.kind) {
        case 'recorded-on-case':
          return [
            { kind: o.kind, label: label(o) },
            ...(o.nextEvaluation
              ? [
                  {
                    kind: 'next-evaluation-not-set' as const,
                    label: label(o),
                    reason: refusalText(locale, o.nextEvaluation.reason, o.nextEvaluation.detail),
                  },
                ]
              : []),
          ];
        case 'not-delivered':
          return [{ kind: o.kind, label: label(o), reason: t.teams.undelivered[o.reason] }];
        case 'refused':
          return [{ kind: 'not-delivered', label: label(o), reason: refusalText(locale, o.refusal.reason, o.refusal.detail) }];
        default:
          return [{ kind: o.kind, label: label(o) }];
      }
    });
    const lead =
      saved.team.lead?.id === turn.actor.id && !saved.record?.held && saved.meeting.startsAt <= this.services.now().toISOString();
    await sendCard(context, minutesSavedCard(locale, lines, lead ? { teamId: saved.team.teamId, meetingId: saved.meeting.id } : undefined));
  }

  async closeMeeting(context: BotTurnContext, data: PayloadOf<'team.close-meeting'>): Promise<void> {
    const locale = localeOf(context);
    const outcome = await this.services.teams.closeMeeting(this.turn(context), data.teamId, data.meetingId);
    if (outcome.kind === 'busy') return void (await context.sendActivity(catalogue(locale).teams.busy));
    if (outcome.kind === 'refused') return this.refuse(context, outcome);
    const team = await this.services.teams.read(data.teamId);
    const meeting = team ? meetingOf(team, data.meetingId) : undefined;
    const held = outcome.meeting.held!;
    await context.sendActivity(
      format(catalogue(locale).teams.meetingClosed, {
        meeting: meeting ? meetingText(locale, meeting) : data.meetingId,
        anonymous: held.anonymous,
        named: held.named,
        topics: held.topics,
      }),
    );
  }

  /** The owner agrees: the team's measures become actions on the case (nothing twice). */
  async addMeasures(context: BotTurnContext, data: PayloadOf<'team.add-measures'>): Promise<void> {
    const locale = localeOf(context);
    const outcome = await this.services.teams.addMeasures(this.turn(context), toRef(data), {
      ...(data.goal ? { goal: data.goal } : {}),
      measures: data.measures,
    });
    if (outcome.kind === 'already-added') {
      await context.sendActivity(format(catalogue(locale).teams.measuresAlreadyAdded, { code: outcome.caseId }));
      return;
    }
    if (outcome.kind === 'refused') return this.views.refused(context, outcome);
    await this.views.showDone(context, outcome, {
      style: 'good',
      text: format(catalogue(locale).teams.measuresAdded, { code: outcome.case.id }),
    });
  }

  /**
   * The team of this channel, by the Teams team id Teams sent with the activity (never card data);
   * remembered (inactive, with this channel) if Laget has not met it yet. Nothing else changes here.
   */
  private async teamHere(context: BotTurnContext): Promise<Team | undefined> {
    const place = placeOf(context);
    if (place.kind !== 'channel') return undefined;
    const known = await this.services.teams.ofPlace(place);
    if (known) return known;
    const activity = context.activity;
    return this.services.teams.register(
      {
        teamsTeamId: place.teamsTeamId,
        name: catalogue(localeOf(context)).teams.defaultName,
        channel: {
          channelId: place.channelId,
          serviceUrl: activity.serviceUrl,
          ...(tenantOf(activity) ? { tenantId: tenantOf(activity)! } : {}),
          ...(activity.recipient?.id ? { botId: activity.recipient.id } : {}),
        },
      },
      this.services.now(),
    );
  }

  private turn(context: BotTurnContext): TeamTurn {
    const base = turnOf(context, this.services);
    return { actor: personOf(context), place: placeOf(context), correlationId: base.correlationId, now: base.now };
  }

  private async refuse(context: BotTurnContext, refusal: TeamRefusal): Promise<void> {
    const locale = localeOf(context);
    await sendCard(context, refusalCard(locale, teamRefusalText(locale, refusal, this.services.municipality)));
  }

  /** A card for a person's own chat, sent at once (the answer to something they pressed in the channel). */
  private async sendPersonally(address: PersonalAddress, card: AdaptiveCardJson): Promise<void> {
    await this.direct.post(address, cardMessage(card), AbortSignal.timeout(10_000));
  }
}

/** Where the turn came from, as Teams says: a channel of which Teams team, a personal chat, or elsewhere. */
function placeOf(context: BotTurnContext): Place {
  const activity = context.activity;
  const kind = conversationKind(activity);
  if (kind === 'personal') return { kind: 'personal' };
  if (kind !== 'channel') return { kind: 'other' };
  const channelData = (activity.channelData ?? {}) as { team?: { id?: string }; channel?: { id?: string }; teamsChannelId?: string };
  const root = activity.conversation.id.split(';')[0]!;
  return {
    kind: 'channel',
    teamsTeamId: channelData.team?.id ?? root,
    channelId: channelData.channel?.id ?? channelData.teamsChannelId ?? root,
  };
}

/** One item's fields from the minutes form (`item3Known`, `item3Measure2` …); an old form's `item3Measure` is measure 1. */
function minutesEntry(fields: Record<string, unknown>, itemId: string, n: number): ItemMinutesInput {
  const text = (name: string) => {
    const value = fields[`item${n}${name}`];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  // A date field that is not a date counts as missing: the item is then reported, not guessed at.
  const date = (name: string) => {
    const value = text(name);
    return value && IsoDateSchema.safeParse(value).success ? value : undefined;
  };
  const measures = Array.from({ length: MEASURES_PER_ITEM }, (_, i) => {
    const m = i + 1;
    const legacy = m === 1 ? (name: string) => text(name) : () => undefined;
    return {
      what: text(`Measure${m}`) ?? legacy('Measure'),
      who: text(`Who${m}`) ?? legacy('Who'),
      dueOn: date(`Due${m}`) ?? (m === 1 ? date('Due') : undefined),
    };
  });
  return {
    itemId,
    known: text('Known'),
    options: text('Options'),
    goal: text('Goal'),
    goalOn: date('GoalOn'),
    measures,
    nextOn: date('Next'),
  };
}

/** The card field (`item2Measure1`) a path in the minutes entries (`case-UR-7K4Q.measures.0.what`) came from. */
function cardFieldOf(path: string, itemIds: readonly string[]): string {
  const [itemId, key, index, sub] = path.split('.');
  const n = itemIds.indexOf(itemId ?? '') + 1;
  if (key === 'measures') return `item${n}${sub === 'who' ? 'Who' : 'Measure'}${Number(index) + 1}`;
  const names: Record<string, string> = { known: 'Known', options: 'Options', goal: 'Goal' };
  return `item${n}${names[key ?? ''] ?? 'Known'}`;
}
