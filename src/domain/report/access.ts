import { isCoordinator, unitsLedBy, type Municipality } from '../municipality';
import type { ReportScope } from './figures';

/**
 * Who sees which report. Coordinators (the municipality's configured coordinators) see the whole
 * municipality and each unit; a leader sees the units they lead; anyone else sees none. Nobody
 * sees a single case through a report: it holds counts only, suppressed below the threshold.
 */
export type ReportAccess =
  { kind: 'allowed'; basis: 'coordinator' | 'leader'; scope: ReportScope } | { kind: 'denied'; reason: 'no-report-access' };

export function authorizeReport(m: Municipality, personId: string): ReportAccess {
  if (isCoordinator(m, personId)) return { kind: 'allowed', basis: 'coordinator', scope: { kind: 'municipality' } };
  const led = unitsLedBy(m, personId).map((unit) => unit.id);
  if (led.length > 0) return { kind: 'allowed', basis: 'leader', scope: { kind: 'units', unitIds: led } };
  return { kind: 'denied', reason: 'no-report-access' };
}

/** The units a scope covers, in the municipality's order. */
export function unitsOf(m: Municipality, scope: ReportScope): string[] {
  const all = m.units.map((unit) => unit.id);
  return scope.kind === 'municipality' ? all : all.filter((id) => scope.unitIds.includes(id));
}
