import type { DirectoryPerson } from '../directory';
import type { Municipality } from '../municipality';
import type { ReportScope } from './figures';

/**
 * Who sees which report, from what the directory says of the person: coordinators (the
 * coordinators' group, or the municipality file's list) see the whole municipality and each
 * unit; a leader sees the units they lead; anyone else sees none. Nobody sees a single case
 * through a report: it holds counts only, suppressed below the threshold.
 */
export type ReportAccess =
  { kind: 'allowed'; basis: 'coordinator' | 'leader'; scope: ReportScope } | { kind: 'denied'; reason: 'no-report-access' };

export function authorizeReport(person: Pick<DirectoryPerson, 'units' | 'coordinator'> | undefined): ReportAccess {
  if (person?.coordinator) return { kind: 'allowed', basis: 'coordinator', scope: { kind: 'municipality' } };
  const led = (person?.units ?? []).filter((unit) => unit.leads).map((unit) => unit.unitId);
  if (led.length > 0) return { kind: 'allowed', basis: 'leader', scope: { kind: 'units', unitIds: led } };
  return { kind: 'denied', reason: 'no-report-access' };
}

/** The units a scope covers, in the municipality's order. */
export function unitsOf(m: Municipality, scope: ReportScope): string[] {
  const all = m.units.map((unit) => unit.id);
  return scope.kind === 'municipality' ? all : all.filter((id) => scope.unitIds.includes(id));
}
