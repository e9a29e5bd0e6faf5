import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Microsoft 365 Agents Playground (a local Teams-like client) started as a child process,
 * signed in as one of the synthetic people. Its own config file gives it our tenant, our people
 * and a team with a "Tverrfaglig team" channel, so ids match the local seed data.
 */
export type PlaygroundPerson = { key: string; mri: string; aadObjectId: string; name: string; email: string };

export const PLAYGROUND_PEOPLE: readonly PlaygroundPerson[] = [
  { key: 'kari', mri: '29:kari', aadObjectId: 'aad-kari', name: 'Kari Nordmann', email: 'kari.nordmann@solsikken.example.no' },
  { key: 'per', mri: '29:per', aadObjectId: 'aad-per', name: 'Per Hansen', email: 'per.hansen@solsikken.example.no' },
  { key: 'lise', mri: '29:lise', aadObjectId: 'aad-lise', name: 'Lise Berg', email: 'lise.berg@bjorkelangen.example.no' },
  { key: 'ola', mri: '29:ola', aadObjectId: 'aad-ola', name: 'Ola Dahl', email: 'ola.dahl@bjorkelangen.example.no' },
  { key: 'nina', mri: '29:nina', aadObjectId: 'aad-nina', name: 'Nina Lund', email: 'nina.lund@helse.example.no' },
  { key: 'tor', mri: '29:tor', aadObjectId: 'aad-tor', name: 'Tor Moen', email: 'tor.moen@ppt.example.no' },
  { key: 'kim', mri: '29:kim', aadObjectId: 'aad-kim', name: 'Kim Lie', email: 'kim.lie@eksempel.example.no' },
];

const PLAYGROUND_TENANT = 'tenant-laget-local';
const PLAYGROUND_BOT = { id: '28:laget-local', name: 'Laget' };
const PLAYGROUND_TEAM = { id: 'team-solsikken', name: 'Solsikken barnehage', channelId: 'channel-tverrfaglig' };

export type Playground = { url: string; port: number; person: PlaygroundPerson; stop(): Promise<void> };

const CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');

/** The playground's YAML config; JSON strings are valid YAML scalars, so values are JSON-quoted. */
function configFor(person: PlaygroundPerson): string {
  const q = JSON.stringify;
  const user = (p: PlaygroundPerson) => {
    const [givenName, ...rest] = p.name.split(' ');
    return `{ id: ${q(p.mri)}, name: ${q(p.name)}, userPrincipleName: ${q(p.email)}, aadObjectId: ${q(p.aadObjectId)}, givenName: ${q(givenName)}, surname: ${q(rest.join(' '))}, email: ${q(p.email)} }`;
  };
  // The playground requires exactly five other users.
  const others = PLAYGROUND_PEOPLE.filter((p) => p.key !== person.key).slice(0, 5);
  return [
    'version: "0.1.1"',
    `tenantId: ${q(PLAYGROUND_TENANT)}`,
    `bot: { id: ${q(PLAYGROUND_BOT.id)}, name: ${q(PLAYGROUND_BOT.name)} }`,
    `currentUser: ${user(person)}`,
    'users:',
    ...others.map((p) => `  - ${user(p)}`),
    `personalChat: { id: ${q(`personal-${person.key}`)} }`,
    'groupChat: { id: "group-chat", name: "Gruppechat" }',
    'team:',
    `  id: ${q(PLAYGROUND_TEAM.id)}`,
    `  name: ${q(PLAYGROUND_TEAM.name)}`,
    '  aadGroupId: "group-solsikken"',
    `  channels: [{ id: ${q(PLAYGROUND_TEAM.channelId)}, name: "Tverrfaglig team" }]`,
    '',
  ].join('\n');
}

export async function startPlayground(options: {
  person: PlaygroundPerson;
  port: number;
  botEndpoint: string;
  workDir: string;
}): Promise<Playground> {
  const dir = join(options.workDir, options.person.key);
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, '.m365agentsplayground.yml');
  writeFileSync(configPath, configFor(options.person));

  const child: ChildProcess = spawn(process.execPath, [CLI, '-p', String(options.port), '-e', options.botEndpoint, '--disable-telemetry'], {
    cwd: dir, // its devTools/ logs land here, not in the repository
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A Playground must never outlive `npm start`, also when it exits before stop() was called
  // (a signal during start-up, a crash): a synchronous kill is all an 'exit' listener can do.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);

  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the Agents Playground did not start:\n${output}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the Agents Playground exited (${code}):\n${output}`)));
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      // It picks another free port on its own when the one asked for is taken: read the real one.
      const match = /Listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  });
  const url = `http://localhost:${port}`;
  // "Listening" comes before the config is loaded; /_debug/ping answers once it is really up.
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the Agents Playground stopped; see ${dir}/devTools`);
    const ping = await fetch(`${url}/_debug/ping`).catch(() => undefined);
    if (ping?.ok) break;
    if (attempt > 100) throw new Error('the Agents Playground did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.removeAllListeners('exit');

  return {
    url,
    port,
    person: options.person,
    stop: () =>
      new Promise<void>((resolve) => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
