import { pendingEscalation, type Case } from '../case';
import type { CommandOf } from '../commands';
import type { Notice } from '../notices';
import { refuse } from '../refusals';
import { change, notice, toLeader, type HandlerResult } from './context';

/**
 * What the municipality's directory (Entra ID, or the municipality file) says about the people of
 * a case's unit, applied by Laget itself — no person gives these commands (decide.ts checks the
 * directory's own actor). Both are idempotent: applied twice, the second changes nothing and tells
 * no one, so a sync that is repeated after a crash informs each person once.
 */

/**
 * The unit's leaders changed and the case's leader is no longer among them: the case gets the
 * unit's leader now. The history keeps both (the event names them); a request waiting for
 * approval moves with the role; the old leader, if they knew the case (kept informed, or asked
 * to approve), is told it has left them — with its code only, since they lose access.
 */
export function directoryChangeLeader(c: Case, command: CommandOf<'directory-change-leader'>): HandlerResult {
  const previous = c.nearestLeader;
  if (command.to.id === previous.id) return change(c);
  if (command.to.id === c.owner.id || command.to.id === c.pendingHandover?.to.id) return refuse('leader-cannot-be-owner');
  const next: Case = { ...c, nearestLeader: command.to };
  const pending = pendingEscalation(next);
  const notify: Notice[] = [];
  if (c.leaderKeptInformed || pending) notify.push(notice('previous-leader', previous.id, 'leader-replaced'));
  if (c.leaderKeptInformed) notify.push(toLeader(next, 'leader-assigned'));
  if (pending) notify.push(toLeader(next, 'approval-requested', pending.id));
  return change(next, [{ type: 'leader-changed', fromPersonId: previous.id, toPersonId: command.to.id, byDirectory: true }], notify);
}

/**
 * The owner no longer works in the case's unit, or their account was disabled: the leader is
 * offered the baton (the notice leads to the leader's reassign offer), once per owner. The owner
 * stays owner until a colleague accepts — exactly one owner at all times.
 */
export function recordOwnerDeparture(c: Case, command: CommandOf<'record-owner-departure'>): HandlerResult {
  if (c.events.some((e) => e.type === 'owner-departed' && e.personId === c.owner.id)) return change(c);
  return change(
    c,
    [{ type: 'owner-departed', personId: c.owner.id, reason: command.reason }],
    [toLeader(c, 'owner-departed', command.reason)],
  );
}
