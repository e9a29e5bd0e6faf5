import type { Case } from '../case';
import type { CommandOf } from '../commands';
import type { Notice } from '../notices';
import { refuse } from '../refusals';
import { change, notice, toLeader, toOwner, type Context, type HandlerResult } from './context';

/**
 * The baton (stafetten): exactly one owner at a time, and it moves only when the new holder
 * accepts (domain.md). A handover is an offer, made by the owner or — when the owner has left,
 * or at any time — by the nearest leader; the owner keeps the case until the new holder accepts,
 * and keeps it if they decline. The previous owner is told when the case leaves them, and loses
 * access then.
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
  return change(
    { ...c, pendingHandover },
    [{ type: 'handover-offered', toPersonId: command.to.id }],
    [notice('new-owner', command.to.id, 'handover-offered')],
  );
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
  // The leader hears of a new owner once kept informed, and always when the leader made the offer.
  else if (c.leaderKeptInformed || offer.offeredBy.id === c.nearestLeader.id) notify.push(toLeader(next, 'owner-changed'));
  const events: ReturnType<typeof change>['events'] = [{ type: 'handover-accepted', fromPersonId: previous.id, toPersonId: offer.to.id }];
  if (offer.nearestLeader !== null && offer.nearestLeader.id !== c.nearestLeader.id) {
    events.push({ type: 'leader-changed', fromPersonId: c.nearestLeader.id, toPersonId: offer.nearestLeader.id });
  }
  return change(next, events, notify);
}

export function declineHandover(c: Case): HandlerResult {
  const offer = c.pendingHandover;
  if (offer === null) return refuse('no-pending-handover');
  const notify: Notice[] = [toOwner(c, 'handover-declined')];
  // An offer the leader made (the owner may have left): the leader must find someone else.
  if (offer.offeredBy.id === c.nearestLeader.id) notify.push(toLeader(c, 'handover-declined'));
  return change({ ...c, pendingHandover: null }, [{ type: 'handover-declined', toPersonId: offer.to.id }], notify);
}

export function withdrawHandover(c: Case): HandlerResult {
  const offer = c.pendingHandover;
  if (offer === null) return refuse('no-pending-handover');
  return change(
    { ...c, pendingHandover: null },
    [{ type: 'handover-withdrawn', toPersonId: offer.to.id }],
    [notice('new-owner', offer.to.id, 'handover-withdrawn')],
  );
}

/**
 * The leader offers the case to someone else (the owner has left, or the leader judges it right):
 * an offer like the owner's, answered with the same card; the owner stays owner until it is
 * accepted. An offer already waiting for someone else gives way to the leader's (that person is told).
 */
export function reassignOwner(c: Case, command: CommandOf<'reassign-owner'>, ctx: Context): HandlerResult {
  if (command.to.id === c.owner.id) return refuse('invalid-handover');
  if (command.to.id === c.nearestLeader.id) return refuse('leader-cannot-be-owner');
  const replaced = c.pendingHandover;
  if (replaced !== null && replaced.to.id === command.to.id) return refuse('handover-pending');
  const pendingHandover = { to: command.to, offeredBy: ctx.actor, offeredAt: ctx.at, unitId: null, nearestLeader: null };
  const events: ReturnType<typeof change>['events'] = [];
  const notify: Notice[] = [];
  if (replaced !== null) {
    events.push({ type: 'handover-withdrawn', toPersonId: replaced.to.id });
    notify.push(notice('new-owner', replaced.to.id, 'handover-withdrawn'));
  }
  events.push({ type: 'handover-offered', toPersonId: command.to.id, byLeader: true });
  notify.push(notice('new-owner', command.to.id, 'handover-offered'));
  return change({ ...c, pendingHandover }, events, notify);
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
