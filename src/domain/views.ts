import type { Case, CaseStatus } from './case';
import { currentZoneId, nextDate } from './case';
import { consentCoverage, consentInForce } from './consent';
import type { PersonRef } from './primitives';
import type { Escalation, Report } from './records';
import { DEFAULT_TIME_ZONE } from './time';

/**
 * What each reader may see of a case. The owner sees the case itself; everyone else gets one
 * of these projections, which leave out notes, the worry form, the child's voice and free text.
 * What a team's channel may show of its agenda is decided in `team-channel.ts`, and nowhere else.
 */

/** A line in "mine saker", and the leader's information card: code, alias, step, next date. */
export type CaseSummary = {
  caseId: string;
  alias: string | null;
  stepId: string | null;
  status: CaseStatus;
  nextDate: string | null;
};

export function caseSummary(c: Case): CaseSummary {
  return { caseId: c.id, alias: c.alias, stepId: c.currentStep?.stepId ?? null, status: c.status, nextDate: nextDate(c) };
}

/** The leader's view: the workflow and its decisions, never the owner's notes or answers. */
export type LeaderCaseView = CaseSummary & {
  unitId: string;
  owner: PersonRef;
  zoneId: string | null;
  proposedStepId: string | null;
  services: string[];
  escalations: Escalation[];
  reports: Report[];
  consents: { id: string; kind: 'given' | 'refused'; services: string[]; teams: string[]; validUntil: string | null; inForce: boolean }[];
  evaluations: { stepId: string; outcome: 'a' | 'b'; recordedAt: string }[];
  pendingHandoverTo: PersonRef | null;
};

export function leaderView(c: Case, now: Date, timeZone: string = DEFAULT_TIME_ZONE): LeaderCaseView {
  return {
    ...caseSummary(c),
    unitId: c.unitId,
    owner: c.owner,
    zoneId: currentZoneId(c),
    proposedStepId: c.proposedStepId,
    services: c.currentStep?.services ?? [],
    escalations: c.escalations,
    reports: c.reports,
    consents: c.consents.map((r) => ({
      id: r.id,
      kind: r.kind,
      services: r.services,
      teams: r.teams,
      validUntil: r.kind === 'given' ? r.validUntil : null,
      inForce: r.kind === 'given' && consentInForce(r, now, timeZone),
    })),
    evaluations: c.evaluations.map((e) => ({ stepId: e.stepId, outcome: e.outcome, recordedAt: e.recordedAt })),
    pendingHandoverTo: c.pendingHandover?.to ?? null,
  };
}

/** A team member's view under a consent that covers the team: the plan, not the story. */
export type TeamCaseView = {
  caseId: string;
  alias: string | null;
  stepId: string | null;
  goals: { text: string; targetOn: string }[];
  actions: { what: string; dueOn: string; done: boolean }[];
};

export function teamView(c: Case, teamId: string, now: Date, timeZone: string = DEFAULT_TIME_ZONE): TeamCaseView | null {
  if (consentCoverage(c.consents, { services: [], teams: [teamId] }, now, timeZone).kind !== 'covered') return null;
  return {
    caseId: c.id,
    alias: c.alias,
    stepId: c.currentStep?.stepId ?? null,
    goals: c.goals.map((g) => ({ text: g.text, targetOn: g.targetOn })),
    actions: c.actions.map((a) => ({ what: a.what, dueOn: a.dueOn, done: a.done !== null })),
  };
}
