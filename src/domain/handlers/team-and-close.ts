import type { Case } from '../case';
import type { CommandOf } from '../commands';
import type { TeamItem } from '../records';
import { canBringToTeam } from '../rules';
import { cancelPendingEscalations } from './cancel-escalations';
import { chain, change, nextId, toLeaderIfInformed, type Context, type HandlerResult } from './context';
import { notInPast } from './dates';

/** Bringing a case to an interdisciplinary team (rule 5), and closing a case. */

export function bringToTeam(c: Case, command: CommandOf<'bring-to-team'>, ctx: Context): HandlerResult {
  const permission = canBringToTeam(c, command.teamId, command.mode, ctx.now, ctx.timeZone);
  if (permission.kind === 'refused') return permission;
  if (command.meetingOn !== undefined) {
    const past = notInPast(command.meetingOn, ctx.today);
    if (past) return past;
  }
  // The channel sees only the question chosen from the fixed list; the owner's note stays with the case.
  const item: TeamItem = {
    id: nextId('team', c.teamItems),
    teamId: command.teamId,
    mode: command.mode,
    questionId: command.questionId,
    note: command.note ?? null,
    meetingOn: command.meetingOn ?? null,
    consentIds: permission.consentIds,
    requestedAt: ctx.at,
    requestedBy: ctx.actor.id,
  };
  return change({ ...c, teamItems: [...c.teamItems, item] }, [
    { type: 'brought-to-team', itemId: item.id, teamId: item.teamId, mode: item.mode },
  ]);
}

export function closeCase(c: Case, command: CommandOf<'close-case'>, ctx: Context): HandlerResult {
  const cancelled = cancelPendingEscalations(c, 'case-closed', ctx);
  return chain(cancelled, (current) =>
    change(
      {
        ...current,
        status: 'closed',
        pendingHandover: null,
        proposedStepId: null,
        nextDates: { evaluationOn: null, checkInOn: null, conversationOn: null },
        closed: { at: ctx.at, by: ctx.actor.id, reason: command.reason },
      },
      [{ type: 'case-closed', reason: command.reason }],
      toLeaderIfInformed(current, 'case-closed', ctx),
    ),
  );
}
