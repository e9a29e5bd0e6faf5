import type { Period } from '../ladder';
import type { IsoDate } from '../primitives';
import { refuse, type Refusal } from '../refusals';
import { addDays } from '../time';

/** Date rules the handlers share: "not in the past", "not in the future", "within the step's period". */

export function notInPast(day: IsoDate, today: IsoDate): Refusal | null {
  return day < today ? refuse('date-in-past') : null;
}

export function notInFuture(day: IsoDate, today: IsoDate): Refusal | null {
  return day > today ? refuse('date-in-future') : null;
}

/**
 * The evaluation (or check-in) day of a period that starts on `periodStart`: the one asked for, or
 * the step's default. Refused in the past, or later than the step's maximum allows.
 */
export function periodDate(period: Period, periodStart: IsoDate, asked: IsoDate | undefined, today: IsoDate): IsoDate | Refusal {
  const day = asked ?? addDays(today, period.defaultDays);
  const past = notInPast(day, today);
  if (past) return past;
  const latestAllowed = addDays(periodStart, period.maxDays);
  if (day > latestAllowed) return refuse('evaluation-too-late', { latestAllowed });
  return day;
}
