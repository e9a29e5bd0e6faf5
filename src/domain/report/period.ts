import { DateTime } from 'luxon';
import { z } from 'zod';
import type { IsoDate } from '../primitives';
import { addDays, dayOf, DEFAULT_TIME_ZONE } from '../time';

/**
 * The periods a report covers. Counters are kept per calendar month (in the municipality's time
 * zone), so a report can cover any run of whole months: a tertial (Jan–Apr, May–Aug, Sep–Dec),
 * a half-year, a year, or a period the reader chooses.
 */

/** A calendar month, `2026-03`. */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month such as 2026-03');
export type Month = z.infer<typeof MonthSchema>;

/** A tertial, `2026-T1` (January–April), `2026-T2` (May–August), `2026-T3` (September–December). */
const TertialIdSchema = z.string().regex(/^\d{4}-T[1-3]$/, 'expected a tertial such as 2026-T1');
export type TertialId = z.infer<typeof TertialIdSchema>;

export type Period = {
  /** `2026-T1` for a tertial; `2026-02..2026-05` for a chosen run of months. */
  id: string;
  kind: 'tertial' | 'months';
  from: Month;
  to: Month;
};

/** The month an instant falls in, in the time zone. */
export function monthOf(instant: Date | string, timeZone: string = DEFAULT_TIME_ZONE): Month {
  return dayOf(instant, timeZone).slice(0, 7);
}

function addMonths(month: Month, months: number): Month {
  return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).plus({ months }).toFormat('yyyy-MM');
}

/** Every month from `from` to `to`, both included. */
export function monthsOf(period: Pick<Period, 'from' | 'to'>): Month[] {
  const months: Month[] = [];
  for (let m = period.from; m <= period.to; m = addMonths(m, 1)) months.push(m);
  return months;
}

export function tertial(id: TertialId): Period {
  const year = Number(id.slice(0, 4));
  const index = Number(id.slice(6)) - 1;
  const from = `${year}-${String(index * 4 + 1).padStart(2, '0')}`;
  return { id, kind: 'tertial', from, to: addMonths(from, 3) };
}

/** The tertial a month (or the month of an instant) belongs to. */
export function tertialOfMonth(month: Month): Period {
  const index = Math.floor((Number(month.slice(5, 7)) - 1) / 4) + 1;
  return tertial(`${month.slice(0, 4)}-T${index}`);
}

export function tertialAt(now: Date, timeZone: string = DEFAULT_TIME_ZONE): Period {
  return tertialOfMonth(monthOf(now, timeZone));
}

/** The tertial `n` tertials before (negative: after) this one. */
export function tertialBefore(period: Period, n = 1): Period {
  return tertialOfMonth(addMonths(period.from, -4 * n));
}

export function monthsPeriod(from: Month, to: Month): Period {
  return { id: `${from}..${to}`, kind: 'months', from, to };
}

export function firstDay(period: Pick<Period, 'from'>): IsoDate {
  return `${period.from}-01`;
}

/** The last calendar day of the period. */
export function lastDay(period: Pick<Period, 'to'>): IsoDate {
  return addDays(`${addMonths(period.to, 1)}-01`, -1);
}

/**
 * The day a period's states (open cases, deviations) are read at: today while the period runs,
 * else the first day after it (its end state).
 */
export function stateDay(period: Pick<Period, 'to'>, today: IsoDate): IsoDate {
  const after = addDays(lastDay(period), 1);
  return today < after ? today : after;
}
