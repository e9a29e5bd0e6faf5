import type { Case } from '../case';
import type { Escalation } from '../records';
import { change, toLeader, type Change, type Context } from './context';

type CancelCause = Extract<Escalation, { status: 'cancelled' }>['cause'];

/**
 * Cancels pending escalations (those `which` selects): the leader's card then shows that no
 * decision is needed any more. There is at most one pending escalation, but the code does not rely on it.
 */
export function cancelPendingEscalations(
  c: Case,
  cause: CancelCause,
  ctx: Context,
  which: (e: Extract<Escalation, { status: 'pending' }>) => boolean = () => true,
): Change {
  const cancelled: string[] = [];
  const escalations = c.escalations.map((e): Escalation => {
    if (e.status !== 'pending' || !which(e)) return e;
    cancelled.push(e.id);
    return { ...e, status: 'cancelled', cancelledAt: ctx.at, cause };
  });
  if (cancelled.length === 0) return change(c);
  const notify = c.nearestLeader.id === ctx.actor.id ? [] : cancelled.map((id) => toLeader(c, 'escalation-cancelled', id));
  return change(
    { ...c, escalations },
    cancelled.map((escalationId) => ({ type: 'escalation-cancelled' as const, escalationId, cause })),
    notify,
  );
}
