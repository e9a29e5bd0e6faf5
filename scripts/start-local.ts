import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config';
import { startLaget } from '../src/laget';
import { createLogger } from '../src/log';
import { PLAYGROUND_PEOPLE, startPlayground, type Playground, type PlaygroundPerson } from './playground';
import { readyLine, type ReadyInfo } from './ready-line';
import { seedLocal, type SeedResult } from './seed-local';

/**
 * `npm start`: Laget with the embedded store and example data, plus one Agents Playground per
 * person in PLAYGROUND_USERS (default: Kari, a kindergarten teacher, and Per, her leader), so a
 * person can try the whole flow in a browser. Ctrl-C (or SIGTERM) stops everything and exits 0.
 *
 * Environment: PORT (the bot; 0 = any free port), PLAYGROUND_PORT (the first Playground; the next
 * person gets the next port; 0 = any free port for each), PLAYGROUND_USERS (comma list of keys).
 * Besides the Norwegian lines for people, one `LAGET_READY {json}` line tells scripts and the
 * end-to-end test where everything listens (see ready-line.ts).
 */

const EX_CONFIG = 78;

type PlaygroundSettings = { people: PlaygroundPerson[]; firstPort: number };

function playgroundSettings(env: NodeJS.ProcessEnv): PlaygroundSettings {
  const problems: string[] = [];
  const keys = (env.PLAYGROUND_USERS ?? 'kari,per')
    .split(',')
    .map((key) => key.trim().toLowerCase())
    .filter((key) => key !== '');
  const people: PlaygroundPerson[] = [];
  for (const key of keys) {
    const person = PLAYGROUND_PEOPLE.find((p) => p.key === key);
    if (person) people.push(person);
    else problems.push(`PLAYGROUND_USERS has an unknown person "${key}" (known: ${PLAYGROUND_PEOPLE.map((p) => p.key).join(', ')})`);
  }
  if (keys.length === 0) problems.push('PLAYGROUND_USERS names nobody');
  const firstPort = Number(env.PLAYGROUND_PORT?.trim() || 56150);
  if (!Number.isInteger(firstPort) || firstPort < 0 || firstPort + keys.length > 65536) {
    problems.push(`PLAYGROUND_PORT must be a port number (0 = any free port), not "${env.PLAYGROUND_PORT}"`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { people, firstPort };
}

function seedLine(seeded: SeedResult): string {
  const total = seeded.casesCreated + seeded.casesExisting;
  const fresh = seeded.casesExisting === 0 ? 'lastet inn' : `(${seeded.casesCreated} nye, ${seeded.casesExisting} fantes fra før)`;
  return `Eksempelsaker: ${total} ${fresh} – scenariene S1–S8, eid av Kari Nordmann og Lise Berg`;
}

async function main(): Promise<void> {
  // Registered before anything starts, so a stop during start-up still cleans up what has started.
  const running: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopper Laget …\n');
    try {
      // Last started, first stopped; pop() also catches what finishes starting meanwhile.
      for (let close = running.pop(); close; close = running.pop()) await close();
    } catch (error) {
      process.stderr.write(`stopping failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  let config;
  let settings;
  try {
    config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, LAGET_ENV: 'local' });
    settings = playgroundSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EX_CONFIG);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const laget = await startLaget(config, log);
  running.push(() => laget.stop());

  const seeded = await seedLocal(laget, laget.services.now());
  const exampleCases = seeded.casesCreated + seeded.casesExisting;

  const workDir = mkdtempSync(join(tmpdir(), 'laget-playground-'));
  running.push(async () => rmSync(workDir, { recursive: true, force: true }));
  const botEndpoint = `${laget.url}/api/messages`;
  // Side by side: each takes over a second to come up.
  const playgrounds: Playground[] = await Promise.all(
    settings.people.map(async (person, index) => {
      const port = settings.firstPort === 0 ? 0 : settings.firstPort + index;
      const playground = await startPlayground({ person, port, botEndpoint, workDir });
      running.push(() => playground.stop());
      return playground;
    }),
  );
  if (stopping) return;

  const ready: ReadyInfo = {
    botUrl: botEndpoint,
    playgrounds: playgrounds.map((p) => ({ key: p.person.key, name: p.person.name, url: p.url })),
    exampleCases,
  };
  const lines = [
    readyLine(ready),
    '',
    'Laget kjører lokalt (data ligger bare i minnet og forsvinner når du stopper).',
    `  Bot: ${botEndpoint}`,
    `  ${seedLine(seeded)}`,
    ...playgrounds.map((p) => `  Åpne ${p.url} i nettleseren for å være ${p.person.name}`),
    'Skriv «hjelp» i den personlige chatten. Ctrl-C stopper alt.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
