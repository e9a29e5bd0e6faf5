import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../../src/paths';
import { launchChromium } from '../support/browser';
import { channelTraffic } from '../support/fake-connector';
import { freePort, startNpmStart, type NpmStart } from '../support/npm-start';
import { PlaygroundClient } from '../support/playground-client';
import { PlaygroundPage } from '../support/playground-ui';

/**
 * End to end in the real client: `npm start` as a person starts it, the Agents Playground's web
 * UI in headless Chromium (Debian's), and Kari Nordmann at the keyboard — she writes "hjelp",
 * walks the URO flow to a case on step 1 by clicking the cards' buttons and filling their inputs,
 * and opens "mine saker"; then, in the team's "Tverrfaglig team" channel, sets the team up from
 * "@Laget sett opp team". A screenshot of each step is saved in test-artifacts/e2e-ui/.
 */

const ARTIFACTS = join(projectRoot, 'test-artifacts/e2e-ui');
const OSLO = 'Europe/Oslo';

describe('npm start, in the Agents Playground’s web UI (Chromium)', function () {
  this.timeout(90_000);

  let app: NpmStart | undefined;
  let browser: Browser | undefined;
  let kari: PlaygroundPage | undefined;
  /** Listens to the same Playground, so what Laget posts in the channel joins the run's privacy check. */
  let observer: PlaygroundClient | undefined;

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    app = await startNpmStart({ PORT: '0', PLAYGROUND_PORT: String(await freePort()), PLAYGROUND_USERS: 'kari', LOG_LEVEL: 'warn' });
    const playground = app.ready.playgrounds.find((p) => p.key === 'kari');
    assert.ok(playground, `no Playground for Kari in ${JSON.stringify(app.ready)}`);
    observer = await PlaygroundClient.connect(playground.url);
    browser = await launchChromium();
    kari = await PlaygroundPage.open(browser, playground.url, { botName: 'Laget', artifactsDir: ARTIFACTS });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && kari) await kari.screenshot('failure').catch(() => undefined);
  });

  after(async () => {
    observer?.close();
    await browser?.close();
    await app?.terminate();
    if (app) writeFileSync(join(ARTIFACTS, 'npm-start.log'), app.output());
  });

  it('walks Kari from "hjelp" to a case on step 1 by clicking the cards, and shows it under "mine saker"', async () => {
    assert.ok(kari, 'the Playground did not open (see the before hook)');
    const now = DateTime.now().setZone(OSLO);
    const today = now.toISODate()!;

    const welcome = await kari.expectCard(() => kari!.say('hjelp'), /Hei! Jeg er Laget/);
    await kari.screenshot('welcome');

    const start = await kari.expectCard(() => kari!.press(welcome, 'Jeg er urolig for et barn'), /Sikkerheten kommer alltid først/);
    await kari.choose(start, /Er barnet \(eller noen andre\) i fare akkurat nå\?/, 'Nei');
    await kari.choose(start, /Mistenker du vold eller seksuelle overgrep\?/, 'Nei');
    await kari.screenshot('start-answered');

    const zone = await kari.expectCard(() => kari!.press(start, 'Videre'), /Hvor stor er uroen\?/);
    const code = /UR-[0-9A-Z]{4}/.exec(await zone.innerText())?.[0];
    assert.ok(code, 'the zone card names the new case by its code');
    await kari.choose(zone, /Urosone/, 'Gråsone');
    await kari.screenshot('zone');

    const partA = await kari.expectCard(() => kari!.press(zone, 'Videre'), /Del A – konkretiser uroen/);
    await kari.fill(partA, /Initialer eller kallenavn/, 'E.H.');
    await kari.fill(partA, /Hva har du sett eller hørt\?/, 'Trøtt og innesluttet i samlingsstunden de siste to ukene.');
    await kari.fill(partA, /Hva er det som gjør deg urolig\?/, 'Endringen kom brått.');
    await kari.screenshot('part-a');

    const partB = await kari.expectCard(() => kari!.press(partA, 'Lagre og fortsett'), /Del B – forbered samtalen med foreldrene/);
    await kari.fill(partB, /Hvordan vil du åpne samtalen\?/, 'Jeg har lagt merke til at E.H. virker trøtt om morgenen.');
    await kari.fillDate(partB, /Når skal samtalen være\?/, today);
    await kari.screenshot('part-b');

    const guide = await kari.expectCard(() => kari!.press(partB, 'Lagre og fortsett'), new RegExp(`Samtaleguide for ${code}`));
    await kari.screenshot('guide');

    const partC = await kari.expectCard(() => kari!.press(guide, 'Jeg har hatt samtalen'), /Del C – etter samtalen/);
    await kari.fill(partC, /Hvordan gikk samtalen\?/, 'Rolig og åpen samtale med begge foreldrene.');
    await kari.fill(partC, /Hva ble dere enige om/, 'Fem minutter med E.H. hver morgen.');
    await kari.screenshot('part-c');

    const note = await kari.expectCard(() => kari!.press(partC, 'Lagre og fortsett'), /Trinn 1: notat fra samtalen med foreldrene/);
    await kari.check(note, /Signatur|signerer/);
    await kari.screenshot('stage-1-note');

    const stage1 = await kari.expectCard(() => kari!.press(note, 'Lagre notatet'), /Trinn 1: mål og evaluering/);
    await kari.fill(stage1, /^Mål 1/, 'E.H. deltar i samlingsstunden 3 av 5 dager');
    await kari.screenshot('stage-1');

    const overview = await kari.expectCard(() => kari!.press(stage1, 'Start trinn 1'), new RegExp(`${code} står nå på trinn 1`));
    assert.match(await overview.innerText(), /med deg som stafettholder/);
    await kari.screenshot('on-step-1');

    const mine = await kari.expectCard(() => kari!.say('mine saker'), /Mine saker/);
    assert.match(await mine.innerText(), new RegExp(`${code} · E\\.H\\.`));
    await kari.screenshot('mine-saker');
  });

  it('sets up the team in the "Tverrfaglig team" channel from "@Laget sett opp team"', async () => {
    assert.ok(kari, 'the Playground did not open (see the before hook)');
    const channelPostsBefore = channelTraffic.length;
    // Opening the channel adds Laget to the team: it introduces itself and offers the set-up.
    const channelCards = kari.channelCards();
    await kari.expectCard(() => kari!.openConversation('Solsikken barnehage - Tverrfaglig team'), /Sett opp teamet/, 15_000, channelCards);
    await kari.screenshot('channel-introduction');

    // First the kind of rhythm, then a card with only that rhythm's fields.
    const rhythm = await kari.expectCard(() => kari!.post('sett opp team'), /hvordan møtes dere/, 15_000, channelCards);
    await kari.screenshot('channel-setup-rhythm');
    const form = await kari.expectCard(
      () => kari!.press(rhythm, 'Fast rytme (hver … uke)'),
      /Innkalling antall dager før/,
      15_000,
      channelCards,
    );
    await kari.fill(form, /^Navn/, 'Tverrfaglig team, Solsikken barnehage');
    // Kari leads no unit, so the team stays across units (only a unit's leader binds a team to it).
    await kari.screenshot('channel-setup-form');

    const saved = await kari.expectCard(
      () => kari!.press(form, 'Lagre møteserien'),
      /Møteserien for Tverrfaglig team, Solsikken barnehage er lagret/,
      15_000,
      channelCards,
    );
    // The default rhythm: every sixth Tuesday, 09:00–10:30.
    assert.match(await saved.innerText(), /tirsdag \d+\. \p{L}+ \d{4} kl\. 09:00–10:30/u);
    await kari.screenshot('channel-setup-saved');
    assert.ok(channelTraffic.length - channelPostsBefore >= 3, 'the channel posts are recorded for the privacy check');
  });
});
