import assert from 'node:assert/strict';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { users } from '../support/activities';
import { allText, buttonTitles, Conversation, lastCard } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { caseCodeIn, readCase, SOLSIKKEN, startGreyZoneCase } from '../support/uro-walk';

/** A fixed Monday morning in Oslo (winter time), so dates in cards and assertions are stable. */
const NOW = new Date('2026-03-02T08:00:00Z');
const clock = () => NOW;
const TODAY = '2026-03-02';

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

    const stage1 = lastCard(
      await chat.press(partC, 'Lagre og fortsett', {
        heldOn: TODAY,
        howItWent: 'Rolig og åpen samtale med begge foreldrene.',
        whatWasAgreed: 'Fem minutter med E.H. hver morgen; foreldrene følger med på søvnen.',
      }),
    );
    assert.match(textOf(stage1), /Trinn 1: mål, tiltak og evaluering/);
    assert.match(textOf(stage1), /Fem minutter med E.H. hver morgen/, 'the note is prefilled from part C');

    const overview = await chat.press(stage1, 'Start trinn 1', {
      goal1Text: 'E.H. deltar i samlingsstunden 3 av 5 dager innen 4 uker',
      goal1Date: '2026-03-30',
      action1What: 'Fem-minutters prat hver morgen',
      action1Who: 'me',
      action1Due: '2026-03-30',
      evaluationOn: '2026-03-30',
      noteHeldOn: TODAY,
      sign: 'true',
    });
    const overviewText = allText(overview);
    assert.match(overviewText, new RegExp(`${code} står nå på trinn 1, med deg som stafettholder. Evaluering: 30. mars 2026`));
    assert.match(overviewText, /1a og 1b: Egen virksomhet og samarbeid med foreldrene/);
    assert.ok(buttonTitles(lastCard(overview)!).includes('Evaluer nå'));

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
    const start = lastCard(await chat.say('ny sak'));
    const reportPath = await chat.press(start, 'Videre', {
      dangerNow: 'no',
      suspectedViolenceOrAbuse: 'yes',
      unitId: 'bjorkelangen-skole',
    });
    const reportText = allText(reportPath);
    assert.match(reportText, /Meld direkte – ikke vent/);
    assert.match(reportText, /skal du ikke snakke med foreldrene først/);
    assert.doesNotMatch(reportText, /Del B|samtalen med foreldrene/);
    const code = caseCodeIn(reportPath);

    const done = await chat.press(lastCard(reportPath), 'Registrer', { done: 'reported', leaderInvolved: 'false' });
    assert.match(allText(done), new RegExp(`Registrert: ${code} er markert som meldt. Ola Dahl er orientert`));
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
    });
    assert.match(allText(forged), /skal du ikke snakke med foreldrene først. Meld bekymring til barnevernet direkte/);
    assert.equal((await readCase(running, code, 'bjorkelangen-skole')).worryForm.partB, null);
  });

  it('answers danger now with 112 and the emergency service first', async () => {
    const chat = new Conversation(running, users.lise);
    const start = lastCard(await chat.say('jeg er urolig for et barn'));
    const reportPath = await chat.press(start, 'Videre', { dangerNow: 'yes', suspectedViolenceOrAbuse: 'no', unitId: 'bjorkelangen-skole' });
    assert.match(allText(reportPath), /ring politiet på 112, eller Barnevernvakten på 63 00 00 01/);
  });

  it('lets the person leave with "avbryt" without losing anything, and "fortsett" picks up where they stopped', async () => {
    const { chat, code } = await startGreyZoneCase(running, users.nina);
    const cancelled = await chat.say('avbryt');
    assert.match(allText(cancelled), new RegExp(`Avbrutt. Det du har lagret, er tatt vare på – ${code}`));
    const mine = lastCard(await chat.say('mine saker'));
    assert.match(textOf(mine), new RegExp(code));
    const resumed = lastCard(await chat.press(mine, 'Fortsett'));
    assert.match(textOf(resumed), /Del A – konkretiser uroen/);
    const help = lastCard(await chat.say('hjelp'));
    assert.match(textOf(help), new RegExp(`Du holder på med ${code}: neste steg er del A – konkretiser uroen`));
  });

  it('answers an old card with the current one and saves nothing from it', async () => {
    const chat = new Conversation(running, users.tor);
    const start = lastCard(await chat.say('ny sak'));
    const zoneCard = lastCard(await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: SOLSIKKEN }));
    const code = caseCodeIn([{ text: textOf(zoneCard), activity: {} }]);
    await chat.press(zoneCard, 'Videre', { zoneId: 'grey' });
    const stale = await chat.press(zoneCard, 'Videre', { zoneId: 'great' });
    assert.match(allText(stale), /Dette kortet er utdatert/);
    assert.match(textOf(lastCard(stale)), /Del A – konkretiser uroen/, 'the current card follows');
    const stored = await readCase(running, code);
    assert.deepEqual(stored.zoneHistory.map((z) => z.zoneId), ['grey']);
  });

  describe('bad input gets a clear answer and changes nothing', () => {
    let chat: Conversation;
    let code: string;
    let partA: Record<string, unknown>;
    before(async () => {
      ({ chat, code, partA } = await startGreyZoneCase(running, users.ola));
    });

    const cases: Array<{ name: string; inputs: Record<string, string>; expect: RegExp }> = [
      { name: 'a missing required field', inputs: { seenOrHeard: 'Noe', whatWorriesMe: '' }, expect: /Sjekk feltet «Hva er det som gjør deg urolig\?»/ },
      {
        name: 'an 11-digit national identity number in the alias',
        inputs: { alias: '01020312345', seenOrHeard: 'Noe', whatWorriesMe: 'Noe' },
        expect: /ser ut som et fødselsnummer i «alias»/,
      },
      {
        name: 'a national identity number with a space, in free text',
        inputs: { seenOrHeard: 'Barnet 010203 12345 sa noe', whatWorriesMe: 'Noe' },
        expect: /ser ut som et fødselsnummer/,
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        const replies = await chat.press(partA, 'Lagre og fortsett', c.inputs);
        assert.match(allText(replies), c.expect);
        const stored = await readCase(running, code);
        assert.equal(stored.worryForm.partA, null);
        assert.equal(stored.alias, null);
      });
    }

    it('refuses fields no card has, and wrong types, naming them', async () => {
      const injected = await chat.submitRaw({ verb: 'uro.zone', caseId: code, unitId: SOLSIKKEN, rev: 'x', zoneId: 'grey', ownerId: 'aad-per' });
      assert.match(allText(injected), /Sjekk feltet «ownerId»/);
      const wrongType = await chat.submitRaw({ verb: 'uro.start', dangerNow: true, suspectedViolenceOrAbuse: 'no' });
      assert.match(allText(wrongType), /Sjekk feltet «Er noen i fare nå\?»/);
      const stored = await readCase(running, code);
      assert.deepEqual(stored.zoneHistory.map((z) => z.zoneId), ['grey']);
    });

    it('does not show the owner’s worry form to the nearest leader', async () => {
      const stranger = new Conversation(running, users.per);
      const replies = await stranger.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'part-a' });
      assert.match(allText(replies), /Du har ikke tilgang/, 'the leader does not see the owner’s worry form');
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
