/**
 * Who must be told what after a change. The domain only says it; the edges send the cards.
 * `personId` is resolved from the case as it is after the change (or before, for a previous owner).
 */
const NOTICE_TOPICS = [
  /** Owner: violence/abuse suspected or danger now — show the direct report path (112, barnevernvakt, barnevern). */
  'direct-report-guidance',
  /** Owner: the acute zone or acute danger — call for help now. */
  'acute-guidance',
  /** Owner: a zone that says "act now" — involve the leader, consider a report. */
  'zone-guidance',
  /** Leader: the case moved to another step (only once the ladder keeps the leader informed). */
  'step-changed',
  /** Owner: "not better" — the next step, with its requirements. */
  'next-step-proposed',
  /** Owner: the ladder has no further step — report or close. */
  'ladder-ended',
  /** Leader: an escalation waits for approval. */
  'approval-requested',
  /** Owner: the leader approved or rejected. */
  'escalation-decided',
  /** Leader: a pending escalation no longer needs a decision. */
  'escalation-cancelled',
  /** Leader: the owner reported to child welfare (informed, never asked). */
  'report-made',
  /** Leader: the owner marked acute danger. */
  'acute-danger',
  /** Owner: a consent was withdrawn; what depended on it is blocked. */
  'consent-withdrawn',
  /** Owner: the parents refused; their right to say no, the consequences, the owner's own duty to report. */
  'consent-refused',
  /** Owner: the current step shares with services a consent no longer covers. */
  'sharing-blocked',
  /** New owner: a handover is offered, by the owner or the leader (accept or decline). */
  'handover-offered',
  /** Previous owner: the new holder accepted; the case has left them. */
  'handover-accepted',
  /** Owner (and the leader, when the leader made the offer): the proposed holder declined; the owner keeps the case. */
  'handover-declined',
  /** Proposed holder: the offer was withdrawn. */
  'handover-withdrawn',
  /** Leader: the case has a new owner. */
  'owner-changed',
  /** New owner: the leader assigned the case to them. No longer sent (the leader's reassignment is an offer: 'handover-offered'); kept for queued jobs. */
  'case-assigned',
  /** New leader: they are now the case's nearest leader. */
  'leader-assigned',
  /** Leader: the case was closed. */
  'case-closed',
  /** Leader: the case was opened again. */
  'case-reopened',
  /** Previous leader: the directory gave the unit's cases another leader; the case has left them (code only). */
  'leader-replaced',
  /** Leader: the owner left the unit or their account was disabled; offer the case to a colleague. */
  'owner-departed',
] as const;
export type NoticeTopic = (typeof NOTICE_TOPICS)[number];

export type NoticeRecipient = 'owner' | 'leader' | 'new-owner' | 'previous-owner' | 'previous-leader';

export type Notice = {
  to: NoticeRecipient;
  personId: string;
  about: NoticeTopic;
  /** The record the notice is about (an escalation id, a consent id …), when there is one. */
  ref?: string;
};
