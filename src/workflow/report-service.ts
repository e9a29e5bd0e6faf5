import { authorizeReport, unitsOf } from '../domain/report/access';
import { buildReport, type Report, type ReportRules } from '../domain/report/figures';
import { tertialAt, tertialBefore, tertialOfMonth, type Period } from '../domain/report/period';
import type { Ladder } from '../domain/ladder';
import type { Municipality } from '../domain/municipality';
import { dayOf } from '../domain/time';
import type { DirectoryPerson } from '../domain/directory';
import type { AuditLog } from '../store/audit-log';
import type { DirectoryStore } from '../store/directory';
import type { ReportCounterRepository } from '../store/report-counters';

/**
 * The tertial report: authorize (coordinator: the municipality; leader: their units), read the
 * counters of the units in scope (never a case), build the suppressed figures, and audit the read
 * once as an aggregate read, before anything is shown.
 */
export type ReportTurn = {
  personId: string;
  correlationId: string;
  now: Date;
  /** The person as the directory has them, when the turn has read it already (else it is read here). */
  person?: DirectoryPerson | undefined;
};

export type ReportOutcome =
  { kind: 'report'; report: Report; basis: 'coordinator' | 'leader' } | { kind: 'refused'; reason: 'no-report-access' };

export type ReportServiceDeps = {
  counters: Pick<ReportCounterRepository, 'forPeriod' | 'acrossUnitsForPeriod'>;
  audit: AuditLog;
  municipality: Municipality;
  /** Who coordinates and who leads which unit. */
  directory: Pick<DirectoryStore, 'person'>;
  ladder: Ladder;
  timeZone: string;
};

/** The trend covers this many tertials, the report's own last. */
const TREND_TERTIALS = 3;

export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  get rules(): ReportRules {
    const m = this.deps.municipality;
    return {
      threshold: m.report.threshold,
      approvalLimitWorkingDays: m.approvalReminderWorkingDays,
      handoverLimitDays: m.report.handoverLimitDays,
    };
  }

  /** The report for a period (default: the tertial now), as the person may see it. */
  async read(turn: ReportTurn, period: Period = tertialAt(turn.now, this.deps.timeZone)): Promise<ReportOutcome> {
    const person = 'person' in turn ? turn.person : await this.deps.directory.person(turn.personId);
    const access = authorizeReport(person);
    const auditId = `report:${this.deps.municipality.id}:${period.id}`;
    await this.deps.audit.append({
      caseId: auditId,
      at: turn.now.toISOString(),
      actorId: turn.personId,
      operation: 'report-read',
      command: access.kind === 'allowed' ? scopeText(access.scope) : undefined,
      basis: access.kind === 'allowed' ? access.basis : 'none',
      outcome: access.kind === 'allowed' ? 'allowed' : 'refused',
      ...(access.kind === 'denied' ? { reason: access.reason } : {}),
      correlationId: turn.correlationId,
    });
    if (access.kind === 'denied') return { kind: 'refused', reason: access.reason };
    const unitIds = unitsOf(this.deps.municipality, access.scope);
    const last = tertialOfMonth(period.to);
    const trendPeriods = Array.from({ length: TREND_TERTIALS }, (_, k) => tertialBefore(last, TREND_TERTIALS - 1 - k));
    // A tertial's report is also the trend's last point: read it once. Teams across units: the municipality's report only.
    const [across, ...trend] = await Promise.all([
      access.scope.kind === 'municipality' ? this.deps.counters.acrossUnitsForPeriod(period) : undefined,
      ...trendPeriods.map((p) => this.deps.counters.forPeriod(unitIds, p)),
    ]);
    const units = trendPeriods.at(-1)!.id === period.id ? trend.at(-1)! : await this.deps.counters.forPeriod(unitIds, period);
    const report = buildReport({
      scope: access.scope,
      ladder: this.deps.ladder,
      period,
      today: dayOf(turn.now, this.deps.timeZone),
      rules: this.rules,
      units,
      ...(across ? { acrossUnits: across } : {}),
      trend: trendPeriods.map((p, k) => ({ period: p, units: trend[k]! })),
    });
    return { kind: 'report', report, basis: access.basis };
  }
}

function scopeText(scope: Report['scope']): string {
  return scope.kind === 'municipality' ? 'municipality' : `units:${scope.unitIds.join(',')}`;
}
