import type { Case } from '../case';
import type { CommandOf } from '../commands';
import type { Report } from '../records';
import { refuse, type Refusal } from '../refusals';
import { change, nextId, toLeader, toOwner, type Context, type HandlerResult } from './context';
import { notInFuture } from './dates';

/**
 * Rule 1 — the duty to report comes first. From any state (a draft, any step, a pending
 * escalation, a closed case), by the owner, with no approval: the leader is informed, never asked.
 * Nothing here can refuse for lack of approval, consent or step.
 */

export function reportToChildWelfare(c: Case, command: CommandOf<'report-to-child-welfare'>, ctx: Context): HandlerResult {
  const already = madeFromTheSameCard(c, 'child-welfare', command.cardDrawnAt);
  if (already) return already;
  const reportedOn = command.reportedOn ?? ctx.today;
  const future = notInFuture(reportedOn, ctx.today);
  if (future) return future;
  const report: Report = {
    kind: 'child-welfare',
    id: nextId('report', c.reports),
    reportedOn,
    reportedBy: ctx.actor,
    leaderInvolved: command.leaderInvolved,
    recordedAt: ctx.at,
  };
  return change(
    { ...c, status: 'reported', closed: null, reports: [...c.reports, report] },
    [{ type: 'reported-to-child-welfare', reportId: report.id, leaderInvolved: report.leaderInvolved }],
    [toLeader(c, 'report-made', report.id)],
  );
}

export function markAcuteDanger(c: Case, command: CommandOf<'mark-acute-danger'>, ctx: Context): HandlerResult {
  const already = madeFromTheSameCard(c, 'acute', command.cardDrawnAt);
  if (already) return already;
  const report: Report = {
    kind: 'acute',
    id: nextId('report', c.reports),
    contacted: [...new Set(command.contacted)],
    reportedBy: ctx.actor,
    recordedAt: ctx.at,
  };
  return change(
    {
      ...c,
      status: 'reported',
      closed: null,
      safety: { ...c.safety, dangerNow: true, answeredAt: ctx.at, answeredBy: ctx.actor.id },
      reports: [...c.reports, report],
    },
    [{ type: 'acute-danger-marked', reportId: report.id }],
    [toOwner(c, 'acute-guidance', report.id), toLeader(c, 'acute-danger', report.id)],
  );
}

/**
 * A report of this kind recorded since the card was drawn was made from this card: pressing it
 * again (a double press, a resent request) records nothing twice and tells the leader nothing twice.
 * Not a refusal of the duty: the report stands, and a card drawn after it records a new one.
 */
function madeFromTheSameCard(c: Case, kind: Report['kind'], cardDrawnAt: string | undefined): Refusal | undefined {
  if (cardDrawnAt === undefined) return undefined;
  const made = c.reports.find((r) => r.kind === kind && r.recordedAt >= cardDrawnAt);
  return made ? refuse('report-already-recorded', { decidedBy: made.reportedBy, decidedAt: made.recordedAt }) : undefined;
}
