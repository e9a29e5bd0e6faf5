import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import type { Case } from '../src/domain/case';
import { seedCases } from '../scripts/seed/scenarios';
import { loadLadder } from '../src/domain/ladder';
import { createLogger } from '../src/log';
import { openStore } from '../src/store/cosmos';
import { ReportCounterRepository } from '../src/store/report-counters';
import { ReportService } from '../src/workflow/report-service';
import { AuditLog } from '../src/store/audit-log';
import { round } from './stats';

/**
 * `npm run bench:report`: the tertial report's read cost at 100 and 10,000 cases. The cases are
 * written to the store (so a read that scanned them would pay for it) and counted into the
 * report's counters; then the coordinator's report is read 20 times. Prints the median read
 * time and the store requests one read makes. Target: flat (the same at both sizes).
 */
const SIZES = [100, 10_000];
const READS = 20;

async function measure(size: number): Promise<{ cases: number; medianMs: number; storeRequests: number }> {
  const config = loadConfig({ LAGET_ENV: 'local', PORT: '0', LOG_LEVEL: 'silent' });
  const store = await openStore(config.cosmos, createLogger('silent'));
  try {
    const ladder = loadLadder(config.municipality.ladderId);
    const now = new Date();
    const templates = seedCases(now, ladder);
    const units = config.municipality.units.map((u) => u.id);
    const cases: Case[] = Array.from({ length: size }, (_, i) => {
      const t = templates[i % templates.length]!;
      return { ...t, id: `UR-${i.toString(36).toUpperCase().padStart(6, '0')}`, unitId: units[i % units.length]! };
    });
    for (let start = 0; start < cases.length; start += 100) {
      await store.containers.cases.items.bulk(
        cases.slice(start, start + 100).map((c) => ({ operationType: 'Create' as const, partitionKey: c.unitId, resourceBody: c })),
      );
    }
    const counters = new ReportCounterRepository(store.containers.reportCounters);
    for (const unitId of units) {
      await counters.rebuild(
        unitId,
        cases.filter((c) => c.unitId === unitId),
        ladder,
        config.timeZone,
        now,
      );
    }
    const coordinator = config.municipality.coordinators[0]!;
    const reports = new ReportService({
      counters,
      audit: new AuditLog(store.containers.audit),
      municipality: config.municipality,
      // The coordinator as the directory knows them (no sync runs in this bench).
      directory: { person: async (id) => (id === coordinator.id ? { ...coordinator, units: [], coordinator: true } : undefined) },
      ladder,
      timeZone: config.timeZone,
    });
    const times: number[] = [];
    let requests = 0;
    for (let k = 0; k < READS; k += 1) {
      const before = store.embedded!.requestCount;
      const started = performance.now();
      const outcome = await reports.read({ personId: coordinator.id, correlationId: `bench-${size}-${k}`, now });
      times.push(performance.now() - started);
      requests = store.embedded!.requestCount - before;
      if (outcome.kind !== 'report') throw new Error('the coordinator was refused');
    }
    times.sort((a, b) => a - b);
    return { cases: size, medianMs: round(times[Math.floor(times.length / 2)]!), storeRequests: requests };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const rows = [];
  for (const size of SIZES) rows.push(await measure(size));
  console.table(rows);
  const [small, large] = rows;
  console.log(
    `report read: ${large!.medianMs} ms at ${large!.cases} cases vs ${small!.medianMs} ms at ${small!.cases} (target: flat); ` +
      `store requests ${large!.storeRequests} vs ${small!.storeRequests} (target: equal)`,
  );
}

void main();
