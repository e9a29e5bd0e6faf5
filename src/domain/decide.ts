import type { Case } from './case';
import type { Command, CommandType } from './commands';
import type { CaseEvent } from './events';
import { acceptHandover, changeNearestLeader, declineHandover, handOver, reassignOwner, withdrawHandover } from './handlers/baton';
import { recordConsent, recordConsentRefusal, withdrawConsent } from './handlers/consent';
import { isRefusal, type Change, type Context, type HandlerResult } from './handlers/context';
import { createCase } from './handlers/create-case';
import { directoryChangeLeader, recordOwnerDeparture } from './handlers/directory';
import { DIRECTORY_ACTOR } from './directory';
import { placeInZone, recordPartA, recordPartB, recordPartC, recordSafetyAnswers, setAlias } from './handlers/draft';
import { decideEscalation, requestEscalation, withdrawEscalation } from './handlers/escalation';
import { enterStep, recordEvaluation, reschedule, startLadder } from './handlers/ladder-moves';
import { markAcuteDanger, reportToChildWelfare } from './handlers/report';
import { recordMeeting, signMeeting } from './handlers/meetings';
import { bringToTeam, closeCase, reopenCase, withdrawFromTeam } from './handlers/team-and-close';
import { addAction, addGoal, addNote, completeAction, recordChildVoice, updateAction } from './handlers/work-records';
import type { Ladder } from './ladder';
import { findNationalId } from './national-id';
import type { Notice } from './notices';
import type { PersonRef } from './primitives';
import { refuse, type Refusal } from './refusals';
import { allowedWhileSharingBlocked, commandTalksToParents, isReportPathCommand, parentTalkBlocked } from './rules';
import { currentStepBlocked } from './handlers/step-entry';
import { dayOf, DEFAULT_TIME_ZONE, instantOf } from './time';

/**
 * The one way a case changes: `decide(case, command, actor, now, ladder)` returns the new case
 * with the events it recorded and whom to tell, or a typed refusal. Pure: no I/O, the time is
 * given, and the same input always gives the same answer. The edges load the case, call this,
 * save with the ETag and send the cards the notices ask for.
 */

export type Accepted = { kind: 'accepted'; case: Case; events: CaseEvent[]; notify: Notice[] };
export type Decision = Accepted | Refusal;

export type DecideOptions = {
  /** The municipality's time zone for "today" (evaluation days, "not in the past"). */
  timeZone?: string;
};

/** Who may give each command: the role is checked against the case as it is now. */
type Role = 'owner' | 'leader' | 'handover-recipient' | 'directory';
const WHO_MAY: Record<Exclude<CommandType, 'create-case'>, Role> = {
  'record-safety-answers': 'owner',
  'set-alias': 'owner',
  'place-in-zone': 'owner',
  'record-part-a': 'owner',
  'record-part-b': 'owner',
  'record-part-c': 'owner',
  'start-ladder': 'owner',
  'record-evaluation': 'owner',
  reschedule: 'owner',
  'enter-step': 'owner',
  'request-escalation': 'owner',
  'decide-escalation': 'leader',
  'withdraw-escalation': 'owner',
  'add-goal': 'owner',
  'add-action': 'owner',
  'complete-action': 'owner',
  'update-action': 'owner',
  'record-meeting': 'owner',
  'sign-meeting': 'owner',
  'add-note': 'owner',
  'record-child-voice': 'owner',
  'record-consent': 'owner',
  'record-consent-refusal': 'owner',
  'withdraw-consent': 'owner',
  'report-to-child-welfare': 'owner',
  'mark-acute-danger': 'owner',
  'hand-over': 'owner',
  'accept-handover': 'handover-recipient',
  'decline-handover': 'handover-recipient',
  'withdraw-handover': 'owner',
  // The leader offers the case to someone else; the baton moves when they accept.
  'reassign-owner': 'leader',
  // Who approves is the leader's to change, never the owner's (the owner must not pick their approver).
  'change-nearest-leader': 'leader',
  // What the directory says about the unit's people: no person gives these.
  'directory-change-leader': 'directory',
  'record-owner-departure': 'directory',
  'bring-to-team': 'owner',
  'withdraw-from-team': 'owner',
  'close-case': 'owner',
  'reopen-case': 'owner',
};

export function decide(
  current: Case | null,
  command: Command,
  actor: PersonRef,
  now: Date,
  ladder: Ladder,
  options: DecideOptions = {},
): Decision {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const ctx: Context = { actor, now, at: instantOf(now), today: dayOf(now, timeZone), ladder, timeZone };

  const field = findNationalId(command);
  if (field !== null) return refuse('national-id-not-allowed', { field });

  if (command.type === 'create-case') {
    if (current !== null) return refuse('case-already-exists');
    return finish(null, createCase(command, ctx), ctx);
  }
  if (current === null) return refuse('case-not-found');
  // Rule 1: a report never depends on the ladder (nor on the ladder this Laget is configured with).
  if (current.ladderId !== ladder.id && !isReportPathCommand(command.type)) return refuse('ladder-mismatch');
  // A closed case takes a report (rule 1) and being opened again; nothing else.
  if (current.status === 'closed' && !isReportPathCommand(command.type) && command.type !== 'reopen-case') return refuse('case-closed');

  const who = mayGive(current, command.type, actor);
  if (who) return who;
  // Rule 2 before anything else the command might need: point to the direct report path.
  if (parentTalkBlocked(current) && commandTalksToParents(command, ladder)) {
    return refuse('talk-to-parents-blocked-by-safety', { next: 'report-to-child-welfare' });
  }
  // Rule 3: a step whose sharing no consent covers any more takes no further work.
  if (!allowedWhileSharingBlocked(command.type)) {
    const blocked = currentStepBlocked(current, ctx);
    if (blocked) return blocked;
  }
  return finish(current, handle(current, command, ctx), ctx);
}

function mayGive(c: Case, type: Exclude<CommandType, 'create-case'>, actor: PersonRef): Refusal | null {
  switch (WHO_MAY[type]) {
    case 'owner':
      return actor.id === c.owner.id ? null : refuse('not-owner');
    case 'leader':
      return actor.id === c.nearestLeader.id ? null : refuse('not-designated-leader');
    case 'handover-recipient':
      if (c.pendingHandover === null) return refuse('no-pending-handover');
      return actor.id === c.pendingHandover.to.id ? null : refuse('not-handover-recipient');
    case 'directory':
      return actor.id === DIRECTORY_ACTOR.id ? null : refuse('directory-only');
  }
}

function handle(c: Case, command: Exclude<Command, { type: 'create-case' }>, ctx: Context): HandlerResult {
  switch (command.type) {
    case 'record-safety-answers':
      return recordSafetyAnswers(c, command, ctx);
    case 'set-alias':
      return setAlias(c, command);
    case 'place-in-zone':
      return placeInZone(c, command, ctx);
    case 'record-part-a':
      return recordPartA(c, command, ctx);
    case 'record-part-b':
      return recordPartB(c, command, ctx);
    case 'record-part-c':
      return recordPartC(c, command, ctx);
    case 'start-ladder':
      return startLadder(c, command, ctx);
    case 'record-evaluation':
      return recordEvaluation(c, command, ctx);
    case 'reschedule':
      return reschedule(c, command, ctx);
    case 'enter-step':
      return enterStep(c, command, ctx);
    case 'request-escalation':
      return requestEscalation(c, command, ctx);
    case 'decide-escalation':
      return decideEscalation(c, command, ctx);
    case 'withdraw-escalation':
      return withdrawEscalation(c, command, ctx);
    case 'add-goal':
      return addGoal(c, command, ctx);
    case 'add-action':
      return addAction(c, command, ctx);
    case 'complete-action':
      return completeAction(c, command, ctx);
    case 'update-action':
      return updateAction(c, command, ctx);
    case 'record-meeting':
      return recordMeeting(c, command, ctx);
    case 'sign-meeting':
      return signMeeting(c, command, ctx);
    case 'add-note':
      return addNote(c, command, ctx);
    case 'record-child-voice':
      return recordChildVoice(c, command, ctx);
    case 'record-consent':
      return recordConsent(c, command, ctx);
    case 'record-consent-refusal':
      return recordConsentRefusal(c, command, ctx);
    case 'withdraw-consent':
      return withdrawConsent(c, command, ctx);
    case 'report-to-child-welfare':
      return reportToChildWelfare(c, command, ctx);
    case 'mark-acute-danger':
      return markAcuteDanger(c, command, ctx);
    case 'hand-over':
      return handOver(c, command, ctx);
    case 'accept-handover':
      return acceptHandover(c);
    case 'decline-handover':
      return declineHandover(c);
    case 'withdraw-handover':
      return withdrawHandover(c);
    case 'reassign-owner':
      return reassignOwner(c, command, ctx);
    case 'change-nearest-leader':
      return changeNearestLeader(c, command, ctx);
    case 'directory-change-leader':
      return directoryChangeLeader(c, command);
    case 'record-owner-departure':
      return recordOwnerDeparture(c, command);
    case 'bring-to-team':
      return bringToTeam(c, command, ctx);
    case 'withdraw-from-team':
      return withdrawFromTeam(c, command, ctx);
    case 'close-case':
      return closeCase(c, command, ctx);
    case 'reopen-case':
      return reopenCase(c, command, ctx);
  }
}

/** Stamps the handler's events (sequence, time, actor), appends them to the history and sets `updatedAt`. */
function finish(previous: Case | null, result: HandlerResult, ctx: Context): Decision {
  if (isRefusal(result)) return result;
  const change: Change = result;
  const start = previous?.events.length ?? 0;
  const events = change.events.map((draft, index) => ({ ...draft, seq: start + index + 1, at: ctx.at, actorId: ctx.actor.id }));
  const c: Case = { ...change.case, updatedAt: ctx.at, events: [...(previous?.events ?? []), ...events] };
  return { kind: 'accepted', case: c, events, notify: dedupe(change.notify) };
}

function dedupe(notices: readonly Notice[]): Notice[] {
  const seen = new Set<string>();
  return notices.filter((n) => {
    const key = `${n.to}|${n.personId}|${n.about}|${n.ref ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export type CommandBy = { command: Command; actor: PersonRef; now: Date };

/**
 * Several commands one after the other (e.g. the acute path: create the case, then record the
 * report), as one decision: every event and notice, or the first refusal.
 */
export function decideAll(current: Case | null, steps: readonly CommandBy[], ladder: Ladder, options: DecideOptions = {}): Decision {
  let c = current;
  const events: CaseEvent[] = [];
  const notify: Notice[] = [];
  for (const step of steps) {
    const decision = decide(c, step.command, step.actor, step.now, ladder, options);
    if (decision.kind === 'refused') return decision;
    c = decision.case;
    events.push(...decision.events);
    notify.push(...decision.notify);
  }
  if (c === null) throw new Error('decideAll needs at least one command');
  return { kind: 'accepted', case: c, events, notify: dedupe(notify) };
}
