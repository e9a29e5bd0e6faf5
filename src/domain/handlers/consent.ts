import type { Case } from '../case';
import type { CommandOf } from '../commands';
import { consentCoverage, type ConsentGiven, type ConsentRecord, type ConsentRefused } from '../consent';
import { stepOf } from '../ladder-steps';
import type { Evaluation } from '../records';
import { refuse } from '../refusals';
import { cancelPendingEscalations } from './cancel-escalations';
import { chain, change, isRefusal, nextId, toOwner, type Change, type Context, type HandlerResult } from './context';
import { notInFuture, notInPast } from './dates';
import { applyEntry, planEntry } from './step-entry';

/**
 * Consent records: given, refused, withdrawn. A refusal or a withdrawal takes effect at once:
 * pending escalations that depended on the consent are cancelled, the owner is told what is now
 * blocked, and on a step where the ladder asks for the parents' answer (Aurskog-Høland 3b) a
 * refusal is that answer and moves the case to its "b" step (4b).
 */

export function recordConsent(c: Case, command: CommandOf<'record-consent'>, ctx: Context): HandlerResult {
  if (command.services.length === 0 && command.teams.length === 0) return refuse('consent-scope-empty');
  const unknown = command.services.find((id) => !ctx.ladder.services.some((s) => s.id === id));
  if (unknown) return refuse('unknown-service', { missingServices: [unknown] });
  // From the consent age the child consents too: the parents' consent alone does not cover them.
  if (command.childHasConsentAge && !command.givenBy.includes('child')) return refuse('child-consent-missing');
  const dateProblem = notInFuture(command.givenOn, ctx.today) ?? notInPast(command.validUntil, ctx.today);
  if (dateProblem) return dateProblem;
  const record: ConsentGiven = {
    kind: 'given',
    id: nextId('consent', c.consents),
    givenBy: [...new Set(command.givenBy)],
    services: [...new Set(command.services)],
    teams: [...new Set(command.teams)],
    purpose: command.purpose,
    givenOn: command.givenOn,
    validUntil: command.validUntil,
    signedFormArchivedAt: command.signedFormArchivedAt ?? null,
    recordedBy: ctx.actor.id,
    recordedAt: ctx.at,
    withdrawn: null,
  };
  return change({ ...c, consents: [...c.consents, record] }, [{ type: 'consent-recorded', consentId: record.id }]);
}

export function recordConsentRefusal(c: Case, command: CommandOf<'record-consent-refusal'>, ctx: Context): HandlerResult {
  if (command.services.length === 0 && command.teams.length === 0) return refuse('consent-scope-empty');
  const unknown = command.services.find((id) => !ctx.ladder.services.some((s) => s.id === id));
  if (unknown) return refuse('unknown-service', { missingServices: [unknown] });
  const future = notInFuture(command.refusedOn, ctx.today);
  if (future) return future;
  const record: ConsentRefused = {
    kind: 'refused',
    id: nextId('consent', c.consents),
    refusedBy: [...new Set(command.refusedBy)],
    services: [...new Set(command.services)],
    teams: [...new Set(command.teams)],
    refusedOn: command.refusedOn,
    recordedBy: ctx.actor.id,
    recordedAt: ctx.at,
  };
  const recorded = change(
    { ...c, consents: [...c.consents, record] },
    [{ type: 'consent-refused', consentId: record.id }],
    [toOwner(c, 'consent-refused', record.id)],
  );
  const consequences = chain(recorded, (next) => afterConsentLost(next, 'consent-refused', ctx));
  return chain(consequences, (next) => moveOnParentsRefusal(next, record, ctx));
}

export function withdrawConsent(c: Case, command: CommandOf<'withdraw-consent'>, ctx: Context): HandlerResult {
  const record = c.consents.find((r): r is ConsentGiven => r.kind === 'given' && r.id === command.consentId);
  if (!record) return refuse('consent-not-found');
  if (record.withdrawn !== null) return refuse('consent-already-withdrawn');
  const withdrawn: ConsentRecord = { ...record, withdrawn: { at: ctx.at, recordedBy: ctx.actor.id, by: [...new Set(command.by)] } };
  const consents = c.consents.map((r) => (r.id === record.id ? withdrawn : r));
  const recorded = change(
    { ...c, consents },
    [{ type: 'consent-withdrawn', consentId: record.id }],
    [toOwner(c, 'consent-withdrawn', record.id)],
  );
  return chain(recorded, (next) => afterConsentLost(next, 'consent-withdrawn', ctx));
}

/** What stops when consent stops covering: pending escalations that need it; the owner hears if the current step is affected. */
function afterConsentLost(c: Case, cause: 'consent-withdrawn' | 'consent-refused', ctx: Context): Change {
  const covered = (scope: { services: readonly string[]; teams: readonly string[] }) =>
    consentCoverage(c.consents, scope, ctx.now, ctx.timeZone).kind === 'covered';
  const cancelled = cancelPendingEscalations(c, cause, ctx, (e) => (e.services.length > 0 || e.teams.length > 0) && !covered(e));
  const step = c.currentStep;
  const blocked = step !== null && (step.services.length > 0 || step.teams.length > 0) && !covered(step);
  return blocked ? chain(cancelled, (next) => change(next, [], [toOwner(next, 'sharing-blocked', step.stepId)])) : cancelled;
}

/** On a step that asks the parents (basis `parents-consent`), their refusal is outcome "b". */
function moveOnParentsRefusal(c: Case, refusal: ConsentRefused, ctx: Context): Change {
  const current = c.currentStep;
  if (current === null) return change(c);
  const step = stepOf(ctx.ladder, current.stepId);
  if (step.outcomes?.basis !== 'parents-consent') return change(c);
  const concernsStep = refusal.services.some((s) => current.services.includes(s)) || refusal.teams.some((t) => current.teams.includes(t));
  if (!concernsStep) return change(c);
  const target = step.outcomes.b;
  const evaluation: Evaluation = {
    id: nextId('eval', c.evaluations),
    stepId: step.id,
    outcome: 'b',
    basis: 'parents-consent',
    comment: null,
    leadsTo: target,
    recordedAt: ctx.at,
    recordedBy: ctx.actor.id,
  };
  const recorded = change({ ...c, evaluations: [...c.evaluations, evaluation], proposedStepId: target }, [
    { type: 'evaluation-recorded', evaluationId: evaluation.id, stepId: step.id, outcome: 'b', leadsTo: target },
  ]);
  if (target === null) return recorded;
  const plan = planEntry(
    recorded.case,
    { stepId: target, services: [], teams: [], attestations: {}, coordinator: null },
    ctx,
    'consent-refusal',
  );
  // The refusal is a fact and is always recorded; if the b-step cannot be entered (e.g. rule 2), the case waits on the proposal.
  if (isRefusal(plan)) return recorded;
  return chain(recorded, (next) => applyEntry(next, plan, ctx, 'consent-refusal'));
}
