import type { Case } from '../domain/case';
import { meetingsOf, type Meeting, type MeetingSeries, type Weekday } from '../domain/meeting-series';
import { FALLBACK_TEAM_QUESTION, TEAM_QUESTIONS, teamQuestionLabel } from '../domain/team-questions';
import type { Municipality } from '../domain/municipality';
import type { PersonRef } from '../domain/primitives';
import { catalogue, format, formatDay, type Locale } from '../i18n';
import type { AgendaItem, Team } from '../store/teams';
import type { AdaptiveCardJson } from './guards';
import { renderCard } from './render';

/**
 * Cards of the interdisciplinary team: the set-up form and the rhythm posted in the channel
 * (call for cases, agenda, minutes) — which show case codes, neutral questions and staff names
 * only — plus the forms an owner or lead fills in their own 1:1 chat (bring a case, minutes).
 */

type FormAction = { title: string; data: object; style?: 'positive' | 'destructive' | 'default'; associatedInputs?: 'auto' | 'none' };

function form(title: string, subtitle: string, intro: string, inputs: object[], actions: FormAction[]): AdaptiveCardJson {
  return renderCard('form', {
    title,
    subtitle,
    intro,
    inputs,
    actions: actions.map((action) => ({ style: 'default', associatedInputs: 'auto', ...action })),
  });
}

/** "tirsdag 13. januar 2026 kl. 09:00–10:30". */
export function meetingText(locale: Locale, meeting: Pick<Meeting, 'date' | 'start' | 'end'>): string {
  const t = catalogue(locale);
  const weekday = new Date(`${meeting.date}T12:00:00Z`).getUTCDay();
  const names: Weekday[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  return format(t.teams.meetingLine, {
    weekday: t.teams.weekdays[names[weekday]!],
    date: formatDay(meeting.date, locale),
    start: meeting.start,
    end: meeting.end,
  });
}

export function upcomingMeetings(series: MeetingSeries | null, now: Date, limit = 6): Meeting[] {
  if (!series) return [];
  const nowIso = now.toISOString();
  return meetingsOf(series)
    .filter((meeting) => meeting.startsAt > nowIso)
    .slice(0, limit);
}

export type SetupInput = {
  locale: Locale;
  team: Team;
  municipality: Municipality;
  me: PersonRef;
  today: string;
};

/** The set-up form in the channel; filled in from the team's current series when it has one. */
export function teamSetupCard(input: SetupInput): AdaptiveCardJson {
  const t = catalogue(input.locale);
  const { team } = input;
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
    choice('unitId', t.teams.unitLabel, team.unitId ?? '', [
      ...input.municipality.units.map((unit) => ({ title: unit.name, value: unit.id })),
      { title: t.teams.noUnit, value: 'none' },
    ]),
    choice(
      'scheduleKind',
      t.teams.scheduleLabel,
      schedule?.kind ?? 'cadence',
      Object.entries(t.teams.scheduleKinds).map(([value, title]) => ({ title, value })),
      {
        style: 'expanded',
      },
    ),
    { type: 'Input.Number', id: 'everyWeeks', label: t.teams.everyWeeksLabel, min: 1, max: 52, value: cadence?.everyWeeks ?? 6 },
    choice(
      'week',
      t.teams.weekOfMonthLabel,
      String(monthly?.week ?? 1),
      Object.entries(t.teams.weeksOfMonth).map(([value, title]) => ({ title, value })),
    ),
    choice(
      'weekday',
      t.teams.weekdayLabel,
      recurring?.weekday ?? 'tuesday',
      Object.entries(t.teams.weekdays).map(([value, title]) => ({ title, value })),
    ),
    {
      type: 'Input.Time',
      id: 'start',
      label: t.teams.startLabel,
      value: recurring?.start ?? (schedule?.kind === 'dates' ? schedule.meetings[0]!.start : '09:00'),
    },
    {
      type: 'Input.Time',
      id: 'end',
      label: t.teams.endLabel,
      value: recurring?.end ?? (schedule?.kind === 'dates' ? schedule.meetings[0]!.end : '10:30'),
    },
    { type: 'Input.Date', id: 'from', label: t.teams.fromLabel, value: recurring?.from ?? input.today },
    { type: 'Input.Date', id: 'until', label: t.teams.untilLabel, value: recurring?.until ?? halfYearEnd(input.today) },
    {
      type: 'Input.Text',
      id: 'dates',
      label: t.teams.datesLabel,
      maxLength: 400,
      value: schedule?.kind === 'dates' ? schedule.meetings.map((m) => m.date).join(', ') : '',
    },
    choice('leadId', t.teams.leadLabel, team.lead?.id ?? input.me.id, leads),
    choice(
      'roles',
      t.teams.rolesLabel,
      team.roles.join(','),
      Object.entries(t.teams.roles).map(([value, title]) => ({ title, value })),
      {
        isMultiSelect: true,
        style: 'expanded',
      },
    ),
    { type: 'Input.Number', id: 'callDays', label: t.teams.callDaysLabel, min: 1, max: 30, value: rhythm.callForCases.daysBefore },
    { type: 'Input.Number', id: 'ownerDays', label: t.teams.ownerDaysLabel, min: 1, max: 30, value: rhythm.ownerReminders.daysBefore },
    { type: 'Input.Number', id: 'agendaDays', label: t.teams.agendaDaysLabel, min: 1, max: 14, value: rhythm.agenda.daysBefore },
  ];
  return form(t.teams.setupTitle, team.name, t.teams.setupIntro, inputs, [
    { title: t.teams.save, data: { verb: 'team.setup', teamId: team.teamId }, style: 'positive' },
  ]);
}

/** The end of the current half-year (30 June or 31 December), the default last date of a series. */
function halfYearEnd(today: string): string {
  const year = today.slice(0, 4);
  return today.slice(5) <= '06-30' ? `${year}-06-30` : `${year}-12-31`;
}

/** A post in the channel: codes, questions, staff names and dates only. */
export function teamPost(input: {
  title: string;
  paragraphs?: string[];
  lines?: string[];
  footnote?: string;
  buttons?: { title: string; data: object }[];
}): AdaptiveCardJson {
  return renderCard('team-post', {
    title: input.title,
    paragraphs: input.paragraphs ?? [],
    lines: input.lines ?? [],
    footnote: input.footnote ?? '',
    buttons: input.buttons ?? [],
  });
}

export function setupSavedCard(locale: Locale, team: Team, now: Date): AdaptiveCardJson {
  const t = catalogue(locale);
  const upcoming = upcomingMeetings(team.series, now);
  return teamPost({
    title: team.name,
    paragraphs: [format(t.teams.saved, { name: team.name })],
    lines: upcoming.length > 0 ? upcoming.map((meeting) => `• ${meetingText(locale, meeting)}`) : [t.teams.noMeetings],
    buttons: [
      { title: t.teams.topic, data: { verb: 'team.topic-form', teamId: team.teamId } },
      { title: t.teams.edit, data: { verb: 'team.setup-form', teamId: team.teamId } },
    ],
  });
}

export type TeamChoice = { team: Pick<Team, 'teamId' | 'name'>; meetings: Meeting[] };

/** From the owner's 1:1 chat: which team and meeting, anonymous or named, the question from the fixed list, and a private note. */
export function bringToTeamCard(locale: Locale, c: Case, etag: string, choices: readonly TeamChoice[]): AdaptiveCardJson {
  const t = catalogue(locale);
  const options = choices.flatMap(({ team, meetings }) =>
    meetings.map((meeting) => ({ title: `${team.name} – ${meetingText(locale, meeting)}`, value: `${team.teamId}|${meeting.id}` })),
  );
  const back = { verb: 'uro.show', caseId: c.id, unitId: c.unitId, view: 'case' };
  if (options.length === 0) {
    return form(
      format(t.teams.bringTitle, { code: c.id }),
      '',
      t.teams.noTeams,
      [],
      [{ title: t.common.back, data: back, associatedInputs: 'none' }],
    );
  }
  const inputs = [
    {
      type: 'Input.ChoiceSet',
      id: 'meeting',
      label: t.teams.meetingLabel,
      isRequired: true,
      errorMessage: t.teams.meetingLabel,
      value: options[0]!.value,
      choices: options,
    },
    {
      type: 'Input.ChoiceSet',
      id: 'mode',
      label: t.teams.modeLabel,
      style: 'expanded',
      value: 'anonymous',
      choices: Object.entries(t.teams.modes).map(([value, title]) => ({ title, value })),
    },
    {
      type: 'Input.ChoiceSet',
      id: 'questionId',
      label: t.teams.questionLabel,
      style: 'expanded',
      isRequired: true,
      errorMessage: t.teams.questionLabel,
      value: TEAM_QUESTIONS[0]!.id,
      choices: TEAM_QUESTIONS.map((question) => ({ title: question.labels[locale], value: question.id })),
    },
    { type: 'Input.Text', id: 'note', label: t.teams.noteLabel, isMultiline: true, maxLength: 300 },
  ];
  return form(format(t.teams.bringTitle, { code: c.alias ? `${c.id} (${c.alias})` : c.id }), '', t.teams.bringIntro, inputs, [
    { title: t.teams.bring, data: { verb: 'team.bring', caseId: c.id, unitId: c.unitId, rev: etag }, style: 'positive' },
    { title: t.common.back, data: back, associatedInputs: 'none' },
  ]);
}

export function topicCard(locale: Locale, team: Team, now: Date): AdaptiveCardJson {
  const t = catalogue(locale);
  const meetings = upcomingMeetings(team.series, now);
  const inputs = [
    {
      type: 'Input.ChoiceSet',
      id: 'meetingId',
      label: t.teams.meetingLabel,
      isRequired: true,
      errorMessage: t.teams.meetingLabel,
      value: meetings[0]?.id ?? '',
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
    },
  ];
  return form(format(t.teams.topicTitle, { team: team.name }), '', '', inputs, [
    { title: t.teams.topic, data: { verb: 'team.topic', teamId: team.teamId }, style: 'positive' },
  ]);
}

/** One agenda item on the minutes form, with the owner's note when the writer may see it. */
export type MinutesFormEntry = { item: AgendaItem; note: string | null };

/** Up to this many measures per item on the minutes form. */
export const MEASURES_PER_ITEM = 3;
/** Items per minutes form: about 1.8 KB each keeps a card well under Teams' 28 KB; more items come as further forms. */
export const ITEMS_PER_MINUTES_FORM = 10;

/** What an agenda item is, as its own writer reads it: "UR-4HNW – Råd om videre tiltak" or "Tema: …". */
export function itemHeading(locale: Locale, item: AgendaItem): string {
  if (item.kind === 'topic') return format(catalogue(locale).teams.topicItem, { topic: item.topic ?? '' });
  return `${item.caseId} – ${teamQuestionLabel(item.questionId ?? FALLBACK_TEAM_QUESTION, locale)}`;
}

/**
 * Minutes per agenda item, filled in the lead's or owner's own chat (never the channel): what we
 * know, options, a goal, up to three measures with who and by when, the next evaluation; and who
 * was present (roles). Where the content goes is decided when it is saved.
 */
export function minutesFormCard(
  locale: Locale,
  team: Team,
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
    verb: 'team.add-measures',
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
