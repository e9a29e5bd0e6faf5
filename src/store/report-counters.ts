import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import type { Case } from '../domain/case';
import { ladderOfCase, type Ladder } from '../domain/ladder';
import {
  ACROSS_UNITS,
  addCounts,
  CountsSchema,
  flowsOf,
  isTeamChangeKey,
  notFromCases,
  stateOf,
  type CounterChange,
  type Counts,
} from '../domain/report/counters';
import type { UnitPeriodCounters } from '../domain/report/figures';
import { monthOf, MonthSchema, type Month, type Period } from '../domain/report/period';
import { AlreadyExists, ConcurrencyConflict, Documents } from './documents';

/**
 * The report's counters: one document per unit and month, in the `reportCounters` container
 * (partition /unitId). Each holds the month's flows and the unit's state after the month's last
 * change. A saved case change adds its `CounterChange` right after the save (CaseService), with
 * the ETag; the change's key (case code @ last event) is remembered in the document, so applying
 * it again — a retry after a lost answer, or the after-save retry — does nothing. A team meeting
 * marked held adds its flows the same way (TeamService, key team @ meeting); a team across units
 * counts under `ACROSS_UNITS`, which has flows and no state.
 *
 * Reading a report costs one single-partition query per unit for the months it covers (and one
 * for the teams across units in the municipality's report), however many cases the unit has had:
 * the cases themselves are never read.
 */
const ReportCountersSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  unitId: z.string(),
  month: MonthSchema,
  flows: CountsSchema,
  /** The unit's state after this month's last change; null when it was not counted (months before a rebuild). */
  state: CountsSchema.nullable(),
  /** Keys of the changes applied here, newest last (bounded: a retry comes within minutes). */
  applied: z.array(z.string()),
  updatedAt: z.string(),
});
export type ReportCounters = z.infer<typeof ReportCountersSchema>;

const APPLIED_KEPT = 500;
const ATTEMPTS = 8;

export class ReportCounterRepository {
  private readonly documents: Documents<ReportCounters>;

  constructor(container: Container) {
    this.documents = new Documents<ReportCounters>(container, ReportCountersSchema, (d) => d.unitId);
  }

  static idOf(unitId: string, month: Month): string {
    return `${encodeURIComponent(unitId)}|${month}`;
  }

  /** Adds a saved change to its unit's counters: idempotent per change, guarded by the ETag. */
  async apply(change: CounterChange, now: Date): Promise<void> {
    const months = new Set([...change.flows.keys(), change.month]);
    for (const month of [...months].sort()) {
      await this.update(change.unitId, month, now, (doc) => {
        if (doc.applied.includes(change.key)) return null;
        addCounts(doc.flows, change.flows.get(month) ?? {});
        if (month === change.month && doc.state !== null) addCounts(doc.state, change.state);
        return { ...doc, applied: [...doc.applied, change.key].slice(-APPLIED_KEPT) };
      });
    }
  }

  /**
   * Counts a unit afresh from its cases (the local example data, or a repair after a lost
   * update): every event's flows in its month, and the state now in the current month. Months
   * before keep no state (not known). Run it when the unit is quiet: it replaces what is there,
   * except what its team meetings added (not counted from cases), which it keeps with their keys.
   */
  async rebuild(unitId: string, cases: readonly Case[], configured: Ladder, timeZone: string, now: Date): Promise<void> {
    const flows = new Map<Month, Counts>();
    const state: Counts = {};
    for (const c of cases) {
      const ladder = ladderOfCase(c, configured);
      for (const [month, counts] of flowsOf(c.events, ladder, 0, timeZone)) flows.set(month, addCounts(flows.get(month) ?? {}, counts));
      addCounts(state, stateOf(c, ladder, timeZone));
    }
    const current = monthOf(now, timeZone);
    for (const month of new Set([...flows.keys(), current])) {
      await this.update(unitId, month, now, (doc) => ({
        ...doc,
        flows: addCounts(notFromCases(doc.flows), flows.get(month) ?? {}),
        state: month === current ? state : null,
        applied: doc.applied.filter(isTeamChangeKey),
      }));
    }
  }

  /** The counters of each unit for a period: flows summed over its months, the state at its end. */
  async forPeriod(unitIds: readonly string[], period: Period): Promise<UnitPeriodCounters[]> {
    return Promise.all(unitIds.map((unitId) => this.unitForPeriod(unitId, period)));
  }

  /** The counters of the teams across units for a period: flows only (a team has no state), one query. */
  async acrossUnitsForPeriod(period: Period): Promise<UnitPeriodCounters> {
    const docs = await this.query(
      'SELECT * FROM c WHERE c.unitId = @unitId AND c.month >= @from AND c.month <= @to',
      { unitId: ACROSS_UNITS, from: period.from, to: period.to },
      ACROSS_UNITS,
    );
    const flows: Counts = {};
    for (const doc of docs) addCounts(flows, doc.flows);
    return { unitId: ACROSS_UNITS, flows, state: {} };
  }

  private async unitForPeriod(unitId: string, period: Period): Promise<UnitPeriodCounters> {
    const docs = await this.query(
      'SELECT * FROM c WHERE c.unitId = @unitId AND c.month >= @from AND c.month <= @to',
      { unitId, from: period.from, to: period.to },
      unitId,
    );
    const flows: Counts = {};
    for (const doc of docs) addCounts(flows, doc.flows);
    const last = docs.sort((a, b) => (a.month < b.month ? -1 : 1)).at(-1) ?? (await this.latestBefore(unitId, period.from));
    // No document at all: nothing has ever happened in the unit, so its state is empty.
    return { unitId, flows, state: last === undefined ? {} : last.state };
  }

  private async latestBefore(unitId: string, month: Month): Promise<ReportCounters | undefined> {
    const [doc] = await this.query(
      'SELECT TOP 1 * FROM c WHERE c.unitId = @unitId AND c.month < @month ORDER BY c.month DESC',
      { unitId, month },
      unitId,
    );
    return doc;
  }

  private async query(sql: string, params: Record<string, string>, unitId: string): Promise<ReportCounters[]> {
    const parameters = Object.entries(params).map(([name, value]) => ({ name: `@${name}`, value }));
    return (await this.documents.query(sql, parameters, { partitionKey: unitId })).map((v) => v.doc);
  }

  /**
   * Read → change → replace with the ETag (or create), again on a conflict. A month's first
   * document starts from the state of the unit's latest month before it.
   */
  private async update(unitId: string, month: Month, now: Date, change: (doc: ReportCounters) => ReportCounters | null): Promise<void> {
    const id = ReportCounterRepository.idOf(unitId, month);
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.documents.read(id, unitId);
      const base: ReportCounters = current?.doc ?? {
        schemaVersion: 1,
        id,
        unitId,
        month,
        flows: {},
        state: (await this.latestBefore(unitId, month))?.state ?? {},
        applied: [],
        updatedAt: now.toISOString(),
      };
      const next = change(structuredClone(base));
      if (next === null) return;
      try {
        if (current) await this.documents.replace({ ...next, updatedAt: now.toISOString() }, current.etag);
        else await this.documents.create({ ...next, updatedAt: now.toISOString() });
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict || error instanceof AlreadyExists) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
