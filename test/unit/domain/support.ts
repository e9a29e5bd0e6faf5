import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import type { Command } from '../../../src/domain/commands';
import { decide, type Accepted, type Decision } from '../../../src/domain/decide';
import { PEOPLE, SCENARIO_START } from '../../../scripts/seed/scenarios';
import { daysAfter, dayAfter } from '../../../scripts/seed/script';
import { loadLadder, type Ladder } from '../../../src/domain/ladder';
import type { PersonRef } from '../../../src/domain/primitives';
import type { TeamItem } from '../../../src/domain/records';
import type { RefusalReason } from '../../../src/domain/refusals';
import type { CaseItem } from '../../../src/domain/team';
import { channelLines, type ChannelLine } from '../../../src/domain/team-channel';

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

/**
 * What a team's channel may show of the case's agenda item (the channel projection), for the
 * item the case's reference `ref` stands for: one line, in a 90-minute meeting.
 */
export function channelLineOf(c: Case, ref: TeamItem, now: Date): ChannelLine {
  const item: CaseItem = {
    kind: 'case',
    id: `case-${c.id}`,
    caseId: c.id,
    unitId: c.unitId,
    mode: ref.mode,
    questionId: ref.questionId,
    owner: c.owner,
    addedAt: ref.requestedAt,
    minutesRecordedAt: null,
  };
  const meeting = { startsAt: '2026-03-17T08:00:00.000Z', endsAt: '2026-03-17T09:30:00.000Z' };
  return channelLines({ teamId: ref.teamId }, meeting, [item], (caseId) => (caseId === c.id ? c : undefined), now)[0]!;
}
