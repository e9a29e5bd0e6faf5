import type { Case } from '../case';
import type { CommandOf } from '../commands';
import type { TeamItem } from '../records';
import { canBringToTeam } from '../rules';
import { cancelPendingEscalations } from './cancel-escalations';
import { findStep } from '../ladder-steps';
import { refuse } from '../refusals';
import { chain, change, isRefusal, nextId, toLeaderIfInformed, type Context, type HandlerResult } from './context';
import { notInPast, periodDate } from './dates';

/** Bringing a case to an interdisciplinary team (rule 5), and closing a case. */

export function bringToTeam(c: Case, command: CommandOf<'bring-to-team'>, ctx: Context): HandlerResult {
  const permission = canBringToTeam(c, command.teamId, command.mode, ctx.now, ctx.timeZone);
  if (permission.kind === 'refused') return permission;
  if (command.meetingOn !== undefined) {
    const past = notInPast(command.meetingOn, ctx.today);
    if (past) return past;
  }
  // One reference per team and meeting: bringing the case again (a retry, new answers) changes it, never adds another.
  const existing = command.meetingId
    ? c.teamItems.find((ref) => ref.teamId === command.teamId && ref.meetingId === command.meetingId && ref.withdrawnAt === null)
    : undefined;
  // The channel sees only the question chosen from the fixed list; the owner's note stays with the case.
  const item: TeamItem = {
    id: existing?.id ?? nextId('team', c.teamItems),
    teamId: command.teamId,
    meetingId: command.meetingId ?? null,
    mode: command.mode,
    questionId: command.questionId,
    note: command.note ?? null,
    meetingOn: command.meetingOn ?? null,
    consentIds: permission.consentIds,
    requestedAt: existing?.requestedAt ?? ctx.at,
    requestedBy: ctx.actor.id,
    withdrawnAt: null,
  };
  if (existing && sameReference(existing, item)) return change(c, []);
  const teamItems = existing ? c.teamItems.map((ref) => (ref.id === existing.id ? item : ref)) : [...c.teamItems, item];
  // Brought once: a change of answers is recorded as such, so what counts items brought counts it once.
  const type = existing ? ('team-item-changed' as const) : ('brought-to-team' as const);
  return change({ ...c, teamItems }, [{ type, itemId: item.id, teamId: item.teamId, mode: item.mode }]);
}

function sameReference(a: TeamItem, b: TeamItem): boolean {
  return a.mode === b.mode && a.questionId === b.questionId && a.note === b.note && a.meetingOn === b.meetingOn;
}

/** The owner takes the case off a meeting's agenda (the team's item goes with it); nothing to withdraw is no change. */
export function withdrawFromTeam(c: Case, command: CommandOf<'withdraw-from-team'>, ctx: Context): HandlerResult {
  const existing = c.teamItems.find(
    (ref) => ref.teamId === command.teamId && ref.meetingId === command.meetingId && ref.withdrawnAt === null,
  );
  if (!existing) return change(c, []);
  return change({ ...c, teamItems: c.teamItems.map((ref) => (ref.id === existing.id ? { ...ref, withdrawnAt: ctx.at } : ref)) }, [
    { type: 'withdrawn-from-team', itemId: existing.id, teamId: existing.teamId },
  ]);
}

export function closeCase(c: Case, command: CommandOf<'close-case'>, ctx: Context): HandlerResult {
  const cancelled = cancelPendingEscalations(c, 'case-closed', ctx);
  return chain(cancelled, (current) =>
    change(
      {
        ...current,
        status: 'closed',
        pendingHandover: null,
        proposedStepId: null,
        nextDates: { evaluationOn: null, checkInOn: null, conversationOn: null },
        closed: { at: ctx.at, by: ctx.actor.id, reason: command.reason },
      },
      [{ type: 'case-closed', reason: command.reason }],
      toLeaderIfInformed(current, 'case-closed', ctx),
    ),
  );
}

/**
 * A closed case opened again while it is still kept: it goes back to where it stood (its step, or
 * the report), with a new period from today, and the retention clock stops. The leader hears of it
 * once the ladder keeps them informed.
 */
export function reopenCase(c: Case, command: CommandOf<'reopen-case'>, ctx: Context): HandlerResult {
  if (c.status !== 'closed') return refuse('case-not-closed');
  const step = c.currentStep ? findStep(ctx.ladder, c.currentStep.stepId) : undefined;
  let nextDates = { evaluationOn: null as string | null, checkInOn: null as string | null, conversationOn: null as string | null };
  if (step?.period) {
    const day = periodDate(step.period, ctx.today, command.evaluationOn, ctx.today);
    if (isRefusal(day)) return day;
    nextDates = step.kind === 'monitoring' ? { ...nextDates, checkInOn: day } : { ...nextDates, evaluationOn: day };
  }
  const status: Case['status'] = c.reports.some((r) => r.kind === 'child-welfare')
    ? 'reported'
    : step === undefined
      ? 'draft'
      : step.kind === 'monitoring'
        ? 'monitoring'
        : 'open';
  const currentStep = c.currentStep ? { ...c.currentStep, periodStartedOn: ctx.today } : null;
  return change(
    { ...c, status, closed: null, currentStep, nextDates },
    [
      { type: 'case-reopened' },
      ...(step?.period
        ? [{ type: 'next-date-set' as const, kind: step.kind === 'monitoring' ? ('check-in' as const) : ('evaluation' as const) }]
        : []),
    ],
    toLeaderIfInformed(c, 'case-reopened', ctx),
  );
}
