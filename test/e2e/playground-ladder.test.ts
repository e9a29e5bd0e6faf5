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
 * Issues 5 and 13, end to end as two people use it after `npm start`: Kari Nordmann in one
 * Agents Playground and her leader Per Hansen in another, both driven through the Playground's own
 * HTTP + websocket API. Kari walks a new case through the URO conversation to step 1, then "not
 * better" to 2b (Per is informed from there), where she records the open dialogue's minutes from
 * the step's work list, marks an action done and records the child's voice; again "not better" to
 * a request for 3b (refused until the parents' signed consent is recorded); Per approves from the
 * card in his chat with Action.Execute, the card is updated in place, and the case moves; later
 * Kari closes the case, and finds it under "Avsluttede saker". Every card is saved under
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
  this.timeout(180_000);

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

  it('takes a new case from the first worry to closing: 2b’s minutes, an action done, the child’s voice, the parents’ consent, Per approves 3b from the card', async () => {
    const { kari, per } = people();
    const { today, inFourWeeks, inSixWeeks } = osloDates();
    await kari.expectCard(() => kari.install(), /Hei! Jeg er Laget/);

    // Kari's new case, through the URO conversation to step 1 (1a and 1b together).
    const { code, overview } = await walkToStep1InPlayground(kari, { today, evaluationOn: inFourWeeks });
    const caseLine = new RegExp(`Sak ${code} · E\\.H\\.`);

    // Not better (b): 2b is proposed; Kari starts it with both parents invited, and Per is informed.
    // (The walk happens in one day: an evaluation on the day its step began needs a reason.)
    const sameDay = { sameDayReason: 'Foreldrene ba om å gå videre med en gang.' };
    const evaluation1 = await kari.expectCard(() => kari.press(overview, 'Evaluer nå'), new RegExp(`Evaluering av ${code}`));
    assert.match(evaluation1.text, /Har barnet fått det bedre\?/);
    const proposed2b = await kari.expectCard(
      () => kari.press(evaluation1, 'Registrer evalueringen', { outcome: 'b', comment: 'Fortsatt trøtt; målet er ikke nådd.', ...sameDay }),
      /Neste trinn: 2b: Videre samarbeid/,
    );
    assert.equal(buttonTitles(proposed2b.card)[0], 'Start trinnet', 'the next move itself, not a dead end');
    const form2b = await kari.expectCard(() => kari.press(proposed2b, 'Start trinnet'), /Start trinnet: 2b/);
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
    assert.deepEqual(buttonTitles(information.card), ['Åpne saken'], 'Per is informed; he can open the case (his own view of it)');
    assert.doesNotMatch(information.text, /Trøtt og innesluttet|Endringen kom brått|Fem minutter/, 'never the owner’s notes or worry form');

    // 2b's work list asks for the open dialogue with both parents and its minutes: the evaluation waits for them.
    assert.match(on2b.text, /Dette ber trinnet om/);
    assert.match(on2b.text, /Undringssamtale med begge foreldrene, med skriftlig referat/);
    const minutesForm = await kari.expectCard(() => kari.press(on2b, 'Skriv referat'), /Undringssamtale med foreldrene \(åpen dialog\)/);
    const withMinutes = await kari.expectCard(
      () =>
        kari.press(minutesForm, 'Lagre referatet', {
          heldOn: today,
          parents: 'both',
          conclusions: 'Foreldrene kjenner seg igjen; E.H. sover dårlig etter flyttingen.',
          actionWhat: 'Faste rutiner ved levering',
          actionWho: 'parents',
          actionDue: inFourWeeks,
          sign: 'true',
        }),
      /Referatet er lagret/,
    );
    assert.match(withMinutes.text, /✓ Undringssamtale med begge foreldrene/);

    // The action agreed in the minutes is on the case; the parents have done it.
    const doneForm = await kari.expectCard(
      () => kari.press(withMinutes, { title: 'Utført', near: 'Faste rutiner ved levering' }),
      /Utført: Faste rutiner ved levering/,
    );
    await kari.expectCard(() => kari.press(doneForm, 'Marker som utført', { doneOn: today }), /Tiltaket er markert som utført/);

    // The evaluation reminds Kari that the child's voice is not recorded on this step; she records it first.
    const evaluation2first = await kari.expectCard(() => kari.say('fortsett'), caseLine);
    const evaluation2 = await kari.expectCard(() => kari.press(evaluation2first, 'Evaluer nå'), new RegExp(`Evaluering av ${code}`));
    assert.match(evaluation2.text, /Barnets stemme er ikke registrert siden trinnet startet/);
    const voiceForm = await kari.expectCard(() => kari.press(evaluation2, 'Registrer barnets stemme'), /Barnets stemme/);
    const voiced = await kari.expectCard(
      () => kari.press(voiceForm, 'Lagre barnets stemme', { text: 'Jeg vil leke ute med de andre.', heardOn: today, how: 'said' }),
      /Barnets stemme er registrert/,
    );

    // Not better again: 3b is proposed, and it needs Per's approval — the next-step card offers the request itself.
    const evaluation3 = await kari.expectCard(() => kari.press(voiced, 'Evaluer nå'), new RegExp(`Evaluering av ${code}`));
    const proposed = await kari.expectCard(
      () =>
        kari.press(evaluation3, 'Registrer evalueringen', { outcome: 'b', comment: 'Ingen bedring etter undringssamtalen.', ...sameDay }),
      /Neste trinn: 3b: Samarbeid med andre fagpersoner/,
    );
    assert.match(proposed.text, /Trinnet krever godkjenning fra nærmeste leder/);
    const form = await kari.expectCard(() => kari.press(proposed, 'Be om godkjenning'), /Be om godkjenning: 3b/);
    assert.match(form.text, /Ingen samtykke i kraft ennå/);

    // Without the parents' consent the request is refused, with the reason.
    const refused = await kari.expectCard(
      () => kari.press(form, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' }),
      /Samtykke mangler/,
    );
    assert.match(refused.text, /Samtykke mangler: foreldrenes samtykke må dekke PPT, Helsestasjon/);

    // The parents' signed consent for PPT and helsestasjon (where the signed form is archived), from the refusal's own button;
    // then Kari is back at the request she came from.
    assert.ok(buttonTitles(refused.card).includes('Registrer samtykke'), 'the refusal leads somewhere');
    const consentForm = await kari.expectCard(() => kari.press(refused, 'Registrer samtykke'), new RegExp(`Samtykke for ${code}`));
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
      /Be om godkjenning: 3b/,
    );
    assert.match(consented.text, /Samtykket er registrert/);
    const form2 = consented;
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
    const after = await kari.expectCard(() => kari.say('mine saker'), /^Mine saker/);
    assert.match(after.text, new RegExp(`${code} · E\\.H\\.\\n3b: Samarbeid med andre fagpersoner`));

    // Later PPT takes over: Kari closes the case with the reason, the export offered first; it waits under "Avsluttede saker".
    const onCase = await kari.expectCard(() => kari.press(after, { title: `Fortsett med ${code}`, near: code }), caseLine);
    const closeForm = await kari.expectCard(() => kari.press(onCase, 'Avslutt saken'), /Avslutt saken/);
    assert.match(closeForm.text, /Eksporter sammendraget til enhetens journal før du avslutter/);
    assert.ok(buttonTitles(closeForm.card).includes('Eksporter sammendrag'), 'the export is offered first');
    const closed = await kari.expectCard(
      () => kari.press(closeForm, 'Avslutt saken', { reason: 'taken-over' }),
      new RegExp(`Saken ${code} er avsluttet`),
    );
    assert.ok(buttonTitles(closed.card).includes('Gjenåpne saken'), 'a closed case can be reopened while it is kept');
    const mineAfter = await kari.expectCard(() => kari.say('mine saker'), /^Mine saker/);
    assert.doesNotMatch(mineAfter.text, new RegExp(code));
    const closedList = await kari.expectCard(() => kari.press(mineAfter, 'Avsluttede saker'), /^Avsluttede saker/);
    assert.match(closedList.text, new RegExp(`${code} · E\\.H\\.\\nEn annen tjeneste har tatt over`));
  });
});
