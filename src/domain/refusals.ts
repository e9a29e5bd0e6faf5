import type { RequirementKind } from './ladder';
import type { IsoDate, IsoDateTime, PersonRef } from './primitives';

/**
 * Why the domain said no. Typed reasons only: the i18n layer turns each into a Norwegian sentence
 * that says what happened and what to do next.
 */
export const REFUSAL_REASONS = [
  // the case itself
  'case-not-found',
  'case-already-exists',
  'ladder-mismatch',
  'case-closed',
  'case-not-closed',
  // who is asking
  'not-owner',
  'not-designated-leader',
  'not-handover-recipient',
  'leader-cannot-be-owner',
  'directory-only',
  // what is asked
  'national-id-not-allowed',
  'unknown-zone',
  'unknown-service',
  'date-in-past',
  'date-in-future',
  'worry-form-closed',
  // the ladder
  'ladder-not-started',
  'ladder-already-started',
  'step-not-reachable',
  'step-has-no-evaluation',
  'requirement-not-met',
  'evaluation-too-late',
  'work-not-done',
  'evaluation-same-day',
  'talk-to-parents-blocked-by-safety',
  'safety-answer-cannot-be-withdrawn',
  // consent
  'consent-missing',
  'signed-consent-missing',
  'consent-expired',
  'consent-scope-empty',
  'child-consent-missing',
  'consent-not-found',
  'consent-already-withdrawn',
  'consent-refusal-required',
  // escalation and approval
  'leader-approval-required',
  'approval-not-required',
  'escalation-pending',
  'escalation-not-found',
  'already-decided',
  'reason-required',
  // records
  'action-not-found',
  'action-already-done',
  'unknown-meeting',
  'meeting-not-found',
  'minutes-archive-missing',
  // the baton
  'handover-pending',
  'no-pending-handover',
  'invalid-handover',
  // the duty to report
  'report-already-recorded',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Facts the edges need to explain a refusal. Only the fields that apply are set. */
export type RefusalDetail = {
  /** The requirement that is not met (`requirement-not-met`); 'services' when too few services are named. */
  requirement?: RequirementKind | 'services';
  /** What a consent would have to cover (`consent-missing`), or cover with a signed form on record (`signed-consent-missing`). */
  missingServices?: string[];
  missingTeams?: string[];
  /** The latest day the ladder allows (`evaluation-too-late`). */
  latestAllowed?: IsoDate;
  /** Who decided, when and how (`already-decided`); who recorded the report, and when (`report-already-recorded`). */
  decidedBy?: PersonRef;
  decidedAt?: IsoDateTime;
  decision?: 'approved' | 'rejected' | 'cancelled';
  /** Where to go instead (`talk-to-parents-blocked-by-safety`): the direct report path. */
  next?: 'report-to-child-welfare';
  /** The field that held something shaped like a national identity number. */
  field?: string;
  stepId?: string;
  escalationId?: string;
  /** The work item of the step that is not done yet (`work-not-done`). */
  workItemId?: string;
  /** The case's nearest leader, told to another leader of the unit (`not-case-leader`). */
  leader?: PersonRef;
  /** The day the consent that would have covered it ran out (`consent-expired`). */
  expiredOn?: IsoDate;
};

export type Refusal = { kind: 'refused'; reason: RefusalReason; detail?: RefusalDetail };

export function refuse(reason: RefusalReason, detail?: RefusalDetail): Refusal {
  return detail === undefined ? { kind: 'refused', reason } : { kind: 'refused', reason, detail };
}
