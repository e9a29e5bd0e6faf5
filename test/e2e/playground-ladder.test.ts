import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { projectRoot } from '../../src/paths';
import { buttonTitles } from '../support/conversation';
import { freePort, startNpmStart, type NpmStart } from '../support/npm-start';
import { PlaygroundClient, type ReceivedCard } from '../support/playground-client';
import { walkToStep1InPlayground } from '../support/playground-walk';

/**
 * Issue 5's "done when", end to end as two people use it after `npm start`: Kari Nordmann in one
 * Agents Playground and her leader Per Hansen in another, both driven through the Playground's own
 * HTTP + websocket API. Kari walks a new case through the URO conversation to step 1, then "not
 * better" to 2b (Per is informed from there) and again to a request for 3b (refused until the
 * parents' signed consent is recorded); Per approves from the card in his chat with
 * Action.Execute, the card is updated in place, and the case moves. Every card is saved under
 * test-artifacts/e2e-ladder/<person>/.
 */

const ARTIFACTS = join(projectRoot, 'test-artifacts/e2e-ladder');
const OSLO = 'Europe/Oslo';

/** Dates as a person in Oslo enters them today (the bot refuses days in the past, in Oslo time). */
function osloDates(): { today: string; inFourWeeks: string; inSixWeeks: string } {
  const now = DateTime.now().setZone(OSLO);
  return { today: now.toISODate()!, inFourWeeks: now.plus({ weeks: 4 }).toISODate()!, inSixWeeks: now.plus({ weeks: 6 }).toISODate()! };
}

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

  it('takes a new case from step 1 to 3b: not better twice, the parents’ consent, Per approves from the card', async () => {
    const { kari, per } = people();
    const { today, inFourWeeks, inSixWeeks } = osloDates();
    await kari.expectCard(() => kari.install(), /Hei! Jeg er Laget/);

    // Kari's new case, through the URO conversation to step 1 (1a and 1b together).
    const { code, overview } = await walkToStep1InPlayground(kari, { today, evaluationOn: inFourWeeks });
    const caseLine = new RegExp(`Sak ${code} · E\\.H\\.`);

    // Not better (b): 2b is proposed; Kari starts it with both parents invited, and Per is informed.
    const evaluation1 = await kari.expectCard(() => kari.press(overview, 'Evaluer nå'), new RegExp(`Evaluering av ${code}`));
    const proposed2b = await kari.expectCard(
      () => kari.press(evaluation1, 'Registrer evalueringen', { outcome: 'b', comment: 'Fortsatt trøtt; målet er ikke nådd.' }),
      /Neste trinn: 2b: Videre samarbeid/,
    );
    const back1 = await kari.expectCard(() => kari.press(proposed2b, 'Til saken'), caseLine);
    const form2b = await kari.expectCard(() => kari.press(back1, 'Neste trinn'), /Start trinnet: 2b/);
    const perInformed = awaited(
      per.expectCard(
        async () => undefined,
        new RegExp(`Sak ${code}[\\s\\S]*Saken har gått til et nytt trinn[\\s\\S]*2b: Videre samarbeid`),
      ),
    );
    const on2b = await kari.expectCard(
      () => kari.press(form2b, 'Start trinnet', { bothParentsInvited: 'true', evaluationOn: inSixWeeks }),
      new RegExp(`${code} står nå på 2b`),
    );
    const information = await perInformed;
    assert.match(information.text, /Kallenavn\nE\.H\./);
    assert.deepEqual(buttonTitles(information.card), [], 'Per is informed; nothing for him to do');
    assert.doesNotMatch(information.text, /Trøtt og innesluttet|Endringen kom brått|Fem minutter/, 'never the owner’s notes or worry form');

    // Not better again: 3b is proposed, and it needs Per's approval.
    const evaluation2 = await kari.expectCard(() => kari.press(on2b, 'Evaluer nå'), new RegExp(`Evaluering av ${code}`));
    const proposed = await kari.expectCard(
      () => kari.press(evaluation2, 'Registrer evalueringen', { outcome: 'b', comment: 'Ingen bedring etter undringssamtalen.' }),
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

    // The parents' signed consent for PPT and helsestasjon (where the signed form is archived), then the request again.
    const consentForm = await kari.expectCard(() => kari.press(form, 'Samtykke'), new RegExp(`Samtykke for ${code}`));
    const consented = await kari.expectCard(
      () =>
        kari.press(consentForm, 'Registrer samtykke', {
          givenBy: 'mother,father',
          childOfAge: 'no',
          services: 'ppt,helsestasjon',
          purpose: 'Samarbeid mellom barnehagen, PPT og helsestasjonen om tiltak',
          givenOn: today,
          archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
        }),
      /Samtykket er registrert/,
    );
    const form2 = await kari.expectCard(() => kari.press(consented, 'Neste trinn'), /Be om godkjenning: 3b/);
    assert.match(form2.text, /Samtykke i kraft dekker: PPT, Helsestasjon/);

    const perApproval = awaited(per.expectCard(async () => undefined, new RegExp(`Godkjenning: ${code} \\(E\\.H\\.\\) til 3b`)));
    const ownerCopy = awaited(kari.expectCard(async () => undefined, new RegExp(`Godkjenning: ${code}`)));
    await kari.expectText(
      () =>
        kari.press(form2, 'Send til Per Hansen', {
          services: 'ppt,helsestasjon',
          parentsParticipate: 'true',
          justification: 'Ingen bedring etter to perioder; foreldrene ønsker samarbeid med PPT og helsestasjon.',
        }),
      /Forespørselen er sendt til Per Hansen/,
    );
    // Kari's copy: the live status, no buttons.
    const status = await ownerCopy;
    assert.match(status.text, /Venter på Per Hansen/);
    assert.deepEqual(buttonTitles(status.card), [], 'the owner sees a status, no buttons');
    assert.deepEqual(refreshUserIds(status), ['29:kari', '29:per'], 'only the leader and the owner refresh the card');

    // Per's Playground: the approval card with Godkjenn / Avslå (the Playground shows the base form only).
    const approval = await perApproval;
    assert.deepEqual(buttonTitles(approval.card), ['Godkjenn', 'Avslå']);
    assert.match(approval.text, /Kari Nordmann ber om godkjenning til å gå videre fra 2b: .* til 3b: /);
    assert.match(approval.text, /Tjenester\nPPT, Helsestasjon/);
    assert.deepEqual(refreshUserIds(approval), ['29:kari', '29:per'], 'only the leader and the owner refresh the card');

    // Per approves through Action.Execute: the decided card comes back in the invoke's answer, and
    // Laget updates the message itself once, so it shows the decision wherever it is seen.
    const kariTold = awaited(kari.expectCard(async () => undefined, new RegExp(`Per Hansen har godkjent 3b: .* for ${code}`)));
    const edited = awaited(
      per.expectMessage(
        async () => undefined,
        (message): message is ReceivedCard =>
          message.action === 'updateMessage' && message.messageId === approval.messageId && message.card !== undefined,
        'the approval card updated in place',
      ),
    );
    const decided = await per.execute(approval, 'Godkjenn');
    assert.match(decided.text, /Godkjent av Per Hansen/);
    assert.deepEqual(buttonTitles(decided.card), [], 'after the decision nobody sees buttons');
    assert.deepEqual(refreshUserIds(decided), ['29:kari', '29:per']);
    const updated = await edited;
    assert.match(updated.text, /Godkjent av Per Hansen/);
    assert.deepEqual(buttonTitles(updated.card), [], 'the message in Per’s chat shows the decision, no buttons');
    assert.equal(per.messages().filter((m) => m.action === 'updateMessage' && m.messageId === approval.messageId).length, 1, 'one update');

    // Kari hears it in her chat, and "mine saker" shows the case on 3b.
    const told = await kariTold;
    assert.match(told.text, /Saken står nå på trinnet/);
    const after = await kari.expectCard(() => kari.say('mine saker'), /Mine saker/);
    assert.match(after.text, new RegExp(`${code} · E\\.H\\.\\n3b: Samarbeid med andre fagpersoner`));
  });
});
