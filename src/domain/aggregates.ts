import type { Case, CaseStatus } from './case';
import { nextDate } from './case';
import { dayOf, DEFAULT_TIME_ZONE } from './time';

/**
 * What a coordinator sees: counts, never cases. For the tertial report (cases per step,
 * deviations such as overdue evaluations and approvals left waiting).
 */
export type CaseAggregates = {
  total: number;
  byStatus: Record<CaseStatus, number>;
  /** Open cases per step id ('none' for cases not yet on the ladder). */
  byStep: Record<string, number>;
  reportsToChildWelfare: number;
  pendingApprovals: number;
  /** Cases whose next date has passed. */
  overdue: number;
};

export function aggregateCases(cases: readonly Case[], now: Date, timeZone: string = DEFAULT_TIME_ZONE): CaseAggregates {
  const today = dayOf(now, timeZone);
  const byStatus: Record<CaseStatus, number> = { draft: 0, open: 0, monitoring: 0, reported: 0, closed: 0 };
  const byStep: Record<string, number> = {};
  let reportsToChildWelfare = 0;
  let pendingApprovals = 0;
  let overdue = 0;
  for (const c of cases) {
    byStatus[c.status] += 1;
    reportsToChildWelfare += c.reports.filter((r) => r.kind === 'child-welfare').length;
    if (c.status === 'closed') continue;
    const step = c.currentStep?.stepId ?? 'none';
    byStep[step] = (byStep[step] ?? 0) + 1;
    pendingApprovals += c.escalations.filter((e) => e.status === 'pending').length;
    const due = nextDate(c);
    if (due !== null && due < today) overdue += 1;
  }
  return { total: cases.length, byStatus, byStep, reportsToChildWelfare, pendingApprovals, overdue };
}
