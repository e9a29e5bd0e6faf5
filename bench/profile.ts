import { Session } from 'node:inspector/promises';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectRoot } from '../src/paths';

/**
 * A CPU profile of the process it runs in (what `node --cpu-prof` writes, started and stopped on
 * demand), saved as a .cpuprofile for Chrome DevTools and summarised as the functions with the
 * most self time.
 */

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

export type ProfileSummary = {
  file: string;
  totalMs: number;
  top: { function: string; where: string; selfMs: number; share: number }[];
  /** Self time grouped by package (node_modules/<name>) or area of this repository. */
  byArea: { area: string; selfMs: number; share: number }[];
  /** This repository's functions by inclusive time (their own and everything they call; not idle). */
  ours: { function: string; where: string; totalMs: number; share: number }[];
};

let session: Session | undefined;

export async function startProfile(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}

export async function stopProfile(name: string, top = 10): Promise<ProfileSummary> {
  if (!session) throw new Error('no profile running');
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
  session.disconnect();
  session = undefined;
  const dir = join(projectRoot, 'test-artifacts/bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return { file: relative(projectRoot, file), ...summarise(profile, top) };
}

function summarise(profile: CpuProfile, top: number): Omit<ProfileSummary, 'file'> {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, { function: string; where: string; us: number }>();
  const byArea = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byNode.get(id)!.callFrame;
    const where = frame.url ? `${shorten(frame.url)}:${frame.lineNumber + 1}` : '(native)';
    const fn = frame.functionName || '(anonymous)';
    const key = `${fn} ${where}`;
    const entry = byFunction.get(key) ?? { function: fn, where, us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
    const area = areaOf(frame.url, fn);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const share = (us: number) => Math.round((1000 * us) / Math.max(1, totalUs)) / 10;
  // Inclusive time: a node's own samples and its descendants'; a function counted once per stack.
  const inclusive = new Map<number, number>();
  const visit = (id: number): number => {
    const node = byNode.get(id)!;
    const total = (self.get(id) ?? 0) + (node.children ?? []).reduce((sum, child) => sum + visit(child), 0);
    inclusive.set(id, total);
    return total;
  };
  const root = profile.nodes[0]!;
  visit(root.id);
  const oursByFunction = new Map<string, { function: string; where: string; us: number }>();
  const walk = (id: number, onStack: Set<string>) => {
    const node = byNode.get(id)!;
    const frame = node.callFrame;
    let next = onStack;
    if (frame.url.includes('/dist/src/') && !frame.url.includes('node_modules')) {
      const where = `${shorten(frame.url)}:${frame.lineNumber + 1}`;
      const key = `${frame.functionName || '(anonymous)'} ${where}`;
      if (!onStack.has(key)) {
        const entry = oursByFunction.get(key) ?? { function: frame.functionName || '(anonymous)', where, us: 0 };
        entry.us += inclusive.get(id) ?? 0;
        oursByFunction.set(key, entry);
        next = new Set(onStack).add(key);
      }
    }
    for (const child of node.children ?? []) walk(child, next);
  };
  walk(root.id, new Set());
  return {
    ours: [...oursByFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((entry) => ({ function: entry.function, where: entry.where, totalMs: Math.round(entry.us / 1000), share: share(entry.us) })),
    totalMs: Math.round(totalUs / 1000),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((entry) => ({ function: entry.function, where: entry.where, selfMs: Math.round(entry.us / 1000), share: share(entry.us) })),
    byArea: [...byArea.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), share: share(us) })),
  };
}

function shorten(url: string): string {
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/(.*)$/.exec(path);
  if (inModules) return inModules[1]!;
  return path.startsWith(projectRoot) ? relative(projectRoot, path) : path;
}

function areaOf(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' ? '(garbage collector)' : fn === '(idle)' ? '(idle)' : '(native / runtime)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const path = url.replace(/^file:\/\//, '');
  const inRepo = path.startsWith(projectRoot) ? relative(projectRoot, path) : path;
  return inRepo.split('/').slice(0, 3).join('/');
}
