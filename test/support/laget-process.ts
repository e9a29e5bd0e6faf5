import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';
import { freePort } from './npm-start';

/**
 * Laget as its own process, exactly as `npm run bot` (and Azure) runs it: `node dist/src/index.js`
 * configured by the environment. For tests that kill it, stop it with a signal, or start it again.
 */
export type LagetProcess = {
  url: string;
  pid: number;
  /** Every JSON log line it printed so far. */
  logs(): Record<string, unknown>[];
  output(): string;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** Configuration of the machine the tests run on that must not leak into the child. */
const INHERITED_CONFIG = /^(BOT_|COSMOS_|ALLOWED_TENANT_IDS$|MUNICIPALITY_FILE$|HOST$|LAGET_ENV$|PORT$|SCHEDULER_|LOG_LEVEL$)/;

export async function startLagetProcess(env: Record<string, string>, readyTimeoutMs = 20_000): Promise<LagetProcess> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_CONFIG.test(name)));
  const port = env.PORT ?? String(await freePort());
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot, 'dist/src/index.js')], {
    cwd: projectRoot,
    env: { ...inherited, LAGET_ENV: 'local', LOG_LEVEL: 'info', ...env, PORT: port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines: Record<string, unknown>[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop()!;
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  // Ready when /healthz answers (at any log level); a process that exits first never will.
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`Laget exited before it was running:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Laget did not start within ${readyTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    pid: child.pid!,
    logs: () => lines,
    output: () => output,
    kill: (signal) => void child.kill(signal),
    exited,
  };
}
