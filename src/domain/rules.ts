import type { Case } from './case';
import type { Command, CommandType } from './commands';
import { consentCoverage, type ConsentCoverage, type SharingScope } from './consent';
import type { Ladder } from './ladder';
import { findStep, stepNeedsApproval } from './ladder-steps';
import { PARENT_CONVERSATION_NOTE_KINDS } from './records';
import { refuse, type Refusal } from './refusals';
import { DEFAULT_TIME_ZONE } from './time';

/**
 * The rules a correct tool never breaks (domain.md), each as a named pure function. `decide`
 * enforces them; the edges may ask them to shape what they offer (e.g. never show a "talk to
 * the parents" button when rule 2 applies).
 */

/**
 * Rule 1 — the duty to report comes first. These commands are accepted from any state (also a
 * draft or a closed case), from the owner, with no approval; the leader is informed, never asked.
 */
export const REPORT_PATH_COMMANDS = ['report-to-child-welfare', 'mark-acute-danger'] as const satisfies readonly CommandType[];

export function isReportPathCommand(type: CommandType): boolean {
  return (REPORT_PATH_COMMANDS as readonly CommandType[]).includes(type);
}

/**
 * Rule 2 — suspected violence or sexual abuse skips the ladder: no conversation with the parents
 * first. Once indicated, it stays indicated in Laget (the answer cannot be withdrawn).
 */
export function parentTalkBlocked(c: Case): boolean {
  return c.safety.suspectedViolenceOrAbuse;
}

/** Rule 2 — whether a command would record or start a conversation with the parents. */
export function commandTalksToParents(command: Command, ladder: Ladder): boolean {
  switch (command.type) {
    case 'record-part-b':
    case 'record-part-c':
      return true;
    case 'add-note':
      return (PARENT_CONVERSATION_NOTE_KINDS as readonly string[]).includes(command.kind);
    case 'start-ladder':
      return command.parentNote !== undefined || findStep(ladder, ladder.startStep)?.talksToParents === true;
    case 'enter-step':
    case 'request-escalation':
      return findStep(ladder, command.stepId)?.talksToParents === true;
    default:
      return false;
  }
}

/**
 * Rule 3 — sharing identifying information with services or a team needs a valid consent that
 * covers them; a withdrawn or expired consent stops covering from that moment.
 */
export function sharingCovered(c: Case, scope: SharingScope, now: Date, timeZone: string = DEFAULT_TIME_ZONE): ConsentCoverage {
  return consentCoverage(c.consents, scope, now, timeZone);
}

/**
 * Rule 3 — while the case's current step shares with services (or a team) that no valid consent
 * covers any more (withdrawn, refused, expired), the step's work stops: no new dates on it, no
 * staying on it, no new goals or actions. `decide` accepts only these commands then:
 * - the duty to report and closing (rule 1);
 * - consent itself: a new consent, the parents' no, a withdrawal;
 * - moves off the step (an evaluation — staying is refused by the handler —, entering or asking
 *   for the next step, the leader's decision, withdrawing a request), each target checked on its own;
 * - who holds the case (the baton, the nearest leader): someone must be able to resolve it;
 * - the owner's own records, shared with no one: the safety answers (rule 2 always counts), the
 *   worry zone and form, the alias, notes (any services a note names need consent of their own),
 *   the child's voice (rule 6), and a team item (named needs the team's consent: rule 5).
 */
export const ALLOWED_WHILE_SHARING_BLOCKED = [
  'report-to-child-welfare',
  'mark-acute-danger',
  'close-case',
  'record-consent',
  'record-consent-refusal',
  'withdraw-consent',
  'record-evaluation',
  'enter-step',
  'request-escalation',
  'decide-escalation',
  'withdraw-escalation',
  'hand-over',
  'accept-handover',
  'decline-handover',
  'withdraw-handover',
  'reassign-owner',
  'change-nearest-leader',
  'record-safety-answers',
  'place-in-zone',
  'record-part-a',
  'record-part-b',
  'record-part-c',
  'set-alias',
  'add-note',
  'record-child-voice',
  'bring-to-team',
  'withdraw-from-team',
] as const satisfies readonly CommandType[];

export function allowedWhileSharingBlocked(type: CommandType): boolean {
  return (ALLOWED_WHILE_SHARING_BLOCKED as readonly CommandType[]).includes(type);
}

/** Rule 4 — escalations the ladder marks as needing approval wait for the designated leader. */
export function escalationNeedsApproval(ladder: Ladder, stepId: string): boolean {
  return stepNeedsApproval(ladder, stepId);
}

export type TeamMode = 'anonymous' | 'named';
export type TeamPermission = { kind: 'allowed'; mode: TeamMode; consentIds: string[] } | Refusal;

/**
 * Rule 5 — a case may always be discussed anonymously in a team (code and a neutral question);
 * by name only while a valid consent covers that team.
 */
export function canBringToTeam(c: Case, teamId: string, mode: TeamMode, now: Date, timeZone: string = DEFAULT_TIME_ZONE): TeamPermission {
  if (c.status === 'closed') return refuse('case-closed');
  if (mode === 'anonymous') return { kind: 'allowed', mode, consentIds: [] };
  const coverage = consentCoverage(c.consents, { services: [], teams: [teamId] }, now, timeZone);
  if (coverage.kind === 'not-covered') return refuse('consent-missing', { missingTeams: [teamId] });
  return { kind: 'allowed', mode, consentIds: coverage.consentIds };
}
