import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { loadLadder } from '../../src/domain/ladder';
import { walkTo } from '../../src/domain/fixtures/ladder-walk';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { execute, personalConversationId, users, type TestUser } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { readCase, SOLSIKKEN, walkToStep1 } from '../support/uro-walk';

/** Monday 2 March 2026, 09:00 in Oslo. */
const NOW = new Date('2026-03-02T08:00:00Z');
const TODAY = '2026-03-02';
const ladder = loadLadder('aurskog-holand');

type InvokeAnswer = { status: number; card?: Record<string, unknown>; text: string };

/** Sends an Action.Execute invoke as `user` and returns the card Laget answered with. */
async function invoke(running: Running, user: TestUser, verb: string, data: Record<string, unknown>, options: { trigger?: 'manual' | 'automatic'; id?: string } = {}): Promise<InvokeAnswer> {
  const activity = execute(running.connector.url, user, verb, data, { trigger: options.trigger });
  if (options.id) activity.id = options.id;
  const response = await running.post(activity);
  const body = response.body as { statusCode?: number; type?: string; value?: Record<string, unknown> } | undefined;
  const card = body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined;
  return { status: response.status, card, text: textOf(card) };
}

/** Kari's case taken through 1 → 2b (both parents invited) → "not better" again: 3b proposed, which needs Per. */
async function caseWith3bProposed(running: Running): Promise<{ kari: Conversation; code: string }> {
  const { chat: kari, code, overview } = await walkToStep1(running, { today: TODAY, evaluationOn: '2026-03-30' });
  const evaluation = lastCard(await kari.press(overview, 'Evaluer nå'));
  const proposed2b = await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b' });
  const next2b = lastCard(proposed2b);
  assert.match(textOf(next2b), /Neste trinn: 2b/);
  const entry2b = lastCard(await kari.press(next2b, 'Fortsett'));
  const step2bForm = lastCard(await kari.press(entry2b, 'Neste trinn'));
  assert.ok(inputIds(step2bForm!).includes('bothParentsInvited'), '2b asks that both parents are invited');
  const on2b = await kari.press(step2bForm, 'Start trinnet', { bothParentsInvited: 'true', evaluationOn: '2026-04-20' });
  assert.match(allText(on2b), new RegExp(`${code} står nå på 2b`));
  const evaluation2b = lastCard(await kari.press(lastCard(on2b), 'Evaluer nå'));
  const proposed3b = lastCard(await kari.press(evaluation2b, 'Registrer evalueringen', { outcome: 'b' }));
  assert.match(textOf(proposed3b), /Trinnet krever godkjenning fra nærmeste leder/);
  return { kari, code };
}

describe('the escalation ladder with the leader’s approval (Universal Actions)', () => {
  let running: Running;
  let per: Conversation;
  before(async () => {
    running = await startTestLaget({}, { now: () => NOW });
    per = new Conversation(running, users.per);
    await per.say('hei'); // Per has a personal chat with Laget, so notices reach him
  });
  after(async () => running.stop());

  const perCards = () => running.connector.activitiesIn(personalConversationId(users.per)).map((a) => cardOf(a)).filter(Boolean) as Record<string, unknown>[];
  const kariCards = () => running.connector.activitiesIn(personalConversationId(users.kari)).map((a) => cardOf(a)).filter(Boolean) as Record<string, unknown>[];

  /** From 3b proposed: consent for PPT and helsestasjon, then the request to Per; returns the escalation's data. */
  async function requestApproval(kari: Conversation, code: string) {
    const overview = lastCard(await kari.say('fortsett'));
    const form = lastCard(await kari.press(overview, 'Neste trinn'));
    const refused = await kari.press(form, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    assert.match(allText(refused), /Samtykke mangler: foreldrenes samtykke må dekke PPT, Helsestasjon/, 'S3: no consent, no request');

    const consentForm = lastCard(await kari.press(form, 'Samtykke'));
    const parentsOnly = { givenBy: 'mother,father', services: 'ppt,helsestasjon', purpose: 'Samarbeid om tiltak for barnet', givenOn: TODAY, validUntil: '2027-03-01' };
    // A child of consent age (15 here) consents too: the parents' consent alone is not recorded.
    const childMissing = await kari.press(consentForm, 'Registrer samtykke', { ...parentsOnly, childOfAge: 'yes' });
    assert.match(allText(childMissing), /Barnet har nådd samtykkealderen og må samtykke selv/);
    assert.equal((await readCase(running, code)).consents.length, 0, 'nothing recorded');
    const unsigned = await kari.press(consentForm, 'Registrer samtykke', { ...parentsOnly, childOfAge: 'no' });
    assert.match(allText(unsigned), /Samtykket er registrert/);

    // 3b needs the signed common consent form: a consent with no archived form is not enough.
    const unsignedForm = lastCard(await kari.press(lastCard(unsigned), 'Neste trinn'));
    const notSigned = await kari.press(unsignedForm, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    assert.match(allText(notSigned), /krever at foreldrene har signert samtykkeskjemaet for PPT, Helsestasjon/);
    const signedForm = lastCard(await kari.press(unsignedForm, 'Samtykke'));
    assert.match(textOf(signedForm), /uten signert skjema/, 'the consent card shows the consent has no signed form on record');
    assert.match(textOf(signedForm), /krever signert skjema/, 'and asks where the signed form is archived');
    const consented = await kari.press(signedForm, 'Registrer samtykke', { ...parentsOnly, childOfAge: 'no', archivedAt: 'Solsikken barnehage, arkivmappe for samtykker' });
    assert.match(allText(consented), /Samtykket er registrert/);

    const form2 = lastCard(await kari.press(lastCard(consented), 'Neste trinn'));
    const sent = await kari.press(form2, 'Send til Per Hansen', {
      services: 'ppt,helsestasjon',
      parentsParticipate: 'true',
      justification: 'Ingen bedring etter to perioder.',
    });
    assert.match(allText(sent), /Forespørselen er sendt til Per Hansen/);
    const ownerCopy = lastCard(sent)!;
    assert.deepEqual(buttonTitles(ownerCopy), [], 'the owner sees a live status, no buttons');
    const stored = await readCase(running, code);
    const escalation = stored.escalations.find((e) => e.status === 'pending');
    assert.ok(escalation);
    return { caseId: code, unitId: SOLSIKKEN, escalationId: escalation.id, ownerCopy };
  }

  it('S2+S3: informs Per from 2b, sends him the approval card, and moves the case to 3b when he approves', async () => {
    const { kari, code } = await caseWith3bProposed(running);
    await running.laget.scheduler.runOnce(NOW);
    const stepChanged = perCards().map(textOf).filter((text) => text.includes(`Sak ${code}`));
    assert.ok(stepChanged.some((text) => /2b: Videre samarbeid/.test(text)), 'Per is informed on entering 2b');
    assert.ok(stepChanged.every((text) => !text.includes('Trøtt og innesluttet')), 'never the owner’s worry form');

    const ref = await requestApproval(kari, code);
    const refreshList = (ref.ownerCopy.refresh as { userIds: string[] }).userIds;
    assert.deepEqual([...refreshList].sort(), [users.kari.mri, users.per.mri].sort(), 'refresh lists only the leader and the owner');

    await running.laget.scheduler.runOnce(NOW);
    const approvalCard = perCards().find((card) => textOf(card).includes(`Godkjenning: ${code}`));
    assert.ok(approvalCard, 'Per gets the approval card in his personal chat');
    assert.deepEqual(buttonTitles(approvalCard), ['Godkjenn', 'Avslå']);

    const answer = await invoke(running, users.per, 'approval.decide', { ...pick(ref), decision: 'approve' });
    assert.equal(answer.status, 200);
    assert.match(answer.text, /Godkjent av Per Hansen/);
    assert.deepEqual(buttonTitles(answer.card!), [], 'after the decision nobody sees buttons');
    const stored = await readCase(running, code);
    assert.equal(stored.currentStep?.stepId, '3b');

    await running.laget.scheduler.runOnce(NOW);
    assert.ok(kariCards().some((card) => /Per Hansen har godkjent 3b/.test(textOf(card))), 'Kari is told in her chat');
  });

  describe('with a request waiting', () => {
    let ref: { caseId: string; unitId: string; escalationId: string };
    beforeEach(async () => {
      const { kari, code } = await caseWith3bProposed(running);
      ref = pick(await requestApproval(kari, code));
    });

    it('refuses a rejection without a reason, and keeps the case where it is with the reason given', async () => {
      const noReason = await invoke(running, users.per, 'approval.decide', { ...ref, decision: 'reject' });
      assert.match(noReason.text, /Skriv en begrunnelse når du avslår/);
      assert.deepEqual(buttonTitles(noReason.card!), ['Godkjenn', 'Avslå'], 'the leader can try again');
      const rejected = await invoke(running, users.per, 'approval.decide', { ...ref, decision: 'reject', comment: 'Prøv en periode til med foreldrene.' });
      assert.match(rejected.text, /Avslått av Per Hansen .*: Prøv en periode til med foreldrene/);
      const stored = await readCase(running, ref.caseId);
      assert.equal(stored.currentStep?.stepId, '2b');
      await running.laget.scheduler.runOnce(NOW);
      assert.ok(kariCards().some((card) => /har avslått 3b.*Prøv en periode til med foreldrene/.test(textOf(card))));
    });

    it('answers a click by someone who is not the designated leader with an error card and changes nothing', async () => {
      for (const user of [users.kari, users.nina, users.ola]) {
        const answer = await invoke(running, user, 'approval.decide', { ...ref, decision: 'approve' });
        assert.equal(answer.status, 200);
        assert.match(answer.text, /Det gikk ikke/);
        assert.deepEqual(buttonTitles(answer.card!), []);
      }
      assert.equal((await readCase(running, ref.caseId)).escalations.find((e) => e.id === ref.escalationId)?.status, 'pending');
    });

    it('never takes identity from card data: a forged approver field is refused, the sender stays who they are', async () => {
      const forged = await invoke(running, users.nina, 'approval.decide', { ...ref, decision: 'approve', approverId: users.per.aadObjectId });
      assert.match(forged.text, /Sjekk feltet «approverId»/);
      assert.equal((await readCase(running, ref.caseId)).escalations.find((e) => e.id === ref.escalationId)?.status, 'pending');
    });

    it('gives a replayed invoke the same answer and records one decision', async () => {
      const id = randomUUID();
      const first = await invoke(running, users.per, 'approval.decide', { ...ref, decision: 'approve' }, { id });
      const replay = await invoke(running, users.per, 'approval.decide', { ...ref, decision: 'approve' }, { id });
      assert.deepEqual(replay.card, first.card);
      const audit = await new AuditLog(running.laget.store.containers.audit).forCase(ref.caseId);
      assert.equal(audit.filter((entry) => entry.operation === 'approve' && entry.outcome === 'allowed').length, 1);
    });

    it('lets exactly one of many simultaneous decisions stand; the others hear who decided and when', async () => {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => invoke(running, users.per, 'approval.decide', { ...ref, decision: i % 2 === 0 ? 'approve' : 'reject', comment: 'Nei.' })),
      );
      const stored = await readCase(running, ref.caseId);
      const decided = stored.escalations.find((e) => e.id === ref.escalationId)!;
      assert.ok(decided.status === 'approved' || decided.status === 'rejected');
      const decisions = stored.events.filter((event) => event.type === 'escalation-decided');
      assert.equal(decisions.length, 1, 'one decision stands');
      const losers = answers.filter((answer) => /Allerede avgjort av Per Hansen/.test(answer.text));
      const winnerText = decided.status === 'approved' ? /Godkjent av Per Hansen/ : /Avslått av Per Hansen/;
      assert.ok(answers.every((answer) => winnerText.test(answer.text)), 'every card shows the decision that stands');
      assert.ok(losers.length >= 1);
    });

    it('answers the refresh with each viewer’s own card and never edits the message itself', async () => {
      const putsBefore = running.connector.calls.filter((call) => call.method === 'PUT').length;
      const leader = await invoke(running, users.per, 'approval.refresh', ref, { trigger: 'automatic' });
      assert.deepEqual(buttonTitles(leader.card!), ['Godkjenn', 'Avslå']);
      const owner = await invoke(running, users.kari, 'approval.refresh', ref, { trigger: 'automatic' });
      assert.deepEqual(buttonTitles(owner.card!), []);
      assert.match(owner.text, /Venter på Per Hansen/);
      const stranger = await invoke(running, users.tor, 'approval.refresh', ref, { trigger: 'automatic' });
      assert.deepEqual(buttonTitles(stranger.card!), []);
      assert.match(stranger.text, /Du har ikke tilgang til denne saken/);
      assert.doesNotMatch(stranger.text, new RegExp(ref.caseId), 'a stranger learns nothing about the case');
      assert.equal(running.connector.calls.filter((call) => call.method === 'PUT').length, putsBefore, 'no updateActivity on refresh');
    });

    it('lists the request under "til godkjenning" for Per, and opens the card from there', async () => {
      const list = lastCard(await per.say('til godkjenning'));
      assert.match(textOf(list), new RegExp(`${ref.caseId}`));
      const opened = await per.press(list, 'Åpne');
      assert.ok(opened.some((reply) => reply.card && buttonTitles(reply.card).includes('Godkjenn')));
    });
  });
});

describe('consent, the report path and the baton', () => {
  let running: Running;
  let clock = NOW;
  before(async () => {
    running = await startTestLaget({}, { now: () => clock });
  });
  after(async () => running.stop());

  /** Puts a case straight onto `stepId` (owner Kari, leader Per) with the domain's ladder walker. */
  async function caseOnStep(stepId: string, caseId: string) {
    const walk = walkTo(ladder, stepId, { caseId, start: new Date(NOW.getTime() - 250 * 86400_000) });
    clock = walk.now;
    await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(walk.case);
    return walk.case;
  }

  const steps = ladder.steps.map((step) => step.id);
  steps.forEach((stepId, index) => {
    it(`lets the owner report to child welfare from step ${stepId} at once, with no approval, and informs the leader`, async () => {
      const code = `UR-R${'23456789'[index]}BC`;
      await caseOnStep(stepId, code);
      const kari = new Conversation(running, users.kari);
      const reportCard = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'report' }));
      const done = await kari.press(reportCard, 'Registrer', { done: 'reported', leaderInvolved: 'false' });
      assert.match(allText(done), new RegExp(`${code} er markert som meldt. Per Hansen er orientert`));
      const stored = await readCase(running, code);
      assert.equal(stored.reports.filter((r) => r.kind === 'child-welfare').length, 1);
      assert.equal(stored.escalations.filter((e) => e.status === 'pending').length, 0, 'nothing waited for approval');
    });
  });

  it('S7: blocks 3b once consent is withdrawn, and tells the owner at once', async () => {
    const c = await caseOnStep('3b', 'UR-S7XX');
    const kari = new Conversation(running, users.kari);
    const consentCard = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'consent' }));
    const withdrawReplies = await kari.press(consentCard, 'Trekk tilbake');
    const withdrawForm = lastCard(withdrawReplies);
    assert.match(allText(withdrawReplies), /Trekk tilbake samtykke/, allText(withdrawReplies));
    const withdrawn = await kari.press(withdrawForm, 'Trekk tilbake nå', { by: 'mother,father' });
    assert.match(allText(withdrawn), /Samtykket er trukket tilbake|deler opplysninger med tjenester som samtykket ikke lenger dekker/);
    const stored = await readCase(running, c.id);
    assert.ok(stored.consents.some((record) => record.kind === 'given' && record.withdrawn !== null));
  });

  it('S8: keeps Kari as owner until Anne accepts; a decline leaves Kari the owner', async () => {
    const c = await caseOnStep('2a', 'UR-S8XX');
    const nina = new Conversation(running, users.nina);
    await running.laget.services.people.joinUnit(SOLSIKKEN, { id: users.nina.aadObjectId, name: users.nina.name });
    await running.laget.services.people.update(users.nina.aadObjectId, users.nina.name, clock, (p) => ({ ...p, unitIds: [SOLSIKKEN] }));
    await nina.say('hei');
    const kari = new Conversation(running, users.kari);
    const handover = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'handover' }));
    const offered = await kari.press(handover, 'Tilby saken', { to: users.nina.aadObjectId });
    assert.match(allText(offered), /Saken er tilbudt Nina Lund. Du er stafettholder til Nina Lund tar imot/);
    assert.equal((await readCase(running, c.id)).owner.id, users.kari.aadObjectId, 'not moved until accepted');

    await running.laget.scheduler.runOnce(clock);
    const offer = running.connector.activitiesIn(personalConversationId(users.nina)).map(cardOf).find((card) => textOf(card).includes('vil gi deg stafettpinnen'));
    const declined = await nina.press(offer, 'Takk nei');
    assert.match(allText(declined), /Kari Nordmann er fortsatt stafettholder/);
    assert.equal((await readCase(running, c.id)).owner.id, users.kari.aadObjectId);

    const again = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'handover' }));
    await kari.press(again, 'Tilby saken', { to: users.nina.aadObjectId });
    await running.laget.scheduler.runOnce(clock);
    const secondOffer = running.connector.activitiesIn(personalConversationId(users.nina)).map(cardOf).filter((card) => textOf(card).includes('vil gi deg stafettpinnen')).at(-1);
    const accepted = await nina.press(secondOffer, 'Ta imot saken');
    assert.match(allText(accepted), new RegExp(`Du er nå stafettholder for ${c.id}`));
    const stored = await readCase(running, c.id);
    assert.equal(stored.owner.id, users.nina.aadObjectId);
    const formerOwner = await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'case' });
    assert.match(allText(formerOwner), /overført til en annen stafettholder/, 'the former owner loses access');
  });

  it('lets Per offer Kari’s case to Nina when Kari has left: Kari stays owner until Nina accepts, and is then told the case has left her', async () => {
    const c = await caseOnStep('2b', 'UR-R9XX');
    const kari = new Conversation(running, users.kari);
    await kari.say('hei');
    const nina = new Conversation(running, users.nina);
    await running.laget.services.people.joinUnit(SOLSIKKEN, { id: users.nina.aadObjectId, name: users.nina.name });
    await nina.say('hei');
    const per = new Conversation(running, users.per);
    await per.say('hei');

    const form = lastCard(await per.submitRaw({ verb: 'leader.reassign-form', caseId: c.id, unitId: SOLSIKKEN }));
    const offered = await per.press(form, 'Tilby saken til en annen', { to: users.nina.aadObjectId });
    assert.match(allText(offered), new RegExp(`${c.id} er tilbudt Nina Lund. Kari Nordmann er stafettholder til Nina Lund tar imot`));
    assert.equal((await readCase(running, c.id)).owner.id, users.kari.aadObjectId, 'the baton has not moved');

    await running.laget.scheduler.runOnce(clock);
    const offer = running.connector
      .activitiesIn(personalConversationId(users.nina))
      .map(cardOf)
      .filter((card) => textOf(card).includes('Per Hansen vil gi deg stafettpinnen'))
      .at(-1);
    assert.ok(offer, 'Nina gets the handover card, with the leader as the one offering');
    const accepted = await nina.press(offer, 'Ta imot saken');
    assert.match(allText(accepted), new RegExp(`Du er nå stafettholder for ${c.id}`));
    assert.equal((await readCase(running, c.id)).owner.id, users.nina.aadObjectId);

    await running.laget.scheduler.runOnce(clock);
    const toKari = running.connector.activitiesIn(personalConversationId(users.kari)).map((a) => textOf(cardOf(a)));
    const told = toKari.find((text) => text.includes('Nina Lund har tatt imot saken og er nå stafettholder'));
    assert.ok(told, 'Kari is told the case has left her');
    assert.ok(!told.includes(c.alias ?? 'E.H.'), 'with the code only, nothing about the child');
    const toPer = running.connector.activitiesIn(personalConversationId(users.per)).map((a) => textOf(cardOf(a)));
    assert.ok(toPer.some((text) => text.includes('ny stafettholder: Nina Lund')), 'Per hears the offer was accepted');
  });
});

function pick(ref: { caseId: string; unitId: string; escalationId: string }) {
  return { caseId: ref.caseId, unitId: ref.unitId, escalationId: ref.escalationId };
}

describe('a request for approval that waits', () => {
  let running: Running;
  let instant = NOW;
  before(async () => {
    running = await startTestLaget({}, { now: () => instant });
    await new Conversation(running, users.per).say('hei');
  });
  after(async () => running.stop());

  const cardsTo = (user: TestUser) => running.connector.activitiesIn(personalConversationId(user)).map((a) => textOf(cardOf(a)));

  it('reminds the leader once after three working days, then tells the owner after three more', async () => {
    const { kari, code } = await caseWith3bProposed(running);
    const overview = lastCard(await kari.say('fortsett'));
    const form = lastCard(await kari.press(overview, 'Neste trinn'));
    const consentForm = lastCard(await kari.press(form, 'Samtykke'));
    const consented = await kari.press(consentForm, 'Registrer samtykke', {
      givenBy: 'mother',
      services: 'ppt',
      purpose: 'Samarbeid',
      givenOn: TODAY,
      validUntil: '2027-03-01',
      archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
    });
    const form2 = lastCard(await kari.press(lastCard(consented), 'Neste trinn'));
    await kari.press(form2, 'Send til Per Hansen', { services: 'ppt', parentsParticipate: 'true' });
    await running.laget.scheduler.runOnce(instant); // the approval card itself, on Monday 2 March

    instant = new Date('2026-03-04T08:00:00Z'); // Wednesday: two working days — too early
    await running.laget.scheduler.runOnce(instant);
    assert.equal(cardsTo(users.per).filter((t) => /Påminnelse: denne forespørselen/.test(t)).length, 0);

    instant = new Date('2026-03-05T07:30:00Z'); // Thursday 08:30 in Oslo: three working days
    await running.laget.scheduler.runOnce(instant);
    await running.laget.scheduler.runOnce(instant);
    const reminders = cardsTo(users.per).filter((t) => /Påminnelse: denne forespørselen har ventet i 3 arbeidsdager/.test(t));
    assert.equal(reminders.length, 1, 'the leader is reminded once');
    assert.match(reminders[0]!, new RegExp(`Godkjenning: ${code}`));

    instant = new Date('2026-03-10T07:30:00Z'); // Tuesday after: six working days
    await running.laget.scheduler.runOnce(instant);
    assert.equal(cardsTo(users.kari).filter((t) => /venter fortsatt på Per Hansen/.test(t)).length, 1, 'then the owner is told');
    await running.laget.scheduler.runOnce(new Date('2026-03-12T07:30:00Z'));
    assert.equal(cardsTo(users.per).filter((t) => /Påminnelse/.test(t)).length, 1, 'never a second reminder');
  });

  it('lets a local user move Laget’s clock ("klokke"), and only locally', async () => {
    const chat = new Conversation(running, users.nina);
    const replies = await chat.say('klokke 2026-04-01 08:00');
    assert.match(allText(replies), /Lagets klokke \(kun lokalt\): 1. april 2026 kl. 08:00/);
    assert.equal(running.laget.services.now().toISOString(), '2026-04-01T06:00:00.000Z');
    await chat.say('klokke nå');
    assert.equal(running.laget.services.now().toISOString(), instant.toISOString());
  });
});
