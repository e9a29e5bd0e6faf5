import { performance } from 'node:perf_hooks';
import type { Case } from '../src/domain/case';
import { decide } from '../src/domain/decide';
import { s3Script, UNITS } from '../scripts/seed/scenarios';
import { daysAfter, runScript } from '../scripts/seed/script';
import { loadLadder } from '../src/domain/ladder';
import { loadConfig } from '../src/config';
import { startLaget, type Laget } from '../src/laget';
import { createLogger } from '../src/log';
import type { Person } from '../src/store/people';
import { syntheticCaseCode } from '../test/support/case-codes';
import { startEchoBot, type EchoBot } from './echo-bot';
import { serve } from './ipc';
import { startProfile, stopProfile } from './profile';
import { percentile } from './stats';
import { benchUser } from './users';

/**
 * The bot under test, in a process of its own: the echo bot (the floor) or Laget as `npm run bot`
 * runs it, pointed at the store process. It also seeds what the turns need, straight through
 * the Cosmos container (the domain's builders make the cases), and measures the store's round trip
 * from where Laget sits.
 */

const ladder = loadLadder('aurskog-holand');
const SOLSIKKEN = UNITS.solsikken.id;
const log = createLogger('silent');

let laget: Laget | undefined;
let echo: EchoBot | undefined;

function must(): Laget {
  if (!laget) throw new Error('Laget is not running in this process');
  return laget;
}

/** Creates many documents at once, a few dozen requests in flight. */
async function createAll<T>(items: readonly T[], create: (item: T) => Promise<unknown>, inFlight = 32): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) await create(items[next++]!);
    }),
  );
}

/** Cases of the URO flow waiting for their zone, `perUser` for each owner; each with its ETag. */
async function seedZoneCases(args: { users: number; perUser: number; offset: number }) {
  const { cases: caseRepository } = must().repositories;
  const now = new Date();
  const out: { user: number; caseId: string; unitId: string; rev: string }[] = [];
  const specs: { user: number; c: Case }[] = [];
  for (let user = 0; user < args.users; user += 1) {
    for (let k = 0; k < args.perUser; k += 1) {
      const caseId = syntheticCaseCode(args.offset + specs.length, 'Z', 6);
      const created = decide(
        null,
        {
          type: 'create-case',
          caseId,
          unitId: SOLSIKKEN,
          nearestLeader: benchUser('leader', user),
          safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
        },
        benchUser('owner', user),
        now,
        ladder,
      );
      if (created.kind === 'refused') throw new Error(`seed refused: ${created.reason}`);
      specs.push({ user, c: created.case });
    }
  }
  await createAll(specs, async ({ user, c }) => {
    const saved = await caseRepository.create(c);
    out.push({ user, caseId: c.id, unitId: c.unitId, rev: saved.etag });
  });
  return out;
}

/** Cases waiting for a leader's approval of 3b (S3 up to the request), one leader per simulated user. */
async function seedApprovalCases(args: { users: number; perUser: number; offset: number }) {
  const { cases: caseRepository } = must().repositories;
  const s3 = s3Script(daysAfter(new Date(), -80)); // the request was made a week ago; the consent still holds
  const template = runScript(
    ladder,
    s3.slice(
      0,
      s3.findIndex((l) => l.command.type === 'decide-escalation'),
    ),
  ).case;
  const escalationId = template.escalations.find((e) => e.status === 'pending')!.id;
  const cases: { user: number; c: Case }[] = [];
  for (let user = 0; user < args.users; user += 1) {
    for (let k = 0; k < args.perUser; k += 1) {
      const id = syntheticCaseCode(args.offset + cases.length, 'Q', 6);
      cases.push({ user, c: { ...template, id, owner: benchUser('owner', user), nearestLeader: benchUser('leader', user) } });
    }
  }
  const out: { user: number; caseId: string; unitId: string; escalationId: string }[] = [];
  await createAll(cases, async ({ user, c }) => {
    await caseRepository.create(c);
    out.push({ user, caseId: c.id, unitId: c.unitId, escalationId });
  });
  return out;
}

/** A person as Laget remembers them after their first message: units, and the personal chat. */
async function seedPerson(args: { id: string; name: string; unitIds: string[]; serviceUrl: string }) {
  const person: Person = {
    schemaVersion: 1,
    id: encodeURIComponent(args.id),
    userId: args.id,
    name: args.name,
    unitIds: args.unitIds,
    activeCase: null,
    personalChat: { kind: 'personal', serviceUrl: args.serviceUrl, conversationId: `a:personal-${args.id}`, tenantId: 'tenant-bench' },
    pendingNotices: [],
    welcomedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  await must().store.containers.people.items.upsert(person);
  return true;
}

/**
 * The data of "mine saker" and "til godkjenning" at scale: Kari's own cases and Per's requests in
 * Solsikken (the same every time), plus filler cases spread over `units` other units, up to `total`.
 */
async function seedScale(args: { total: number; units: number; mine: number; from: number }) {
  const { cases: caseRepository } = must().repositories;
  const s3 = s3Script(daysAfter(new Date(), -80));
  const waiting = runScript(
    ladder,
    s3.slice(
      0,
      s3.findIndex((l) => l.command.type === 'decide-escalation'),
    ),
  ).case;
  const cases: Case[] = [];
  if (args.from === 0) {
    for (let n = 0; n < args.mine; n += 1) cases.push({ ...waiting, id: syntheticCaseCode(n, 'M', 6) });
  }
  for (let n = Math.max(args.from, args.mine); n < args.total; n += 1) {
    const unit = `bench-unit-${n % args.units}`;
    const owner = benchUser('owner', n % 997);
    cases.push({ ...waiting, id: syntheticCaseCode(n, 'F', 6), unitId: unit, owner, nearestLeader: benchUser('leader', n % args.units) });
  }
  const started = performance.now();
  await createAll(cases, (c) => caseRepository.create(c), 64);
  return { created: cases.length, ms: Math.round(performance.now() - started) };
}

/** Point reads of one person document, `concurrency` at a time: the store's round trip as Laget sees it. */
async function storeRoundTrip(args: { concurrency: number; n: number }) {
  const people = must().services.people;
  await seedPerson({ ...benchUser('user', 999_999), unitIds: [], serviceUrl: 'http://127.0.0.1:1/' });
  const latencies: number[] = [];
  let left = args.n;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: args.concurrency }, async () => {
      while (left-- > 0) {
        const t = performance.now();
        await people.read(benchUser('user', 999_999).id);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: Math.round(args.n / seconds) };
}

serve({
  async startEcho() {
    echo = await startEchoBot();
    return { url: echo.url };
  },
  async startLaget(args: { cosmosEndpoint: string; cosmosKey: string; database: string }) {
    const config = loadConfig({
      LAGET_ENV: 'local',
      PORT: '0',
      LOG_LEVEL: 'silent',
      SCHEDULER_INTERVAL_SECONDS: '0',
      COSMOS_ENDPOINT: args.cosmosEndpoint,
      COSMOS_KEY: args.cosmosKey,
      COSMOS_DATABASE: args.database,
    });
    laget = await startLaget(config, log);
    return { url: laget.url };
  },
  seedZoneCases,
  seedApprovalCases,
  seedPerson,
  seedScale,
  storeRoundTrip,
  profileStart: () => startProfile(),
  profileStop: (name: string) => stopProfile(name),
  async stop() {
    await laget?.stop();
    await echo?.close();
    laget = undefined;
    echo = undefined;
    return true;
  },
});

export type SeededZoneCase = Awaited<ReturnType<typeof seedZoneCases>>[number];
export type SeededApprovalCase = Awaited<ReturnType<typeof seedApprovalCases>>[number];
