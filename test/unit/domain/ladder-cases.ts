import type { Case } from '../../../src/domain/case';
import type { Command } from '../../../src/domain/commands';
import { readyToEvaluate, walkTo } from '../../support/ladder-walk';
import { PEOPLE } from '../../../scripts/seed/scenarios';
import type { Ladder, Step } from '../../../src/domain/ladder';
import { pathTo, stepNeedsApproval, stepRequires, type Transition } from '../../../src/domain/ladder-steps';
import { dayOf } from '../../../src/domain/time';
import { AH, apply, ASNES, BTI } from './support';

/** Cases on any bundled ladder just before a step, for tests that run a rule over every ladder. */

export const LADDERS: readonly Ladder[] = [AH, BTI, ASNES];

/** The last legal move into `stepId`, and the case standing where that move starts. */
export function caseBefore(ladder: Ladder, stepId: string): { c: Case; now: Date; move: Transition } {
  const path = pathTo(ladder, stepId);
  const move = path?.at(-1);
  if (!move) throw new Error(`${ladder.id} ${stepId} is the start step or unreachable`);
  const walk = readyToEvaluate(ladder, walkTo(ladder, move.from));
  return { c: walk.case, now: walk.now, move };
}

/** Steps that "not better" proposes (the owner enters them, or asks the leader): the ones with requirements a person meets. */
export function proposedSteps(ladder: Ladder): Step[] {
  return ladder.steps.filter((step) => {
    const move = pathTo(ladder, step.id)?.at(-1);
    return move !== undefined && move.outcome === 'b' && move.basis === 'evaluation';
  });
}

/** A case on the step before `step` whose evaluation said "not better": `step` is proposed. */
export function proposedCase(ladder: Ladder, step: Step): { c: Case; now: Date } {
  const { c, now } = caseBefore(ladder, step.id);
  return { c: apply(c, { type: 'record-evaluation', outcome: 'b' }, c.owner, now, ladder), now };
}

/** The services a step's entry names: as many as it asks for. */
export function servicesFor(step: Step): string[] {
  return ['helsestasjon', 'ppt', 'barnevern'].slice(0, step.sharesWithServices?.minServices ?? 0);
}

/** The parents' consent for `services`, with the signed form on record or not. */
export function consentCommand(services: string[], now: Date, signed: boolean): Command {
  return {
    type: 'record-consent',
    givenBy: ['mother', 'father'],
    services,
    teams: [],
    purpose: 'Samarbeid om tiltak for barnet.',
    givenOn: dayOf(now),
    validUntil: dayOf(new Date(now.getTime() + 200 * 24 * 3600 * 1000)),
    ...(signed ? { signedFormArchivedAt: 'Enhetens arkivmappe for samtykker' } : {}),
  };
}

/** Everything the step asks the owner for, as the command that enters it (or asks the leader to). */
export function fullEntry(ladder: Ladder, step: Step): Extract<Command, { type: 'enter-step' | 'request-escalation' }> {
  return {
    type: stepNeedsApproval(ladder, step.id) ? 'request-escalation' : 'enter-step',
    stepId: step.id,
    services: servicesFor(step),
    attestations: { bothParentsInvited: true, parentsParticipate: true },
    ...(stepRequires(step, 'coordinator-named') ? { coordinator: PEOPLE.tor } : {}),
  };
}
