import { DateTime } from 'luxon';
import type { IsoDate, IsoDateTime } from './primitives';

/**
 * Date arithmetic for the domain. Instants are UTC; "which day is it" is always asked in the
 * municipality's time zone, so that an evaluation due "today" means today in Norway.
 */

export const DEFAULT_TIME_ZONE = 'Europe/Oslo';

/** The calendar day of an instant in a time zone. */
export function dayOf(instant: Date | IsoDateTime, timeZone: string = DEFAULT_TIME_ZONE): IsoDate {
  const js = typeof instant === 'string' ? new Date(instant) : instant;
  const day = DateTime.fromJSDate(js, { zone: timeZone }).toISODate();
  if (day === null) throw new RangeError(`cannot take the day of ${String(instant)} in ${timeZone}`);
  return day;
}

/** The instant as stored: an ISO string in UTC. */
export function instantOf(now: Date): IsoDateTime {
  return now.toISOString();
}

/** A calendar day plus (or minus) a number of days. */
export function addDays(day: IsoDate, days: number): IsoDate {
  const result = DateTime.fromISO(day, { zone: 'utc' }).plus({ days }).toISODate();
  if (result === null) throw new RangeError(`not a calendar day: ${day}`);
  return result;
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round(DateTime.fromISO(to, { zone: 'utc' }).diff(DateTime.fromISO(from, { zone: 'utc' }), 'days').days);
}

/**
 * The day `days` working days after `day`: Monday to Friday, not counting Norway's public
 * holidays (a request sent before Easter does not nag the leader on Easter Monday).
 */
export function addWorkingDays(day: IsoDate, days: number): IsoDate {
  let current = DateTime.fromISO(day, { zone: 'utc' });
  let left = days;
  while (left > 0) {
    current = current.plus({ days: 1 });
    if (current.weekday <= 5 && !isPublicHoliday(current.toISODate()!)) left -= 1;
  }
  const result = current.toISODate();
  if (result === null) throw new RangeError(`not a calendar day: ${day}`);
  return result;
}

/** Norway's public holidays (helligdager): fixed dates and those that move with Easter. */
export function isPublicHoliday(day: IsoDate): boolean {
  const year = Number(day.slice(0, 4));
  if (FIXED_HOLIDAYS.includes(day.slice(5))) return true;
  const easter = easterSunday(year);
  return EASTER_OFFSETS.some((offset) => addDays(easter, offset) === day);
}

/** New Year's Day, Labour Day, Constitution Day, Christmas Day and Boxing Day. */
const FIXED_HOLIDAYS = ['01-01', '05-01', '05-17', '12-25', '12-26'];
/** Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday. */
const EASTER_OFFSETS = [-3, -2, 0, 1, 39, 49, 50];

/** Easter Sunday in the Gregorian calendar (the anonymous algorithm, as in Meeus). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

/** An instant plus whole calendar months (UTC): when a case closed at `instant` is deleted (the retention period). */
export function addMonths(instant: IsoDateTime, months: number): IsoDateTime {
  const result = DateTime.fromISO(instant, { zone: 'utc' }).plus({ months }).toISO();
  if (result === null) throw new RangeError(`not an instant: ${instant}`);
  return new Date(result).toISOString();
}
