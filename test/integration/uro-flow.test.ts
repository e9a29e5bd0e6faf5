import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_MUNICIPALITY_FILE } from '../../src/config';
import { projectRoot } from '../../src/paths';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { users } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard, type Reply } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { caseCodeIn, finishToStep1, prepareConversation, readCase, SOLSIKKEN, startGreyZoneCase } from '../support/uro-walk';

/** A fixed Monday morning in Oslo (winter time), so dates in cards and assertions are stable. */
const NOW = new Date('2026-03-02T08:00:00Z');
/** Moved on by a few minutes where a test needs one case to be changed after another. */
let now = NOW;
const clock = () => now;
const TODAY = '2026-03-02';

/** The cards among the replies (what the person sees as cards, not as plain messages). */
const cardsIn = (replies: Reply[]) => replies.filter((reply) => reply.card).map((reply) => reply.card!);

describe('the URO conversation in personal chat (real teams-ai Application, HTTP, embedded Cosmos)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({}, { now: clock });
  });
  after(async () => running.stop());

  it('walks from "hjelp" to a documented case on step 1, with goals, an evaluation date and a signed note', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);

    const partB = lastCard(
      await chat.press(partA, 'Lagre og fortsett', {
        alias: 'E.H.',
        seenOrHeard: 'Trøtt og innesluttet i samlingsstunden i to uker.',
        whatWorriesMe: 'Endringen kom brått.',
        copesWellWhere: 'Ute, i lek med én venn.',
      }),
    );
    assert.match(textOf(partB), /Del B – forbered samtalen med foreldrene/);
    assert.match(textOf(partB), /begge foreldrene/);

    const guide = lastCard(
      await chat.press(partB, 'Lagre og fortsett', {
        talkWith: 'both-parents',
        opening: 'Jeg har lagt merke til at E.H. virker trøtt om morgenen.',
        helpWeCanOffer: 'Faste, små samtaler hver morgen.',
        plannedOn: '2026-03-05',
      }),
    );
    const guideText = textOf(guide);
    assert.match(guideText, new RegExp(`Samtaleguide for ${code} \\(E.H.\\)`));
    assert.match(guideText, /Jeg har lagt merke til at E.H. virker trøtt om morgenen/);
    assert.match(guideText, /Jeg minner deg på å fylle ut del C 5. mars 2026/);

    const partC = lastCard(await chat.press(guide, 'Jeg har hatt samtalen'));
    assert.match(textOf(partC), /Del C – etter samtalen/);

    // Stage 1, one decision per card: the signed 1b note (with the seed's 1b points), then the goals (with 1a's).
    const noteCard = lastCard(
      await chat.press(partC, 'Lagre og fortsett', {
        heldOn: TODAY,
        howItWent: 'Rolig og åpen samtale med begge foreldrene.',
        whatWasAgreed: 'Fem minutter med E.H. hver morgen; foreldrene følger med på søvnen.',
      }),
    );
    assert.match(textOf(noteCard), /Trinn 1: notat fra samtalen med foreldrene/);
    assert.match(textOf(noteCard), /Fem minutter med E.H. hver morgen/, 'the note is prefilled from part C');
    assert.match(textOf(noteCard), /1b: Start samarbeidet med foreldrene/);
    assert.match(textOf(noteCard), /Huskeregel: Foreldre har rett til å vite!/);
    const stage1 = lastCard(await chat.press(noteCard, 'Lagre notatet', { noteHeldOn: TODAY, sign: 'true' }));
    assert.match(textOf(stage1), /Trinn 1: mål og evaluering/);
    assert.match(textOf(stage1), /1a: Hva kan vi gjøre innenfor egen virksomhet/);
    assert.match(textOf(stage1), /«de små daglige 5-minutters dryppene»/);

    const overview = await chat.press(stage1, 'Start trinn 1', {
      goal1Text: 'E.H. deltar i samlingsstunden 3 av 5 dager innen 4 uker',
      goal1Date: '2026-03-30',
      evaluationOn: '2026-03-30',
    });
    const overviewText = allText(overview);
    assert.match(overviewText, new RegExp(`${code} står nå på trinn 1, med deg som stafettholder. Evaluering: 30. mars 2026`));
    assert.match(overviewText, /1a og 1b: Egen virksomhet og samarbeid med foreldrene/);
    assert.ok(buttonTitles(lastCard(overview)!).includes('Evaluer nå'));
    // The next thing to do on step 1: the measures of 1a, with who does them and by when.
    assert.match(overviewText, /Trinnet ber om: Tiltak i egen virksomhet/);
    const actionForm = lastCard(await chat.press(lastCard(overview), 'Legg til tiltak'));
    await chat.press(actionForm, 'Lagre tiltaket', { what: 'Fem-minutters prat hver morgen', who: 'me', dueOn: '2026-03-30' });

    const stored = await readCase(running, code);
    assert.equal(stored.currentStep?.stepId, '1');
    assert.equal(stored.owner.id, users.kari.aadObjectId);
    assert.equal(stored.alias, 'E.H.');
    assert.equal(stored.goals.length, 1);
    assert.equal(stored.actions.length, 1);
    assert.equal(stored.nextDates.evaluationOn, '2026-03-30');
    const note = stored.notes.find((n) => n.kind === 'cooperation-start');
    assert.ok(note, 'the 1b note is recorded');
    assert.deepEqual(
      note.signatures.map((s) => (s.kind === 'staff' ? s.person.name : s.kind)),
      ['Kari Nordmann'],
      'signed by the owner with name and time',
    );

    const exported = await chat.press(lastCard(overview), 'Eksporter sammendrag');
    const summary = allText(exported);
    assert.match(summary, new RegExp(`Sammendrag av ${code} \\(E.H.\\) til enhetens journal/arkiv`));
    assert.match(summary, /Trøtt og innesluttet i samlingsstunden i to uker/);
    assert.match(summary, /signert av Kari Nordmann/);

    const mine = lastCard(await chat.say('mine saker'));
    assert.match(textOf(mine), new RegExp(`${code} · E.H.`));
    assert.match(textOf(mine), /neste dato 30. mars 2026/);

    const audit = await new AuditLog(running.laget.store.containers.audit).forCase(code);
    assert.ok(audit.length >= 7, 'every read and change of the case is audit-logged');
    assert.equal(audit.filter((entry) => entry.operation === 'export').length, 1, 'the export is audited');
    assert.ok(audit.every((entry) => entry.actorId === users.kari.aadObjectId && entry.outcome === 'allowed'));
    assert.ok(!JSON.stringify(audit).includes('E.H.'), 'no child data in the audit log');
  });

  it('goes to the report path within two cards when violence is suspected, records the report and never suggests the parents', async () => {
    const chat = new Conversation(running, users.lise);
    const opening = await chat.say('ny sak');
    const start = lastCard(opening);
    const reportPath = await chat.press(start, 'Videre', {
      dangerNow: 'no',
      suspectedViolenceOrAbuse: 'yes',
    });
    const reportText = allText(reportPath);
    assert.match(reportText, /Meld direkte – ikke vent/);
    assert.match(reportText, /skal du ikke snakke med foreldrene først/);
    assert.match(
      reportText,
      /Laget sender ingen melding selv – meldingen sender du til barnevernet: ring Barneverntjenesten i Eksempel kommune på 63 00 00 00/,
    );
    assert.doesNotMatch(reportText, /Del B|samtalen med foreldrene/);
    const code = caseCodeIn(reportPath);

    const done = await chat.press(lastCard(reportPath), 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'false' });
    assert.equal(cardsIn([...opening, ...reportPath, ...done]).length, 2, 'two cards from "ny sak" to a case marked as reported');
    // Ola has never opened Laget (and it cannot install itself here): Lise is told his notice waits, not that he knows.
    assert.match(allText(done), new RegExp(`Registrert: ${code} er markert som meldt.`));
    assert.doesNotMatch(allText(done), /Ola Dahl er orientert/);
    assert.match(allText(done), /Ola Dahl har ikke åpnet Laget ennå, så Laget kan ikke sende noe dit. Beskjeden venter/);
    const stored = await readCase(running, code, 'bjorkelangen-skole');
    assert.equal(stored.status, 'reported');
    assert.equal(stored.reports.length, 1);

    // Asking for the parent conversation card anyway gets the report path, never part B.
    const forced = await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: 'bjorkelangen-skole', view: 'part-b' });
    assert.doesNotMatch(allText(forced), /Del B – forbered samtalen/);
    // And a forged part-B submit, even with the current ETag, is refused by the domain (rule 2).
    const repository = new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
    const current = await repository.read({ caseId: code, unitId: 'bjorkelangen-skole' });
    const forged = await chat.submitRaw({
      verb: 'uro.part-b',
      caseId: code,
      unitId: 'bjorkelangen-skole',
      rev: current!.etag,
      talkWith: 'both-parents',
      opening: 'Hei',
      plannedOn: '2026-03-09',
    });
    assert.match(allText(forged), /skal du ikke snakke med foreldrene først. Meld bekymring til barnevernet direkte/);
    assert.equal((await readCase(running, code, 'bjorkelangen-skole')).worryForm.partB, null);
  });

  it('answers danger now with 112 and the emergency service first', async () => {
    const chat = new Conversation(running, users.lise);
    const start = lastCard(await chat.say('jeg er urolig for et barn'));
    const reportPath = await chat.press(start, 'Videre', {
      dangerNow: 'yes',
      suspectedViolenceOrAbuse: 'no',
    });
    assert.match(allText(reportPath), /ring politiet på 112, eller Barnevernvakten på 63 00 00 01/);
  });

  it('lets the person leave with "avbryt" without losing anything, and "fortsett" picks up where they stopped', async () => {
    const { chat, code } = await startGreyZoneCase(running, users.nina);
    const cancelled = await chat.say('avbryt');
    assert.match(allText(cancelled), new RegExp(`Avbrutt. Det du har lagret, er tatt vare på – ${code}`));
    const mine = lastCard(await chat.say('mine saker'));
    assert.match(textOf(mine), new RegExp(code));
    const resumed = lastCard(await chat.press(mine, `Fortsett med ${code}`));
    assert.match(textOf(resumed), /Del A – konkretiser uroen/);
    const help = lastCard(await chat.say('hjelp'));
    assert.match(textOf(help), new RegExp(`Du holder på med ${code}. Neste steg er å skrive ned hva du har sett og hørt \\(del A\\)`));
  });

  it('answers an old card of a form the case still has with that form, holding what was typed and saving nothing from the old card', async () => {
    const chat = new Conversation(running, users.tor);
    const start = lastCard(await chat.say('ny sak'));
    const zoneCard = lastCard(await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: SOLSIKKEN }));
    const code = caseCodeIn([{ text: textOf(zoneCard), activity: {} }]);
    const partA = lastCard(await chat.press(zoneCard, 'Videre', { zoneId: 'grey' }));
    const stale = await chat.press(zoneCard, 'Videre', { zoneId: 'great' });
    assert.match(allText(stale), /Saken ble endret etter at du fikk kortet du sendte, så jeg har ikke lagret det/);
    assert.match(textOf(lastCard(stale)), /Hvor stor er uroen\?/, 'the zone card again, drawn for the case as it is now');
    assert.equal(inputValue(lastCard(stale)!, 'zoneId'), 'great', 'with the zone the person chose');
    assert.deepEqual(
      (await readCase(running, code)).zoneHistory.map((z) => z.zoneId),
      ['grey'],
    );

    // Part A saved, then re-submitted from the older part A card: nothing typed is lost.
    await chat.press(partA, 'Lagre og fortsett', { seenOrHeard: 'Trøtt i samlingsstunden.', whatWorriesMe: 'Endringen kom brått.' });
    const twice = await chat.press(partA, 'Lagre og fortsett', {
      seenOrHeard: 'Trøtt i samlingsstunden.',
      whatWorriesMe: 'Endringen kom brått.',
    });
    assert.match(allText(twice), /^Det er allerede lagret\./, 'the same answers pressed twice: the first press saved them');
    assert.match(textOf(lastCard(twice)), /Del B – forbered samtalen/);
    const again = await chat.press(partA, 'Lagre og fortsett', {
      seenOrHeard: 'Trøtt og stille i samlingsstunden i to uker.',
      whatWorriesMe: 'Hun sluttet å leke.',
    });
    assert.match(allText(again), /ikke lagret det. Her er kortet på nytt med det du skrev/);
    const refreshed = lastCard(again)!;
    assert.match(textOf(refreshed), /Del A – konkretiser uroen/);
    assert.equal(inputValue(refreshed, 'seenOrHeard'), 'Trøtt og stille i samlingsstunden i to uker.');
    assert.equal(
      (await readCase(running, code)).worryForm.partA?.answers.seenOrHeard,
      'Trøtt i samlingsstunden.',
      'the old card saved nothing',
    );
    const saved = await chat.press(refreshed, 'Lagre og fortsett');
    assert.match(textOf(lastCard(saved)), /Del B – forbered samtalen/, 'the card that came back carries the fresh ETag');
    assert.equal((await readCase(running, code)).worryForm.partA?.answers.whatWorriesMe, 'Hun sluttet å leke.');
  });

  it('answers an old card of a form the case has left behind with the case as it is now', async () => {
    const { chat, code, guide } = await prepareConversation(running, TODAY, users.nina);
    const opened = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'zone' }));
    const overview = await finishToStep1(chat, guide, { today: TODAY, evaluationOn: '2026-03-30' });
    const evaluation = lastCard(await chat.press(overview, 'Evaluer nå'));
    await chat.press(evaluation, 'Registrer evalueringen', { outcome: 'a', nextOn: '2026-05-04', sameDayReason: 'Det gikk raskt bedre.' });
    const stale = await chat.press(opened, 'Videre', { zoneId: 'small' });
    assert.match(allText(stale), /Dette kortet er utdatert/);
    assert.doesNotMatch(allText(stale), /Hvor stor er uroen/, 'no zone card for a case on the ladder');
    assert.match(textOf(lastCard(stale)), new RegExp(`Sak ${code}`));
    assert.match(textOf(lastCard(stale)), /2a: Barnet har fått det bedre/, 'the overview of the case as it is now follows');
    assert.deepEqual(
      (await readCase(running, code)).zoneHistory.map((z) => z.zoneId),
      ['grey'],
    );
  });

  it('closes a case just started on the report path when the person answered wrongly, and offers it only then', async () => {
    const chat = new Conversation(running, users.lise);
    const start = lastCard(await chat.say('ny sak'));
    const reportPath = lastCard(await chat.press(start, 'Videre', { dangerNow: 'yes', suspectedViolenceOrAbuse: 'no' }));
    const code = caseCodeIn([{ text: textOf(reportPath), activity: {} }]);
    const closed = await chat.press(reportPath, 'Jeg svarte feil – avslutt saken');
    assert.match(allText(closed), new RegExp(`Saken ${code} er avsluttet. Ingenting er meldt`));
    const stored = await readCase(running, code, 'bjorkelangen-skole');
    assert.equal(stored.status, 'closed');
    assert.equal(stored.reports.length, 0);
    const audit = await new AuditLog(running.laget.store.containers.audit).forCase(code);
    assert.ok(
      audit.some((entry) => entry.command === 'close-case' && entry.outcome === 'allowed'),
      'the close is audited',
    );

    // Not once something is reported, and not on a case that came to the report path from the flow.
    const again = lastCard(
      await chat.press(lastCard(await chat.say('ny sak')), 'Videre', {
        dangerNow: 'no',
        suspectedViolenceOrAbuse: 'yes',
      }),
    );
    await chat.press(again, 'Registrer det jeg har gjort', { done: 'reported' });
    const stale = await chat.press(again, 'Jeg svarte feil – avslutt saken');
    assert.match(allText(stale), /Dette kortet er utdatert/);
    assert.equal((await readCase(running, caseCodeIn([{ text: textOf(again), activity: {} }]), 'bjorkelangen-skole')).status, 'reported');
    const { chat: kari, code: grey } = await startGreyZoneCase(running, users.kari);
    const fromFlow = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: grey, unitId: SOLSIKKEN, view: 'report' }))!;
    assert.ok(!buttonTitles(fromFlow).includes('Jeg svarte feil – avslutt saken'));
  });

  describe('the report path is one button away on every card of the flow (rule 1)', () => {
    let chat: Conversation;
    let code: string;
    const cards: Record<string, Record<string, unknown>> = {};
    before(async () => {
      chat = new Conversation(running, users.anne);
      const start = lastCard(await chat.say('ny sak'));
      cards.zone = lastCard(await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' }))!;
      code = caseCodeIn([{ text: textOf(cards.zone), activity: {} }]);
      cards['part A'] = lastCard(await chat.press(cards.zone, 'Videre', { zoneId: 'grey' }))!;
      cards['part B'] = lastCard(
        await chat.press(cards['part A'], 'Lagre og fortsett', { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brått.' }),
      )!;
      cards.guide = lastCard(await chat.press(cards['part B'], 'Lagre og fortsett', { opening: 'Jeg har lagt merke til noe.' }))!;
      cards['part C'] = lastCard(await chat.press(cards.guide, 'Jeg har hatt samtalen'))!;
      cards['step 1'] = lastCard(await chat.press(cards['part C'], 'Lagre og fortsett', { heldOn: TODAY, howItWent: 'Godt.' }))!;
    });

    for (const name of ['zone', 'part A', 'part B', 'guide', 'part C', 'step 1']) {
      it(`leads from the ${name} card to the report path card for the case, with a way back`, async () => {
        const replies = await chat.press(cards[name], 'Meld bekymring / fare nå');
        const card = lastCard(replies)!;
        assert.match(textOf(card), /Meld direkte – ikke vent/);
        assert.match(textOf(card), new RegExp(`Sak ${code}`));
        assert.match(textOf(card), /ring politiet på 112, eller Barnevernvakten på 63 00 00 01/);
        assert.ok(buttonTitles(card).includes('Tilbake'));
        assert.ok(buttonTitles(card).includes('Jeg mistenker nå vold eller overgrep'));
      });
    }

    it('takes "violence or sexual abuse is now suspected" later, and from then on shows no card for talking with the parents', async () => {
      const reportPath = lastCard(await chat.press(cards.guide, 'Meld bekymring / fare nå'));
      const suspected = await chat.press(reportPath, 'Jeg mistenker nå vold eller overgrep');
      assert.match(allText(suspected), new RegExp(`Registrert: mistanke om vold eller seksuelle overgrep i ${code}`));
      assert.match(textOf(lastCard(suspected)), /skal du ikke snakke med foreldrene først/);
      assert.ok(!buttonTitles(lastCard(suspected)!).includes('Jeg mistenker nå vold eller overgrep'));
      assert.equal((await readCase(running, code)).safety.suspectedViolenceOrAbuse, true);

      const parentCards = /Del B – forbered|Samtaleguide|Del C – etter samtalen|Trinn 1: (mål|notat)/;
      for (const view of ['part-b', 'guide', 'part-c', 'stage-1', 'next']) {
        const shown = await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view });
        assert.doesNotMatch(allText(shown), parentCards, `the ${view} view`);
        assert.match(textOf(lastCard(shown)), /Meld direkte – ikke vent/);
      }
      // The old cards still in the chat lead nowhere near the parents either.
      for (const [name, button] of [
        ['part B', 'Lagre og fortsett'],
        ['guide', 'Jeg har hatt samtalen'],
        ['part C', 'Lagre og fortsett'],
        ['step 1', 'Lagre notatet'],
      ] as const) {
        const pressed = await chat.press(cards[name], button, name === 'step 1' ? { sign: 'true' } : {});
        assert.doesNotMatch(allText(pressed), parentCards, `the old ${name} card`);
      }
      const resumed = await chat.say('fortsett');
      assert.match(textOf(lastCard(resumed)), /Meld direkte – ikke vent/);
      const stored = await readCase(running, code);
      assert.equal(stored.currentStep, null, 'no step with a parent conversation was started');
      assert.deepEqual(stored.notes, []);
    });
  });

  describe('"avbryt" on each card of the flow', () => {
    let chat: Conversation;
    let code: string;
    const cards: Array<{ name: string; card: () => Record<string, unknown>; says: () => RegExp }> = [];
    let start: Record<string, unknown>;
    let zone: Record<string, unknown>;
    let partA: Record<string, unknown>;
    let partB: Record<string, unknown>;
    let partC: Record<string, unknown>;
    let stage1: Record<string, unknown>;
    before(async () => {
      chat = new Conversation(running, users.tor);
      start = lastCard(await chat.say('ny sak'))!;
      const fresh = lastCard(await chat.say('ny sak'))!;
      zone = lastCard(await chat.press(fresh, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: SOLSIKKEN }))!;
      code = caseCodeIn([{ text: textOf(zone), activity: {} }]);
      partA = lastCard(await chat.press(zone, 'Videre', { zoneId: 'grey' }))!;
      partB = lastCard(await chat.press(partA, 'Lagre og fortsett', { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brått.' }))!;
      const guide = lastCard(await chat.press(partB, 'Lagre og fortsett', { opening: 'Jeg har lagt merke til noe.' }))!;
      partC = lastCard(await chat.press(guide, 'Jeg har hatt samtalen'))!;
      stage1 = lastCard(await chat.press(partC, 'Lagre og fortsett', { heldOn: TODAY, howItWent: 'Godt.' }))!;
    });
    const saved = () =>
      new RegExp(
        `^Avbrutt. Det du har lagret, er tatt vare på – ${code} ligger under «mine saker».\nFortsett med ${code}\nSlett utkastet$`,
      );
    cards.push(
      { name: 'the start card (no case yet)', card: () => start, says: () => /^Avbrutt. Ingenting er lagret.$/ },
      { name: 'the zone card', card: () => zone, says: saved },
      { name: 'part A', card: () => partA, says: saved },
      { name: 'part B', card: () => partB, says: saved },
      { name: 'part C', card: () => partC, says: saved },
      { name: 'step 1', card: () => stage1, says: saved },
    );
    for (const c of cards) {
      it(`leaves ${c.name} and says what is kept`, async () => {
        const replies = await chat.press(c.card(), 'Avbryt');
        assert.equal(replies.length, 1);
        assert.match(replies[0]!.text, c.says());
        assert.equal((await readCase(running, code)).status, 'draft', 'nothing is lost');
      });
    }

    it('deletes an abandoned draft when its owner confirms it, and only the owner, and only a draft', async () => {
      const mine = new Conversation(running, users.tor);
      const other = lastCard(
        await mine.press(lastCard(await mine.say('ny sak')), 'Videre', {
          dangerNow: 'no',
          suspectedViolenceOrAbuse: 'no',
          unitId: SOLSIKKEN,
        }),
      )!;
      const draft = caseCodeIn([{ text: textOf(other), activity: {} }]);
      const cancelled = lastCard(await mine.press(other, 'Avbryt'));
      const confirm = lastCard(await mine.press(cancelled, 'Slett utkastet'));
      assert.match(textOf(confirm), new RegExp(`Slette utkastet ${draft}\\?`));
      // A stranger pressing the same confirmation deletes nothing.
      const stranger = await new Conversation(running, users.lise).press(confirm, 'Slett utkastet');
      assert.match(allText(stranger), /Du har ikke tilgang/);
      assert.ok(
        await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).read({ caseId: draft, unitId: SOLSIKKEN }),
      );
      const deleted = await mine.press(confirm, 'Slett utkastet');
      assert.match(allText(deleted), new RegExp(`Utkastet ${draft} er slettet`));
      assert.equal(
        await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).read({ caseId: draft, unitId: SOLSIKKEN }),
        undefined,
      );
      const again = await mine.press(confirm, 'Slett utkastet');
      assert.match(allText(again), /Jeg finner ikke saken/, 'a second press finds nothing to delete');
      const audit = await new AuditLog(running.laget.store.containers.audit).forCase(draft);
      assert.equal(audit.filter((e) => e.operation === 'delete' && e.outcome === 'allowed').length, 1, 'the deletion is audited once');
    });

    it('"fortsett" after "avbryt" picks up the unfinished case changed last, and says which', async () => {
      now = new Date(NOW.getTime() + 60_000);
      try {
        const older = lastCard(
          await chat.press(lastCard(await chat.say('ny sak')), 'Videre', {
            dangerNow: 'no',
            suspectedViolenceOrAbuse: 'no',
            unitId: SOLSIKKEN,
          }),
        )!;
        const olderCode = caseCodeIn([{ text: textOf(older), activity: {} }]);
        // The newer case was changed last, until the first one is changed again, later.
        now = new Date(NOW.getTime() + 180_000);
        const refreshed = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'part-a' }))!;
        await chat.press(refreshed, 'Lagre og fortsett', { seenOrHeard: 'Trøtt og stille.', whatWorriesMe: 'Brått.' });
        await chat.say('avbryt');
        const resumed = await chat.say('fortsett');
        assert.match(resumed[0]!.text, new RegExp(`^Vi fortsetter med ${code}, sist endret 2. mars 2026.$`));
        assert.match(textOf(lastCard(resumed)), new RegExp(`Sak ${code}`));
        assert.doesNotMatch(allText(resumed), new RegExp(olderCode));
      } finally {
        now = NOW;
      }
    });

    it('"fortsett" with nothing unfinished says so', async () => {
      const replies = await new Conversation(running, users.per).say('fortsett');
      assert.match(allText(replies), /^Du har ingen uferdige saker/);
    });
  });

  it('"hjelp" says in one sentence where the case stands, with the step and the next date on the ladder', async () => {
    const chat = new Conversation(running, users.lise);
    const help = async () => textOf(lastCard(await chat.say('hjelp')));
    const start = lastCard(await chat.say('ny sak'));
    const zone = lastCard(await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' }))!;
    const code = caseCodeIn([{ text: textOf(zone), activity: {} }]);
    const steps: Array<{ at: string; act: () => Promise<Record<string, unknown> | undefined>; says: RegExp }> = [];
    let card: Record<string, unknown> | undefined = zone;
    steps.push(
      { at: 'zone', act: async () => card, says: /Neste steg er å plassere uroen i en urosone\./ },
      {
        at: 'part A',
        act: async () => lastCard(await chat.press(card, 'Videre', { zoneId: 'grey' })),
        says: /Neste steg er å skrive ned hva du har sett og hørt \(del A\)\./,
      },
      {
        at: 'part B',
        act: async () => lastCard(await chat.press(card, 'Lagre og fortsett', { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brått.' })),
        says: /Neste steg er å forberede samtalen med foreldrene \(del B\)\./,
      },
      {
        at: 'the conversation',
        act: async () =>
          lastCard(await chat.press(card, 'Lagre og fortsett', { opening: 'Jeg har lagt merke til noe.', plannedOn: '2026-03-04' })),
        says: /Neste steg er samtalen med foreldrene; fyll ut del C etter den. Samtalen er satt til 4. mars 2026\./,
      },
      {
        at: 'step 1',
        act: async () =>
          lastCard(
            await chat.press(lastCard(await chat.press(card, 'Jeg har hatt samtalen')), 'Lagre og fortsett', {
              heldOn: TODAY,
              howItWent: 'Godt.',
            }),
          ),
        says: /Neste steg er trinn 1: notatet fra samtalen med foreldrene, mål og en evalueringsdato\./,
      },
      {
        at: 'on the ladder',
        act: async () =>
          lastCard(
            await chat.press(lastCard(await chat.press(card, 'Lagre notatet', { sign: 'true' })), 'Start trinn 1', {
              goal1Text: 'Deltar i friminuttet',
              evaluationOn: '2026-03-30',
            }),
          ),
        says: /Saken står på 1a og 1b: Egen virksomhet og samarbeid med foreldrene\. Neste dato: 30\. mars 2026\./,
      },
    );
    for (const step of steps) {
      card = await step.act();
      const text = await help();
      assert.match(text, new RegExp(`Du holder på med ${code}\\. `), step.at);
      assert.match(text, step.says, step.at);
    }
  });

  it('lets a leader raise a worry: the nearest leader must be someone else, and with no one else says whom to ask, not "try again"', async () => {
    const chat = new Conversation(running, users.per);
    const start = lastCard(await chat.say('ny sak'))!;
    assert.ok(!JSON.stringify(start).includes('"aad-per"'), 'Per is not offered as his own leader');
    const replies = await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'yes' });
    const text = allText(replies);
    assert.match(text, /Du er nærmeste leder selv/);
    assert.match(text, /Du er den eneste nærmeste lederen i Solsikken barnehage/);
    assert.match(text, /Be din egen leder/);
    assert.match(text, /meld bekymring til Barneverntjenesten i Eksempel kommune på 63 00 00 00/);
    assert.doesNotMatch(text, /Prøv igjen|Nærmeste leder kan ikke samtidig være stafettholder/);
    assert.match(allText(await chat.say('mine saker')), /Du har ingen åpne saker/, 'no case was opened');
  });

  it('tells each half-filled row of step 1 in its own sentence, and gives the card back as typed', async () => {
    const { chat, code, guide } = await prepareConversation(running, TODAY, users.anne);
    const partC = lastCard(await chat.press(guide, 'Jeg har hatt samtalen'));
    const note = lastCard(await chat.press(partC, 'Lagre og fortsett', { heldOn: TODAY, howItWent: 'Godt.' }));
    const stage1 = lastCard(await chat.press(note, 'Lagre notatet', { sign: 'true' }));
    const replies = await chat.press(stage1, 'Start trinn 1', {
      goal1Text: 'Deltar i samlingsstunden',
      goal2Text: 'Spiser frokost',
      goal2Date: '',
    });
    const error = replies[0]!.text;
    assert.match(error, /Mål 2 trenger en dato\./);
    assert.doesNotMatch(error, /goal2Date|Sjekk feltet/, 'the check in its own sentence, no field keys');
    const again = lastCard(replies)!;
    assert.match(textOf(again), /Trinn 1: mål og evaluering/);
    assert.equal(inputValue(again, 'goal2Text'), 'Spiser frokost');
    assert.equal((await readCase(running, code)).currentStep, null);
  });

  it('plans the conversation a week out unless the person chooses a day, so the part C reminder always comes', async () => {
    const { chat, partA } = await startGreyZoneCase(running, users.nina);
    const partB = lastCard(await chat.press(partA, 'Lagre og fortsett', { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brått.' }))!;
    assert.equal(inputValue(partB, 'plannedOn'), '2026-03-09');
    assert.match(textOf(partB), /Hvis ikke begge: hvorfor\?/);
    const guide = await chat.press(partB, 'Lagre og fortsett', { opening: 'Jeg har lagt merke til noe.' });
    assert.match(allText(guide), /Jeg minner deg på å fylle ut del C 9. mars 2026/);
  });

  describe('bad input gets a clear answer and changes nothing', () => {
    let chat: Conversation;
    let code: string;
    let partA: Record<string, unknown>;
    before(async () => {
      ({ chat, code, partA } = await startGreyZoneCase(running, users.anne));
    });

    const cases: Array<{ name: string; inputs: Record<string, string>; expect: RegExp; kept: Record<string, string> }> = [
      {
        name: 'a missing required field',
        inputs: { seenOrHeard: 'Noe', whatWorriesMe: '' },
        expect: /Sjekk feltet «Hva er det som gjør deg urolig\?»/,
        kept: { seenOrHeard: 'Noe' },
      },
      {
        name: 'an 11-digit national identity number in the alias',
        inputs: { alias: '01020312345', seenOrHeard: 'Noe', whatWorriesMe: 'Noe annet' },
        expect: /ser ut som et fødselsnummer i «Initialer eller kallenavn»/,
        kept: { alias: '', seenOrHeard: 'Noe', whatWorriesMe: 'Noe annet' },
      },
      {
        name: 'a national identity number with a space, in free text',
        inputs: { seenOrHeard: 'Barnet 010203 10045 sa noe', whatWorriesMe: 'Noe' },
        expect: /ser ut som et fødselsnummer i «Hva har du sett eller hørt\?»/,
        kept: { seenOrHeard: '', whatWorriesMe: 'Noe' },
      },
      // The spellings that got through before (issue 12, finding 3): dots, an en dash (Word and Teams
      // put it in by themselves), a no-break space, a zero-width space, full-width digits.
      ...['12.03.18 12345', '120318–60081', '120318\u00a060081', '120318\u200b60081', '１２０３１８６００８１'].map((alias) => ({
        name: `an identity number written ${JSON.stringify(alias)} in the alias`,
        inputs: { alias, seenOrHeard: 'Noe', whatWorriesMe: 'Noe annet' },
        expect: /ser ut som et fødselsnummer i «Initialer eller kallenavn»/,
        kept: { alias: '', seenOrHeard: 'Noe', whatWorriesMe: 'Noe annet' },
      })),
      {
        name: 'an identity number with an en dash in free text',
        inputs: { seenOrHeard: 'Noe', whatWorriesMe: 'Fnr 120318–60081 oppgitt', alias: 'E.H.' },
        expect: /ser ut som et fødselsnummer i «Hva er det som gjør deg urolig\?»/,
        kept: { alias: 'E.H.', seenOrHeard: 'Noe', whatWorriesMe: '' },
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}, and gives back part A with what was typed (never the number)`, async () => {
        const replies = await chat.press(partA, 'Lagre og fortsett', c.inputs);
        assert.match(allText(replies), c.expect);
        assert.doesNotMatch(allText(replies), /answers\.|seenOrHeard|whatWorriesMe/, 'no internal field keys');
        const current = lastCard(replies)!;
        assert.match(textOf(current), /Del A – konkretiser uroen/, 'the card to carry on with follows the error');
        for (const [id, value] of Object.entries(c.kept)) assert.equal(inputValue(current, id), value, `the input "${id}"`);
        assert.doesNotMatch(JSON.stringify(current), /01020312345|010203 12345|010203 10045|60081|６００８１/);
        const stored = await readCase(running, code);
        assert.equal(stored.worryForm.partA, null);
        assert.equal(stored.alias, null);
      });
    }

    it('refuses fields no card has, and wrong types, naming them', async () => {
      const injected = await chat.submitRaw({
        verb: 'uro.zone',
        caseId: code,
        unitId: SOLSIKKEN,
        rev: 'x',
        zoneId: 'grey',
        ownerId: 'aad-per',
      });
      assert.match(allText(injected), /Kortet sendte et felt jeg ikke kjenner: «ownerId»/);
      assert.match(textOf(lastCard(injected)), /Hvor stor er uroen\?/, 'and the zone card to carry on with');
      const wrongType = await chat.submitRaw({ verb: 'uro.start', dangerNow: true, suspectedViolenceOrAbuse: 'no' });
      assert.match(allText(wrongType), /Sjekk feltet «Er noen i fare nå\?»/);
      assert.match(textOf(lastCard(wrongType)), /Sikkerheten kommer alltid først/, 'and the start card again');
      const stored = await readCase(running, code);
      assert.deepEqual(
        stored.zoneHistory.map((z) => z.zoneId),
        ['grey'],
      );
    });

    it('does not show the owner’s worry form to the nearest leader: the leader sees the leader’s view', async () => {
      const leader = new Conversation(running, users.per);
      const replies = await leader.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'part-a' });
      assert.doesNotMatch(allText(replies), /Del A – konkretiser uroen/, 'the leader does not see the owner’s worry form');
      assert.match(allText(replies), /lederens visning/);
    });
  });
});

describe('resuming after a restart', () => {
  let cosmos: EmbeddedCosmos;
  before(async () => {
    cosmos = await startEmbeddedCosmos();
  });
  after(async () => cosmos.close());

  it('continues the flow where it stopped with a new bot process on the same store', async () => {
    const env = { COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local' };
    const first = await startTestLaget(env, { now: clock });
    const { code } = await startGreyZoneCase(first);
    await first.stop();

    const second = await startTestLaget(env, { now: clock });
    try {
      const chat = new Conversation(second, users.kari);
      const resumed = await chat.say('fortsett');
      assert.match(allText(resumed), /Del A – konkretiser uroen/);
      assert.match(allText(resumed), new RegExp(code));
    } finally {
      await second.stop();
    }
  });
});

/** The value an input on the card holds (what Teams would send if the person pressed now). */
function inputValue(card: Record<string, unknown>, id: string): string {
  let found: string | undefined;
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (found === undefined && typeof record.type === 'string' && record.type.startsWith('Input.') && record.id === id) {
        found = typeof record.value === 'string' ? record.value : '';
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  assert.ok(found !== undefined, `the card has no input "${id}"; it has: ${inputIds(card).join(', ')}`);
  return found;
}

describe('a leader of a unit with two leaders raising a worry', () => {
  let running: Running;
  let dir: string;
  before(async () => {
    // The local municipality, with a second leader in Solsikken barnehage.
    const municipality = JSON.parse(readFileSync(join(projectRoot, LOCAL_MUNICIPALITY_FILE), 'utf8')) as {
      units: Array<{ id: string; leaders: unknown[] }>;
    };
    municipality.units.find((unit) => unit.id === SOLSIKKEN)!.leaders.push({ id: users.nina.aadObjectId, name: users.nina.name });
    dir = mkdtempSync(join(tmpdir(), 'laget-two-leaders-'));
    writeFileSync(join(dir, 'municipality.json'), JSON.stringify(municipality));
    running = await startTestLaget({ MUNICIPALITY_FILE: join(dir, 'municipality.json') }, { now: clock });
  });
  after(async () => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gets the other leader as the case’s nearest leader, without being asked to choose himself', async () => {
    const chat = new Conversation(running, users.per);
    const start = lastCard(await chat.say('ny sak'))!;
    assert.ok(!inputIds(start).includes('leaderId'), 'one other leader: nothing to choose');
    const zone = await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' });
    assert.match(textOf(lastCard(zone)), /Hvor stor er uroen\?/);
    const stored = await readCase(running, caseCodeIn(zone));
    assert.equal(stored.owner.id, users.per.aadObjectId);
    assert.equal(stored.nearestLeader.id, users.nina.aadObjectId);
  });
});
