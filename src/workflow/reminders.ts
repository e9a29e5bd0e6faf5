import { DateTime } from 'luxon';
import type { Case } from '../domain/case';
import { pendingEscalation } from '../domain/case';
import { addDays, addWorkingDays, dayOf } from '../domain/time';
import { overdueActions } from '../domain/work-list';
import type { Logger } from '../log';
import type { CaseRepository } from '../store/case-repository';
import type { PersonalAddress } from '../store/conversation-address';
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

/**
 * An action overdue: the owner is reminded the morning after its deadline, once per action and
 * deadline (a new deadline makes a new reminder; an action done meanwhile is not reminded of).
 */
export const ACTION_REMINDER_KIND = 'reminder.action-overdue';

export type ActionReminderParams = { caseId: string; unitId: string; actionId: string; dueOn: string };

/** Everything dated on a case, in one pass over the cases with something due: reminders and waiting approvals. */
export class CaseReminderSource implements JobSource {
  readonly name = 'case-reminders';

  constructor(
    private readonly deps: {
      cases: CaseRepository;
      people: PeopleRepository;
      /** The municipality's units (its configuration): cases are looked up one unit partition at a time. */
      unitIds: readonly string[];
      timing: ReminderTiming;
      /** Working days an approval may wait before the leader is reminded. */
      approvalWorkingDays: number;
      log: Logger;
    },
  ) {}

  async due(now: Date): Promise<JobSpec[]> {
    const today = dayOf(now, this.deps.timing.timeZone);
    const cases = await this.dueInEveryUnit(today);
    const specs: JobSpec[] = [];
    const addresses = new Map<string, Awaited<ReturnType<PeopleRepository['read']>>>();
    const addressOf = async (personId: string) => {
      if (!addresses.has(personId)) addresses.set(personId, await this.deps.people.read(personId));
      return addresses.get(personId)?.doc.personalChat ?? undefined;
    };
    for (const { doc: c } of cases) {
      specs.push(...(await approvalReminderSpecs(c, today, this.deps.approvalWorkingDays, this.deps.timing, addressOf)));
      for (const kind of Object.keys(REMINDER_KINDS) as ReminderKind[]) {
        const on = reminderDate(c, kind);
        if (on === null || on > today) continue;
        const address = await addressOf(c.owner.id);
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
      // Actions past their deadline (the domain says which), each once.
      const overdue = c.status === 'closed' ? [] : overdueActions(c, today);
      const address = overdue.length > 0 ? await addressOf(c.owner.id) : undefined;
      for (const action of address ? overdue : []) {
        const dueAt = reminderInstant(addDays(action.dueOn, 1), this.deps.timing);
        const params: ActionReminderParams = { caseId: c.id, unitId: c.unitId, actionId: action.id, dueOn: action.dueOn };
        specs.push({
          id: jobId('case', c.id, 'action', action.id, action.dueOn),
          kind: ACTION_REMINDER_KIND,
          dueAt: dueAt.toISOString(),
          staleAfter: new Date(dueAt.getTime() + REMINDER_LIFETIME_DAYS * 24 * 3600 * 1000).toISOString(),
          address: address!,
          params,
        });
      }
    }
    return specs;
  }

  /** One single-partition query per unit, a few at a time. */
  private async dueInEveryUnit(today: string): Promise<Awaited<ReturnType<CaseRepository['withDatesDue']>>> {
    const found: Awaited<ReturnType<CaseRepository['withDatesDue']>> = [];
    const units = [...new Set(this.deps.unitIds)];
    for (let i = 0; i < units.length; i += UNITS_AT_A_TIME) {
      const batch = await Promise.all(units.slice(i, i + UNITS_AT_A_TIME).map((unitId) => this.deps.cases.withDatesDue(today, unitId)));
      found.push(...batch.flat());
    }
    return found;
  }
}

/** How many unit partitions the reminder source queries at once. */
const UNITS_AT_A_TIME = 4;

/**
 * A request for approval that waits too long: after the municipality's number of working days the
 * leader is reminded once (the approval card again); after as many more, the owner is told it is
 * still waiting. Ids carry the escalation, so each goes out once per request.
 */
export const APPROVAL_REMINDER_KINDS = { leader: 'approval.remind-leader', owner: 'approval.tell-owner' } as const;

export type ApprovalReminderParams = { caseId: string; unitId: string; escalationId: string; to: 'leader' | 'owner'; workingDays: number };

async function approvalReminderSpecs(
  c: Case,
  today: string,
  workingDays: number,
  timing: ReminderTiming,
  addressOf: (personId: string) => Promise<PersonalAddress | undefined>,
): Promise<JobSpec[]> {
  const waiting = pendingEscalation(c);
  if (!waiting) return [];
  const asked = dayOf(waiting.requestedAt, timing.timeZone);
  const steps = [
    { to: 'leader' as const, person: c.nearestLeader.id, days: workingDays },
    { to: 'owner' as const, person: c.owner.id, days: 2 * workingDays },
  ];
  const specs: JobSpec[] = [];
  for (const step of steps) {
    const on = addWorkingDays(asked, step.days);
    if (on > today) continue;
    const address = await addressOf(step.person);
    if (!address) continue;
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
      address,
      params,
    });
  }
  return specs;
}
