import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseReadyLine, type ReadyInfo } from '../../scripts/ready-line';
import { projectRoot } from '../../src/paths';

/**
 * `npm start` as a child process, started the way package.json's "start" script starts it once
 * the build is done: `node dist/scripts/start-local.js`, from the
 * repository root. The test waits for its LAGET_READY line instead of guessing with sleeps.
 */
export type NpmStart = {
  ready: ReadyInfo;
  /** Everything it printed so far (stdout and stderr interleaved), for failure messages. */
  output(): string;
  /** Resolves when the output matches, e.g. a line printed in the same breath as the ready line. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code; rejects if it has not exited in time. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null>;
  /** For after-hooks: SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  terminate(): Promise<void>;
};

/** Configuration that would change how `npm start` runs if the test machine happened to have it set. */
const INHERITED_CONFIG = /^(BOT_|COSMOS_|ALLOWED_TENANT_IDS$|MUNICIPALITY_FILE$|HOST$|LAGET_ENV$|PLAYGROUND_)/;

export async function startNpmStart(env: Record<string, string>, readyTimeoutMs = 45_000): Promise<NpmStart> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !INHERITED_CONFIG.test(name)));
  const child: ChildProcess = spawn(process.execPath, [join(projectRoot, 'dist/scripts/start-local.js')], {
    cwd: projectRoot,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((listener) => listener());
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitFor = <T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`npm start: no ${what} within ${timeoutMs} ms. Output:\n${output}`));
      }, timeoutMs);
      const onExit = (code: number | null) => {
        done();
        reject(new Error(`npm start exited (${code}) before ${what}. Output:\n${output}`));
      };
      const done = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.removeListener('exit', onExit);
      };
      listeners.add(check);
      child.once('exit', onExit);
      check();
    });

  // Only whole lines: the ready line may arrive split over two chunks.
  const readyOf = () =>
    output
      .split('\n')
      .slice(0, -1)
      .map(parseReadyLine)
      .find((info) => info !== undefined);
  const running = () => child.exitCode === null && child.signalCode === null;
  // SIGTERM first: start-local then stops its Playgrounds, which a SIGKILL would leave behind.
  const terminate = async () => {
    if (!running()) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(force);
  };

  let ready: ReadyInfo;
  try {
    ready = await waitFor(readyOf, readyTimeoutMs, 'LAGET_READY line');
  } catch (error) {
    await terminate();
    throw error;
  }

  return {
    ready,
    output: () => output,
    waitForOutput: (pattern, timeoutMs = 5_000) =>
      waitFor(() => (pattern.test(output) ? true : undefined), timeoutMs, `output ${pattern}`).then(() => undefined),
    async stop(signal, timeoutMs) {
      if (!running()) return child.exitCode;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`npm start did not exit within ${timeoutMs} ms of ${signal}. Output:\n${output}`)),
          timeoutMs,
        );
      });
      try {
        return await Promise.race([exited, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    terminate,
  };
}

/** A TCP port that was free a moment ago (the Playground moves to another one itself if it is taken by then). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port from the operating system');
  return address.port;
}
