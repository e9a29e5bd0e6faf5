import type { Case } from '../case';
import type { CommandOf } from '../commands';
import { stepOf } from '../ladder-steps';
import type { Meeting, Signature } from '../records';
import { refuse, type Refusal } from '../refusals';
import { meetingKind } from '../work-list';
import { chain, change, isRefusal, nextId, type Change, type Context, type HandlerResult } from './context';
import { notInFuture, periodDate } from './dates';
import { checkActions, checkServices, ownerSignature, withActions } from './work-records';

/**
 * The minutes of the meetings a ladder names: recorded after the meeting, signed then or later.
 * What was agreed ("who does what by when") becomes actions of the case, and a next evaluation date
 * moves the step's evaluation — within the step's maximum period, like any new date.
 */

type Signing = { signByOwner: boolean; parentsSignedOn?: string; archivedAt?: string; archivedOn?: string };

/** The signatures and the archive a command gives, or why they cannot be taken. */
function signing(command: Signing, ctx: Context): { signatures: Signature[]; archived: Meeting['archived'] } | Refusal {
  const future =
    (command.parentsSignedOn ? notInFuture(command.parentsSignedOn, ctx.today) : null) ??
    (command.archivedOn ? notInFuture(command.archivedOn, ctx.today) : null);
  if (future) return future;
  // The parents sign on paper, and Laget keeps no scan: where the signed minutes are archived is what stands for it.
  if (command.parentsSignedOn !== undefined && command.archivedAt === undefined) return refuse('minutes-archive-missing');
  const signatures: Signature[] = [];
  if (command.signByOwner) signatures.push(ownerSignature(ctx));
  if (command.parentsSignedOn) signatures.push({ kind: 'parents', signedOn: command.parentsSignedOn, recordedBy: ctx.actor.id });
  const archived =
    command.archivedAt === undefined ? null : { where: command.archivedAt, on: command.archivedOn ?? command.parentsSignedOn ?? ctx.today };
  return { signatures, archived };
}

export function recordMeeting(c: Case, command: CommandOf<'record-meeting'>, ctx: Context): HandlerResult {
  const kind = meetingKind(ctx.ladder, command.meeting);
  if (!kind) return refuse('unknown-meeting');
  const services = [...new Set(command.services ?? [])];
  const actions = command.actions ?? [];
  const problem = notInFuture(command.heldOn, ctx.today) ?? checkServices(c, services, ctx) ?? checkActions(c, actions, ctx);
  if (problem) return problem;
  const signed = signing(command, ctx);
  if (isRefusal(signed)) return signed;

  let nextEvaluationOn: string | null = null;
  if (command.nextEvaluationOn !== undefined) {
    const step = c.currentStep ? stepOf(ctx.ladder, c.currentStep.stepId) : undefined;
    if (!step?.period || c.currentStep === null) return refuse('step-has-no-evaluation', step ? { stepId: step.id } : {});
    const day = periodDate(step.period, c.currentStep.periodStartedOn, command.nextEvaluationOn, ctx.today);
    if (isRefusal(day)) return day;
    nextEvaluationOn = day;
  }

  const meeting: Meeting = {
    id: nextId('meeting', c.meetings),
    kind: kind.id,
    stepId: c.currentStep?.stepId ?? null,
    heldOn: command.heldOn,
    parents: command.parents,
    services,
    leaderPresent: command.leaderPresent ?? false,
    childPresent: command.childPresent ?? false,
    conclusions: command.conclusions,
    nextEvaluationOn,
    signatures: signed.signatures,
    archived: signed.archived,
    recordedAt: ctx.at,
    recordedBy: ctx.actor.id,
  };
  const recorded = change({ ...c, meetings: [...c.meetings, meeting] }, [
    { type: 'meeting-recorded', meetingId: meeting.id, meetingKind: meeting.kind, stepId: meeting.stepId },
  ]);
  const withAgreed = chain(recorded, (next) => {
    const added = withActions(next, actions, ctx, meeting.id);
    return change(
      added.case,
      added.ids.map((actionId) => ({ type: 'action-added' as const, actionId })),
    );
  });
  if (nextEvaluationOn === null) return withAgreed;
  return chain(withAgreed, (next) => movedEvaluation(next, nextEvaluationOn));
}

/** The step's evaluation set by a meeting ("when we evaluate" in the minutes). */
function movedEvaluation(c: Case, day: string): Change {
  const kind = c.nextDates.checkInOn !== null ? 'check-in' : 'evaluation';
  const nextDates = kind === 'check-in' ? { ...c.nextDates, checkInOn: day } : { ...c.nextDates, evaluationOn: day };
  return change({ ...c, nextDates }, [{ type: 'next-date-set', kind }]);
}

export function signMeeting(c: Case, command: CommandOf<'sign-meeting'>, ctx: Context): HandlerResult {
  const meeting = c.meetings.find((m) => m.id === command.meetingId);
  if (!meeting) return refuse('meeting-not-found');
  const signed = signing(command, ctx);
  if (isRefusal(signed)) return signed;
  // A signature is added once: the owner's again, or the parents' again, changes nothing.
  const has = (kind: Signature['kind']) => meeting.signatures.some((s) => s.kind === kind);
  const added = signed.signatures.filter((s) => !has(s.kind));
  if (added.length === 0 && (signed.archived === null || meeting.archived !== null)) return change(c);
  const updated: Meeting = { ...meeting, signatures: [...meeting.signatures, ...added], archived: meeting.archived ?? signed.archived };
  return change({ ...c, meetings: c.meetings.map((m) => (m.id === meeting.id ? updated : m)) }, [
    { type: 'meeting-signed', meetingId: meeting.id },
  ]);
}
