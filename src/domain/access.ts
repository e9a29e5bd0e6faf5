import type { Case } from './case';
import type { CommandType } from './commands';
import { consentCoverage } from './consent';
import type { PersonRef } from './primitives';
import { DEFAULT_TIME_ZONE } from './time';

/**
 * Who may read, change, approve, reassign or export a case — the pure policy the store and the
 * bot ask before every operation, and whose `basis` goes into the audit log.
 *
 * - The owner (stafettholder): reads everything, changes, exports for the unit's journal.
 * - The nearest leader: reads the leader's view (never the owner's notes or worry form), approves
 *   escalations, reassigns the owner or the leader role. Does not edit.
 * - Members of a team that a valid consent covers: read a limited view.
 * - The person offered the baton: may answer the offer, nothing more until they accept.
 * - A former owner: nothing, once the baton has moved. Coordinators: aggregates only. Anyone else: nothing.
 */

export const CASE_OPERATIONS = ['read', 'change', 'approve', 'reassign', 'export', 'respond-to-handover'] as const;
export type CaseOperation = (typeof CASE_OPERATIONS)[number];

export type AccessBasis = 'owner' | 'leader' | 'team-consent' | 'handover-offer';
export type CaseView = 'full' | 'leader' | 'team' | 'none';

export type AccessDenial = 'operation-not-permitted' | 'former-owner' | 'aggregates-only' | 'no-relation' | 'not-case-leader';

/** A denial; `leader` names the case's nearest leader to another leader of the same unit (who may be asked to act). */
export type AccessDecision =
  { kind: 'allowed'; basis: AccessBasis; view: CaseView } | { kind: 'denied'; reason: AccessDenial; leader?: PersonRef };

export type Viewer = {
  id: string;
  /** The interdisciplinary teams the person is a member of (from the team roster). */
  teamIds?: readonly string[];
  /** A coordinator (tverrfaglig koordinator) sees aggregates only. */
  coordinator?: boolean;
  /** The units the person is a leader of (the municipality's configuration). */
  leadsUnitIds?: readonly string[];
};

const OWNER_MAY: readonly CaseOperation[] = ['read', 'change', 'export'];
const LEADER_MAY: readonly CaseOperation[] = ['read', 'approve', 'reassign'];

export function authorize(
  c: Case,
  viewer: Viewer,
  operation: CaseOperation,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): AccessDecision {
  if (viewer.id === c.owner.id) {
    return OWNER_MAY.includes(operation) ? { kind: 'allowed', basis: 'owner', view: 'full' } : denied('operation-not-permitted');
  }
  if (viewer.id === c.nearestLeader.id) {
    return LEADER_MAY.includes(operation) ? { kind: 'allowed', basis: 'leader', view: 'leader' } : denied('operation-not-permitted');
  }
  if (c.pendingHandover?.to.id === viewer.id && operation === 'respond-to-handover') {
    return { kind: 'allowed', basis: 'handover-offer', view: 'none' };
  }
  const team = teamWithConsent(c, viewer.teamIds ?? [], now, timeZone);
  if (team !== null) {
    return operation === 'read' ? { kind: 'allowed', basis: 'team-consent', view: 'team' } : denied('operation-not-permitted');
  }
  if (c.formerOwnerIds.includes(viewer.id)) return denied('former-owner');
  if (viewer.coordinator === true) return denied('aggregates-only');
  // Another leader of the case's unit has no access either, but is told who the case's leader is.
  if (viewer.leadsUnitIds?.includes(c.unitId)) return { kind: 'denied', reason: 'not-case-leader', leader: c.nearestLeader };
  return denied('no-relation');
}

/** The first of the viewer's teams that a consent in force covers, or null. */
export function teamWithConsent(c: Case, teamIds: readonly string[], now: Date, timeZone: string = DEFAULT_TIME_ZONE): string | null {
  return teamIds.find((teamId) => consentCoverage(c.consents, { services: [], teams: [teamId] }, now, timeZone).kind === 'covered') ?? null;
}

/** The operation a command is, for the access check and the audit log. */
export function operationFor(type: CommandType): CaseOperation {
  switch (type) {
    case 'decide-escalation':
      return 'approve';
    case 'reassign-owner':
    case 'change-nearest-leader':
      return 'reassign';
    case 'accept-handover':
    case 'decline-handover':
      return 'respond-to-handover';
    default:
      return 'change';
  }
}

function denied(reason: AccessDenial): AccessDecision {
  return { kind: 'denied', reason };
}
