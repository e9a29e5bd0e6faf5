import type { Case } from '../case';
import { pendingEscalation } from '../case';
import type { CommandOf } from '../commands';
import { stepNeedsApproval } from '../ladder-steps';
import type { Escalation } from '../records';
import { refuse } from '../refusals';
import { chain, change, isRefusal, nextId, toLeader, toOwner, type Context, type HandlerResult } from './context';
import { applyEntry, planEntry, type EntryRequest } from './step-entry';

/**
 * Escalations that the ladder lets only the designated leader approve (Aurskog-Høland: into 3b).
 * Everything the step requires is checked when the owner asks, and again when the leader decides:
 * consent may have been withdrawn, or run out, in between.
 */

export function requestEscalation(c: Case, command: CommandOf<'request-escalation'>, ctx: Context): HandlerResult {
  if (c.currentStep === null) return refuse('ladder-not-started');
  if (command.stepId !== c.proposedStepId) return refuse('step-not-reachable', { stepId: command.stepId });
  if (!stepNeedsApproval(ctx.ladder, command.stepId)) return refuse('approval-not-required', { stepId: command.stepId });
  const waiting = pendingEscalation(c);
  if (waiting) return refuse('escalation-pending', { escalationId: waiting.id });
  const request: EntryRequest = {
    stepId: command.stepId,
    services: command.services ?? [],
    teams: command.teams ?? [],
    evaluationOn: command.evaluationOn,
    attestations: command.attestations ?? {},
    coordinator: command.coordinator ?? null,
  };
  const plan = planEntry(c, request, ctx, 'approval');
  if (isRefusal(plan)) return plan;
  const escalation: Escalation = {
    id: nextId('esc', c.escalations),
    status: 'pending',
    fromStepId: c.currentStep.stepId,
    toStepId: command.stepId,
    services: plan.services,
    teams: plan.teams,
    evaluationOn: command.evaluationOn ?? null,
    attestations: request.attestations,
    coordinator: request.coordinator,
    justification: command.justification ?? null,
    requestedBy: ctx.actor,
    requestedAt: ctx.at,
  };
  return change(
    { ...c, escalations: [...c.escalations, escalation] },
    [{ type: 'escalation-requested', escalationId: escalation.id, toStepId: escalation.toStepId }],
    [toLeader(c, 'approval-requested', escalation.id)],
  );
}

export function decideEscalation(c: Case, command: CommandOf<'decide-escalation'>, ctx: Context): HandlerResult {
  const escalation = c.escalations.find((e) => e.id === command.escalationId);
  if (!escalation) return refuse('escalation-not-found', { escalationId: command.escalationId });
  if (escalation.status === 'approved' || escalation.status === 'rejected') {
    return refuse('already-decided', { decidedBy: escalation.decidedBy, decidedAt: escalation.decidedAt, decision: escalation.status });
  }
  if (escalation.status === 'cancelled') {
    return refuse('already-decided', { decidedAt: escalation.cancelledAt, decision: 'cancelled' });
  }
  const reason = command.reason?.trim() ?? '';
  const replace = (decided: Escalation) => c.escalations.map((e) => (e.id === decided.id ? decided : e));

  if (command.decision === 'reject') {
    // A rejection keeps the case where it is, with the leader's reason for the owner.
    if (reason === '') return refuse('reason-required');
    const rejected: Escalation = { ...escalation, status: 'rejected', decidedBy: ctx.actor, decidedAt: ctx.at, reason };
    return change(
      { ...c, escalations: replace(rejected) },
      [{ type: 'escalation-decided', escalationId: escalation.id, decision: 'rejected' }],
      [toOwner(c, 'escalation-decided', escalation.id)],
    );
  }

  if (c.currentStep?.stepId !== escalation.fromStepId) return refuse('step-not-reachable', { stepId: escalation.toStepId });
  const plan = planEntry(
    c,
    {
      stepId: escalation.toStepId,
      services: escalation.services,
      teams: escalation.teams,
      // A date that has passed while the request waited gives way to the step's default.
      evaluationOn: escalation.evaluationOn !== null && escalation.evaluationOn >= ctx.today ? escalation.evaluationOn : undefined,
      attestations: escalation.attestations,
      coordinator: escalation.coordinator,
    },
    ctx,
    'approval',
  );
  if (isRefusal(plan)) return plan;
  const approved: Escalation = {
    ...escalation,
    status: 'approved',
    decidedBy: ctx.actor,
    decidedAt: ctx.at,
    comment: reason === '' ? null : reason,
  };
  const decided = change(
    { ...c, escalations: replace(approved) },
    [{ type: 'escalation-decided', escalationId: escalation.id, decision: 'approved' }],
    [toOwner(c, 'escalation-decided', escalation.id)],
  );
  return chain(decided, (next) => applyEntry(next, plan, ctx, 'approval', escalation.id));
}

export function withdrawEscalation(c: Case, command: CommandOf<'withdraw-escalation'>, ctx: Context): HandlerResult {
  const escalation = c.escalations.find((e) => e.id === command.escalationId);
  if (!escalation) return refuse('escalation-not-found', { escalationId: command.escalationId });
  if (escalation.status !== 'pending') {
    return escalation.status === 'cancelled'
      ? refuse('already-decided', { decidedAt: escalation.cancelledAt, decision: 'cancelled' })
      : refuse('already-decided', { decidedBy: escalation.decidedBy, decidedAt: escalation.decidedAt, decision: escalation.status });
  }
  const escalations = c.escalations.map((e): Escalation =>
    e.id === escalation.id ? { ...escalation, status: 'cancelled', cancelledAt: ctx.at, cause: 'withdrawn-by-owner' } : e,
  );
  return change(
    { ...c, escalations },
    [{ type: 'escalation-cancelled', escalationId: escalation.id, cause: 'withdrawn-by-owner' }],
    [toLeader(c, 'escalation-cancelled', escalation.id)],
  );
}
