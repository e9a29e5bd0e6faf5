import type { TurnContext as BotTurnContext } from 'botbuilder';
import { fieldLabel, refusalCard, teamIntroCard } from '../cards/common';
import type { PayloadOf } from '../cards/payloads';
import {
  ITEMS_PER_MINUTES_FORM,
  MEASURES_PER_ITEM,
  meetingText,
  minutesFormCard,
  setupSavedCard,
  teamPost,
  teamSetupCard,
  topicCard,
  type MinutesFormEntry,
} from '../cards/teams';
import { findMeeting, MeetingSeriesSchema, type Meeting, type MeetingSeries, type MeetingSeriesInput } from '../domain/meeting-series';
import type { AdaptiveCardJson } from '../cards/guards';
import { cardMessage } from '../scheduler/conversation-port';
import { findUnit } from '../domain/municipality';
import { findNationalId } from '../domain/national-id';
import type { PersonRef } from '../domain/primitives';
import { IsoDateSchema } from '../domain/primitives';
import { catalogue, format, refusalText, type Locale } from '../i18n';
import type { ChannelAddress, PersonalAddress } from '../store/conversation-address';
import { TEAM_SCHEMA_VERSION, teamKeyOf, type AgendaItem, type Team } from '../store/teams';
import { TeamMinutes, type ItemMinutesInput, type ItemOutcome } from '../workflow/team-minutes';
import type { ConversationPort } from '../scheduler/conversation-port';
import { conversationKind, tenantOf } from './actor';
import { localeOf, sendCard } from './replies';
import { CaseViews, toRef } from './case-views';
import { personOf, todayIn, turnOf, type Services } from './services';

/**
 * The interdisciplinary team in its Teams channel: registered when Laget is installed in the
 * team, set up from a card ("@Laget sett opp team"; changed later only by its lead or a leader of
 * its unit), topics brought from the channel, cases brought from the owner's own chat with a
 * question from the fixed neutral list, minutes written in the lead's or owner's own chat. What
 * the channel sees is decided in the composers (src/workflow/team-composers.ts): codes only.
 * Routes: src/bot/routes.ts.
 */
export class TeamsFlow {
  private readonly views: CaseViews;
  private readonly minutesService: TeamMinutes;

  constructor(
    private readonly services: Services,
    private readonly direct: ConversationPort,
  ) {
    this.views = new CaseViews(services);
    this.minutesService = new TeamMinutes({
      cases: services.cases,
      caseRepository: services.caseRepository,
      audit: services.audit,
      people: services.people,
      teams: services.teams,
      direct,
      log: services.log,
    });
  }

  /** Installed in a team: remember the channel, introduce Laget, offer the set-up. */
  async installed(context: BotTurnContext): Promise<void> {
    const team = await this.register(context);
    const t = catalogue(localeOf(context));
    await sendCard(context, teamIntroCard(localeOf(context)));
    await sendCard(
      context,
      teamPost({
        title: team.name,
        paragraphs: [t.teams.setupIntro],
        buttons: [{ title: t.teams.setupTitle, data: { verb: 'team.setup-form', teamId: team.teamId } }],
      }),
    );
  }

  async setupForm(context: BotTurnContext): Promise<void> {
    const team = await this.register(context);
    if (!(await this.mayEdit(context, team))) return;
    await sendCard(
      context,
      teamSetupCard({
        locale: localeOf(context),
        team,
        municipality: this.services.municipality,
        me: personOf(context),
        today: todayIn(this.services),
      }),
    );
  }

  /**
   * Saves the series from the card. Editing keeps what the card does not show (the times of day,
   * weekend moves, a cadence's holiday dates) from the series as it is; a new series starts from
   * the municipality's defaults. Changed offsets move the pending jobs (TeamRhythmSource).
   */
  async setup(context: BotTurnContext, data: PayloadOf<'team.setup'>): Promise<void> {
    const locale = localeOf(context);
    const team = await this.register(context);
    if (!(await this.mayEdit(context, team))) return;
    // A field the card left empty keeps its current value (or the default for a new series).
    const current = team.series;
    const recurring = current?.schedule.kind === 'dates' ? undefined : current?.schedule;
    const keptExcept = recurring?.except ?? [];
    const from = data.from ?? recurring?.from ?? todayIn(this.services);
    const until = data.until ?? recurring?.until ?? todayIn(this.services);
    const weekday = data.weekday ?? recurring?.weekday ?? 'tuesday';
    const schedule: MeetingSeriesInput['schedule'] =
      data.scheduleKind === 'dates'
        ? { kind: 'dates', meetings: (data.dates ?? []).map((date) => ({ date, start: data.start, end: data.end })) }
        : data.scheduleKind === 'monthly'
          ? {
              kind: 'monthly',
              week: data.week ?? (recurring?.kind === 'monthly' ? recurring.week : 1),
              weekday,
              start: data.start,
              end: data.end,
              from,
              until,
              except: keptExcept,
            }
          : {
              kind: 'cadence',
              everyWeeks: data.everyWeeks ?? (recurring?.kind === 'cadence' ? recurring.everyWeeks : 6),
              weekday,
              start: data.start,
              end: data.end,
              from,
              until,
              except: keptExcept,
            };
    const parsed = MeetingSeriesSchema.safeParse({
      id: 'series',
      name: data.name,
      timeZone: this.services.config.timeZone,
      schedule,
      rhythm: mergedRhythm(current?.rhythm ?? this.services.municipality.teamRhythm, data),
    });
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.at(-1)).join(', ');
      await sendCard(context, refusalCard(locale, `${catalogue(locale).teams.scheduleLabel}: ${fields}`));
      return;
    }
    const lead = this.lead(context, data.leadId);
    const saved = await this.services.teams.update(team.teamId, this.services.now(), (stored) => ({
      ...stored,
      name: data.name,
      kind: data.kind,
      unitId: data.unitId === 'none' ? null : data.unitId,
      active: true,
      lead,
      roles: data.roles ?? stored.roles,
      series: parsed.data,
    }));
    this.services.log.info({ teamId: saved.teamId }, 'team set up');
    await sendCard(context, setupSavedCard(locale, saved, this.services.now()));
  }

  /**
   * Once a team has a lead, only the lead or a leader of the team's unit (the municipality's
   * configuration) may change it; anyone in the channel may set up a team that has none yet.
   */
  private async mayEdit(context: BotTurnContext, team: Team): Promise<boolean> {
    const me = personOf(context);
    if (!team.lead || team.lead.id === me.id) return true;
    const unit = team.unitId ? findUnit(this.services.municipality, team.unitId) : undefined;
    if (unit?.leaders.some((leader) => leader.id === me.id)) return true;
    const locale = localeOf(context);
    this.services.log.info({ teamId: team.teamId }, 'team set-up refused: not the lead or a leader of the unit');
    await sendCard(context, refusalCard(locale, format(catalogue(locale).teams.notAllowedToEdit, { lead: team.lead.name })));
    return false;
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
      questionId: null,
      topic: data.topic,
      owner: personOf(context),
      addedAt: now.toISOString(),
      minutesRecordedAt: null,
    };
    await this.services.teams.update(team.teamId, now, (current) => ({ ...current, items: [...current.items, item] }));
    await context.sendActivity(format(catalogue(locale).teams.topicSaved, { meeting: meetingText(locale, meeting) }));
  }

  /** From the owner's own chat: the case goes to the team's agenda as a code and a question from the fixed list; the note stays with the case. */
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
      {
        type: 'bring-to-team',
        teamId,
        mode: data.mode,
        questionId: data.questionId,
        ...(data.note ? { note: data.note } : {}),
        meetingOn: found.meeting.date,
      },
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
      questionId: data.questionId,
      topic: null,
      owner: personOf(context),
      addedAt: now.toISOString(),
      minutesRecordedAt: null,
    };
    await this.services.teams.update(teamId, now, (current) => ({
      ...current,
      items: [...current.items.filter((existing) => existing.id !== item.id), item],
    }));
    await context.sendActivity(
      format(t.teams.brought, {
        code: outcome.case.id,
        team: team.name,
        meeting: meetingText(locale, meeting),
        mode: t.teams.modeShort[data.mode],
      }),
    );
  }

  /** "Skriv referat" pressed in the channel: the form goes to the person's own chat, never the channel. */
  async minutesForm(context: BotTurnContext, data: PayloadOf<'team.minutes-form'>): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const me = personOf(context);
    const found = await this.teamMeeting(data.teamId, data.meetingId);
    if (!found) return;
    const mine = this.itemsFor(found.team, found.meeting.id, me);
    const items = mine.filter((item) => item.minutesRecordedAt === null);
    const person = await this.services.people.read(me.id);
    if (mine.length === 0 || !person?.doc.personalChat) {
      await context.sendActivity(mine.length === 0 ? t.teams.notLeadOrOwner : t.teams.needPersonalChat);
      return;
    }
    if (items.length === 0) {
      await context.sendActivity(t.teams.minutesAllRecorded);
      return;
    }
    const entries = await this.formEntries(context, found.team, found.meeting, items);
    // A long agenda comes as several forms, each saved on its own.
    for (let first = 0; first < entries.length; first += ITEMS_PER_MINUTES_FORM) {
      const part = entries.slice(first, first + ITEMS_PER_MINUTES_FORM);
      await this.sendPersonally(
        person.doc.personalChat,
        minutesFormCard(person.doc.locale ?? locale, found.team, found.meeting, part, first + 1),
      );
    }
    await context.sendActivity(t.teams.minutesFormSent);
  }

  /**
   * Each item, with the owner's private note on the owner's own form only: the note card says
   * "bare for deg", so not even the lead of a team the consent covers sees it. The note is read
   * through the CaseService (audited) and shown only here, in the owner's own chat.
   */
  private async formEntries(
    context: BotTurnContext,
    team: Team,
    meeting: Meeting,
    items: readonly AgendaItem[],
  ): Promise<MinutesFormEntry[]> {
    const me = personOf(context);
    const entries: MinutesFormEntry[] = [];
    for (const item of items) {
      if (item.kind !== 'case' || !item.caseId || !item.unitId || item.owner.id !== me.id) {
        entries.push({ item, note: null });
        continue;
      }
      const turn = { ...turnOf(context, this.services), correlationId: `${context.activity.id ?? 'minutes-form'}:${item.id}` };
      const opened = await this.services.cases.open(turn, { caseId: item.caseId, unitId: item.unitId });
      const brought =
        opened.kind === 'opened' && opened.basis === 'owner'
          ? opened.case.teamItems.filter((t) => t.teamId === team.teamId && t.meetingOn === meeting.date).at(-1)
          : undefined;
      entries.push({ item, note: brought?.note ?? null });
    }
    return entries;
  }

  /**
   * Minutes saved in the writer's own chat: each item's content goes into the case, to its owner
   * or into the team's minutes record (TeamMinutes); the writer is told where each went, and
   * which could not be delivered (those stay open). Nothing is posted in the channel.
   */
  async minutes(context: BotTurnContext, data: PayloadOf<'team.minutes'>): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const me = personOf(context);
    const found = await this.teamMeeting(data.teamId, data.meetingId);
    if (!found) return;
    const { team, meeting } = found;
    const fields = data as Record<string, unknown>;
    const idField = findNationalId(Object.fromEntries(Object.entries(fields).filter(([key]) => /^item\d/.test(key))));
    if (idField !== null) {
      await sendCard(context, refusalCard(locale, refusalText(locale, 'national-id-not-allowed', { field: fieldLabel(locale, idField) })));
      return;
    }
    const entries = data.items
      .split(',')
      .filter((id) => id !== '')
      .slice(0, 20)
      .map((itemId, index) => minutesEntry(fields, itemId, index + 1));
    const outcomes = await this.minutesService.save({
      team,
      meeting,
      writer: me,
      items: this.itemsFor(team, meeting.id, me),
      entries,
      present: data.present ?? [],
      correlationId: context.activity.id ?? `minutes-${this.services.now().getTime()}`,
      now: this.services.now(),
    });
    await sendCard(context, teamPost({ title: t.teams.minutesSaved, lines: minutesReport(locale, team, outcomes) }));
  }

  /**
   * The owner agrees: the team's measures become actions on the case (the owner's own command).
   * The card can be pressed again (or Teams may resend it): a goal or a measure the case already
   * holds is not added a second time, and the case is changed with the ETag it was read with.
   */
  async addMeasures(context: BotTurnContext, data: PayloadOf<'team.add-measures'>): Promise<void> {
    const turn = turnOf(context, this.services);
    const opened = await this.services.cases.open(turn, toRef(data));
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    const existing = opened.case;
    const goal =
      data.goal && !existing.goals.some((g) => g.text === data.goal!.text && g.targetOn === data.goal!.targetOn) ? data.goal : undefined;
    const actions = data.measures
      .map((m) => ({ what: `${m.what} (${m.who})`, who: { kind: 'other' as const, label: m.who }, dueOn: m.dueOn }))
      .filter((action) => !existing.actions.some((a) => a.what === action.what && a.dueOn === action.dueOn));
    if (!goal && actions.length === 0) {
      await context.sendActivity(format(catalogue(localeOf(context)).teams.measuresAlreadyAdded, { code: existing.id }));
      return;
    }
    const outcome = await this.services.cases.execute(
      turn,
      toRef(data),
      [...(goal ? [{ type: 'add-goal' as const, goal }] : []), ...actions.map((action) => ({ type: 'add-action' as const, action }))],
      { expectedEtag: opened.etag },
    );
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    await this.views.showDone(context, outcome, {
      style: 'good',
      text: format(catalogue(localeOf(context)).teams.measuresAdded, { code: outcome.case.id }),
    });
  }

  /** The team and one of its meetings, if both still exist. */
  private async teamMeeting(teamId: string, meetingId: string): Promise<{ team: Team; meeting: Meeting } | undefined> {
    const team = (await this.services.teams.read(teamId))?.doc;
    const meeting = team?.series ? findMeeting(team.series, meetingId) : undefined;
    return team && meeting ? { team, meeting } : undefined;
  }

  /** A card for a person's own chat, sent at once (the answer to something they pressed in the channel). */
  private async sendPersonally(address: PersonalAddress, card: AdaptiveCardJson): Promise<void> {
    await this.direct.post(address, cardMessage(card), AbortSignal.timeout(10_000));
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
    const channelData = (activity.channelData ?? {}) as {
      team?: { id?: string; name?: string };
      channel?: { id?: string };
      teamsChannelId?: string;
    };
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
      schemaVersion: TEAM_SCHEMA_VERSION,
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
      meetings: [],
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

/** The days on the card over the rhythm as it is (or the municipality's defaults): nothing else changes. */
function mergedRhythm(base: MeetingSeries['rhythm'], data: PayloadOf<'team.setup'>): MeetingSeries['rhythm'] {
  return {
    ...base,
    callForCases: { ...base.callForCases, daysBefore: data.callDays ?? base.callForCases.daysBefore },
    ownerReminders: { ...base.ownerReminders, daysBefore: data.ownerDays ?? base.ownerReminders.daysBefore },
    agenda: { ...base.agenda, daysBefore: data.agendaDays ?? base.agenda.daysBefore },
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

/** Where each item's minutes went, for the writer. */
function minutesReport(locale: Locale, team: Team, outcomes: readonly ItemOutcome[]): string[] {
  const t = catalogue(locale);
  const label = (o: ItemOutcome) => o.caseId ?? team.items.find((item) => item.id === o.itemId)?.topic ?? o.itemId;
  const list = (kind: ItemOutcome['kind']) => outcomes.filter((o) => o.kind === kind).map(label);
  const lines: string[] = [];
  const add = (sentence: string, codes: string[]) => {
    if (codes.length > 0) lines.push(format(sentence, { codes: codes.join(', '), count: codes.length }));
  };
  add(t.teams.minutesRecordedOnCase, list('recorded-on-case'));
  add(t.teams.minutesSentToOwner, list('sent-to-owner'));
  add(t.teams.minutesTopicsKept, list('kept-here'));
  for (const o of outcomes) {
    if (o.kind === 'recorded-on-case' && o.nextEvaluation) {
      lines.push(
        format(t.teams.nextEvaluationNotSet, {
          code: label(o),
          reason: refusalText(locale, o.nextEvaluation.reason, o.nextEvaluation.detail),
        }),
      );
    }
    if (o.kind === 'not-delivered')
      lines.push(format(t.teams.minutesNotDelivered, { code: label(o), reason: t.teams.undelivered[o.reason] }));
    if (o.kind === 'refused')
      lines.push(format(t.teams.minutesNotDelivered, { code: label(o), reason: refusalText(locale, o.refusal.reason, o.refusal.detail) }));
  }
  add(t.teams.minutesAlreadyRecorded, list('already-recorded'));
  add(t.teams.minutesEmpty, list('empty'));
  return lines;
}
