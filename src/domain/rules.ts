import type { Case } from './case';
import type { Command, CommandType } from './commands';
import { consentCoverage, lapsedOn, type SharingScope } from './consent';
import type { Ladder } from './ladder';
import { findStep } from './ladder-steps';
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
const REPORT_PATH_COMMANDS = ['report-to-child-welfare', 'mark-acute-danger'] as const satisfies readonly CommandType[];

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
    case 'record-meeting':
      // A meeting the parents took part in, or of a kind the ladder marks as a conversation with them.
      return command.parents !== 'none' || ladder.meetings.find((m) => m.id === command.meeting)?.talksToParents === true;
    case 'sign-meeting':
      return command.parentsSignedOn !== undefined;
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
 * covers them; a withdrawn or expired consent stops covering from that moment. As a decision: the
 * consents that cover `scope` now, or the refusal that says what is missing — a consent that ran out
 * is named as such (`consent-expired`, with the day), and with `signedForm` a consent without the
 * signed form on record does not count (`signed-consent-missing`).
 */
export function sharingPermission(
  c: Case,
  scope: SharingScope,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
  options: { signedForm?: boolean; stepId?: string } = {},
): { consentIds: string[] } | Refusal {
  const step = options.stepId === undefined ? {} : { stepId: options.stepId };
  const coverage = consentCoverage(c.consents, scope, now, timeZone);
  if (coverage.kind === 'not-covered') {
    const missing = { missingServices: coverage.missingServices, missingTeams: coverage.missingTeams };
    const expiredOn = lapsedOn(
      c.consents,
      missing.missingServices.length + missing.missingTeams.length > 0
        ? { services: missing.missingServices, teams: missing.missingTeams }
        : scope,
      now,
      timeZone,
    );
    return expiredOn === null
      ? refuse('consent-missing', { ...missing, ...step })
      : refuse('consent-expired', { ...missing, expiredOn, ...step });
  }
  if (options.signedForm !== true) return { consentIds: coverage.consentIds };
  const signed = consentCoverage(c.consents, scope, now, timeZone, { signedForm: true });
  if (signed.kind === 'not-covered') {
    return refuse('signed-consent-missing', { missingServices: signed.missingServices, missingTeams: signed.missingTeams, ...step });
  }
  return { consentIds: signed.consentIds };
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
 *   worry zone and form, the alias, notes and the minutes of meetings (any services they name need
 *   consent of their own),
 *   the child's voice (rule 6), and a team item (named needs the team's consent: rule 5).
 */
const ALLOWED_WHILE_SHARING_BLOCKED = [
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
  'directory-change-leader',
  'record-owner-departure',
  'record-safety-answers',
  'place-in-zone',
  'record-part-a',
  'record-part-b',
  'record-part-c',
  'set-alias',
  'add-note',
  'record-meeting',
  'sign-meeting',
  'record-child-voice',
  'bring-to-team',
  'withdraw-from-team',
  'reopen-case',
] as const satisfies readonly CommandType[];

export function allowedWhileSharingBlocked(type: CommandType): boolean {
  return (ALLOWED_WHILE_SHARING_BLOCKED as readonly CommandType[]).includes(type);
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
  const permission = sharingPermission(c, { services: [], teams: [teamId] }, now, timeZone);
  if ('kind' in permission) return permission;
  return { kind: 'allowed', mode, consentIds: permission.consentIds };
}
