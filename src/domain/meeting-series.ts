import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { IsoDateSchema, SlugSchema, type IsoDate, type IsoDateTime } from './primitives';
import { DEFAULT_TIME_ZONE } from './time';

/**
 * A recurring forum (an interdisciplinary team, an oppvekstforum) and the rhythm of messages
 * around each of its meetings: call for cases, reminders to item owners, agenda, minutes.
 *
 * Meetings are agreed in local wall-clock time ("Tuesdays 09:00"), so every date and time here
 * is local to the series' zone and converted to UTC instants only at the end. That is what keeps
 * a 09:00 meeting at 09:00 on both sides of a daylight-saving change (08:00Z in winter, 07:00Z
 * in summer). Pure: no clock, no I/O.
 */

/** A wall-clock time of day, `HH:mm` (24 h). */
const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:mm');
export type LocalTime = z.infer<typeof LocalTimeSchema>;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** Upper bounds that keep a mistyped series (every week for ten years) from flooding the scheduler. */
const MAX_MEETINGS = 100;
const MAX_SERIES_DAYS = 731;

const SessionSchema = z.object({ date: IsoDateSchema, start: LocalTimeSchema, end: LocalTimeSchema });
type Session = z.infer<typeof SessionSchema>;

/** Meetings on dates chosen one by one (the usual case: 2–4 per half-year). */
const ExplicitDatesSchema = z.object({
  kind: z.literal('dates'),
  meetings: z.array(SessionSchema).min(1).max(MAX_MEETINGS),
});

/** "Every 6th Tuesday 09:00–10:30 from 6 January until 23 June", minus holiday dates. */
const CadenceSchema = z.object({
  kind: z.literal('cadence'),
  everyWeeks: z.number().int().min(1).max(52),
  weekday: WeekdaySchema,
  start: LocalTimeSchema,
  end: LocalTimeSchema,
  /** The first meeting is the first `weekday` on or after this date. */
  from: IsoDateSchema,
  /** Inclusive. */
  until: IsoDateSchema,
  /** Dates the cadence skips (holidays); the cadence itself does not shift. */
  except: z.array(IsoDateSchema).max(MAX_MEETINGS).default([]),
});

/** Which of a month's weekdays: the first to the fourth, or the last (-1). */
const WeekOfMonthSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)]);
export type WeekOfMonth = z.infer<typeof WeekOfMonthSchema>;

/** "The first Tuesday of each month 09:00–11:00" (an oppvekstforum meets monthly), minus holiday dates. */
const MonthlySchema = z.object({
  kind: z.literal('monthly'),
  week: WeekOfMonthSchema,
  weekday: WeekdaySchema,
  start: LocalTimeSchema,
  end: LocalTimeSchema,
  /** The first meeting is the first such day on or after this date. */
  from: IsoDateSchema,
  /** Inclusive. */
  until: IsoDateSchema,
  /** Dates the series skips (a holiday month's meeting). */
  except: z.array(IsoDateSchema).max(MAX_MEETINGS).default([]),
});

const ScheduleSchema = z.discriminatedUnion('kind', [ExplicitDatesSchema, CadenceSchema, MonthlySchema]);
export type Schedule = z.infer<typeof ScheduleSchema>;

/** A message sent some whole days before the meeting, at a local time of day. */
function beforeMeeting(daysBefore: number, at: LocalTime) {
  // At least one day before, so that the message is always due before the meeting starts.
  return z.object({ daysBefore: z.number().int().min(1).max(60).default(daysBefore), at: LocalTimeSchema.default(at) }).default({});
}

export const RhythmOffsetsSchema = z
  .object({
    callForCases: beforeMeeting(7, '09:00'),
    ownerReminders: beforeMeeting(2, '09:00'),
    agenda: beforeMeeting(1, '12:00'),
    minutes: z
      .object({
        minutesAfterEnd: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60)
          .default(0),
        /** Minutes nobody asked for within this many days are no longer worth posting. */
        staleAfterDays: z.number().int().min(1).max(90).default(14),
      })
      .default({}),
    /**
     * Move a call for cases, owner reminder or agenda that would fall on a Saturday or Sunday
     * to the Friday before (a Tuesday meeting's owner reminder is otherwise a Sunday message).
     */
    avoidWeekends: z.boolean().default(false),
  })
  .default({});
export type RhythmOffsets = z.infer<typeof RhythmOffsetsSchema>;

/** A message of the rhythm that will not be sent: it was already due when its meeting was added to the series. */
const SkippedStepSchema = z.object({
  meetingId: z.string().regex(/^\d{4}-\d{2}-\d{2}-\d{4}$/, 'expected a meeting id'),
  kind: z.enum(['call-for-cases', 'owner-reminders', 'agenda', 'minutes']),
});
export type SkippedStep = z.infer<typeof SkippedStepSchema>;

export const MeetingSeriesSchema = z
  .object({
    id: SlugSchema,
    /** What the channel calls it, e.g. "Tverrfaglig team" or "Oppvekstforum". */
    name: z.string().trim().min(1).max(120),
    timeZone: z
      .string()
      .default(DEFAULT_TIME_ZONE)
      .refine((zone) => IANAZone.isValidZone(zone), 'not a time zone (e.g. Europe/Oslo)'),
    schedule: ScheduleSchema,
    rhythm: RhythmOffsetsSchema,
    /**
     * Messages that are not sent because they were already due when their meeting was added (a
     * series saved the day before its first meeting sends no call for cases, and says so). Set by
     * the team's set-up (`src/domain/team-decide.ts`), kept for the meetings still in the series.
     */
    skipped: z
      .array(SkippedStepSchema)
      .max(4 * MAX_MEETINGS)
      .default([]),
  })
  .superRefine((series, ctx) => {
    const refuse = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
    const { schedule, rhythm } = series;
    // The call for cases names the agenda's time as its deadline: it must come before it (weekend moves apply to both alike).
    if (
      rhythm.callForCases.daysBefore < rhythm.agenda.daysBefore ||
      (rhythm.callForCases.daysBefore === rhythm.agenda.daysBefore && rhythm.callForCases.at >= rhythm.agenda.at)
    ) {
      refuse(['rhythm', 'callForCases', 'daysBefore'], 'the call for cases must come before the agenda');
    }
    if (schedule.kind === 'dates') {
      const seen = new Set<string>();
      schedule.meetings.forEach((session, index) => {
        if (session.end <= session.start) refuse(['schedule', 'meetings', index, 'end'], 'must be after the start');
        const id = meetingIdOf(session);
        if (seen.has(id)) refuse(['schedule', 'meetings', index], 'the same meeting is listed twice');
        seen.add(id);
      });
      return;
    }
    if (schedule.end <= schedule.start) refuse(['schedule', 'end'], 'must be after the start');
    if (schedule.until < schedule.from) {
      refuse(['schedule', 'until'], 'must be on or after the first date');
    } else if (calendarDay(schedule.until).diff(calendarDay(schedule.from), 'days').days > MAX_SERIES_DAYS) {
      refuse(['schedule', 'until'], `a series spans at most ${MAX_SERIES_DAYS} days`);
    } else if (recurringDates(schedule).length === 0) {
      refuse(['schedule'], 'no meeting falls between the first and the last date');
    }
  });
/** A series as stored (defaults filled in). Parse input with `MeetingSeriesSchema`. */
export type MeetingSeries = z.infer<typeof MeetingSeriesSchema>;
export type MeetingSeriesInput = z.input<typeof MeetingSeriesSchema>;

/** `2026-03-31-0900`: the local date and start; unique within a series and safe in document ids. */
export type MeetingId = string;
export const MeetingIdSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}-\d{4}$/, 'expected a meeting id such as 2026-03-17-0900');

export type Meeting = {
  id: MeetingId;
  seriesId: string;
  /** Local calendar day in the series' zone. */
  date: IsoDate;
  start: LocalTime;
  end: LocalTime;
  startsAt: IsoDateTime;
  endsAt: IsoDateTime;
};

export type RhythmKind = 'call-for-cases' | 'owner-reminders' | 'agenda' | 'minutes';

export type RhythmStep = {
  kind: RhythmKind;
  meetingId: MeetingId;
  dueAt: IsoDateTime;
  /** After this instant the message is no longer worth sending (a catch-up drops it). */
  staleAfter: IsoDateTime;
};

/** Every meeting of the series, in order of start. */
export function meetingsOf(series: MeetingSeries): Meeting[] {
  const { schedule } = series;
  const sessions: Session[] =
    schedule.kind === 'dates'
      ? schedule.meetings
      : recurringDates(schedule).map((date) => ({ date, start: schedule.start, end: schedule.end }));
  return sessions
    .map((session) => ({
      id: meetingIdOf(session),
      seriesId: series.id,
      date: session.date,
      start: session.start,
      end: session.end,
      startsAt: utc(atLocal(session.date, session.start, series.timeZone)),
      endsAt: utc(atLocal(session.date, session.end, series.timeZone)),
    }))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** The meeting with that id, if the series (as it is now) still has it. */
export function findMeeting(series: MeetingSeries, meetingId: MeetingId): Meeting | undefined {
  return meetingsOf(series).find((meeting) => meeting.id === meetingId);
}

/**
 * The messages around one meeting, in order of due time. A call for cases or an owner reminder
 * is pointless once the meeting has started, an agenda once it has ended; minutes are still
 * wanted for a while after the meeting (`staleAfterDays`).
 */
export function rhythmOf(series: MeetingSeries, meeting: Meeting): RhythmStep[] {
  const { rhythm, timeZone } = series;
  const daysBefore = (offset: { daysBefore: number; at: LocalTime }) => {
    let day = calendarDay(meeting.date).minus({ days: offset.daysBefore });
    if (rhythm.avoidWeekends && day.weekday > 5) day = day.minus({ days: day.weekday - 5 });
    return utc(atLocal(day.toISODate()!, offset.at, timeZone));
  };
  const minutesDue = DateTime.fromISO(meeting.endsAt, { zone: timeZone }).plus({ minutes: rhythm.minutes.minutesAfterEnd });
  const steps: RhythmStep[] = [
    { kind: 'call-for-cases', meetingId: meeting.id, dueAt: daysBefore(rhythm.callForCases), staleAfter: meeting.startsAt },
    { kind: 'owner-reminders', meetingId: meeting.id, dueAt: daysBefore(rhythm.ownerReminders), staleAfter: meeting.startsAt },
    { kind: 'agenda', meetingId: meeting.id, dueAt: daysBefore(rhythm.agenda), staleAfter: meeting.endsAt },
    {
      kind: 'minutes',
      meetingId: meeting.id,
      dueAt: utc(minutesDue),
      // Calendar days in the zone, so "14 days later" is the same time of day across a DST change.
      staleAfter: utc(minutesDue.plus({ days: rhythm.minutes.staleAfterDays })),
    },
  ];
  return steps.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
}

/** The messages of one meeting that will be sent: its rhythm without the steps the series skips. */
export function scheduledRhythm(series: MeetingSeries, meeting: Meeting): RhythmStep[] {
  const skipped = new Set(series.skipped.filter((s) => s.meetingId === meeting.id).map((s) => s.kind));
  return rhythmOf(series, meeting).filter((step) => !skipped.has(step.kind));
}

/**
 * When the agenda of a meeting is drawn: the last moment an item can be added to it. The call for
 * cases names it as its deadline. (Also when the agenda itself is skipped: intake closes then.)
 */
export function intakeClosesAt(series: MeetingSeries, meeting: Meeting): IsoDateTime {
  return rhythmOf(series, meeting).find((step) => step.kind === 'agenda')!.dueAt;
}

/** The first message of the series still to be sent after `now` (channel posts and owners' reminders alike), if any. */
export function nextDuePost(series: MeetingSeries, now: Date): RhythmStep | undefined {
  const nowIso = now.toISOString();
  return meetingsOf(series)
    .flatMap((meeting) => scheduledRhythm(series, meeting))
    .filter((step) => step.dueAt > nowIso)
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

/**
 * The steps of `series` to skip: those of meetings it adds (not in `before`) that are already due
 * at `now`, for meetings that have not started; the skips `before` had are kept for meetings both
 * have. Pure: the edge stores the result in the series.
 */
export function skippedOnSave(before: MeetingSeries | null, series: MeetingSeries, now: Date): SkippedStep[] {
  const nowIso = now.toISOString();
  const known = new Set(before ? meetingsOf(before).map((m) => m.id) : []);
  const kept = (before?.skipped ?? []).filter((s) => known.has(s.meetingId));
  const added: SkippedStep[] = [];
  for (const meeting of meetingsOf(series)) {
    if (known.has(meeting.id) || meeting.startsAt <= nowIso) continue;
    for (const step of rhythmOf(series, meeting)) if (step.dueAt <= nowIso) added.push({ meetingId: meeting.id, kind: step.kind });
  }
  const ids = new Set(meetingsOf(series).map((m) => m.id));
  return [...kept.filter((s) => ids.has(s.meetingId)), ...added];
}

function meetingIdOf(session: Session): MeetingId {
  return `${session.date}-${session.start.replace(':', '')}`;
}

function recurringDates(schedule: z.infer<typeof CadenceSchema> | z.infer<typeof MonthlySchema>): IsoDate[] {
  return schedule.kind === 'cadence' ? cadenceDates(schedule) : monthlyDates(schedule);
}

/**
 * The dates of a monthly series: the `week`th `weekday` of each month (or the last), from `from`
 * until `until`. Calendar days only, so a daylight-saving change cannot move a meeting's day.
 */
function monthlyDates(monthly: z.infer<typeof MonthlySchema>): IsoDate[] {
  const weekday = WEEKDAYS.indexOf(monthly.weekday) + 1; // luxon: 1 = Monday
  const from = calendarDay(monthly.from);
  const until = calendarDay(monthly.until);
  const except = new Set(monthly.except);
  const dates: IsoDate[] = [];
  for (let month = from.startOf('month'); month <= until && dates.length < MAX_MEETINGS; month = month.plus({ months: 1 })) {
    let day: DateTime;
    if (monthly.week === -1) {
      const last = month.endOf('month').startOf('day');
      day = last.minus({ days: (last.weekday - weekday + 7) % 7 });
    } else {
      day = month.plus({ days: (weekday - month.weekday + 7) % 7 }).plus({ weeks: monthly.week - 1 });
    }
    const date = day.toISODate()!;
    if (day >= from && day <= until && !except.has(date)) dates.push(date);
  }
  return dates;
}

/** The dates of a cadence: every `everyWeeks` weeks on `weekday`, from `from` until `until`. */
function cadenceDates(cadence: z.infer<typeof CadenceSchema>): IsoDate[] {
  const weekday = WEEKDAYS.indexOf(cadence.weekday) + 1; // luxon: 1 = Monday
  const from = calendarDay(cadence.from);
  const until = calendarDay(cadence.until);
  const except = new Set(cadence.except);
  const dates: IsoDate[] = [];
  // Calendar arithmetic on dates only (no time of day), so DST cannot shift a meeting's day.
  let day = from.plus({ days: (weekday - from.weekday + 7) % 7 });
  while (day <= until && dates.length < MAX_MEETINGS) {
    const date = day.toISODate()!;
    if (!except.has(date)) dates.push(date);
    day = day.plus({ weeks: cadence.everyWeeks });
  }
  return dates;
}

function calendarDay(date: IsoDate): DateTime {
  return DateTime.fromISO(date, { zone: 'utc' });
}

/**
 * A local wall-clock time in a zone. A time that does not exist (02:30 on the last Sunday of
 * March) moves forward by the gap (03:30 summer time); a time that happens twice (02:30 on the
 * last Sunday of October) is read as the second occurrence (standard time). Luxon decides both.
 */
function atLocal(date: IsoDate, time: LocalTime, timeZone: string): DateTime {
  return DateTime.fromISO(`${date}T${time}`, { zone: timeZone });
}

function utc(instant: DateTime): IsoDateTime {
  return instant.toUTC().toISO({ suppressMilliseconds: false })!;
}
