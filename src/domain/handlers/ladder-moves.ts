import type { Case } from '../case';
import type { CommandOf } from '../commands';
import { stepOf } from '../ladder-steps';
import type { DateChange, Evaluation, Note } from '../records';
import { missingBeforeEvaluation } from '../work-list';
import { recordConsentRefusal } from './consent';
import { refuse } from '../refusals';
import { parentTalkBlocked } from '../rules';
import { cancelPendingEscalations } from './cancel-escalations';
import { chain, change, isRefusal, nextId, toOwner, type Change, type Context, type HandlerResult } from './context';
import { notInFuture, periodDate } from './dates';
import { applyEntry, planEntry, stepCoverage } from './step-entry';
import { checkActions, checkGoals, ownerSignature, withActions, withGoals } from './work-records';

/** Moving along the ladder: the first step, evaluations and their outcomes, entering a proposed step, new dates. */

export function startLadder(c: Case, command: CommandOf<'start-ladder'>, ctx: Context): HandlerResult {
  if (c.currentStep !== null) return refuse('ladder-already-started');
  const problem =
    checkGoals(command.goals, ctx) ??
    checkActions(c, command.actions, ctx) ??
    (command.parentNote ? notInFuture(command.parentNote.heldOn, ctx.today) : null);
  if (problem) return problem;
  const plan = planEntry(
    c,
    { stepId: ctx.ladder.startStep, services: [], teams: [], evaluationOn: command.evaluationOn, attestations: {}, coordinator: null },
    ctx,
    'start',
    { newGoals: command.goals.length, parentNote: command.parentNote !== undefined },
  );
  if (isRefusal(plan)) return plan;

  const goals = withGoals(c, command.goals, ctx);
  const actions = withActions(goals.case, command.actions, ctx);
  let next = actions.case;
  const events: Change['events'] = [
    ...goals.ids.map((goalId) => ({ type: 'goal-added' as const, goalId })),
    ...actions.ids.map((actionId) => ({ type: 'action-added' as const, actionId })),
  ];
  if (command.parentNote) {
    // Aurskog-Høland 1b: "document the start of the cooperation with a note, with date and signature".
    const note: Note = {
      id: nextId('note', next.notes),
      kind: 'cooperation-start',
      text: command.parentNote.text,
      heldOn: command.parentNote.heldOn,
      author: ctx.actor,
      writtenAt: ctx.at,
      services: [],
      parentsPresent: true,
      signatures: [ownerSignature(ctx)],
    };
    next = { ...next, notes: [...next.notes, note] };
    events.push({ type: 'note-added', noteId: note.id, noteKind: note.kind });
  }
  return chain(change(next, events), (current) => applyEntry(current, plan, ctx, 'start'));
}

export function enterStep(c: Case, command: CommandOf<'enter-step'>, ctx: Context): HandlerResult {
  if (c.currentStep === null) return refuse('ladder-not-started');
  if (command.stepId !== c.proposedStepId) return refuse('step-not-reachable', { stepId: command.stepId });
  const plan = planEntry(
    c,
    {
      stepId: command.stepId,
      services: command.services ?? [],
      teams: command.teams ?? [],
      evaluationOn: command.evaluationOn,
      attestations: command.attestations ?? {},
      coordinator: command.coordinator ?? null,
    },
    ctx,
    'direct',
  );
  if (isRefusal(plan)) return plan;
  return applyEntry(c, plan, ctx, 'direct');
}

export function recordEvaluation(c: Case, command: CommandOf<'record-evaluation'>, ctx: Context): HandlerResult {
  if (c.currentStep === null) return refuse('ladder-not-started');
  const current = c.currentStep;
  const step = stepOf(ctx.ladder, current.stepId);
  if (step.outcomes === null || step.period === null) return refuse('step-has-no-evaluation', { stepId: step.id });
  const { basis } = step.outcomes;
  if (basis === 'parents-consent' && command.outcome === 'b') {
    // The parents' no is a fact whenever it comes: recorded as their refusal (by whom the owner says), never gated by the work.
    if (!command.refusedBy) return refuse('consent-refusal-required', { stepId: step.id });
    return recordConsentRefusal(
      c,
      {
        type: 'record-consent-refusal',
        refusedBy: command.refusedBy,
        services: current.services,
        teams: current.teams,
        refusedOn: ctx.today,
      },
      ctx,
    );
  }
  const leadsTo = command.outcome === 'a' ? (step.outcomes.a ?? step.id) : step.outcomes.b;
  const stays = command.outcome === 'a' && (leadsTo === step.id || leadsTo === null);
  // The rules before the work: staying on a "keep contact with the parents" step is talking to them (rule 2), …
  if (stays && step.talksToParents && parentTalkBlocked(c)) {
    return refuse('talk-to-parents-blocked-by-safety', { next: 'report-to-child-welfare', stepId: step.id });
  }
  // … and the parents' yes, or staying on a step that shares with services, keeps sharing: consent must still cover it (rule 3).
  let stayConsentIds = current.consentIds;
  if (basis === 'parents-consent' || (stays && step.sharesWithServices !== null)) {
    const coverage = stepCoverage(c, step, current, ctx);
    if (isRefusal(coverage)) return coverage;
    stayConsentIds = coverage.consentIds;
  }
  // The step's work comes before its evaluation (2b: the open dialogue's minutes), and not on the day it began without a reason.
  const missing = missingBeforeEvaluation(c, ctx.ladder)[0];
  if (missing) return refuse('work-not-done', { stepId: step.id, workItemId: missing.item.id });
  if (current.periodStartedOn === ctx.today && command.sameDayReason === undefined)
    return refuse('evaluation-same-day', { stepId: step.id });

  const evaluation: Evaluation = {
    id: nextId('eval', c.evaluations),
    stepId: step.id,
    outcome: command.outcome,
    basis,
    comment: command.comment ?? null,
    ...(command.sameDayReason && current.periodStartedOn === ctx.today ? { earlyReason: command.sameDayReason } : {}),
    leadsTo,
    recordedAt: ctx.at,
    recordedBy: ctx.actor.id,
  };
  const recorded = change({ ...c, evaluations: [...c.evaluations, evaluation] }, [
    { type: 'evaluation-recorded', evaluationId: evaluation.id, stepId: step.id, outcome: command.outcome, leadsTo },
  ]);

  if (command.outcome === 'b') {
    // Not better: propose the next step; the owner enters it, or asks the leader where the ladder says so.
    return chain(recorded, (next) =>
      change(
        {
          ...next,
          proposedStepId: leadsTo,
          status: next.status === 'reported' ? 'reported' : 'open',
          nextDates: { ...next.nextDates, evaluationOn: null, checkInOn: null },
        },
        [],
        [toOwner(next, leadsTo === null ? 'ladder-ended' : 'next-step-proposed', leadsTo ?? undefined)],
      ),
    );
  }

  // "a": better (or the parents consent): monitoring with a check-in date, on the a-step.
  if (stays || leadsTo === null) {
    const consentIds = stayConsentIds;
    const day = periodDate(step.period, ctx.today, command.nextOn, ctx.today);
    if (isRefusal(day)) return day;
    return chain(
      chain(recorded, (next) => cancelPendingEscalations(next, 'case-moved', ctx)),
      (next) =>
        change(
          {
            ...next,
            status: next.status === 'reported' ? 'reported' : 'monitoring',
            proposedStepId: null,
            currentStep: { ...current, periodStartedOn: ctx.today, consentIds },
            nextDates: { ...next.nextDates, evaluationOn: null, checkInOn: day },
          },
          [{ type: 'next-date-set', kind: 'check-in' }],
        ),
    );
  }
  const plan = planEntry(
    c,
    {
      stepId: leadsTo,
      services: current.services,
      teams: current.teams,
      evaluationOn: command.nextOn,
      attestations: {},
      coordinator: current.coordinator,
    },
    ctx,
    'evaluation',
  );
  if (isRefusal(plan)) return plan;
  return chain(recorded, (next) => {
    const entered = applyEntry(next, plan, ctx, 'evaluation');
    const status = entered.case.status === 'reported' ? 'reported' : 'monitoring';
    const day = plan.nextDay;
    return { ...entered, case: { ...entered.case, status, nextDates: { ...entered.case.nextDates, evaluationOn: null, checkInOn: day } } };
  });
}

export function reschedule(c: Case, command: CommandOf<'reschedule'>, ctx: Context): HandlerResult {
  if (c.currentStep === null) return refuse('ladder-not-started');
  const step = stepOf(ctx.ladder, c.currentStep.stepId);
  const kind = c.nextDates.checkInOn !== null ? 'check-in' : c.nextDates.evaluationOn !== null ? 'evaluation' : null;
  if (step.period === null || kind === null) return refuse('step-has-no-evaluation', { stepId: step.id });
  // A new check-in date on a "keep contact with the parents" step is keeping contact with them (rule 2), as staying is.
  if (kind === 'check-in' && step.talksToParents && parentTalkBlocked(c)) {
    return refuse('talk-to-parents-blocked-by-safety', { next: 'report-to-child-welfare', stepId: step.id });
  }
  // A new date keeps the step going: on a step that shares with services, only while consent covers it (rule 3).
  if (step.sharesWithServices !== null) {
    const coverage = stepCoverage(c, step, c.currentStep, ctx);
    if (isRefusal(coverage)) return coverage;
  }
  const day = periodDate(step.period, c.currentStep.periodStartedOn, command.on, ctx.today);
  if (isRefusal(day)) return day;
  const from = kind === 'check-in' ? c.nextDates.checkInOn : c.nextDates.evaluationOn;
  if (day === from) return change(c);
  const nextDates = kind === 'check-in' ? { ...c.nextDates, checkInOn: day } : { ...c.nextDates, evaluationOn: day };
  const moved: DateChange = {
    id: nextId('date', c.dateChanges),
    kind,
    from,
    to: day,
    reason: command.reason ?? null,
    changedAt: ctx.at,
    changedBy: ctx.actor.id,
  };
  return change({ ...c, nextDates, dateChanges: [...c.dateChanges, moved] }, [{ type: 'next-date-set', kind, changeId: moved.id }]);
}
