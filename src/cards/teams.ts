import type { Case } from '../domain/case';
import type { Meeting, SkippedStep, Weekday } from '../domain/meeting-series';
import type { Municipality } from '../domain/municipality';
import type { IsoDateTime, PersonRef } from '../domain/primitives';
import { upcomingMeetings, type AgendaItem, type Team } from '../domain/team';
import type { ChannelLine } from '../domain/team-channel';
import type { TeamRefusal } from '../domain/team-decide';
import { FALLBACK_TEAM_QUESTION, TEAM_QUESTIONS, teamQuestionLabel } from '../domain/team-questions';
import { halfYearEnd, SCHEDULE_KINDS, type ScheduleKind } from '../domain/team-setup';
import { dayOf } from '../domain/time';
import { catalogue, format, formatDay, type Locale, type Sentence } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { renderCard } from './render';
import type { ActionData, CardButton, ExecuteButton } from './templates';

/**
 * Cards of the interdisciplinary team: the set-up (first the kind of rhythm, then only that
 * rhythm's fields), the rhythm posted in the channel (call for cases, agenda, minutes) — drawn
 * from the channel projection (src/domain/team-channel.ts), which decides what may be shown —
 * and the forms an owner or lead fills in their own 1:1 chat (bring a case, minutes). Drawing
 * only: the data come from the domain and the TeamService.
 */

type FormAction = { title: string; data: ActionData; style?: 'positive' | 'destructive' | 'default'; associatedInputs?: 'auto' | 'none' };

function form(title: string, subtitle: string, intro: string, inputs: object[], actions: FormAction[]): AdaptiveCardJson {
  return renderCard('form', {
    title,
    subtitle,
    intro,
    inputs,
    actions: actions.map((action) => ({ style: 'default', associatedInputs: 'auto', ...action })),
  });
}

const WEEKDAY_NAMES: Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function weekdayOf(locale: Locale, date: string): string {
  return catalogue(locale).teams.weekdays[WEEKDAY_NAMES[new Date(`${date}T12:00:00Z`).getUTCDay()]!];
}

/** "tirsdag 13. januar 2026 kl. 09:00–10:30". */
export function meetingText(locale: Locale, meeting: Pick<Meeting, 'date' | 'start' | 'end'>): string {
  return format(catalogue(locale).teams.meetingLine, {
    weekday: weekdayOf(locale, meeting.date),
    date: formatDay(meeting.date, locale),
    start: meeting.start,
    end: meeting.end,
  });
}

/** "mandag 16. mars 2026 kl. 12:00": an instant as the municipality's clock shows it. */
function deadlineText(locale: Locale, instant: IsoDateTime, timeZone: string): string {
  const date = dayOf(instant, timeZone);
  const time = new Intl.DateTimeFormat('nb-NO', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone }).format(new Date(instant));
  return format(catalogue(locale).teams.deadline, { weekday: weekdayOf(locale, date), date: formatDay(date, locale), time });
}

/** A post in the channel: codes, questions, staff names and dates only. `executes` answer privately (Action.Execute). */
export function teamPost(input: {
  title: string;
  paragraphs?: string[];
  lines?: string[];
  footnote?: string;
  buttons?: CardButton[];
  executes?: ExecuteButton[];
}): AdaptiveCardJson {
  return renderCard('team-post', {
    title: input.title,
    paragraphs: input.paragraphs ?? [],
    lines: input.lines ?? [],
    footnote: input.footnote ?? '',
    buttons: input.buttons ?? [],
    executes: input.executes ?? [],
  });
}

// ---- refusals ----------------------------------------------------------------------------------

/** What a team refusal means, in one sentence that says what to do next. */
export function teamRefusalText(locale: Locale, refusal: TeamRefusal, municipality?: Pick<Municipality, 'units'>): string {
  const t = catalogue(locale).teams;
  const detail = refusal.detail ?? {};
  const unit = detail.unitId ? (municipality?.units.find((u) => u.id === detail.unitId)?.name ?? detail.unitId) : '';
  const next = detail.nextMeeting ? format(t.nextMeeting, { meeting: meetingText(locale, detail.nextMeeting) }) : t.noNextMeeting;
  return format(t.refusals[refusal.reason], { lead: detail.lead?.name ?? '', limit: detail.limit ?? '', unit, next });
}

// ---- set-up ------------------------------------------------------------------------------------

/** The first set-up card: how the team meets. The next card shows only that rhythm's fields. */
export function teamRhythmCard(locale: Locale, team: Pick<Team, 'teamId' | 'name' | 'series'>): AdaptiveCardJson {
  const t = catalogue(locale);
  const current = team.series?.schedule.kind;
  const kinds = [...SCHEDULE_KINDS].sort((a, b) => (a === current ? -1 : b === current ? 1 : 0));
  return form(
    t.teams.rhythmTitle,
    team.name,
    `${t.teams.setupIntro}\n\n${t.teams.rhythmIntro}`,
    [],
    [
      ...kinds.map((kind): FormAction => ({
        title: t.teams.rhythmChoice[kind],
        data: { verb: 'team.setup-form', teamId: team.teamId, scheduleKind: kind },
        style: kind === current ? 'positive' : 'default',
        associatedInputs: 'none',
      })),
      { title: t.common.cancel, data: { verb: 'team.setup-cancel', teamId: team.teamId }, associatedInputs: 'none' },
    ],
  );
}

export type SetupInput = {
  locale: Locale;
  team: Team;
  municipality: Municipality;
  me: PersonRef;
  today: string;
  scheduleKind: ScheduleKind;
};

/** The second set-up card: name, unit, lead, roles, this rhythm's fields and the days before each message. */
export function teamSetupCard(input: SetupInput): AdaptiveCardJson {
  const t = catalogue(input.locale);
  const { team, scheduleKind } = input;
  const schedule = team.series?.schedule;
  const cadence = schedule?.kind === 'cadence' ? schedule : undefined;
  const monthly = schedule?.kind === 'monthly' ? schedule : undefined;
  const recurring = cadence ?? monthly;
  const rhythm = team.series?.rhythm ?? input.municipality.teamRhythm;
  const choice = (id: string, label: string, value: string, choices: { title: string; value: string }[], extra: object = {}) => ({
    type: 'Input.ChoiceSet',
    id,
    label,
    value,
    choices,
    ...extra,
  });
  const leads = [
    { title: format(t.teams.leadMe, { name: input.me.name }), value: input.me.id },
    ...input.municipality.units.flatMap((unit) =>
      unit.leaders.filter((l) => l.id !== input.me.id).map((l) => ({ title: `${l.name} (${unit.name})`, value: l.id })),
    ),
  ];
  // The team's unit; for a new team the unit the person leads, if any (only its leaders can choose it).
  const ledUnit = input.municipality.units.find((unit) => unit.leaders.some((l) => l.id === input.me.id));
  const unitValue = team.unitId ?? (team.lead ? 'none' : (ledUnit?.id ?? 'none'));
  const start = recurring?.start ?? (schedule?.kind === 'dates' ? schedule.meetings[0]!.start : '09:00');
  const end = recurring?.end ?? (schedule?.kind === 'dates' ? schedule.meetings[0]!.end : '10:30');
  const times = [
    { type: 'Input.Time', id: 'start', label: t.teams.startLabel, value: start },
    { type: 'Input.Time', id: 'end', label: t.teams.endLabel, value: end },
  ];
  const span = [
    { type: 'Input.Date', id: 'from', label: t.teams.fromLabel, value: recurring?.from ?? input.today },
    { type: 'Input.Date', id: 'until', label: t.teams.untilLabel, value: recurring?.until ?? halfYearEnd(input.today) },
  ];
  const weekday = choice(
    'weekday',
    t.teams.weekdayLabel,
    recurring?.weekday ?? 'tuesday',
    Object.entries(t.teams.weekdays).map(([value, title]) => ({ title, value })),
  );
  const rhythmFields: object[] =
    scheduleKind === 'dates'
      ? [
          {
            type: 'Input.Text',
            id: 'dates',
            label: t.teams.datesLabel,
            maxLength: 400,
            isRequired: true,
            errorMessage: t.teams.datesLabel,
            value: schedule?.kind === 'dates' ? schedule.meetings.map((m) => m.date).join(', ') : '',
          },
          ...times,
        ]
      : scheduleKind === 'cadence'
        ? [
            {
              type: 'Input.Number',
              id: 'everyWeeks',
              label: t.teams.everyWeeksLabel,
              min: 1,
              max: 52,
              errorMessage: format(t.inputErrors.wholeNumber, { min: 1, max: 52 }),
              value: cadence?.everyWeeks ?? 6,
            },
            weekday,
            ...times,
            ...span,
          ]
        : [
            choice(
              'week',
              t.teams.weekOfMonthLabel,
              String(monthly?.week ?? 1),
              Object.entries(t.teams.weeksOfMonth).map(([value, title]) => ({ title, value })),
            ),
            weekday,
            ...times,
            ...span,
          ];
  const inputs = [
    {
      type: 'Input.Text',
      id: 'name',
      label: t.teams.nameLabel,
      value: team.name,
      maxLength: 120,
      isRequired: true,
      errorMessage: t.teams.nameLabel,
    },
    choice(
      'kind',
      t.teams.kindLabel,
      team.kind,
      Object.entries(t.teams.kinds).map(([value, title]) => ({ title, value })),
      { style: 'expanded' },
    ),
    choice('unitId', t.teams.unitLabel, unitValue, [
      ...input.municipality.units.map((unit) => ({ title: unit.name, value: unit.id })),
      { title: t.teams.noUnit, value: 'none' },
    ]),
    { type: 'TextBlock', text: t.teams.rhythmChoice[scheduleKind], weight: 'Bolder', wrap: true, spacing: 'Large' },
    ...rhythmFields,
    choice('leadId', t.teams.leadLabel, team.lead?.id ?? input.me.id, leads),
    choice(
      'roles',
      t.teams.rolesLabel,
      team.roles.join(','),
      Object.entries(t.teams.roles).map(([value, title]) => ({ title, value })),
      { isMultiSelect: true, style: 'expanded' },
    ),
    {
      type: 'Input.Number',
      id: 'callDays',
      label: t.teams.callDaysLabel,
      min: 1,
      max: 30,
      errorMessage: format(t.inputErrors.wholeNumber, { min: 1, max: 30 }),
      value: rhythm.callForCases.daysBefore,
    },
    {
      type: 'Input.Number',
      id: 'ownerDays',
      label: t.teams.ownerDaysLabel,
      min: 1,
      max: 30,
      errorMessage: format(t.inputErrors.wholeNumber, { min: 1, max: 30 }),
      value: rhythm.ownerReminders.daysBefore,
    },
    {
      type: 'Input.Number',
      id: 'agendaDays',
      label: t.teams.agendaDaysLabel,
      min: 1,
      max: 14,
      errorMessage: format(t.inputErrors.wholeNumber, { min: 1, max: 14 }),
      value: rhythm.agenda.daysBefore,
    },
  ];
  return form(t.teams.setupTitle, team.name, '', inputs, [
    { title: t.teams.save, data: { verb: 'team.setup', teamId: team.teamId, scheduleKind }, style: 'positive' },
    { title: t.common.back, data: { verb: 'team.setup-form', teamId: team.teamId }, associatedInputs: 'none' },
    { title: t.common.cancel, data: { verb: 'team.setup-cancel', teamId: team.teamId }, associatedInputs: 'none' },
  ]);
}

/** The series as saved: the next meetings, what is already too late and will not be sent, and where the posts go. */
export function setupSavedCard(
  locale: Locale,
  team: Team,
  now: Date,
  outcome: { skipped: readonly SkippedStep[]; movedChannel: boolean } = { skipped: [], movedChannel: false },
): AdaptiveCardJson {
  const t = catalogue(locale);
  const upcoming = upcomingMeetings(team.series, now);
  const meetings = new Map(upcoming.map((m) => [m.id, m]));
  const skipped = [...new Set(outcome.skipped.map((s) => s.meetingId))].flatMap((meetingId) => {
    const meeting = meetings.get(meetingId);
    if (!meeting) return [];
    const kinds = outcome.skipped.filter((s) => s.meetingId === meetingId).map((s) => t.teams.skippedKinds[s.kind]);
    return [format(t.teams.skippedLine, { meeting: meetingText(locale, meeting), what: kinds.join(', ') })];
  });
  return teamPost({
    title: team.name,
    paragraphs: [format(t.teams.saved, { name: team.name })],
    lines: upcoming.length > 0 ? upcoming.map((meeting) => `• ${meetingText(locale, meeting)}`) : [t.teams.noMeetings],
    footnote: [
      ...(skipped.length > 0 ? [t.teams.skippedIntro, ...skipped] : []),
      ...(outcome.movedChannel ? [t.teams.movedChannel] : []),
    ].join('\n'),
    buttons: [
      { title: t.teams.topic, data: { verb: 'team.topic-form', teamId: team.teamId } },
      { title: t.teams.edit, data: { verb: 'team.setup-form', teamId: team.teamId } },
    ],
  });
}

// ---- bringing a case, topics -------------------------------------------------------------------

export type TeamChoice = { team: Pick<Team, 'teamId' | 'name'>; meetings: Meeting[] };

/** What the bring card shows again after a refusal: what was chosen and typed, and why it was refused. */
export type BringValues = { meeting?: string; mode?: string; questionId?: string; note?: string; notice?: string };

/**
 * From the owner's 1:1 chat: which team and meeting (only those still taking items), anonymous or
 * named, the question from the fixed list, and a private note — and the meetings the case is on
 * already, each with a button to take it off.
 */
export function bringToTeamCard(
  locale: Locale,
  c: Case,
  etag: string,
  choices: readonly TeamChoice[],
  values: BringValues = {},
): AdaptiveCardJson {
  const t = catalogue(locale);
  const options = choices.flatMap(({ team, meetings }) =>
    meetings.map((meeting) => ({ title: `${team.name} – ${meetingText(locale, meeting)}`, value: `${team.teamId}|${meeting.id}` })),
  );
  const back = { verb: 'uro.show' as const, caseId: c.id, unitId: c.unitId, view: 'case' };
  const names = new Map(choices.map(({ team }) => [team.teamId, team.name]));
  const onAgenda = c.teamItems.filter((ref) => ref.meetingId !== null && ref.withdrawnAt === null && names.has(ref.teamId));
  const current = onAgenda.map((ref) => {
    const meeting = choices.find((ch) => ch.team.teamId === ref.teamId)?.meetings.find((m) => m.id === ref.meetingId);
    return { ref, meeting };
  });
  const standing: object[] = current.flatMap(({ ref, meeting }) =>
    meeting
      ? [
          {
            type: 'TextBlock',
            text: format(t.teams.alreadyBrought, {
              code: c.id,
              team: names.get(ref.teamId) ?? ref.teamId,
              meeting: meetingText(locale, meeting),
              mode: t.teams.modeShort[ref.mode],
            }),
            wrap: true,
            isSubtle: true,
          },
        ]
      : [],
  );
  const withdraws: FormAction[] = current.flatMap(({ ref, meeting }) =>
    meeting
      ? [
          {
            title: `${t.teams.withdraw}: ${formatDay(meeting.date, locale)}`,
            data: { verb: 'team.withdraw', caseId: c.id, unitId: c.unitId, teamId: ref.teamId, meetingId: meeting.id },
            associatedInputs: 'none',
          },
        ]
      : [],
  );
  const notice = values.notice ? [{ type: 'TextBlock', text: values.notice, wrap: true, color: 'Attention' }] : [];
  if (options.length === 0) {
    return form(
      format(t.teams.bringTitle, { code: c.id }),
      '',
      t.teams.noTeams,
      [...notice, ...standing],
      [...withdraws, { title: t.common.back, data: back, associatedInputs: 'none' }],
    );
  }
  const selected = options.some((o) => o.value === values.meeting) ? values.meeting! : options[0]!.value;
  const inputs = [
    ...notice,
    ...standing,
    {
      type: 'Input.ChoiceSet',
      id: 'meeting',
      label: t.teams.meetingLabel,
      isRequired: true,
      errorMessage: t.teams.meetingLabel,
      value: selected,
      choices: options,
    },
    {
      type: 'Input.ChoiceSet',
      id: 'mode',
      label: t.teams.modeLabel,
      style: 'expanded',
      value: values.mode ?? 'anonymous',
      choices: Object.entries(t.teams.modes).map(([value, title]) => ({ title, value })),
    },
    {
      type: 'Input.ChoiceSet',
      id: 'questionId',
      label: t.teams.questionLabel,
      style: 'expanded',
      isRequired: true,
      errorMessage: t.teams.questionLabel,
      value: values.questionId ?? TEAM_QUESTIONS[0]!.id,
      choices: TEAM_QUESTIONS.map((question) => ({ title: question.labels[locale], value: question.id })),
    },
    { type: 'Input.Text', id: 'note', label: t.teams.noteLabel, isMultiline: true, maxLength: 300, value: values.note ?? '' },
  ];
  return form(format(t.teams.bringTitle, { code: c.alias ? `${c.id} (${c.alias})` : c.id }), '', t.teams.bringIntro, inputs, [
    { title: t.teams.bring, data: { verb: 'team.bring', caseId: c.id, unitId: c.unitId, rev: etag }, style: 'positive' },
    ...withdraws,
    { title: t.common.back, data: back, associatedInputs: 'none' },
  ]);
}

/** A topic for one of the meetings still taking items, from the team's channel. */
export function topicCard(
  locale: Locale,
  team: Pick<Team, 'teamId' | 'name'>,
  meetings: readonly Meeting[],
  values: { meetingId?: string; topic?: string; notice?: string } = {},
): AdaptiveCardJson {
  const t = catalogue(locale);
  const selected = meetings.some((m) => m.id === values.meetingId) ? values.meetingId! : (meetings[0]?.id ?? '');
  const inputs = [
    ...(values.notice ? [{ type: 'TextBlock', text: values.notice, wrap: true, color: 'Attention' }] : []),
    {
      type: 'Input.ChoiceSet',
      id: 'meetingId',
      label: t.teams.meetingLabel,
      isRequired: true,
      errorMessage: t.teams.meetingLabel,
      value: selected,
      choices: meetings.map((meeting) => ({ title: meetingText(locale, meeting), value: meeting.id })),
    },
    {
      type: 'Input.Text',
      id: 'topic',
      label: t.teams.topicLabel,
      isMultiline: true,
      maxLength: 300,
      isRequired: true,
      errorMessage: t.teams.topicLabel,
      value: values.topic ?? '',
    },
  ];
  return form(format(t.teams.topicTitle, { team: team.name }), '', '', inputs, [
    { title: t.teams.topic, data: { verb: 'team.topic', teamId: team.teamId }, style: 'positive' },
  ]);
}

/** The topic is on the agenda; whoever brought it can take it off again before the agenda is drawn. */
export function topicSavedCard(
  locale: Locale,
  team: Pick<Team, 'teamId'>,
  meeting: Meeting,
  itemId: string,
  options: { already?: boolean } = {},
): AdaptiveCardJson {
  const t = catalogue(locale);
  return teamPost({
    title: format(options.already ? t.teams.topicAlready : t.teams.topicSaved, { meeting: meetingText(locale, meeting) }),
    buttons: [{ title: t.teams.removeTopic, data: { verb: 'team.remove-topic', teamId: team.teamId, meetingId: meeting.id, itemId } }],
  });
}

// ---- the channel posts, drawn from the channel projection ---------------------------------------

/** One line of the agenda or the minutes post, as the channel projection allows it. */
function channelLineText(locale: Locale, line: ChannelLine, withQuestion = true): string {
  const t = catalogue(locale).teams;
  switch (line.kind) {
    case 'topic': {
      const header = format(t.agendaTopic, { n: line.n, minutes: line.minutes, owner: line.owner });
      return withQuestion ? `${header}\n${line.topic}` : header;
    }
    case 'withheld':
      return format(line.reason === 'case-closed' ? t.agendaWithheldClosed : t.agendaWithheld, { n: line.n, code: line.caseId });
    case 'case': {
      const header = format(t.agendaCase, {
        n: line.n,
        code: line.caseId,
        minutes: line.minutes,
        owner: line.owner,
        mode: t.modeShort[line.mode],
      });
      return withQuestion ? `${header}\n${teamQuestionLabel(line.questionId, locale)}` : header;
    }
  }
}

export function callForCasesPost(
  locale: Locale,
  team: Pick<Team, 'teamId' | 'name'>,
  meeting: Meeting,
  deadline: IsoDateTime,
  timeZone: string,
): AdaptiveCardJson {
  const t = catalogue(locale);
  return teamPost({
    title: format(t.teams.callTitle, { name: team.name }),
    paragraphs: [format(t.teams.callText, { meeting: meetingText(locale, meeting), deadline: deadlineText(locale, deadline, timeZone) })],
    buttons: [{ title: t.teams.topic, data: { verb: 'team.topic-form', teamId: team.teamId } }],
  });
}

export function agendaPost(locale: Locale, team: Pick<Team, 'name'>, meeting: Meeting, lines: readonly ChannelLine[]): AdaptiveCardJson {
  const t = catalogue(locale);
  return teamPost({
    title: format(t.teams.agendaTitle, { name: team.name, meeting: meetingText(locale, meeting) }),
    lines: lines.length > 0 ? lines.map((line) => channelLineText(locale, line)) : [t.teams.agendaEmpty],
  });
}

/** The minutes post: what the agenda showed (first lines only), and a button that sends the form to the presser's own chat. */
export function minutesPost(
  locale: Locale,
  team: Pick<Team, 'teamId' | 'name'>,
  meeting: Meeting,
  lines: readonly ChannelLine[] | 'no-agenda',
): AdaptiveCardJson {
  const t = catalogue(locale);
  return teamPost({
    title: format(t.teams.minutesTitle, { name: team.name, meeting: meetingText(locale, meeting) }),
    paragraphs: [t.teams.minutesText],
    lines: lines === 'no-agenda' ? [t.teams.minutesNoAgenda] : lines.map((line) => channelLineText(locale, line, false)),
    executes: [{ title: t.teams.writeMinutes, verb: 'team.minutes-form', data: { teamId: team.teamId, meetingId: meeting.id } }],
  });
}

/** Before the meeting, in an owner's own chat: the items they brought. */
export function ownerReminderCard(
  locale: Locale,
  team: Pick<Team, 'name'>,
  meeting: Meeting,
  items: readonly AgendaItem[],
): AdaptiveCardJson {
  const t = catalogue(locale);
  return teamPost({
    title: format(t.teams.ownerReminderTitle, { meeting: meetingText(locale, meeting) }),
    paragraphs: [
      format(t.teams.ownerReminderText, {
        items: items.map((item) => (item.kind === 'case' ? item.caseId : item.topic)).join(', '),
        name: team.name,
      }),
    ],
  });
}

// ---- minutes -----------------------------------------------------------------------------------

/** One agenda item on the minutes form, with the owner's note when the writer may see it. */
export type MinutesFormEntry = { item: AgendaItem; note: string | null };

/** Up to this many measures per item on the minutes form. */
export const MEASURES_PER_ITEM = 3;
/** Items per minutes form: about 1.8 KB each keeps a card well under Teams' 28 KB; more items come as further forms. */
export const ITEMS_PER_MINUTES_FORM = 10;

/** What an agenda item is, as its own writer reads it: "UR-4HNW – Råd om videre tiltak" or "Tema: …". */
function itemHeading(locale: Locale, item: AgendaItem): string {
  if (item.kind === 'topic') return format(catalogue(locale).teams.topicItem, { topic: item.topic });
  return `${item.caseId} – ${teamQuestionLabel(item.questionId ?? FALLBACK_TEAM_QUESTION, locale)}`;
}

/**
 * Minutes per agenda item, filled in the lead's or owner's own chat (never the channel): what we
 * know, options, a goal, up to three measures with who and by when, the next evaluation; and who
 * was present (roles). Where the content goes is decided when it is saved.
 */
export function minutesFormCard(
  locale: Locale,
  team: Pick<Team, 'teamId' | 'name' | 'roles'>,
  meeting: Meeting,
  entries: readonly MinutesFormEntry[],
  numberedFrom = 1,
): AdaptiveCardJson {
  const t = catalogue(locale);
  const inputs: object[] = [
    {
      type: 'Input.ChoiceSet',
      id: 'present',
      label: t.teams.presentLabel,
      isMultiSelect: true,
      style: 'expanded',
      value: team.roles.join(','),
      choices: Object.entries(t.teams.roles).map(([value, title]) => ({ title, value })),
    },
  ];
  const column = (item: object, width: string) => ({ type: 'Column', width, items: [item] });
  entries.forEach(({ item, note }, index) => {
    const n = index + 1;
    inputs.push({
      type: 'TextBlock',
      text: `${numberedFrom + index}. ${itemHeading(locale, item)}`,
      weight: 'Bolder',
      wrap: true,
      spacing: 'Large',
      separator: true,
    });
    if (note)
      inputs.push({
        type: 'TextBlock',
        text: format(t.teams.itemNote, { owner: item.owner.name, note }),
        wrap: true,
        isSubtle: true,
        spacing: 'Small',
      });
    inputs.push(
      { type: 'Input.Text', id: `item${n}Known`, label: t.teams.knownLabel, isMultiline: true, maxLength: 2000 },
      { type: 'Input.Text', id: `item${n}Options`, label: t.teams.optionsLabel, isMultiline: true, maxLength: 2000 },
      {
        type: 'ColumnSet',
        columns: [
          column({ type: 'Input.Text', id: `item${n}Goal`, label: t.teams.goalLabel, maxLength: 300 }, 'stretch'),
          column({ type: 'Input.Date', id: `item${n}GoalOn`, label: t.teams.goalOnLabel }, 'auto'),
        ],
      },
    );
    for (let m = 1; m <= MEASURES_PER_ITEM; m += 1) {
      inputs.push({
        type: 'ColumnSet',
        columns: [
          column(
            { type: 'Input.Text', id: `item${n}Measure${m}`, label: format(t.teams.measureLabel, { n: m }), maxLength: 300 },
            'stretch',
          ),
          column({ type: 'Input.Text', id: `item${n}Who${m}`, label: t.teams.measureWhoLabel, maxLength: 100 }, 'stretch'),
          column({ type: 'Input.Date', id: `item${n}Due${m}`, label: t.teams.measureDueLabel }, 'auto'),
        ],
      });
    }
    inputs.push({ type: 'Input.Date', id: `item${n}Next`, label: t.teams.nextEvaluationLabel });
  });
  return form(format(t.teams.minutesFormTitle, { name: team.name, meeting: meetingText(locale, meeting) }), '', '', inputs, [
    {
      title: t.teams.saveMinutes,
      data: { verb: 'team.minutes', teamId: team.teamId, meetingId: meeting.id, items: entries.map(({ item }) => item.id).join(',') },
      style: 'positive',
    },
  ]);
}

/** Where each item's minutes went, told to the writer; the lead may mark the meeting as held. */
export type MinutesReportLine =
  | { kind: 'recorded-on-case' | 'sent-to-owner' | 'kept-here' | 'empty' | 'already-recorded'; label: string }
  | { kind: 'not-delivered'; label: string; reason: string }
  | { kind: 'next-evaluation-not-set'; label: string; reason: string };

export function minutesSavedCard(
  locale: Locale,
  lines: readonly MinutesReportLine[],
  close?: { teamId: string; meetingId: string },
): AdaptiveCardJson {
  const t = catalogue(locale);
  const list = (kind: MinutesReportLine['kind']) => lines.filter((l) => l.kind === kind).map((l) => l.label);
  const out: string[] = [];
  const add = (sentence: Sentence<'codes' | 'count'>, codes: string[]) => {
    if (codes.length > 0) out.push(format(sentence, { codes: codes.join(', '), count: codes.length }));
  };
  add(t.teams.minutesRecordedOnCase, list('recorded-on-case'));
  add(t.teams.minutesSentToOwner, list('sent-to-owner'));
  add(t.teams.minutesTopicsKept, list('kept-here'));
  for (const line of lines) {
    if (line.kind === 'next-evaluation-not-set') out.push(format(t.teams.nextEvaluationNotSet, { code: line.label, reason: line.reason }));
    if (line.kind === 'not-delivered') out.push(format(t.teams.minutesNotDelivered, { code: line.label, reason: line.reason }));
  }
  add(t.teams.minutesAlreadyRecorded, list('already-recorded'));
  add(t.teams.minutesEmpty, list('empty'));
  return teamPost({
    title: t.teams.minutesSaved,
    lines: out,
    buttons: close ? [{ title: t.teams.closeMeeting, data: { verb: 'team.close-meeting', ...close } }] : [],
  });
}

export type ProposedMeasure = { what: string; who: string; dueOn: string };
export type ProposedGoal = { text: string; targetOn: string };

/** The team's minutes for one case, to its owner: added to the case only when they agree. */
export function measuresCard(
  locale: Locale,
  c: Pick<Case, 'id' | 'unitId'>,
  meetingLabel: string,
  notes: { known?: string; options?: string; nextOn?: string },
  measures: readonly ProposedMeasure[],
  goal?: ProposedGoal,
): AdaptiveCardJson {
  const t = catalogue(locale);
  const lines = [
    ...(notes.known ? [`${t.teams.knownLabel} ${notes.known}`] : []),
    ...(notes.options ? [`${t.teams.optionsLabel}: ${notes.options}`] : []),
    ...(goal ? [format(t.teams.measuresGoal, { text: goal.text, date: formatDay(goal.targetOn, locale) })] : []),
    ...measures.map((m) => `• ${m.what} – ${m.who} (${formatDay(m.dueOn, locale)})`),
    ...(notes.nextOn ? [`${t.teams.nextEvaluationLabel}: ${formatDay(notes.nextOn, locale)}`] : []),
  ];
  const data = {
    verb: 'team.add-measures' as const,
    caseId: c.id,
    unitId: c.unitId,
    measures: JSON.stringify(measures),
    ...(goal ? { goal: JSON.stringify(goal) } : {}),
  };
  return teamPost({
    title: format(t.teams.measuresTitle, { code: c.id }),
    paragraphs: [format(t.teams.measuresText, { meeting: meetingLabel })],
    lines,
    buttons: measures.length > 0 || goal ? [{ title: t.teams.addMeasures, data }] : [],
  });
}
