import { readFileSync } from 'node:fs';
import type { Case } from '../src/domain/case';
import { startCase } from '../test/support/ladder-walk';
import { loadLadder } from '../src/domain/ladder';
import { dayOf } from '../src/domain/time';
import { newJob } from '../src/scheduler/job';
import { jobId } from '../src/scheduler/job-id';
import { createLogger } from '../src/log';
import { openStore } from '../src/store/cosmos';
import { DueIndex, slotOf } from '../src/store/due-index';
import { startEmbeddedCosmos, EMBEDDED_COSMOS_KEY } from '../src/store/embedded-cosmos';
import { mapLimit } from '../src/scheduler/pool';
import { REMINDER_KINDS, type ReminderParams } from '../src/workflow/reminders';
import { TENANT_ID } from '../test/support/activities';
import { syntheticCaseCode } from '../test/support/case-codes';
import { startTestLaget, type Running } from '../test/support/laget';
import { startLagetProcess } from '../test/support/laget-process';
import { configureUnits, syntheticLeader, syntheticTeam, syntheticUnitId } from '../test/support/municipality';
import { classify, type ClassifiedRequest } from '../test/support/store-requests';

/**
 * What a scheduler pass costs at the store as the municipality grows (issue 18): requests per idle
 * pass and per pass with 100 due reminders, at 2, 50, 400 and 2,000 units (and a team per 20 units,
 * each with a half-year's meeting series) and with 10,000 cases,
 * counted and classified at the embedded server; the RU they would cost on Azure; the start-up
 * time to /readyz and resident memory of `node dist/src/index.js`.
 *
 * RU per request: a point read of a 1 KB item costs 1 RU (Microsoft Learn, "Request units in Azure
 * Cosmos DB" and "Optimize request cost in Azure Cosmos DB", session consistency). The rest are
 * assumptions, not documented constants: a write (create, replace, patch, upsert, delete) of a small
 * item ~5.5 RU (it grows with size and indexed properties); a query at least 2.5 RU; the SDK's
 * query-plan request 0 RU (a gateway round trip, not billed as RU). A due-index hour is small
 * (~100 bytes per entry), so its read is taken as 1 RU.
 *
 *   npm run bench:scheduler
 */

const RU: Record<string, number> = {
  'point read': 1,
  create: 5.5,
  replace: 5.5,
  upsert: 5.5,
  patch: 5.5,
  delete: 5.5,
  'query (one partition)': 2.5,
  'query (cross-partition)': 2.5,
  'query plan': 0,
};

const ladder = loadLadder('aurskog-holand');
const T0 = new Date('2026-03-10T09:20:00.000Z'); // 10:20 Oslo, inside an hour

type Row = { label: string; idle: ClassifiedRequest[]; due?: ClassifiedRequest[]; dueSent?: number };

let recording: ClassifiedRequest[] | undefined;
let database = 0;
const cosmos = { endpoint: '' };

async function measured<T>(work: () => Promise<T>): Promise<[T, ClassifiedRequest[]]> {
  recording = [];
  try {
    const result = await work();
    return [result, recording];
  } finally {
    recording = undefined;
  }
}

/** Open cases spread over the units, their dates over the next 60 days; every job they call for made as a save makes it. */
async function seed(running: Running, units: number, cases: number): Promise<void> {
  const { caseSchedule } = running.laget;
  const { cases: caseRepository } = running.laget.repositories;
  await mapLimit(
    Array.from({ length: cases }, (_, n) => n),
    16,
    async (n) => {
      const unit = n % units;
      const walked = startCase(ladder, {
        caseId: syntheticCaseCode(n, 'B', 5),
        leader: syntheticLeader(unit),
        start: new Date(T0.getTime() + ((n % 60) - 1) * 86_400_000),
      }).case;
      const c: Case = { ...walked, unitId: syntheticUnitId(unit) };
      await caseRepository.create(c);
      await caseSchedule.sync(null, c, { now: T0 });
    },
  );
}

/** 100 cases whose evaluation is today, each with its owner's reminder due a minute before the pass. */
async function dueReminders(running: Running, at: Date): Promise<void> {
  const { cases: caseRepository, jobs } = running.laget.repositories;
  const today = dayOf(at);
  for (let n = 0; n < 100; n += 1) {
    const owner = { id: `aad-due-owner-${n}`, name: `Ansatt ${n}` };
    const walked = startCase(ladder, { caseId: syntheticCaseCode(n, 'D', 5), owner, start: new Date(at.getTime() - 28 * 86_400_000) }).case;
    const c: Case = { ...walked, nextDates: { ...walked.nextDates, evaluationOn: today } };
    await caseRepository.create(c);
    const params: ReminderParams = { caseId: c.id, unitId: c.unitId, kind: 'evaluation', on: today };
    await jobs.ensure(
      newJob(
        {
          id: jobId('case', c.id, 'evaluation', today),
          kind: REMINDER_KINDS.evaluation,
          dueAt: new Date(at.getTime() - 60_000).toISOString(),
          staleAfter: new Date(at.getTime() + 86_400_000).toISOString(),
          address: { kind: 'personal', serviceUrl: running.connector.url, conversationId: `a:due-${n}`, tenantId: TENANT_ID },
          params,
        },
        at,
      ),
    );
  }
}

/** The teams' first meetings, every other Tuesday from 24 March 2026: nothing of theirs is due in the minutes measured. */
const TEAMS_FROM = '2026-03-24';

/**
 * Teams as the team service leaves them after their set-up: stored, with their rhythm's jobs. One
 * team at a time, as set-ups come (every team's 09:00 posts share an hour's document of the index).
 */
async function seedTeams(running: Running, units: number, teams: number): Promise<void> {
  const { teamSchedule, repositories } = running.laget;
  const teamRepository = repositories.teams;
  for (let n = 0; n < teams; n += 1) {
    const team = await teamRepository.create(syntheticTeam(n, syntheticUnitId(n % units), TEAMS_FROM));
    await teamSchedule.sync(null, team, { now: T0 });
  }
}

async function municipality(label: string, units: number, cases: number, teams: number, withDue: boolean): Promise<Row> {
  database += 1;
  const at = { instant: T0 };
  const running = await startTestLaget(
    { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: EMBEDDED_COSMOS_KEY, COSMOS_DATABASE: `laget-bench-scheduler-${database}` },
    { now: () => at.instant },
    configureUnits(units),
  );
  try {
    await seed(running, units, cases);
    await seedTeams(running, units, teams);
    // The first pass runs what a start makes (the one-time move to the due index); the second tidies up after it.
    await running.laget.scheduler.runOnce(T0);
    await running.laget.scheduler.runOnce(T0);
    const [idleReport, idle] = await measured(() => running.laget.scheduler.runOnce(new Date(T0.getTime() + 60_000)));
    if (idleReport.outcomes.length > 0) throw new Error(`${label}: the idle pass ran ${idleReport.outcomes.length} jobs`);
    if (!withDue) return { label, idle };
    const dueAt = new Date(T0.getTime() + 120_000);
    await dueReminders(running, dueAt);
    const [report, due] = await measured(() => running.laget.scheduler.runOnce(new Date(dueAt.getTime() + 1_000)));
    return { label, idle, due, dueSent: report.outcomes.filter((outcome) => outcome.kind === 'sent').length };
  } finally {
    await running.stop();
  }
}

/** Start-up time to /readyz and resident memory of Laget as a process of its own. */
async function lagetProcess(env: Record<string, string>): Promise<{ readyMs: number; rssMb: number }> {
  const started = performance.now();
  const child = await startLagetProcess({ SCHEDULER_INTERVAL_SECONDS: '30', LOG_LEVEL: 'error', ...env }, 60_000);
  try {
    for (;;) {
      const ready = await fetch(`${child.url}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (performance.now() - started > 60_000) throw new Error('Laget was not ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 5_000)); // a few idle passes' worth of settling
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { readyMs, rssMb: rssKb / 1024 };
  } finally {
    child.kill('SIGTERM');
    await child.exited;
  }
}

const summary = (requests: readonly ClassifiedRequest[]) => {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(`${r.kind} ${r.container}`, (counts.get(`${r.kind} ${r.container}`) ?? 0) + 1);
  return [...counts].map(([what, n]) => `${n}× ${what}`).join(', ');
};
const ru = (requests: readonly ClassifiedRequest[]) => requests.reduce((sum, r) => sum + (RU[r.kind] ?? 0), 0);
const queries = (requests: readonly ClassifiedRequest[]) => requests.filter((r) => r.kind.startsWith('query')).length;

async function main(): Promise<void> {
  const store = await startEmbeddedCosmos(0, { observe: (request) => recording?.push(classify(request)) });
  cosmos.endpoint = store.endpoint;
  const rows: Row[] = [];
  for (const units of [2, 50, 400, 2000]) {
    const teams = Math.max(1, Math.floor(units / 20));
    rows.push(await municipality(`${units} units, ${units} cases, ${teams} teams`, units, units, teams, true));
    console.log(`measured ${units} units`);
  }
  rows.push(await municipality('400 units, 10,000 cases, 20 teams', 400, 10_000, 20, false));
  console.log('measured 10,000 cases');

  console.log(
    '\n| municipality | requests per idle pass | of which queries (incl. plans) | RU per idle pass | idle RU/s per instance (pass every 30 s) | requests per pass with 100 due | RU per pass with 100 due |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${row.idle.length} | ${queries(row.idle)} | ${ru(row.idle)} | ${(ru(row.idle) / 30).toFixed(2)} | ${row.due ? `${row.due.length} (${row.dueSent} sent)` : '–'} | ${row.due ? ru(row.due) : '–'} |`,
    );
  }
  console.log('\nidle pass, by kind:');
  for (const row of rows) console.log(`  ${row.label}: ${summary(row.idle)}`);
  console.log('pass with 100 due, by kind:');
  for (const row of rows.filter((one) => one.due)) console.log(`  ${row.label}: ${summary(row.due!)}`);

  // Start-up as a running deployment restarts: the due index's progress at the hour before now (the
  // database above was walked at T0, in March; a start today would first catch up on the months since).
  const seeded = `laget-bench-scheduler-${database}`; // the 10,000 cases just measured
  const opened = await openStore(
    { kind: 'remote', endpoint: store.endpoint, key: EMBEDDED_COSMOS_KEY, database: seeded },
    createLogger('silent'),
  );
  await new DueIndex(opened.containers.due).saveProgress(slotOf(new Date(Date.now() - 3_600_000)), new Date());
  await opened.close();
  const idleProcess = await lagetProcess({});
  console.log(
    `\nstart-up to /readyz, embedded store in the process: ${idleProcess.readyMs.toFixed(0)} ms; resident ${idleProcess.rssMb.toFixed(0)} MB`,
  );
  const fullProcess = await lagetProcess({ COSMOS_ENDPOINT: store.endpoint, COSMOS_KEY: EMBEDDED_COSMOS_KEY, COSMOS_DATABASE: seeded });
  console.log(
    `start-up to /readyz, store in another process with 10,000 cases: ${fullProcess.readyMs.toFixed(0)} ms; resident ${fullProcess.rssMb.toFixed(0)} MB`,
  );
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
