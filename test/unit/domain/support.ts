import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import type { Command } from '../../../src/domain/commands';
import { decide, type Accepted, type Decision } from '../../../src/domain/decide';
import { PEOPLE, SCENARIO_START } from '../../../src/domain/fixtures/scenarios';
import { daysAfter, dayAfter } from '../../../src/domain/fixtures/script';
import { loadLadder, type Ladder } from '../../../src/domain/ladder';
import type { PersonRef } from '../../../src/domain/primitives';
import type { RefusalReason } from '../../../src/domain/refusals';

/** Shared helpers for the domain tests. */

export const AH: Ladder = loadLadder('aurskog-holand');
export const BTI: Ladder = loadLadder('bti');
export const ASNES: Ladder = loadLadder('asnes-samhandlingstrappa');

export const { kari, per, lise, ola, nina, tor, anne } = PEOPLE;
export const stranger: PersonRef = { id: 'aad-stranger', name: 'Sara Fremmed' };

export const T0 = SCENARIO_START;
/** The instant n days after T0. */
export const day = (n: number): Date => daysAfter(T0, n);
/** The calendar day (Oslo) n days after T0. */
export const isoDay = (n: number): string => dayAfter(T0, n);

export function accepted(decision: Decision): Accepted {
  if (decision.kind === 'refused')
    assert.fail(`expected acceptance, got refusal ${decision.reason} ${JSON.stringify(decision.detail ?? {})}`);
  return decision;
}

export function refused(decision: Decision, reason: RefusalReason): Extract<Decision, { kind: 'refused' }> {
  if (decision.kind === 'accepted') assert.fail(`expected refusal ${reason}, but the command was accepted`);
  assert.equal(decision.reason, reason, `expected ${reason}, got ${decision.reason} ${JSON.stringify(decision.detail ?? {})}`);
  return decision;
}

/** decide on the Aurskog-Høland ladder unless told otherwise. */
export function run(c: Case | null, command: Command, actor: PersonRef, now: Date, ladder: Ladder = AH): Decision {
  return decide(c, command, actor, now, ladder);
}

/** Applies a command that must be accepted and returns the new case. */
export function apply(c: Case | null, command: Command, actor: PersonRef, now: Date, ladder: Ladder = AH): Case {
  return accepted(run(c, command, actor, now, ladder)).case;
}

export function newCase(
  overrides: Partial<Extract<Command, { type: 'create-case' }>> = {},
  actor: PersonRef = kari,
  now: Date = T0,
  ladder: Ladder = AH,
): Case {
  return apply(
    null,
    {
      type: 'create-case',
      caseId: 'UR-7K4Q',
      unitId: 'solsikken-barnehage',
      nearestLeader: per,
      alias: 'E.H.',
      safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      ...overrides,
    },
    actor,
    now,
    ladder,
  );
}

/** Notices of a decision as "to:about" strings, for compact assertions. */
export function noticesOf(decision: Decision): string[] {
  return accepted(decision).notify.map((n) => `${n.to}:${n.about}`);
}
