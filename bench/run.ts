import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PEOPLE } from '../scripts/seed/scenarios';
import { projectRoot } from '../src/paths';
import { EMBEDDED_COSMOS_KEY } from '../src/store/embedded-cosmos';
import { execute, message, submit, type TestUser } from '../test/support/activities';
import type { SeededApprovalCase, SeededZoneCase } from './bot-process';
import type { ClassifiedRequest } from './cosmos-process';
import { fanOut, type FanOutResult } from './fanout';
import { startChild, type Child } from './ipc';
import { LeanConnector } from './lean-connector';
import { closeLoadAgent, post, runSideBySide, type LoadResult } from './load';
import type { ProfileSummary } from './profile';
import { round } from './stats';
import { benchUser } from './users';

/**
 * `npm run bench`: Laget measured against the floor of its own stack, on loopback, in one process
 * tree — this process (load generator, fake Bot Connectors, the fan-out), the echo bot, Laget, and
 * the store, each in a process of its own. Prints a table and writes bench/results.json.
 * Nothing here is asserted; the targets are stated next to each figure.
 */

const DIST = join(projectRoot, 'dist/bench');
const LEVELS = [
  { concurrency: 1, turnsPerUser: 300, warmupPerUser: 30 },
  { concurrency: 10, turnsPerUser: 40, warmupPerUser: 5 },
  { concurrency: 50, turnsPerUser: 16, warmupPerUser: 3 },
] as const;
const UNIT = 'solsikken-barnehage';

const asUser = (person: { id: string; name: string }): TestUser => ({ aadObjectId: person.id, mri: `29:${person.id}`, name: person.name });
const chatOf = (user: TestUser) => `a:personal-${user.aadObjectId}`;

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

type TurnRow = LoadResult & {
  kind: string;
  concurrency: number;
  floor: string;
  ratio: number;
  storeRequests: number;
  allowanceMs: number;
  target: string;
  met: boolean;
};
type StoreCostRow = { kind: string; perTurn: number; crossPartition: number; breakdown: Record<string, number>; queries: string[] };

async function main(): Promise<void> {
  const started = performance.now();
  const connector = await new LeanConnector().start();
  const children: Child[] = [];
  const child = async () => {
    const c = await startChild(join(DIST, 'bot-process.js'));
    children.push(c);
    return c;
  };
  try {
    const store = await startChild(join(DIST, 'cosmos-process.js'));
    children.push(store);
    const { endpoint } = await store.call<{ endpoint: string }>('start');
    const echo = await child();
    const { url: echoUrl } = await echo.call<{ url: string }>('startEcho');
    const laget = await child();
    const { url: lagetUrl } = await laget.call<{ url: string }>('startLaget', {
      cosmosEndpoint: endpoint,
      cosmosKey: EMBEDDED_COSMOS_KEY,
      database: 'laget-bench',
    });
    const scale = await child();
    const { url: scaleUrl } = await scale.call<{ url: string }>('startLaget', {
      cosmosEndpoint: endpoint,
      cosmosKey: EMBEDDED_COSMOS_KEY,
      database: 'laget-scale',
    });

    // People who have talked to Laget before: Kari (owner) and Per (leader) in Solsikken.
    for (const bot of [laget, scale]) {
      await bot.call('seedPerson', { ...PEOPLE.kari, unitIds: [UNIT], serviceUrl: connector.url });
      await bot.call('seedPerson', { ...PEOPLE.per, unitIds: [UNIT], serviceUrl: connector.url });
    }

    // ---- (d) first half: 100 cases in the scale store; (b) measures "mine saker" and "til godkjenning" there.
    progress('seeding 100 cases for the scale comparison');
    await scale.call('seedScale', { total: 100, units: 30, mine: 10, from: 0 });

    // ---- (b) store cost per turn
    progress('store cost per turn');
    const storeCost = await measureStoreCost({ store, laget, scale, lagetUrl, scaleUrl, connector });
    const requestsOf = (kind: string) => storeCost.find((row) => row.kind === kind)?.perTurn ?? 0;

    // ---- (a) turn overhead vs the echo floor
    const turns: TurnRow[] = [];
    let offset = 100_000;
    for (const level of LEVELS) {
      const c = level.concurrency;
      progress(`turns at ${c} concurrent user(s)`);
      const zone = groupByUser(await laget.call<SeededZoneCase[]>('seedZoneCases', { users: c, perUser: level.turnsPerUser, offset }));
      const approvals = groupByUser(
        await laget.call<SeededApprovalCase[]>('seedApprovalCases', { users: c, perUser: level.turnsPerUser, offset }),
      );
      offset += c * level.turnsPerUser;
      const rtt = await laget.call<{ p50: number; p99: number; perSecond: number }>('storeRoundTrip', {
        concurrency: c,
        n: Math.max(300, c * 20),
      });
      const hjelp = (user: number) => message(connector.url, asUser(benchUser('user', user)), 'hjelp');
      // Side by side, in rounds: the floor and Laget share the machine's good and bad moments.
      const [echoMessage, echoInvoke, lagetHjelp, lagetSubmit, lagetInvoke] = (await runSideBySide(
        [
          { url: echoUrl, next: hjelp },
          {
            url: echoUrl,
            next: (user) =>
              execute(connector.url, asUser(benchUser('leader', user)), 'approval.decide', {
                caseId: 'UR-7K4Q',
                unitId: UNIT,
                escalationId: 'esc-1',
                decision: 'approve',
              }),
          },
          { url: lagetUrl, next: hjelp },
          {
            url: lagetUrl,
            next: (user, turn) => {
              const seeded = zone.get(user)![turn]!;
              return submit(connector.url, asUser(benchUser('owner', user)), {
                verb: 'uro.zone',
                caseId: seeded.caseId,
                unitId: seeded.unitId,
                rev: seeded.rev,
                zoneId: 'grey',
              });
            },
          },
          {
            url: lagetUrl,
            next: (user, turn) => {
              const seeded = approvals.get(user)![turn]!;
              return execute(connector.url, asUser(benchUser('leader', user)), 'approval.decide', {
                caseId: seeded.caseId,
                unitId: seeded.unitId,
                escalationId: seeded.escalationId,
                decision: 'approve',
              });
            },
          },
        ],
        level,
      )) as [LoadResult, LoadResult, LoadResult, LoadResult, LoadResult];
      // In every round Laget's "hjelp" answers after the echo's: each chat's last card is Laget's.
      checkReplies(connector, c, (user) => chatOf(asUser(benchUser('user', user))), /Hei! Jeg er Laget/, 'hjelp');
      checkReplies(connector, c, (user) => chatOf(asUser(benchUser('owner', user))), /Del A – konkretiser uroen/, 'uro.zone');
      const probe = await post(
        lagetUrl,
        execute(connector.url, asUser(benchUser('leader', 0)), 'approval.decide', {
          caseId: approvals.get(0)![0]!.caseId,
          unitId: UNIT,
          escalationId: 'esc-1',
          decision: 'approve',
        }),
      );
      if (!/Godkjent av/.test(probe.text))
        throw new Error(`approval invokes were not decided: ${(probe.text.match(/"text":"[^"]*"/g) ?? []).join(' ')}`);

      const rows: [string, LoadResult, LoadResult, string, number][] = [
        ['echo (message)', echoMessage, echoMessage, 'echo (message)', 0],
        ['echo (invoke)', echoInvoke, echoInvoke, 'echo (invoke)', 0],
        ['hjelp', lagetHjelp, echoMessage, 'echo (message)', requestsOf('hjelp')],
        ['card submit (uro.zone)', lagetSubmit, echoMessage, 'echo (message)', requestsOf('card submit (uro.zone)')],
        ['approval invoke (approval.decide)', lagetInvoke, echoInvoke, 'echo (invoke)', requestsOf('approval invoke (approval.decide)')],
      ];
      for (const [kind, result, floor, floorName, storeRequests] of rows) {
        const ratio = round(result.p50 / floor.p50, 2);
        const allowanceMs = round(2 * floor.p50 + storeRequests * rtt.p50, 1);
        let target = '';
        let met = true;
        if (kind === 'hjelp') {
          target = '≤ 1.3× echo';
          met = ratio <= 1.3;
        } else if (kind.startsWith('card submit') || kind.startsWith('approval invoke')) {
          target = `≤ 2× echo + ${storeRequests} × store ${rtt.p50} ms = ${allowanceMs} ms`;
          met = result.p50 <= allowanceMs;
          if (kind.startsWith('approval invoke') && c === 50) {
            target += '; p99 < 2000 ms';
            met = met && result.p99 < 2000;
          }
        }
        turns.push({ kind, concurrency: c, ...result, floor: floorName, ratio, storeRequests, allowanceMs, target, met });
      }
      turns.push({
        kind: 'store round trip (point read)',
        concurrency: c,
        turns: Math.max(300, c * 20),
        errors: 0,
        p50: rtt.p50,
        p99: rtt.p99,
        perSecond: rtt.perSecond,
        floor: '',
        ratio: Number.NaN,
        storeRequests: 1,
        allowanceMs: Number.NaN,
        target: '',
        met: true,
      });
    }

    // Where an approval invoke's time goes (a separate, profiled run: the profiler slows it down).
    progress('profiling 200 approval invokes');
    const profiledCases = await laget.call<SeededApprovalCase[]>('seedApprovalCases', { users: 1, perUser: 220, offset });
    offset += 220;
    const invokeOf = (i: number) => {
      const seeded = profiledCases[i]!;
      return execute(connector.url, asUser(benchUser('leader', 0)), 'approval.decide', {
        caseId: seeded.caseId,
        unitId: seeded.unitId,
        escalationId: seeded.escalationId,
        decision: 'approve',
      });
    };
    for (let i = 0; i < 20; i += 1) await post(lagetUrl, invokeOf(i));
    await laget.call('profileStart');
    for (let i = 20; i < 220; i += 1) await post(lagetUrl, invokeOf(i));
    const invokeProfile = await laget.call<ProfileSummary>('profileStop', 'laget-approval-invokes');
    progress('profiling 200 "hjelp" turns');
    const helpTurn = () => message(connector.url, asUser(benchUser('user', 0)), 'hjelp');
    for (let i = 0; i < 20; i += 1) await post(lagetUrl, helpTurn());
    await laget.call('profileStart');
    for (let i = 0; i < 200; i += 1) await post(lagetUrl, helpTurn());
    const helpProfile = await laget.call<ProfileSummary>('profileStop', 'laget-hjelp');

    // ---- (c) reminder fan-out against Teams' limits
    progress('fan-out: 500 channels (about 17 s), then 24 posts into one channel');
    const fanOuts: FanOutResult[] = [];
    fanOuts.push(
      await fanOut(
        'agenda to 500 channels (new threads)',
        Array.from({ length: 500 }, (_, n) => ({ conversationId: `19:bench-team-${n}@thread.tacv2`, newThread: true })),
      ),
    );
    fanOuts.push(
      await fanOut(
        '24 posts into one channel thread',
        Array.from({ length: 24 }, () => ({ conversationId: '19:bench-one@thread.tacv2;messageid=1', newThread: false })),
      ),
    );

    // ---- (d) second half: 10,000 cases in the scale store
    progress('scale: measuring at 100 cases');
    const at100 = await measureScale(scaleUrl, connector, store, undefined);
    progress('scale: seeding up to 10,000 cases');
    const seeded = await scale.call<{ created: number; ms: number }>('seedScale', { total: 10_000, units: 400, mine: 10, from: 100 });
    progress(`scale: ${seeded.created} cases written in ${seeded.ms} ms; measuring at 10,000 (with CPU profiles)`);
    const at10k = await measureScale(scaleUrl, connector, store, { store, bot: scale });

    const results = {
      generatedAt: new Date().toISOString(),
      environment: { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model ?? '', platform: process.platform },
      turns,
      storeCost,
      fanOut: fanOuts,
      scale: { at100: at100.rows, at10000: at10k.rows, profiles: at10k.profiles, seeding: seeded },
      invokeProfile,
      helpProfile,
      durationSeconds: Math.round((performance.now() - started) / 1000),
    };
    writeFileSync(join(projectRoot, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    print(results);
  } finally {
    for (const c of children.reverse()) await c.call('stop').catch(() => undefined);
    for (const c of children) await c.stop();
    await connector.stop();
    closeLoadAgent();
  }
}

function groupByUser<T extends { user: number }>(items: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const item of items) map.set(item.user, [...(map.get(item.user) ?? []), item]);
  return map;
}

/** Every simulated user's last reply must be the card a person expects (not an error card). */
function checkReplies(connector: LeanConnector, users: number, chat: (user: number) => string, expected: RegExp, what: string): void {
  for (let user = 0; user < users; user += 1) {
    const last = connector.last.get(chat(user)) ?? '';
    if (!expected.test(last)) throw new Error(`${what}: user ${user} got ${last.slice(0, 300)}`);
  }
}

async function measureStoreCost(ctx: {
  store: Child;
  laget: Child;
  scale: Child;
  lagetUrl: string;
  scaleUrl: string;
  connector: LeanConnector;
}): Promise<StoreCostRow[]> {
  const { store, laget, connector } = ctx;
  const N = 20;
  const rows: StoreCostRow[] = [];
  const user = asUser(benchUser('user', 4_000));
  const zone = await laget.call<SeededZoneCase[]>('seedZoneCases', { users: 1, perUser: N + 2, offset: 50_000 });
  const approvals = await laget.call<SeededApprovalCase[]>('seedApprovalCases', { users: 1, perUser: 2 * N + 4, offset: 50_000 });
  // The seeded cases belong to bench owner/leader 0; these turns come from them.
  const seededOwner = asUser(benchUser('owner', 0));
  const seededLeader = asUser(benchUser('leader', 0));

  const measure = async (kind: string, url: string, turn: (i: number) => unknown, warm = 2) => {
    for (let i = 0; i < warm; i += 1) await post(url, turn(i));
    await store.call('record', true);
    for (let i = warm; i < warm + N; i += 1) {
      const { status } = await post(url, turn(i));
      if (status >= 300) throw new Error(`${kind}: ${status}`);
    }
    const requests = await store.call<ClassifiedRequest[]>('requests');
    await store.call('record', false);
    const breakdown: Record<string, number> = {};
    for (const r of requests) {
      const key = `${r.kind} ${r.container}`;
      breakdown[key] = round((breakdown[key] ?? 0) + 1 / N, 2);
    }
    rows.push({
      kind,
      perTurn: round(requests.length / N, 2),
      crossPartition: requests.filter((r) => r.kind === 'query (cross-partition)').length,
      breakdown,
      queries: [...new Set(requests.filter((r) => r.sql).map((r) => `${r.kind}: ${r.sql}`))],
    });
  };

  await measure('hjelp', ctx.lagetUrl, () => message(connector.url, user, 'hjelp'));
  const revs: { caseId: string; rev: string }[] = [];
  await measure(
    'card submit (uro.zone)',
    ctx.lagetUrl,
    (i) => {
      const seeded = zone[i]!;
      return submit(connector.url, seededOwner, {
        verb: 'uro.zone',
        caseId: seeded.caseId,
        unitId: seeded.unitId,
        rev: seeded.rev,
        zoneId: 'grey',
      });
    },
    0,
  );
  // The zone's answer is the part A card, carrying the case's new ETag: press it, as a person would.
  for (const seeded of zone.slice(0, N)) {
    await post(
      ctx.lagetUrl,
      submit(connector.url, seededOwner, { verb: 'uro.show', caseId: seeded.caseId, unitId: seeded.unitId, view: 'part-a' }),
    );
    const rev = /"rev":"([^"]+)"/.exec(connector.last.get(chatOf(seededOwner)) ?? '')?.[1];
    if (!rev) throw new Error('no ETag on the part A card');
    revs.push({ caseId: seeded.caseId, rev });
  }
  await measure(
    'card submit (uro.part-a)',
    ctx.lagetUrl,
    (i) => {
      const { caseId, rev } = revs[i]!;
      return submit(connector.url, seededOwner, {
        verb: 'uro.part-a',
        caseId,
        unitId: UNIT,
        rev,
        alias: 'E.H.',
        seenOrHeard: 'Trøtt og innesluttet.',
        whatWorriesMe: 'Endringen kom brått.',
      });
    },
    0,
  );
  await measure('approval invoke (approval.refresh)', ctx.lagetUrl, (i) => {
    const seeded = approvals[i]!;
    return execute(
      connector.url,
      seededLeader,
      'approval.refresh',
      { caseId: seeded.caseId, unitId: seeded.unitId, escalationId: seeded.escalationId },
      { trigger: 'automatic' },
    );
  });
  await measure('approval invoke (approval.decide)', ctx.lagetUrl, (i) => {
    const seeded = approvals[N + 2 + i]!;
    return execute(connector.url, seededLeader, 'approval.decide', {
      caseId: seeded.caseId,
      unitId: seeded.unitId,
      escalationId: seeded.escalationId,
      decision: 'approve',
    });
  });
  await measure('mine saker (10 open cases)', ctx.scaleUrl, () => message(connector.url, asUser(PEOPLE.kari), 'mine saker'));
  await measure('til godkjenning (10 waiting)', ctx.scaleUrl, () => message(connector.url, asUser(PEOPLE.per), 'til godkjenning'));
  return rows;
}

type ScaleRow = { kind: string; p50: number; p99: number; listed: number; requestsPerTurn: number; crossPartition: number };

async function measureScale(
  url: string,
  connector: LeanConnector,
  store: Child,
  profile: { store: Child; bot: Child } | undefined,
): Promise<{ rows: ScaleRow[]; profiles?: { store: ProfileSummary; laget: ProfileSummary } }> {
  const N = 30;
  const rows: ScaleRow[] = [];
  const run = async (kind: string, who: TestUser, text: string) => {
    for (let i = 0; i < 3; i += 1) await post(url, message(connector.url, who, text));
    const latencies: number[] = [];
    await store.call('record', true);
    for (let i = 0; i < N; i += 1) {
      const t = performance.now();
      const { status } = await post(url, message(connector.url, who, text));
      if (status >= 300) throw new Error(`${kind}: ${status}`);
      latencies.push(performance.now() - t);
    }
    const requests = await store.call<ClassifiedRequest[]>('requests');
    await store.call('record', false);
    latencies.sort((a, b) => a - b);
    const listed = new Set(connector.last.get(chatOf(who))?.match(/UR-M[0-9A-Z]{5}/g) ?? []).size;
    rows.push({
      kind,
      p50: round(latencies[Math.floor(N / 2)]!),
      p99: round(latencies[N - 1]!),
      listed,
      requestsPerTurn: round(requests.length / N, 2),
      crossPartition: requests.filter((r) => r.kind === 'query (cross-partition)').length,
    });
  };
  if (profile) {
    await profile.store.call('profileStart');
    await profile.bot.call('profileStart');
  }
  await run('mine saker', asUser(PEOPLE.kari), 'mine saker');
  await run('til godkjenning', asUser(PEOPLE.per), 'til godkjenning');
  if (!profile) return { rows };
  const storeProfile = await profile.store.call<ProfileSummary>('profileStop', 'store-at-10000-cases');
  const lagetProfile = await profile.bot.call<ProfileSummary>('profileStop', 'laget-at-10000-cases');
  return { rows, profiles: { store: storeProfile, laget: lagetProfile } };
}

/* ------------------------------------------------------------------ printing */

type Results = {
  environment: { node: string; cpus: number; cpu: string };
  turns: TurnRow[];
  storeCost: StoreCostRow[];
  fanOut: FanOutResult[];
  scale: {
    at100: ScaleRow[];
    at10000: ScaleRow[];
    profiles?: { store: ProfileSummary; laget: ProfileSummary };
    seeding: { created: number; ms: number };
  };
  invokeProfile: ProfileSummary;
  helpProfile: ProfileSummary;
  durationSeconds: number;
};

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (typeof cell === 'number' && Number.isNaN(cell) ? '' : String(cell))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function print(results: Results): void {
  const out: string[] = [];
  out.push(
    `Laget benchmark — ${results.environment.node}, ${results.environment.cpus} cores (${results.environment.cpu}); ${results.durationSeconds} s`,
  );
  out.push('');
  out.push('(a) Turn overhead vs the echo floor (same restify + CloudAdapter path), real HTTP on loopback');
  out.push(
    table(
      ['turn', 'users', 'p50 ms', 'p99 ms', 'turns/s', '× echo p50', 'target', 'met'],
      results.turns.map((r) => [
        r.kind,
        r.concurrency,
        r.p50,
        r.p99,
        r.perSecond,
        Number.isNaN(r.ratio) || r.kind.startsWith('echo') ? '' : `${r.ratio}× ${r.floor.replace('echo ', '')}`,
        r.target,
        r.target ? (r.met ? 'yes' : 'NO') : '',
      ]),
    ),
  );
  out.push('');
  out.push('(b) Store cost per turn (requests at the embedded Cosmos server; target: card submit ≤ 3, no cross-partition query)');
  out.push(
    table(
      ['turn', 'requests', 'cross-partition', 'what'],
      results.storeCost.map((r) => [
        r.kind,
        r.perTurn,
        r.crossPartition,
        Object.entries(r.breakdown)
          .map(([k, v]) => `${v} ${k}`)
          .join(', '),
      ]),
    ),
  );
  out.push('');
  out.push(
    '(c) Reminder fan-out through the sender, against a connector enforcing Teams’ limits (target: ratio ≤ 1.1, 0 × 429, 0 lost or duplicated)',
  );
  out.push(
    table(
      ['fan-out', 'posts', 'wall ms', 'minimum ms', 'ratio', '429s', 'lost', 'duplicated'],
      results.fanOut.map((r) => [r.name, r.posts, r.wallMs, r.minimumMs, r.ratio, r.throttled, r.lost, r.duplicated]),
    ),
  );
  out.push('');
  out.push('(d) Scale: the same person’s lists with 100 and with 10,000 cases in the store (target: independent of the total)');
  out.push(
    table(
      ['turn', 'listed', 'p50 @100', 'p50 @10,000', 'ratio', 'p99 @100', 'p99 @10,000', 'requests/turn @100 / @10,000', 'cross-partition'],
      results.scale.at100.map((r, i) => {
        const big = results.scale.at10000[i]!;
        return [
          r.kind,
          `${r.listed} / ${big.listed}`,
          r.p50,
          big.p50,
          round(big.p50 / r.p50, 2),
          r.p99,
          big.p99,
          `${r.requestsPerTurn} / ${big.requestsPerTurn}`,
          r.crossPartition + big.crossPartition,
        ];
      }),
    ),
  );
  const profiles = results.scale.profiles;
  if (profiles) {
    for (const [name, p] of [
      ['store process', profiles.store],
      ['Laget process', profiles.laget],
    ] as const) {
      out.push('');
      out.push(`CPU profile at 10,000 cases, ${name} (${p.file}; ${p.totalMs} ms sampled): self time by area`);
      out.push(
        table(
          ['area', 'self ms', 'share %'],
          p.byArea.map((a) => [a.area, a.selfMs, a.share]),
        ),
      );
      out.push(
        table(
          ['hottest functions', 'where', 'self ms', 'share %'],
          p.top.slice(0, 6).map((f) => [f.function, f.where, f.selfMs, f.share]),
        ),
      );
    }
  }
  for (const [what, p] of [
    ['200 approval invokes', results.invokeProfile],
    ['200 "hjelp" turns', results.helpProfile],
  ] as const) {
    out.push('');
    const idle = p.byArea.find((a) => a.area === '(idle)')?.selfMs ?? 0;
    out.push(
      `CPU profile of ${what}, Laget process (${p.file}; ${p.totalMs} ms sampled, busy ${round((p.totalMs - idle) / 200, 2)} ms per turn under the profiler)`,
    );
    out.push(
      table(
        ['area', 'self ms', 'share %'],
        p.byArea.map((a) => [a.area, a.selfMs, a.share]),
      ),
    );
    out.push(
      table(
        ['Laget function (inclusive)', 'where', 'ms', 'share %'],
        p.ours.slice(0, 10).map((f) => [f.function, f.where, f.totalMs, f.share]),
      ),
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
