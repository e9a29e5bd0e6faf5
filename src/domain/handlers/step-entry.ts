import type { Case } from '../case';
import type { SharingScope } from '../consent';
import type { STEP_ENTRY_PATHS } from '../events';
import type { RequirementKind, Step } from '../ladder';
import { findStep, stepOf, stepRequires, stepRequiresSignedConsent } from '../ladder-steps';
import type { IsoDate, PersonRef } from '../primitives';
import type { Attestations } from '../records';
import { refuse, type Refusal } from '../refusals';
import { parentTalkBlocked, sharingPermission } from '../rules';
import { cancelPendingEscalations } from './cancel-escalations';
import { chain, change, isRefusal, toLeader, type Change, type Context } from './context';
import { periodDate } from './dates';

/**
 * Entering a step: the checks every path shares (start, direct, leader approval, an "a" outcome,
 * the parents' refusal) and the change itself. The order of the checks is the order of the rules:
 * safety first, then approval, then what the step requires, then consent, then dates.
 */

export type EntryPath = (typeof STEP_ENTRY_PATHS)[number];

export type EntryRequest = {
  stepId: string;
  services: readonly string[];
  teams: readonly string[];
  evaluationOn?: IsoDate;
  attestations: Attestations;
  coordinator: PersonRef | null;
};

export type EntryPlan = {
  step: Step;
  services: string[];
  teams: string[];
  coordinator: PersonRef | null;
  consentIds: string[];
  nextDay: IsoDate | null;
};

export type EntryFacts = {
  /** Goals the same command adds (start-ladder). */
  newGoals?: number;
  /** The same command carries the signed parent note (start-ladder). */
  parentNote?: boolean;
};

export function planEntry(c: Case, request: EntryRequest, ctx: Context, path: EntryPath, facts: EntryFacts = {}): EntryPlan | Refusal {
  const step = findStep(ctx.ladder, request.stepId);
  if (!step) return refuse('step-not-reachable', { stepId: request.stepId });

  if (step.talksToParents && parentTalkBlocked(c)) {
    return refuse('talk-to-parents-blocked-by-safety', { next: 'report-to-child-welfare', stepId: step.id });
  }
  if (path === 'direct' && stepRequires(step, 'leader-approval')) return refuse('leader-approval-required', { stepId: step.id });

  const unmet = unmetRequirement(c, step, request, facts);
  if (unmet) return refuse('requirement-not-met', { requirement: unmet, stepId: step.id });

  let services: string[] = [];
  let teams: string[] = [];
  let consentIds: string[] = [];
  if (step.sharesWithServices !== null) {
    services = [...new Set(request.services)];
    teams = [...new Set(request.teams)];
    const unknown = services.find((id) => !ctx.ladder.services.some((s) => s.id === id));
    if (unknown) return refuse('unknown-service', { missingServices: [unknown] });
    if (services.length < step.sharesWithServices.minServices) {
      return refuse('requirement-not-met', { requirement: 'services', stepId: step.id });
    }
    const coverage = stepCoverage(c, step, { services, teams }, ctx);
    if (isRefusal(coverage)) return coverage;
    consentIds = coverage.consentIds;
  }

  let nextDay: IsoDate | null = null;
  if (step.period !== null) {
    const day = periodDate(step.period, ctx.today, request.evaluationOn, ctx.today);
    if (isRefusal(day)) return day;
    nextDay = day;
  }
  return { step, services, teams, coordinator: request.coordinator, consentIds, nextDay };
}

/**
 * Rule 3 for a step: whether valid consents cover what the step shares, now. Used when a step is
 * entered and every time work continues on it (staying on it, a new date), so that a withdrawn
 * or expired consent blocks the step from that moment.
 */
export function stepCoverage(c: Case, step: Step, scope: SharingScope, ctx: Context): { consentIds: string[] } | Refusal {
  // Written consent (Aurskog-Høland 3b: the parents sign the common consent form): a consent without a signed form does not count.
  return sharingPermission(c, scope, ctx.now, ctx.timeZone, { signedForm: stepRequiresSignedConsent(step), stepId: step.id });
}

/**
 * The case's current step shares with services (or a team) that no valid consent covers any
 * more (withdrawn, refused, expired): the refusal that stops work on it, or null when it is covered
 * or shares nothing.
 */
export function currentStepBlocked(c: Case, ctx: Context): Refusal | null {
  const current = c.currentStep;
  if (current === null) return null;
  const step = stepOf(ctx.ladder, current.stepId);
  if (step.sharesWithServices === null) return null;
  const coverage = stepCoverage(c, step, current, ctx);
  return isRefusal(coverage) ? coverage : null;
}

function unmetRequirement(c: Case, step: Step, request: EntryRequest, facts: EntryFacts): RequirementKind | null {
  for (const { kind } of step.requires) {
    switch (kind) {
      case 'worry-form-part-a':
        if (c.worryForm.partA === null) return kind;
        break;
      case 'goals':
        if (c.goals.length + (facts.newGoals ?? 0) === 0) return kind;
        break;
      case 'signed-parent-note':
        if (!facts.parentNote && !c.notes.some((n) => n.kind === 'cooperation-start' && n.signatures.some((s) => s.kind === 'staff'))) {
          return kind;
        }
        break;
      case 'both-parents-invited':
        if (request.attestations.bothParentsInvited !== true) return kind;
        break;
      case 'parents-participate':
        if (request.attestations.parentsParticipate !== true) return kind;
        break;
      case 'coordinator-named':
        if (request.coordinator === null) return kind;
        break;
      case 'consent':
      case 'leader-approval':
        break; // checked with the services, and by the path
    }
  }
  return null;
}

/** Moves the case onto the planned step. Pending escalations from the old step are cancelled. */
export function applyEntry(c: Case, plan: EntryPlan, ctx: Context, path: EntryPath, escalationId: string | null = null): Change {
  const { step } = plan;
  const cancelled = cancelPendingEscalations(c, 'case-moved', ctx, (e) => e.id !== escalationId);
  return chain(cancelled, (current) => {
    const leaderKeptInformed = current.leaderKeptInformed || step.informLeader;
    const status = current.status === 'reported' ? 'reported' : step.kind === 'monitoring' ? 'monitoring' : 'open';
    const next: Case = {
      ...current,
      status,
      currentStep: {
        stepId: step.id,
        enteredAt: ctx.at,
        periodStartedOn: ctx.today,
        services: plan.services,
        teams: plan.teams,
        coordinator: plan.coordinator,
        consentIds: plan.consentIds,
      },
      proposedStepId: null,
      leaderKeptInformed,
      nextDates: {
        ...current.nextDates,
        evaluationOn: step.kind === 'work' ? plan.nextDay : null,
        checkInOn: step.kind === 'monitoring' ? plan.nextDay : null,
      },
    };
    const notify = leaderKeptInformed && next.nearestLeader.id !== ctx.actor.id ? [toLeader(next, 'step-changed', step.id)] : [];
    return change(
      next,
      [
        {
          type: 'step-entered',
          stepId: step.id,
          fromStepId: current.currentStep?.stepId ?? null,
          via: path,
          consentIds: plan.consentIds,
          escalationId,
        },
      ],
      notify,
    );
  });
}
