import { DateTime } from 'luxon';
import type { Case } from '../domain/case';
import { pendingEscalation } from '../domain/case';
import { addDays, addWorkingDays, dayOf } from '../domain/time';
import type { JobSpec } from '../scheduler/job';
import { jobId } from '../scheduler/job-id';
import type { JobStore } from '../scheduler/job-store';
import { syncJobs } from '../scheduler/job-sync';

/**
 * The owner's reminders in personal chat, derived from the dates a case holds: fill in part C on
 * the day of the planned conversation, evaluate on the evaluation date, check in on the check-in
 * date. Each reminder's id is (case, kind, date), so it is created and sent once; moving the date
 * takes the old reminder back and makes a new one (`CaseSchedule`, right after the change is
 * saved), and the composer still drops one whose date no longer holds when it is due.
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

/**
 * An action overdue: the owner is reminded the morning after its deadline, once per action and
 * deadline (a new deadline makes a new reminder; an action done meanwhile is not reminded of).
 */
export const ACTION_REMINDER_KIND = 'reminder.action-overdue';

export type ActionReminderParams = { caseId: string; unitId: string; actionId: string; dueOn: string };

export type CaseScheduleSettings = {
  timing: ReminderTiming;
  /** Working days an approval may wait before the leader is reminded. */
  approvalWorkingDays: number;
};

/**
 * Every job the dates on a case call for, as the case stands: the owner's reminders (part C,
 * evaluation, check-in) and, while a request for approval waits, the leader's reminder and then
 * the owner's. Ids depend only on the case and what they are about, so the same case always names
 * the same jobs; the recipient's chat is looked up when the job is due (it may have changed hands).
 */
function caseJobSpecs(c: Case, settings: CaseScheduleSettings): JobSpec[] {
  const specs: JobSpec[] = [];
  for (const kind of Object.keys(REMINDER_KINDS) as ReminderKind[]) {
    const on = reminderDate(c, kind);
    if (on === null) continue;
    const dueAt = reminderInstant(on, settings.timing);
    const params: ReminderParams = { caseId: c.id, unitId: c.unitId, kind, on };
    specs.push({
      id: jobId('case', c.id, kind, on),
      kind: REMINDER_KINDS[kind],
      dueAt: dueAt.toISOString(),
      staleAfter: new Date(dueAt.getTime() + REMINDER_LIFETIME_DAYS * 24 * 3600 * 1000).toISOString(),
      address: null,
      params,
    });
  }
  // Each action not done, reminded of the morning after its deadline (once per action and deadline).
  for (const action of c.status === 'closed' ? [] : c.actions.filter((a) => a.done === null)) {
    const dueAt = reminderInstant(addDays(action.dueOn, 1), settings.timing);
    const params: ActionReminderParams = { caseId: c.id, unitId: c.unitId, actionId: action.id, dueOn: action.dueOn };
    specs.push({
      id: jobId('case', c.id, 'action', action.id, action.dueOn),
      kind: ACTION_REMINDER_KIND,
      dueAt: dueAt.toISOString(),
      staleAfter: new Date(dueAt.getTime() + REMINDER_LIFETIME_DAYS * 24 * 3600 * 1000).toISOString(),
      address: null,
      params,
    });
  }
  specs.push(...approvalReminderSpecs(c, settings.approvalWorkingDays, settings.timing));
  return specs;
}

/**
 * Keeps a case's jobs equal to its dates: after each saved change, the jobs the case called for
 * before and calls for now are compared (`syncJobs`) — a new date's job is created, a moved one
 * moved, one no longer called for taken back.
 */
export class CaseSchedule {
  constructor(
    private readonly deps: { jobs: Pick<JobStore, 'ensure' | 'move' | 'cancel'>; settings: CaseScheduleSettings; now: () => Date },
  ) {}

  specsOf(c: Case): JobSpec[] {
    return caseJobSpecs(c, this.deps.settings);
  }

  /**
   * From `before` (null: a new case) to `after` (null: the case is gone). With `repair` (after a
   * failed attempt), every job `after` calls for is made sure of, not only the changed ones; with
   * `onlyMissing` (a case written before the scheduler kept jobs this way), the missing ones are made.
   */
  async sync(
    before: Case | null,
    after: Case | null,
    options: { now?: Date; repair?: boolean; onlyMissing?: boolean } = {},
  ): Promise<void> {
    const was = before ? this.specsOf(before) : [];
    const is = after ? this.specsOf(after) : [];
    await syncJobs(this.deps.jobs, was, is, options.now ?? this.deps.now(), options);
  }
}

/**
 * A request for approval that waits too long: after the municipality's number of working days the
 * leader is reminded once (the approval card again); after as many more, the owner is told it is
 * still waiting. Ids carry the escalation, so each goes out once per request.
 */
export const APPROVAL_REMINDER_KINDS = { leader: 'approval.remind-leader', owner: 'approval.tell-owner' } as const;

export type ApprovalReminderParams = { caseId: string; unitId: string; escalationId: string; to: 'leader' | 'owner'; workingDays: number };

function approvalReminderSpecs(c: Case, workingDays: number, timing: ReminderTiming): JobSpec[] {
  const waiting = c.status === 'closed' ? undefined : pendingEscalation(c);
  if (!waiting) return [];
  const asked = dayOf(waiting.requestedAt, timing.timeZone);
  const steps = [
    { to: 'leader' as const, days: workingDays },
    { to: 'owner' as const, days: 2 * workingDays },
  ];
  const specs: JobSpec[] = [];
  for (const step of steps) {
    const on = addWorkingDays(asked, step.days);
    const params: ApprovalReminderParams = {
      caseId: c.id,
      unitId: c.unitId,
      escalationId: waiting.id,
      to: step.to,
      workingDays: step.days,
    };
    specs.push({
      id: jobId('case', c.id, waiting.id, step.to === 'leader' ? 'remind-leader' : 'tell-owner'),
      kind: APPROVAL_REMINDER_KINDS[step.to],
      dueAt: reminderInstant(on, timing).toISOString(),
      staleAfter: null,
      address: null,
      params,
    });
  }
  return specs;
}
