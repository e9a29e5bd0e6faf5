import type { Case } from '../case';
import type { CommandOf } from '../commands';
import type { Notice } from '../notices';
import { refuse } from '../refusals';
import { change, notice, toLeader, toOwner, type Context, type HandlerResult } from './context';

/**
 * The baton (stafetten): exactly one owner at a time. A handover is an offer; the owner keeps the
 * case until the new holder accepts, and keeps it if they decline. The leader may reassign the
 * case directly when the owner has left. The previous owner loses access once the baton has moved.
 */

export function handOver(c: Case, command: CommandOf<'hand-over'>, ctx: Context): HandlerResult {
  if (c.pendingHandover !== null) return refuse('handover-pending');
  if (command.to.id === c.owner.id) return refuse('invalid-handover');
  const leader = command.nearestLeader ?? c.nearestLeader;
  if (command.to.id === leader.id) return refuse('leader-cannot-be-owner');
  const pendingHandover = {
    to: command.to,
    offeredBy: ctx.actor,
    offeredAt: ctx.at,
    unitId: command.unitId ?? null,
    nearestLeader: command.nearestLeader ?? null,
  };
  return change({ ...c, pendingHandover }, [{ type: 'handover-offered', toPersonId: command.to.id }], [
    notice('new-owner', command.to.id, 'handover-offered'),
  ]);
}

export function acceptHandover(c: Case): HandlerResult {
  const offer = c.pendingHandover;
  if (offer === null) return refuse('no-pending-handover');
  // The leader may have changed since the offer: the leader never owns the case.
  if (offer.to.id === (offer.nearestLeader ?? c.nearestLeader).id) return refuse('leader-cannot-be-owner');
  const previous = c.owner;
  const next: Case = {
    ...c,
    owner: offer.to,
    formerOwnerIds: [...new Set([...c.formerOwnerIds, previous.id])].filter((id) => id !== offer.to.id),
    unitId: offer.unitId ?? c.unitId,
    nearestLeader: offer.nearestLeader ?? c.nearestLeader,
    pendingHandover: null,
  };
  const notify: Notice[] = [notice('previous-owner', previous.id, 'handover-accepted')];
  if (offer.nearestLeader !== null && offer.nearestLeader.id !== c.nearestLeader.id) notify.push(toLeader(next, 'leader-assigned'));
  else if (c.leaderKeptInformed) notify.push(toLeader(next, 'owner-changed'));
  const events: ReturnType<typeof change>['events'] = [{ type: 'handover-accepted', fromPersonId: previous.id, toPersonId: offer.to.id }];
  if (offer.nearestLeader !== null && offer.nearestLeader.id !== c.nearestLeader.id) {
    events.push({ type: 'leader-changed', fromPersonId: c.nearestLeader.id, toPersonId: offer.nearestLeader.id });
  }
  return change(next, events, notify);
}

export function declineHandover(c: Case): HandlerResult {
  const offer = c.pendingHandover;
  if (offer === null) return refuse('no-pending-handover');
  return change({ ...c, pendingHandover: null }, [{ type: 'handover-declined', toPersonId: offer.to.id }], [toOwner(c, 'handover-declined')]);
}

export function withdrawHandover(c: Case): HandlerResult {
  const offer = c.pendingHandover;
  if (offer === null) return refuse('no-pending-handover');
  return change({ ...c, pendingHandover: null }, [{ type: 'handover-withdrawn', toPersonId: offer.to.id }], [
    notice('new-owner', offer.to.id, 'handover-withdrawn'),
  ]);
}

export function reassignOwner(c: Case, command: CommandOf<'reassign-owner'>): HandlerResult {
  if (command.to.id === c.owner.id) return refuse('invalid-handover');
  if (command.to.id === c.nearestLeader.id) return refuse('leader-cannot-be-owner');
  const previous = c.owner;
  const next: Case = {
    ...c,
    owner: command.to,
    formerOwnerIds: [...new Set([...c.formerOwnerIds, previous.id])].filter((id) => id !== command.to.id),
    pendingHandover: null,
  };
  return change(next, [{ type: 'owner-reassigned', fromPersonId: previous.id, toPersonId: command.to.id }], [
    notice('new-owner', command.to.id, 'case-assigned'),
  ]);
}

export function changeNearestLeader(c: Case, command: CommandOf<'change-nearest-leader'>, ctx: Context): HandlerResult {
  if (command.to.id === c.owner.id || command.to.id === c.pendingHandover?.to.id) return refuse('leader-cannot-be-owner');
  if (command.to.id === c.nearestLeader.id) return change(c);
  const next: Case = { ...c, nearestLeader: command.to };
  const notify: Notice[] = [];
  if (command.to.id !== ctx.actor.id) {
    if (c.leaderKeptInformed) notify.push(toLeader(next, 'leader-assigned'));
    // Approval is the designated leader's at the moment of deciding: a pending request moves with the role.
    const pending = next.escalations.find((e) => e.status === 'pending');
    if (pending) notify.push(toLeader(next, 'approval-requested', pending.id));
  }
  return change(next, [{ type: 'leader-changed', fromPersonId: c.nearestLeader.id, toPersonId: command.to.id }], notify);
}
