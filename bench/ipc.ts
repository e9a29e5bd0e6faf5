import { fork, type ChildProcess } from 'node:child_process';

/**
 * A tiny request/answer protocol over Node's IPC channel, so that the benchmark can run the bot
 * and the store in processes of their own (one process tree, side by side on loopback) and still
 * tell them what to do: seed data, reset counters, start and stop a CPU profile.
 */

type Request = { id: number; command: string; args: unknown };
type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export type Handlers = Record<string, (args: never) => unknown>;

/** In the child: answers the parent's requests with `handlers`. */
export function serve(handlers: Handlers): void {
  process.on('message', (message: Request) => {
    void (async () => {
      let answer: Answer;
      try {
        const handler = handlers[message.command];
        if (!handler) throw new Error(`no command ${message.command}`);
        answer = { id: message.id, ok: true, value: await handler(message.args as never) };
      } catch (error) {
        answer = { id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      }
      process.send!(answer);
    })();
  });
  process.send!({ id: 0, ok: true, value: 'ready' });
}

export type Child = {
  call<T = unknown>(command: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
  pid: number;
};

/** In the parent: starts `modulePath` as a child and waits until it serves. */
export async function startChild(modulePath: string, execArgv: string[] = []): Promise<Child> {
  const child: ChildProcess = fork(modulePath, [], {
    execArgv,
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let next = 1;
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${modulePath} exited (${code}) before it was ready`)));
    child.once('message', () => resolve());
  });
  child.on('message', (answer: Answer) => {
    const waiter = waiting.get(answer.id);
    if (!waiter) return;
    waiting.delete(answer.id);
    if (answer.ok) waiter.resolve(answer.value);
    else waiter.reject(new Error(answer.error));
  });
  return {
    pid: child.pid!,
    call<T>(command: string, args?: unknown): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, command, args } satisfies Request);
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}
