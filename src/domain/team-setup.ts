import {
  MeetingSeriesSchema,
  type MeetingSeries,
  type MeetingSeriesInput,
  type RhythmOffsets,
  type WeekOfMonth,
  type Weekday,
} from './meeting-series';
import type { IsoDate } from './primitives';

/**
 * A meeting series from what the set-up card holds. The card shows one kind of rhythm at a time
 * (chosen dates, every N weeks, monthly) and the days before each message; what it does not show
 * — the times of day, the weekend rule, a cadence's holiday dates — is kept from the series as it
 * is, or taken from the municipality's defaults for a new one. Pure: the series' own rules decide.
 */

export type ScheduleKind = 'cadence' | 'monthly' | 'dates';
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['dates', 'cadence', 'monthly'];

export type SeriesForm = {
  name: string;
  scheduleKind: ScheduleKind;
  everyWeeks?: number;
  week?: WeekOfMonth;
  weekday?: Weekday;
  start: string;
  end: string;
  from?: IsoDate;
  until?: IsoDate;
  dates?: IsoDate[];
  callDays?: number;
  ownerDays?: number;
  agendaDays?: number;
};

export type SeriesFromForm = { kind: 'series'; series: MeetingSeries } | { kind: 'invalid'; fields: string[] };

export function seriesFromForm(
  current: MeetingSeries | null,
  defaults: RhythmOffsets,
  form: SeriesForm,
  today: IsoDate,
  timeZone: string,
): SeriesFromForm {
  const recurring = current?.schedule.kind === 'dates' ? undefined : current?.schedule;
  const keptExcept = recurring?.except ?? [];
  const from = form.from ?? recurring?.from ?? today;
  const until = form.until ?? recurring?.until ?? halfYearEnd(today);
  const weekday = form.weekday ?? recurring?.weekday ?? 'tuesday';
  const schedule: MeetingSeriesInput['schedule'] =
    form.scheduleKind === 'dates'
      ? { kind: 'dates', meetings: (form.dates ?? []).map((date) => ({ date, start: form.start, end: form.end })) }
      : form.scheduleKind === 'monthly'
        ? {
            kind: 'monthly',
            week: form.week ?? (recurring?.kind === 'monthly' ? recurring.week : 1),
            weekday,
            start: form.start,
            end: form.end,
            from,
            until,
            except: keptExcept,
          }
        : {
            kind: 'cadence',
            everyWeeks: form.everyWeeks ?? (recurring?.kind === 'cadence' ? recurring.everyWeeks : 6),
            weekday,
            start: form.start,
            end: form.end,
            from,
            until,
            except: keptExcept,
          };
  const base = current?.rhythm ?? defaults;
  const parsed = MeetingSeriesSchema.safeParse({
    id: current?.id ?? 'series',
    name: form.name,
    timeZone,
    schedule,
    rhythm: {
      ...base,
      callForCases: { ...base.callForCases, daysBefore: form.callDays ?? base.callForCases.daysBefore },
      ownerReminders: { ...base.ownerReminders, daysBefore: form.ownerDays ?? base.ownerReminders.daysBefore },
      agenda: { ...base.agenda, daysBefore: form.agendaDays ?? base.agenda.daysBefore },
    },
    skipped: current?.skipped ?? [],
  });
  if (!parsed.success) return { kind: 'invalid', fields: [...new Set(parsed.error.issues.map((issue) => fieldOf(issue.path)))] };
  return { kind: 'series', series: parsed.data };
}

/** The card field a problem in the series belongs to. */
function fieldOf(path: readonly (string | number)[]): string {
  const key = path.filter((part): part is string => typeof part === 'string');
  if (key[0] === 'rhythm') return key[1] === 'callForCases' ? 'callDays' : key[1] === 'ownerReminders' ? 'ownerDays' : 'agendaDays';
  if (key[0] === 'schedule' && key.includes('meetings')) return key.at(-1) === 'end' ? 'end' : 'dates';
  return key.at(-1) === 'schedule' ? 'from' : (key.at(-1) ?? 'name');
}

/** The end of the current half-year (30 June or 31 December), the default last date of a series. */
export function halfYearEnd(today: IsoDate): IsoDate {
  const year = today.slice(0, 4);
  return today.slice(5) <= '06-30' ? `${year}-06-30` : `${year}-12-31`;
}
