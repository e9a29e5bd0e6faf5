import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { startLaget } from '../src/laget';
import { createLogger } from '../src/log';
import { PLAYGROUND_PEOPLE, startPlayground, type Playground } from './playground';

/**
 * `npm start`: Laget with the embedded store, plus one Agents Playground per person in
 * PLAYGROUND_USERS (default: Kari, a kindergarten teacher, and Per, her leader), so a person
 * can try the whole flow in a browser. Ctrl-C stops everything.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, LAGET_ENV: 'local' });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const laget = await startLaget(config, log);

  const wanted = (process.env.PLAYGROUND_USERS ?? 'kari,per').split(',').map((key) => key.trim());
  const people = wanted.map((key) => {
    const person = PLAYGROUND_PEOPLE.find((p) => p.key === key);
    if (!person) throw new Error(`PLAYGROUND_USERS: unknown person "${key}" (known: ${PLAYGROUND_PEOPLE.map((p) => p.key).join(', ')})`);
    return person;
  });
  const firstPort = Number(process.env.PLAYGROUND_PORT ?? 56150);
  const workDir = mkdtempSync(join(tmpdir(), 'laget-playground-'));
  const playgrounds: Playground[] = [];
  for (const [index, person] of people.entries()) {
    playgrounds.push(
      await startPlayground({ person, port: firstPort + index, botEndpoint: `${laget.url}/api/messages`, workDir }),
    );
  }

  const lines = [
    '',
    'Laget kjører lokalt (data ligger bare i minnet og forsvinner når du stopper).',
    `  Bot: ${laget.url}/api/messages`,
    ...playgrounds.map((p) => `  Åpne ${p.url} i nettleseren for å være ${p.person.name}`),
    'Skriv «hjelp» i den personlige chatten. Ctrl-C stopper alt.',
    '',
  ];
  process.stdout.write(lines.join('\n'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopper Laget …\n');
    await Promise.all(playgrounds.map((p) => p.stop()));
    await laget.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
