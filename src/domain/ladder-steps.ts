import type { Ladder, Outcome, RequirementKind, Step } from './ladder';

/** Questions about a ladder's steps that the domain and the edges both ask. */

export function findStep(ladder: Ladder, stepId: string): Step | undefined {
  return ladder.steps.find((step) => step.id === stepId);
}

/** A step the caller knows exists (a case's current step, a validated outcome target). */
export function stepOf(ladder: Ladder, stepId: string): Step {
  const step = findStep(ladder, stepId);
  if (!step) throw new Error(`ladder ${ladder.id} has no step ${stepId}`);
  return step;
}

export function stepRequires(step: Step, kind: RequirementKind): boolean {
  return step.requires.some((requirement) => requirement.kind === kind);
}

/** Whether the step's consent must have a signed form on record (`{ "kind": "consent", "signed": true }`). */
export function stepRequiresSignedConsent(step: Step): boolean {
  return step.requires.some((requirement) => requirement.kind === 'consent' && requirement.signed === true);
}

/** Rule 4 — whether entering the step waits for the designated leader's approval (then: request-escalation, else enter-step). */
export function stepNeedsApproval(ladder: Ladder, stepId: string): boolean {
  const step = findStep(ladder, stepId);
  return step !== undefined && stepRequires(step, 'leader-approval');
}

export type Transition = { from: string; outcome: Outcome; basis: 'evaluation' | 'parents-consent'; to: string };

/** Every legal move on the ladder, for tests, documentation and the "what happens next" card. */
export function transitions(ladder: Ladder): Transition[] {
  const result: Transition[] = [];
  for (const step of ladder.steps) {
    if (step.outcomes === null) continue;
    for (const outcome of ['a', 'b'] as const) {
      const to = step.outcomes[outcome];
      if (to !== null) result.push({ from: step.id, outcome, basis: step.outcomes.basis, to });
    }
  }
  return result;
}

/** The shortest list of moves from the start step to a step (empty for the start step itself). */
export function pathTo(ladder: Ladder, stepId: string): Transition[] | undefined {
  const all = transitions(ladder);
  const previous = new Map<string, Transition | null>([[ladder.startStep, null]]);
  const queue = [ladder.startStep];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    if (current === stepId) break;
    for (const move of all.filter((t) => t.from === current)) {
      if (!previous.has(move.to)) {
        previous.set(move.to, move);
        queue.push(move.to);
      }
    }
  }
  if (!previous.has(stepId)) return undefined;
  const path: Transition[] = [];
  for (let move = previous.get(stepId); move; move = previous.get(move.from)) path.unshift(move);
  return path;
}
