import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { percentile, round } from './stats';

/**
 * Simulated users over real HTTP: `concurrency` users, each sending its turns one after another
 * (a person waits for the answer before pressing the next button), keep-alive connections like the
 * Bot Connector's. The first turns of every user warm up (connections, caches, the JIT) and are
 * not counted.
 */
export type LoadResult = { turns: number; errors: number; p50: number; p99: number; perSecond: number };

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/api/messages`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

type Load = {
  url: string;
  /** The activity user `user` sends as their `turn`-th turn. */
  next: (user: number, turn: number) => unknown;
};
type Level = { concurrency: number; turnsPerUser: number; warmupPerUser: number };

/**
 * Several loads measured side by side: after every load's warm-up, they take turns in `rounds`
 * short rounds (A B C, A B C, …), so a slow minute of a noisy machine falls on all of them
 * alike and their ratios stay put. Each user sends its turns one after another; a turn number
 * is never used twice for a load (seeded cases are pressed once).
 */
export async function runSideBySide(loads: readonly Load[], level: Level, rounds = 5): Promise<LoadResult[]> {
  const measured = level.turnsPerUser - level.warmupPerUser;
  const latencies = loads.map(() => [] as number[]);
  const busyMs = loads.map(() => 0);
  const errors = loads.map(() => 0);
  for (const load of loads) await batch(load, level.concurrency, 0, level.warmupPerUser);
  for (let round = 0; round < rounds; round += 1) {
    const from = level.warmupPerUser + Math.floor((measured * round) / rounds);
    const to = level.warmupPerUser + Math.floor((measured * (round + 1)) / rounds);
    for (const [i, load] of loads.entries()) {
      const result = await batch(load, level.concurrency, from, to);
      latencies[i]!.push(...result.latencies);
      busyMs[i]! += result.wallMs;
      errors[i]! += result.errors;
    }
  }
  return loads.map((_, i) => {
    const sorted = latencies[i]!.sort((a, b) => a - b);
    return {
      turns: sorted.length,
      errors: errors[i]!,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      perSecond: round((sorted.length / busyMs[i]!) * 1000, 0),
    };
  });
}

/** Turns [from, to) of every user, the users concurrently. */
async function batch(
  load: Load,
  concurrency: number,
  from: number,
  to: number,
): Promise<{ latencies: number[]; errors: number; wallMs: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, user) => {
      for (let turn = from; turn < to; turn += 1) {
        const body = load.next(user, turn);
        const t = performance.now();
        const { status } = await post(load.url, body);
        latencies.push(performance.now() - t);
        if (status >= 300) errors += 1;
      }
    }),
  );
  return { latencies, errors, wallMs: performance.now() - started };
}

export function closeLoadAgent(): void {
  agent.destroy();
}
