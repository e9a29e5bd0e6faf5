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

/** ISO calendar days compare correctly as strings; this names the intent. */
export function isBeforeDay(a: IsoDate, b: IsoDate): boolean {
  return a < b;
}

/** The day `days` working days (Monday–Friday) after `day`; public holidays are not counted out. */
export function addWorkingDays(day: IsoDate, days: number): IsoDate {
  let current = DateTime.fromISO(day, { zone: 'utc' });
  let left = days;
  while (left > 0) {
    current = current.plus({ days: 1 });
    if (current.weekday <= 5) left -= 1;
  }
  const result = current.toISODate();
  if (result === null) throw new RangeError(`not a calendar day: ${day}`);
  return result;
}
