import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { PEOPLE, seedCases } from '../../src/domain/fixtures/scenarios';
import { projectRoot } from '../../src/paths';
import { buttonTitles } from '../support/conversation';
import { freePort, startNpmStart, type NpmStart } from '../support/npm-start';
import { PlaygroundClient, type ReceivedCard } from '../support/playground-client';

/**
 * Issue 5's "done when", end to end as two people use it after `npm start`: Kari Nordmann in one
 * Agents Playground and her leader Per Hansen in another, both driven through the Playground's own
 * HTTP + websocket API. Kari takes her example case from 2b to a request for 3b (refused until the
 * parents' consent is recorded); Per approves from the card in his chat with Action.Execute, and
 * the case moves. Every card is saved under test-artifacts/e2e-ladder/<person>/.
 */

const ARTIFACTS = join(projectRoot, 'test-artifacts/e2e-ladder');
const OSLO = 'Europe/Oslo';

/** Kari's example case on 2b with nothing waiting (S2 in scripts/seed-local.ts). */
function karisCaseOn2b(): { code: string; alias: string } {
  const found = seedCases(new Date()).find(
    (c) => c.owner.id === PEOPLE.kari.id && c.currentStep?.stepId === '2b' && c.escalations.every((e) => e.status !== 'pending'),
  );
  assert.ok(found?.alias, 'no example case of Kari’s on 2b');
  return { code: found.id, alias: found.alias };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The refresh list of a Universal Actions card: whose clients ask Laget for their own view. */
function refreshUserIds(card: ReceivedCard): string[] {
  const refresh = card.card.refresh as { userIds?: string[] } | undefined;
  assert.ok(refresh?.userIds, `the card has no refresh.userIds:\n${card.text}`);
  return [...refresh.userIds].sort();
}

/** A wait started before the action that should cause it; marked handled so a failure elsewhere is not reported twice. */
function awaited<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

describe('npm start: the ladder with the leader’s approval, Kari and Per in two Playgrounds (end to end)', function () {
  this.timeout(60_000);

  let app: NpmStart | undefined;
  let kari: PlaygroundClient | undefined;
  let per: PlaygroundClient | undefined;
  const people = () => {
    assert.ok(app && kari && per, 'npm start or a Playground connection did not come up (see the before hook)');
    return { kari, per };
  };
  const { code, alias } = karisCaseOn2b();
  const today = () => DateTime.now().setZone(OSLO).toISODate()!;

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    app = await startNpmStart({ PORT: '0', PLAYGROUND_PORT: String(await freePort()), PLAYGROUND_USERS: 'kari,per', LOG_LEVEL: 'warn' });
    const url = (key: string) => {
      const playground = app!.ready.playgrounds.find((p) => p.key === key);
      assert.ok(playground, `no Playground for ${key} in ${JSON.stringify(app!.ready)}`);
      return playground.url;
    };
    kari = await PlaygroundClient.connect(url('kari'), { artifactsDir: join(ARTIFACTS, 'kari') });
    per = await PlaygroundClient.connect(url('per'), { artifactsDir: join(ARTIFACTS, 'per') });
  });

  after(async () => {
    kari?.close();
    per?.close();
    await app?.terminate();
    if (app) {
      mkdirSync(ARTIFACTS, { recursive: true });
      writeFileSync(join(ARTIFACTS, 'npm-start.log'), app.output());
    }
  });

  it('greets Per when he opens his Playground, so Laget knows his personal chat', async () => {
    const { per } = people();
    assert.equal(per.userId, '29:per');
    await per.expectCard(() => per.install(), /Hei! Jeg er Laget/);
  });

  it('takes Kari’s example case from 2b to 3b: not better, consent, request, Per approves from the card', async () => {
    const { kari, per } = people();
    await kari.expectCard(() => kari.install(), /Hei! Jeg er Laget/);

    // "mine saker" → the example case on 2b.
    const mine = await kari.expectCard(() => kari.say('mine saker'), /Mine saker/);
    assert.match(mine.text, new RegExp(`${code} · ${escape(alias)}\\n2b: `));
    const caseLine = new RegExp(`Sak ${code} · ${escape(alias)}`);
    const overview = await kari.expectCard(() => kari.press(mine, { title: 'Fortsett', near: code }), caseLine);
    assert.match(overview.text, /2b: Videre samarbeid/);

    // Not better (b): 3b is proposed, and it needs Per's approval.
    const evaluation = await kari.expectCard(() => kari.press(overview, 'Evaluer nå'), new RegExp(`Evaluering av ${code}`));
    const proposed = await kari.expectCard(
      () => kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b', comment: 'Ingen bedring etter undringssamtalen.' }),
      /Neste trinn: 3b: Samarbeid med andre fagpersoner/,
    );
    assert.match(proposed.text, /Trinnet krever godkjenning fra nærmeste leder/);
    const back = await kari.expectCard(() => kari.press(proposed, 'Til saken'), caseLine);
    const form = await kari.expectCard(() => kari.press(back, 'Neste trinn'), /Be om godkjenning: 3b/);
    assert.match(form.text, /Ingen samtykke i kraft ennå/);

    // Without the parents' consent the request is refused, with the reason.
    const refused = await kari.expectCard(
      () => kari.press(form, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' }),
      /Samtykke mangler/,
    );
    assert.match(refused.text, /Samtykke mangler: foreldrenes samtykke må dekke PPT, Helsestasjon/);

    // The parents' consent for PPT and helsestasjon, then the request again.
    const consentForm = await kari.expectCard(() => kari.press(form, 'Samtykke'), new RegExp(`Samtykke for ${code}`));
    const consented = await kari.expectCard(
      () =>
        kari.press(consentForm, 'Registrer samtykke', {
          givenBy: 'mother,father',
          services: 'ppt,helsestasjon',
          purpose: 'Samarbeid mellom barnehagen, PPT og helsestasjonen om tiltak',
          givenOn: today(),
          archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
        }),
      /Samtykket er registrert/,
    );
    const form2 = await kari.expectCard(() => kari.press(consented, 'Neste trinn'), /Be om godkjenning: 3b/);
    assert.match(form2.text, /Samtykke i kraft dekker: PPT, Helsestasjon/);

    const perApproval = awaited(per.expectCard(async () => undefined, new RegExp(`Godkjenning: ${code} \\(${escape(alias)}\\) til 3b`)));
    const ownerCopy = awaited(kari.expectCard(async () => undefined, new RegExp(`Godkjenning: ${code}`)));
    const sent = await kari.expectText(
      () =>
        kari.press(form2, 'Send til Per Hansen', {
          services: 'ppt,helsestasjon',
          parentsParticipate: 'true',
          justification: 'Ingen bedring etter to perioder; foreldrene ønsker samarbeid med PPT og helsestasjon.',
        }),
      /Forespørselen er sendt til Per Hansen/,
    );
    assert.ok(sent);
    // Kari's copy: the live status, no buttons.
    const status = await ownerCopy;
    assert.match(status.text, /Venter på Per Hansen/);
    assert.deepEqual(buttonTitles(status.card), [], 'the owner sees a status, no buttons');
    assert.deepEqual(refreshUserIds(status), ['29:kari', '29:per'], 'only the leader and the owner refresh the card');

    // Per's Playground: the approval card with Godkjenn / Avslå.
    const approval = await perApproval;
    assert.deepEqual(buttonTitles(approval.card), ['Godkjenn', 'Avslå']);
    assert.match(approval.text, /Kari Nordmann ber om godkjenning til å gå videre fra 2b: .* til 3b: /);
    assert.match(approval.text, /Tjenester\nPPT, Helsestasjon/);
    assert.deepEqual(refreshUserIds(approval), ['29:kari', '29:per'], 'only the leader and the owner refresh the card');

    // Per approves through Action.Execute; the decided card comes back in the invoke's answer.
    const kariTold = awaited(kari.expectCard(async () => undefined, new RegExp(`Per Hansen har godkjent 3b: .* for ${code}`)));
    const decided = await per.execute(approval, 'Godkjenn');
    assert.match(decided.text, /Godkjent av Per Hansen/);
    assert.deepEqual(buttonTitles(decided.card), [], 'after the decision nobody sees buttons');
    assert.deepEqual(refreshUserIds(decided), ['29:kari', '29:per']);

    // Kari hears it in her chat, and "mine saker" shows the case on 3b.
    const told = await kariTold;
    assert.match(told.text, /Saken står nå på trinnet/);
    const after = await kari.expectCard(() => kari.say('mine saker'), /Mine saker/);
    assert.match(after.text, new RegExp(`${code} · ${escape(alias)}\\n3b: Samarbeid med andre fagpersoner`));
  });
});
