import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { PEOPLE, seedCases } from '../../scripts/seed/scenarios';
import { projectRoot } from '../../src/paths';
import { freePort, startNpmStart, type NpmStart } from '../support/npm-start';
import { PlaygroundClient } from '../support/playground-client';
import { walkToStep1InPlayground } from '../support/playground-walk';

/**
 * End to end, as a person meets Laget after `npm start`: the real start script in a child process
 * (bot, embedded store, example data, one Agents Playground per person), driven through the
 * Playground's own HTTP + websocket API as Kari Nordmann. Every card the bot sends is saved under
 * test-artifacts/e2e/ (git-ignored) for a person to look at.
 */

const ARTIFACTS = join(projectRoot, 'test-artifacts/e2e');
const OSLO = 'Europe/Oslo';

/** Dates as a person in Oslo enters them today (the bot refuses days in the past, in Oslo time). */
function osloDates(): { today: string; inFourWeeks: string } {
  const now = DateTime.now().setZone(OSLO);
  return { today: now.toISODate()!, inFourWeeks: now.plus({ weeks: 4 }).toISODate()! };
}
/** How the Norwegian cards write a day: «30. mars 2026». */
const inNorwegian = (day: string) =>
  new Intl.DateTimeFormat('nb-NO', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );

describe('npm start, driven through the Agents Playground API (end to end)', function () {
  // One child process for the whole walk: start-up is a few seconds, each step well under one.
  this.timeout(60_000);

  let app: NpmStart | undefined;
  let kari: PlaygroundClient | undefined;
  const started = () => {
    assert.ok(app && kari, 'npm start or the Playground connection did not come up (see the before hook)');
    return { app, kari };
  };

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    app = await startNpmStart({
      PORT: '0',
      PLAYGROUND_PORT: String(await freePort()),
      PLAYGROUND_USERS: 'kari,per',
      LOG_LEVEL: 'warn',
    });
    const kariPlayground = app.ready.playgrounds.find((p) => p.key === 'kari');
    assert.ok(kariPlayground, `no Playground for Kari in ${JSON.stringify(app.ready)}`);
    kari = await PlaygroundClient.connect(kariPlayground.url, { artifactsDir: ARTIFACTS });
  });

  after(async () => {
    kari?.close();
    await app?.terminate();
    if (app) {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'npm-start.log'), app.output());
    }
  });

  it('says where the bot and each person’s Playground listen, and how many example cases it loaded', async () => {
    const { app } = started();
    const { ready } = app;
    assert.match(ready.botUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/messages$/);
    assert.deepEqual(
      ready.playgrounds.map((p) => [p.key, p.name]),
      [
        ['kari', 'Kari Nordmann'],
        ['per', 'Per Hansen'],
      ],
    );
    const examples = seedCases(new Date()).length;
    assert.equal(ready.exampleCases, examples);
    await app.waitForOutput(/Ctrl-C stopper alt/);
    assert.match(app.output(), new RegExp(`Eksempelsaker: ${examples} lastet inn`));
    assert.match(app.output(), new RegExp(`Åpne ${ready.playgrounds[0]!.url} i nettleseren for å være Kari Nordmann`));
  });

  it('walks Kari from "hjelp" to a documented case on step 1, and lists it under "mine saker"', async () => {
    const chat = started().kari;
    // Computed now rather than at load time, so a run just before midnight stays on one day.
    const { today, inFourWeeks: evaluationOn } = osloDates();
    // Opening the Playground installs the bot in the personal chat: the first-time welcome.
    await chat.expectCard(() => chat.install(), /Hei! Jeg er Laget/);

    // Every card of the URO flow, by its buttons, as Kari would (test/support/playground-walk.ts).
    const { code, overview } = await walkToStep1InPlayground(chat, { today, evaluationOn });
    assert.match(
      overview.text,
      new RegExp(`${code} står nå på trinn 1, med deg som stafettholder. Evaluering: ${inNorwegian(evaluationOn)}`),
    );

    const mine = await chat.expectCard(() => chat.say('mine saker'), /Mine saker/);
    assert.match(mine.text, new RegExp(`${code} · E\\.H\\.`));
    assert.match(mine.text, new RegExp(`neste dato ${inNorwegian(evaluationOn)}`));
  });

  it('shows the example cases Kari owns under "mine saker", and none of Lise’s', async () => {
    const chat = started().kari;
    const mine = await chat.expectCard(() => chat.say('mine saker'), /Mine saker/);
    // seedCases is deterministic apart from dates, so it tells which example cases are Kari's open ones.
    const examples = seedCases(new Date());
    const karis = examples.filter((c) => c.owner.id === PEOPLE.kari.id && c.status !== 'closed').map((c) => c.id);
    const lises = examples.filter((c) => c.owner.id === PEOPLE.lise.id).map((c) => c.id);
    assert.ok(karis.length >= 4, `expected several example cases for Kari, got ${karis.join(', ')}`);
    for (const id of karis) assert.ok(mine.text.includes(id), `example case ${id} is missing from "mine saker":\n${mine.text}`);
    for (const id of lises) assert.ok(!mine.text.includes(id), `Lise's case ${id} is in Kari's "mine saker"`);
  });

  it('stops the bot and every Playground on SIGTERM and exits 0 within a few seconds', async () => {
    const { app, kari: chat } = started();
    const { botUrl, playgrounds } = app.ready;
    chat.close();
    assert.equal(await app.stop('SIGTERM', 5_000), 0);
    const stillAnswering = async (url: string) => (await fetch(url).catch(() => undefined)) !== undefined;
    assert.equal(await stillAnswering(botUrl.replace('/api/messages', '/healthz')), false, 'the bot still answers');
    for (const p of playgrounds) {
      assert.equal(
        await stillAnswering(`${p.url.replace('//localhost:', '//127.0.0.1:')}/_debug/ping`),
        false,
        `${p.name}'s Playground still answers`,
      );
    }
  });
});
