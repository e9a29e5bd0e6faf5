import { DateTime } from 'luxon';
import type { Case } from '../domain/case';
import { dayOf } from '../domain/time';
import type { Logger } from '../log';
import type { CaseRepository } from '../store/case-repository';
import type { PeopleRepository } from '../store/people';
import type { JobSpec } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { JobSource } from '../scheduler/scheduler';

/**
 * The owner's reminders in personal chat, derived from the dates a case holds: fill in part C on
 * the day of the planned conversation, evaluate on the evaluation date, check in on the check-in
 * date. Each reminder's id is (case, kind, date), so it is created and sent once; moving the
 * date makes a new reminder, and the composer drops one whose date no longer holds.
 */
export const REMINDER_KINDS = {
  'part-c': 'reminder.part-c',
  evaluation: 'reminder.evaluation',
  'check-in': 'reminder.check-in',
} as const;
export type ReminderKind = keyof typeof REMINDER_KINDS;

export type ReminderParams = { caseId: string; unitId: string; kind: ReminderKind; on: string };

/** A reminder missed for this long (Laget was down) is no longer sent. */
const REMINDER_LIFETIME_DAYS = 14;

export type ReminderTiming = { timeZone: string; hour: number };

/** The instant a reminder for `day` goes out: the municipality's reminder hour, local time. */
export function reminderInstant(day: string, timing: ReminderTiming): Date {
  return DateTime.fromISO(day, { zone: timing.timeZone }).set({ hour: timing.hour }).toJSDate();
}

/** The date a reminder of `kind` is about, as the case holds it now (null: nothing to remind of). */
export function reminderDate(c: Case, kind: ReminderKind): string | null {
  if (c.status === 'closed') return null;
  switch (kind) {
    case 'part-c':
      return c.worryForm.partC === null ? c.nextDates.conversationOn : null;
    case 'evaluation':
      return c.currentStep !== null ? c.nextDates.evaluationOn : null;
    case 'check-in':
      return c.currentStep !== null ? c.nextDates.checkInOn : null;
  }
}

export class CaseReminderSource implements JobSource {
  readonly name = 'case-reminders';

  constructor(
    private readonly deps: { cases: CaseRepository; people: PeopleRepository; timing: ReminderTiming; log: Logger },
  ) {}

  async due(now: Date): Promise<JobSpec[]> {
    const today = dayOf(now, this.deps.timing.timeZone);
    const cases = await this.deps.cases.withDatesDue(today);
    const specs: JobSpec[] = [];
    const addresses = new Map<string, Awaited<ReturnType<PeopleRepository['read']>>>();
    for (const { doc: c } of cases) {
      for (const kind of Object.keys(REMINDER_KINDS) as ReminderKind[]) {
        const on = reminderDate(c, kind);
        if (on === null || on > today) continue;
        if (!addresses.has(c.owner.id)) addresses.set(c.owner.id, await this.deps.people.read(c.owner.id));
        const address = addresses.get(c.owner.id)?.doc.personalChat;
        if (!address) {
          this.deps.log.warn({ caseId: c.id, kind }, 'reminder has no personal chat to go to yet');
          continue;
        }
        const dueAt = reminderInstant(on, this.deps.timing);
        const params: ReminderParams = { caseId: c.id, unitId: c.unitId, kind, on };
        specs.push({
          id: jobId('case', c.id, kind, on),
          kind: REMINDER_KINDS[kind],
          dueAt: dueAt.toISOString(),
          staleAfter: new Date(dueAt.getTime() + REMINDER_LIFETIME_DAYS * 24 * 3600 * 1000).toISOString(),
          address,
          params,
        });
      }
    }
    return specs;
  }
}
