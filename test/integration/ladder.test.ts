import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PEOPLE } from '../../scripts/seed/scenarios';
import { loadLadder } from '../../src/domain/ladder';
import { findStep } from '../../src/domain/ladder-steps';
import type { PersonRef } from '../../src/domain/primitives';
import { decideAll, type CommandBy } from '../../src/domain/decide';
import { readyToEvaluate, walkTo } from '../support/ladder-walk';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { execute, message, personalConversationId, users, type TestUser } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { readCase, SOLSIKKEN, walkToStep1 } from '../support/uro-walk';

/** Monday 2 March 2026, 09:00 in Oslo. */
const NOW = new Date('2026-03-02T08:00:00Z');
const TODAY = '2026-03-02';
const ladder = loadLadder('aurskog-holand');

type InvokeAnswer = { status: number; card?: Record<string, unknown>; text: string };

/** Sends an Action.Execute invoke as `user` and returns the card Laget answered with. */
async function invoke(
  running: Running,
  user: TestUser,
  verb: string,
  data: Record<string, unknown>,
  options: { trigger?: 'manual' | 'automatic'; id?: string; replyToId?: string } = {},
): Promise<InvokeAnswer> {
  const activity = execute(running.connector.url, user, verb, data, {
    trigger: options.trigger,
    ...(options.replyToId ? { replyToId: options.replyToId } : {}),
  });
  if (options.id) activity.id = options.id;
  const response = await running.post(activity);
  const body = response.body as { statusCode?: number; type?: string; value?: Record<string, unknown> } | undefined;
  const card = body?.type === 'application/vnd.microsoft.card.adaptive' ? body.value : undefined;
  return { status: response.status, card, text: textOf(card) };
}

/**
 * Kari's case taken through 1 → 2b (both parents invited; the open dialogue's minutes) → "not better"
 * again: 3b proposed, which needs Per. Each evaluation is on the day its step began, so Kari says why.
 */
async function caseWith3bProposed(running: Running): Promise<{ kari: Conversation; code: string }> {
  const { chat: kari, code, overview } = await walkToStep1(running, { today: TODAY, evaluationOn: '2026-03-30' });
  const sameDay = { sameDayReason: 'Foreldrene ba om et nytt møte med en gang.' };
  const evaluation = lastCard(await kari.press(overview, 'Evaluer nå'));
  const proposed2b = await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b', ...sameDay });
  const next2b = lastCard(proposed2b);
  assert.match(textOf(next2b), /Neste trinn: 2b/);
  const step2bForm = lastCard(await kari.press(next2b, 'Start trinnet'));
  assert.ok(inputIds(step2bForm!).includes('bothParentsInvited'), '2b asks that both parents are invited');
  const on2b = await kari.press(step2bForm, 'Start trinnet', { bothParentsInvited: 'true', evaluationOn: '2026-04-20' });
  assert.match(allText(on2b), new RegExp(`${code} står nå på 2b`));
  const minutes = lastCard(await kari.press(lastCard(on2b), 'Skriv referat'));
  const recorded = await kari.press(minutes, 'Lagre referatet', {
    parents: 'both',
    conclusions: 'Faste rutiner ved levering.',
    sign: 'true',
  });
  const evaluation2b = lastCard(await kari.press(lastCard(recorded), 'Evaluer nå'));
  const proposed3b = lastCard(await kari.press(evaluation2b, 'Registrer evalueringen', { outcome: 'b', ...sameDay }));
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

  const updates = () => running.connector.calls.filter((call) => call.method === 'PUT');
  const perCards = () =>
    running.connector
      .activitiesIn(personalConversationId(users.per))
      .map((a) => cardOf(a))
      .filter(Boolean) as Record<string, unknown>[];
  const kariCards = () =>
    running.connector
      .activitiesIn(personalConversationId(users.kari))
      .map((a) => cardOf(a))
      .filter(Boolean) as Record<string, unknown>[];

  /** From 3b proposed: consent for PPT and helsestasjon, then the request to Per; returns the escalation's data. */
  async function requestApproval(kari: Conversation, code: string) {
    const overview = lastCard(await kari.say('fortsett'));
    const form = lastCard(await kari.press(overview, 'Be om godkjenning'));
    const refused = await kari.press(form, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    assert.match(allText(refused), /Samtykke mangler: foreldrenes samtykke må dekke PPT, Helsestasjon/, 'S3: no consent, no request');

    const consentForm = lastCard(await kari.press(form, 'Samtykke'));
    const parentsOnly = {
      givenBy: 'mother,father',
      services: 'ppt,helsestasjon',
      purpose: 'Samarbeid om tiltak for barnet',
      givenOn: TODAY,
      validUntil: '2027-03-01',
      archivedAt: '',
    };
    // The owner must say whether the child has reached the consent age: there is no answer in advance.
    const unanswered = await kari.press(consentForm, 'Registrer samtykke', parentsOnly);
    assert.match(allText(unanswered), /Sjekk feltet «Har barnet nådd samtykkealderen\?»/);
    // A child of consent age (15 here) consents too: the parents' consent alone is not recorded.
    const childMissing = await kari.press(consentForm, 'Registrer samtykke', { ...parentsOnly, childOfAge: 'yes' });
    assert.match(allText(childMissing), /Barnet har nådd samtykkealderen og må samtykke selv/);
    assert.equal((await readCase(running, code)).consents.length, 0, 'nothing recorded');
    const unsigned = await kari.press(consentForm, 'Registrer samtykke', { ...parentsOnly, childOfAge: 'no' });
    assert.match(allText(unsigned), /Samtykket er registrert/);

    // Back to the request the consent was for; 3b needs the signed common consent form: a consent with no archived form is not enough.
    const unsignedForm = lastCard(unsigned);
    assert.match(textOf(unsignedForm), /Be om godkjenning: 3b/, 'the person returns to the request they came from');
    const notSigned = await kari.press(unsignedForm, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    assert.match(allText(notSigned), /krever at foreldrene har signert samtykkeskjemaet for PPT, Helsestasjon/);
    const signedForm = lastCard(await kari.press(unsignedForm, 'Samtykke'));
    assert.match(textOf(signedForm), /uten signert skjema/, 'the consent card shows the consent has no signed form on record');
    assert.match(textOf(signedForm), /krever signert skjema/, 'and asks where the signed form is archived');
    const consented = await kari.press(signedForm, 'Registrer samtykke', {
      ...parentsOnly,
      childOfAge: 'no',
      archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
    });
    assert.match(allText(consented), /Samtykket er registrert/);

    const form2 = lastCard(consented);
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
    const stepChanged = perCards()
      .map(textOf)
      .filter((text) => text.includes(`Sak ${code}`));
    assert.ok(
      stepChanged.some((text) => /2b: Videre samarbeid/.test(text)),
      'Per is informed on entering 2b',
    );
    assert.ok(
      stepChanged.every((text) => !text.includes('Trøtt og innesluttet')),
      'never the owner’s worry form',
    );

    const ref = await requestApproval(kari, code);
    const refreshList = (ref.ownerCopy.refresh as { userIds: string[] }).userIds;
    assert.deepEqual([...refreshList].sort(), [users.kari.mri, users.per.mri].sort(), 'refresh lists only the leader and the owner');

    await running.laget.scheduler.runOnce(NOW);
    const approvalCard = perCards().find((card) => textOf(card).includes(`Godkjenning: ${code}`));
    assert.ok(approvalCard, 'Per gets the approval card in his personal chat');
    assert.deepEqual(buttonTitles(approvalCard), ['Godkjenn', 'Avslå']);

    const putsBefore = updates().length;
    const answer = await invoke(
      running,
      users.per,
      'approval.decide',
      { ...pick(ref), decision: 'approve' },
      { replyToId: 'approval-card-in-pers-chat' },
    );
    assert.equal(answer.status, 200);
    assert.match(answer.text, /Godkjent av Per Hansen/);
    assert.deepEqual(buttonTitles(answer.card!), [], 'after the decision nobody sees buttons');
    const stored = await readCase(running, code);
    assert.equal(stored.currentStep?.stepId, '3b');

    // The pressed message itself now shows the decision, for every device: exactly one update.
    const edits = updates().slice(putsBefore);
    assert.equal(edits.length, 1, 'the pressed message is updated once');
    assert.equal(edits[0]!.path, `/v3/conversations/${personalConversationId(users.per)}/activities/approval-card-in-pers-chat`);
    const edited = cardOf(edits[0]!.activity)!;
    assert.match(textOf(edited), /Godkjent av Per Hansen/);
    assert.deepEqual(buttonTitles(edited), []);
    assert.deepEqual(edited, answer.card, 'the message shows what the leader was answered');
    // Refreshes of the decided card (Per's and Kari's clients) answer with the status and edit nothing.
    for (const user of [users.per, users.kari]) {
      const refreshed = await invoke(running, user, 'approval.refresh', pick(ref), {
        trigger: 'automatic',
        replyToId: 'approval-card-in-pers-chat',
      });
      assert.match(refreshed.text, /Godkjent av Per Hansen/);
      assert.deepEqual(buttonTitles(refreshed.card!), []);
    }
    assert.equal(updates().length, putsBefore + 1, 'no update on refresh');

    await running.laget.scheduler.runOnce(NOW);
    assert.ok(
      kariCards().some((card) => /Per Hansen har godkjent 3b/.test(textOf(card))),
      'Kari is told in her chat',
    );
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
      const rejected = await invoke(running, users.per, 'approval.decide', {
        ...ref,
        decision: 'reject',
        comment: 'Prøv en periode til med foreldrene.',
      });
      assert.match(rejected.text, /Avslått av Per Hansen .*: Prøv en periode til med foreldrene/);
      const stored = await readCase(running, ref.caseId);
      assert.equal(stored.currentStep?.stepId, '2b');
      await running.laget.scheduler.runOnce(NOW);
      assert.ok(kariCards().some((card) => /har avslått 3b.*Prøv en periode til med foreldrene/.test(textOf(card))));
    });

    it('answers a click by someone who is not the designated leader with an error card and changes nothing', async () => {
      const putsBefore = updates().length;
      for (const user of [users.kari, users.nina, users.ola]) {
        const answer = await invoke(running, user, 'approval.decide', { ...ref, decision: 'approve' });
        assert.equal(answer.status, 200);
        assert.match(answer.text, /Det gikk ikke/);
        assert.deepEqual(buttonTitles(answer.card!), []);
      }
      assert.equal((await readCase(running, ref.caseId)).escalations.find((e) => e.id === ref.escalationId)?.status, 'pending');
      assert.equal(updates().length, putsBefore, 'no message was edited');
    });

    it('never takes identity from card data: a forged approver field is refused, the sender stays who they are', async () => {
      const forged = await invoke(running, users.nina, 'approval.decide', {
        ...ref,
        decision: 'approve',
        approverId: users.per.aadObjectId,
      });
      assert.match(forged.text, /Kortet sendte et felt jeg ikke kjenner: «approverId»/);
      assert.equal((await readCase(running, ref.caseId)).escalations.find((e) => e.id === ref.escalationId)?.status, 'pending');
    });

    it('takes the approver from the activity: Kari pressing with the data of Per’s button changes nothing, Per’s own press decides as Per', async () => {
      await running.laget.scheduler.runOnce(NOW);
      const persCard = perCards()
        .filter((card) => textOf(card).includes(`Godkjenning: ${ref.caseId}`))
        .at(-1);
      assert.ok(persCard, 'Per has the approval card');
      const approve = executeData(persCard, 'Godkjenn');
      const putsBefore = updates().length;
      const before = await readCase(running, ref.caseId);

      const copied = await invoke(running, users.kari, 'approval.decide', approve);
      assert.equal(copied.status, 200);
      assert.match(copied.text, /Det gikk ikke/);
      assert.deepEqual(buttonTitles(copied.card!), []);
      const unchanged = await readCase(running, ref.caseId);
      assert.equal(unchanged.escalations.find((e) => e.id === ref.escalationId)?.status, 'pending');
      assert.equal(unchanged.events.length, before.events.length, 'nothing happened to the case');
      assert.equal(updates().length, putsBefore, 'no message was edited');

      const own = await invoke(running, users.per, 'approval.decide', approve);
      assert.match(own.text, /Godkjent av Per Hansen/);
      const decided = (await readCase(running, ref.caseId)).escalations.find((e) => e.id === ref.escalationId);
      assert.ok(decided && decided.status === 'approved');
      assert.deepEqual(decided.decidedBy, { id: users.per.aadObjectId, name: users.per.name }, 'decided by the person who pressed');
    });

    it('gives a replayed invoke the same answer and records one decision', async () => {
      const id = randomUUID();
      const first = await invoke(running, users.per, 'approval.decide', { ...ref, decision: 'approve' }, { id });
      const putsBefore = updates().length;
      const replay = await invoke(running, users.per, 'approval.decide', { ...ref, decision: 'approve' }, { id });
      assert.deepEqual(replay.card, first.card);
      assert.equal(updates().length, putsBefore, 'a replay edits the message no more');
      const audit = await new AuditLog(running.laget.store.containers.audit).forCase(ref.caseId);
      assert.equal(audit.filter((entry) => entry.operation === 'approve' && entry.outcome === 'allowed').length, 1);
    });

    it('lets exactly one of many simultaneous decisions stand; the others hear who decided and when', async () => {
      const putsBefore = updates().length;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          invoke(running, users.per, 'approval.decide', { ...ref, decision: i % 2 === 0 ? 'approve' : 'reject', comment: 'Nei.' }),
        ),
      );
      const stored = await readCase(running, ref.caseId);
      const decided = stored.escalations.find((e) => e.id === ref.escalationId)!;
      assert.ok(decided.status === 'approved' || decided.status === 'rejected');
      const decisions = stored.events.filter((event) => event.type === 'escalation-decided');
      assert.equal(decisions.length, 1, 'one decision stands');
      const losers = answers.filter((answer) => /Allerede avgjort av Per Hansen/.test(answer.text));
      const winnerText = decided.status === 'approved' ? /Godkjent av Per Hansen/ : /Avslått av Per Hansen/;
      assert.ok(
        answers.every((answer) => winnerText.test(answer.text)),
        'every card shows the decision that stands',
      );
      assert.ok(losers.length >= 1);
      assert.equal(updates().length, putsBefore + 1, 'only the press that decided edits the message');
    });

    it('answers the refresh with each viewer’s own card and never edits the message itself', async () => {
      const putsBefore = updates().length;
      const leader = await invoke(running, users.per, 'approval.refresh', ref, { trigger: 'automatic' });
      assert.deepEqual(buttonTitles(leader.card!), ['Godkjenn', 'Avslå']);
      const owner = await invoke(running, users.kari, 'approval.refresh', ref, { trigger: 'automatic' });
      assert.deepEqual(buttonTitles(owner.card!), []);
      assert.match(owner.text, /Venter på Per Hansen/);
      const stranger = await invoke(running, users.tor, 'approval.refresh', ref, { trigger: 'automatic' });
      assert.deepEqual(buttonTitles(stranger.card!), []);
      assert.match(stranger.text, /Du har ikke tilgang til denne saken/);
      assert.doesNotMatch(stranger.text, new RegExp(ref.caseId), 'a stranger learns nothing about the case');
      assert.equal(updates().length, putsBefore, 'no updateActivity on refresh');
    });

    it('lists the request under "til godkjenning" for Per, and opens the card from there', async () => {
      const list = lastCard(await per.say('til godkjenning'));
      assert.match(textOf(list), new RegExp(`${ref.caseId}`));
      const opened = await per.press(list, `Åpne ${ref.caseId}`);
      assert.ok(opened.some((reply) => reply.card && buttonTitles(reply.card).includes('Godkjenn')));
    });
  });
});

describe('consent, the report path and the baton', () => {
  let running: Running;
  let clock = NOW;
  before(async () => {
    running = await startTestLaget({}, { now: () => clock });
    await new Conversation(running, users.per).say('hei'); // Per has a personal chat with Laget, so notices reach him
  });
  after(async () => running.stop());

  /** Puts a case straight onto `stepId` (owner Kari, leader Per) with the domain's ladder walker. */
  async function caseOnStep(stepId: string, caseId: string) {
    const walk = walkTo(ladder, stepId, { caseId, start: new Date(NOW.getTime() - 250 * 86400_000) });
    clock = walk.now;
    await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(walk.case);
    return walk.case;
  }

  const clockDay = () => clock.toISOString().slice(0, 10);

  /** The report-made cards in Per's personal chat about `code`. */
  const reportNoticesToPer = (code: string) =>
    running.connector
      .activitiesIn(personalConversationId(users.per))
      .map((activity) => textOf(cardOf(activity)))
      .filter((text) => text.includes(code) && /har meldt bekymring til barnevernet/.test(text));

  /** The owner's report from the case's report card: at once, whatever waits. */
  async function report(code: string) {
    const kari = new Conversation(running, users.kari);
    const reportCard = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'report' }));
    return kari.press(reportCard, 'Registrer det jeg har gjort', { done: 'reported', leaderInvolved: 'false' });
  }

  /** Per is told in his own chat, once, when the scheduler delivers the notice: the case code, never the owner's notes. */
  async function assertPerInformed(code: string) {
    assert.equal(reportNoticesToPer(code).length, 0, 'nothing is posted from the turn itself');
    await running.laget.scheduler.runOnce(clock);
    await running.laget.scheduler.runOnce(clock);
    const told = reportNoticesToPer(code);
    assert.equal(told.length, 1, 'Per gets one report-made card in his personal chat');
    assert.match(told[0]!, /Kari Nordmann har meldt bekymring til barnevernet. Du blir orientert – meldeplikten er den ansattes egen/);
    assert.doesNotMatch(told[0]!, /Trøtt og innesluttet|Endringen kom brått/, 'never the owner’s worry form');
  }

  const steps = ladder.steps.map((step) => step.id);
  steps.forEach((stepId, index) => {
    it(`lets the owner report to child welfare from step ${stepId} at once, with no approval, and informs the leader`, async () => {
      const code = `UR-R${'23456789'[index]}BC`;
      await caseOnStep(stepId, code);
      const done = await report(code);
      assert.match(allText(done), new RegExp(`${code} er markert som meldt. Per Hansen er orientert`));
      const stored = await readCase(running, code);
      assert.equal(stored.reports.filter((r) => r.kind === 'child-welfare').length, 1);
      assert.equal(stored.escalations.filter((e) => e.status === 'pending').length, 0, 'nothing waited for approval');
      await assertPerInformed(code);
    });
  });

  it('records a report at once while a request for 3b waits for Per: the request stays pending, and Per is informed', async () => {
    const code = 'UR-RW3B';
    const walk = readyToEvaluate(ladder, walkTo(ladder, '2b', { caseId: code, start: new Date(NOW.getTime() - 250 * 86400_000) }));
    clock = walk.now;
    const day = clock.toISOString().slice(0, 10);
    const owner = walk.case.owner;
    const waiting = decideAll(
      walk.case,
      [
        { command: { type: 'record-evaluation', outcome: 'b' } },
        {
          command: {
            type: 'record-consent',
            givenBy: ['mother', 'father'],
            services: ['ppt', 'helsestasjon'],
            teams: [],
            purpose: 'Samarbeid om tiltak for barnet',
            givenOn: day,
            validUntil: `${Number(day.slice(0, 4)) + 1}${day.slice(4)}`,
            signedFormArchivedAt: 'Solsikken barnehage, samtykkemappe',
            childHasConsentAge: false,
          },
        },
        {
          command: {
            type: 'request-escalation',
            stepId: '3b',
            services: ['ppt', 'helsestasjon'],
            attestations: { parentsParticipate: true },
          },
        },
      ].map((step) => ({ ...step, actor: owner, now: clock }) as CommandBy),
      ladder,
    );
    assert.equal(waiting.kind, 'accepted', JSON.stringify(waiting));
    if (waiting.kind !== 'accepted') return;
    await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(waiting.case);
    const request = waiting.case.escalations.find((e) => e.status === 'pending');
    assert.ok(request, 'a request for 3b waits for Per');

    const done = await report(code);
    assert.match(allText(done), new RegExp(`${code} er markert som meldt. Per Hansen er orientert`));
    const stored = await readCase(running, code);
    assert.equal(stored.reports.filter((r) => r.kind === 'child-welfare').length, 1, 'the report is recorded at once');
    assert.equal(stored.escalations.find((e) => e.id === request.id)?.status, 'pending', 'the request still waits for Per');
    assert.equal(stored.currentStep?.stepId, '2b');
    await assertPerInformed(code);
  });

  it('S7: blocks what shares with the services once consent is withdrawn, and tells the owner at once', async () => {
    const c = await caseOnStep('3b', 'UR-S7XX');
    const kari = new Conversation(running, users.kari);
    const consentCard = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'consent' }));
    const withdrawReplies = await kari.press(consentCard, 'Trekk tilbake');
    const withdrawForm = lastCard(withdrawReplies);
    assert.match(allText(withdrawReplies), /Trekk tilbake samtykke/, allText(withdrawReplies));
    const withdrawn = await kari.press(withdrawForm, 'Trekk tilbake nå', { by: 'mother,father' });
    assert.match(allText(withdrawn), /Samtykket er trukket tilbake. Det som bygde på det, er stoppet fra nå./);
    assert.match(
      allText(withdrawn),
      /Trinnet deler opplysninger med tjenester som samtykket ikke lenger dekker/,
      'the owner sees what is now blocked',
    );
    const stored = await readCase(running, c.id);
    assert.ok(stored.consents.some((record) => record.kind === 'given' && record.withdrawn !== null));

    // The parents' yes on 3b would move the case on to 4a, which shares with the same services: refused now.
    const overview = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'case' }));
    const evaluation = lastCard(await kari.press(overview, 'Evaluer nå'));
    const refused = await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'a' });
    assert.match(allText(refused), /Samtykke mangler: foreldrenes samtykke må dekke /);
    assert.equal((await readCase(running, c.id)).currentStep?.stepId, '3b', 'the case stays where it is');
  });

  it('records the parents’ no from the consent card, with the owner’s duty to report', async () => {
    const c = await caseOnStep('2b', 'UR-NQNB');
    const kari = new Conversation(running, users.kari);
    const consentCard = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'consent' }));
    const refused = await kari.press(consentCard, 'Foreldrene sier nei', {
      givenBy: 'mother,father',
      services: 'ppt',
      givenOn: clockDay(),
      childOfAge: 'no',
    });
    assert.match(allText(refused), /Foreldrenes nei er registrert. Foreldrene har rett til å takke nei/);
    assert.ok((await readCase(running, c.id)).consents.some((record) => record.kind === 'refused' && record.services.includes('ppt')));
  });

  it('S8: keeps Kari as owner until Anne accepts; a decline leaves Kari the owner', async () => {
    const c = await caseOnStep('2a', 'UR-S8XX');
    const nina = new Conversation(running, users.nina);
    await nina.say('hei');
    const kari = new Conversation(running, users.kari);
    const handover = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'handover' }));
    const offered = await kari.press(handover, 'Tilby saken', { to: users.nina.aadObjectId });
    assert.match(allText(offered), /Saken er tilbudt Nina Lund. Du er stafettholder til Nina Lund tar imot/);
    assert.equal((await readCase(running, c.id)).owner.id, users.kari.aadObjectId, 'not moved until accepted');

    await running.laget.scheduler.runOnce(clock);
    const offer = running.connector
      .activitiesIn(personalConversationId(users.nina))
      .map(cardOf)
      .find((card) => textOf(card).includes('vil gi deg stafettpinnen'));
    const declined = await nina.press(offer, 'Takk nei');
    assert.match(allText(declined), /Kari Nordmann er fortsatt stafettholder/);
    assert.equal((await readCase(running, c.id)).owner.id, users.kari.aadObjectId);

    const again = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: SOLSIKKEN, view: 'handover' }));
    await kari.press(again, 'Tilby saken', { to: users.nina.aadObjectId });
    await running.laget.scheduler.runOnce(clock);
    const secondOffer = running.connector
      .activitiesIn(personalConversationId(users.nina))
      .map(cardOf)
      .filter((card) => textOf(card).includes('vil gi deg stafettpinnen'))
      .at(-1);
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
    assert.ok(
      toPer.some((text) => text.includes('ny stafettholder: Nina Lund')),
      'Per hears the offer was accepted',
    );
  });
});

/** The data of the Action.Execute button titled `title`: what any client would send when it is pressed. */
function executeData(card: Record<string, unknown>, title: string): Record<string, unknown> {
  const actions = (card.actions ?? []) as Array<{ type?: string; title?: string; data?: Record<string, unknown> }>;
  const action = actions.find((a) => a.type === 'Action.Execute' && a.title === title);
  assert.ok(action?.data, `the card has no Action.Execute "${title}"`);
  return action.data;
}

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
    const form = lastCard(await kari.press(overview, 'Be om godkjenning'));
    const consentForm = lastCard(await kari.press(form, 'Samtykke'));
    const consented = await kari.press(consentForm, 'Registrer samtykke', {
      givenBy: 'mother',
      services: 'ppt',
      purpose: 'Samarbeid',
      givenOn: TODAY,
      validUntil: '2027-03-01',
      archivedAt: 'Solsikken barnehage, samtykkemappe',
      childOfAge: 'no',
    });
    const form2 = lastCard(consented);
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

describe('who acts: the identity Teams signs (from.aadObjectId), never the chat id', () => {
  let deployed: Running;
  let local: Running;
  before(async () => {
    // A deployed environment's rules, on the embedded store so the test can count what is read.
    deployed = await startTestLaget({}, { now: () => NOW }, (config) => ({ ...config, environment: 'dev' }));
    local = await startTestLaget({}, { now: () => NOW });
  });
  after(async () => {
    await deployed?.stop();
    await local?.stop();
  });

  const withoutObjectId = (activity: Record<string, unknown>) => ({ ...activity, from: { id: users.kari.mri, name: users.kari.name } });
  const storeRequests = (running: Running) => running.laget.store.embedded!.requestCount;

  it('outside local runs refuses a message without from.aadObjectId with a Norwegian card, reading nothing', async () => {
    const reads = storeRequests(deployed);
    const sent = deployed.connector.calls.length;
    const response = await deployed.post(withoutObjectId(message(deployed.connector.url, users.kari, 'mine saker')));
    assert.equal(response.status, 200);
    const replies = deployed.connector.calls.slice(sent);
    assert.equal(replies.length, 1);
    assert.match(textOf(cardOf(replies[0]!.activity)), /Det gikk ikke\nTeams sendte ikke hvem du er, så jeg har ikke gjort noe/);
    assert.equal(storeRequests(deployed), reads, 'nothing was read from the store');
  });

  it('outside local runs answers an invoke without from.aadObjectId with 400, reading and changing nothing', async () => {
    const reads = storeRequests(deployed);
    const sent = deployed.connector.calls.length;
    const activity = execute(deployed.connector.url, users.per, 'approval.decide', {
      caseId: 'UR-7K4Q',
      unitId: SOLSIKKEN,
      escalationId: 'esc-1',
      decision: 'approve',
    });
    const response = await deployed.post({ ...activity, from: { id: users.per.mri, name: users.per.name } });
    assert.equal(response.status, 400);
    assert.equal(deployed.connector.calls.length, sent, 'nothing was sent');
    assert.equal(storeRequests(deployed), reads, 'nothing was read from the store');
  });

  it('outside local runs answers the same message as usual when it carries from.aadObjectId', async () => {
    const replies = await new Conversation(deployed, users.kari).say('mine saker');
    assert.match(allText(replies), /Mine saker/);
  });

  it('locally, where another client may leave it out, still answers (by the chat id)', async () => {
    const sent = local.connector.calls.length;
    const response = await local.post(withoutObjectId(message(local.connector.url, users.kari, 'hjelp')));
    assert.equal(response.status, 200);
    assert.match(textOf(cardOf(local.connector.calls.slice(sent).at(-1)?.activity)), /Hei! Jeg er Laget/);
  });
});

describe('the leader’s overview: "mine enheter"', () => {
  let running: Running;
  const start = new Date(NOW.getTime() - 120 * 86400_000);
  const seeded: Array<[code: string, stepId: string, leader?: PersonRef]> = [
    ['UR-K3BB', '3b'],
    ['UR-K2BC', '2b'],
    ['UR-K7GG', '1'],
    ['UR-K2BB', '2b'],
    ['UR-K2XZ', '2a', PEOPLE.ola], // in Per's unit, but Ola is its nearest leader
  ];
  before(async () => {
    running = await startTestLaget({}, { now: () => NOW });
    const repository = new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
    for (const [caseId, stepId, leader] of seeded) {
      await repository.create(walkTo(ladder, stepId, { caseId, start, ...(leader ? { leader } : {}) }).case);
    }
  });
  after(async () => running.stop());

  /** The card's rows: the heading (code and alias) and the line under it. */
  function rowsOf(card: Record<string, unknown>): [string, string][] {
    type Element = { type?: string; text?: string; items?: Element[]; columns?: Element[] };
    return ((card.body ?? []) as Element[])
      .filter((element) => element.type === 'Container')
      .map((row) => {
        const [heading, line] = row.items![0]!.columns![0]!.items!.map((block) => block.text!);
        return [heading!, line!];
      });
  }

  it('shows Per the open cases he leads, each with its step and next date, with codes and aliases only', async () => {
    const card = lastCard(await new Conversation(running, users.per).say('mine enheter'));
    assert.ok(card);
    const rows = rowsOf(card);
    assert.deepEqual(rows.map(([heading]) => heading).sort(), ['UR-K2BB · E.H.', 'UR-K2BC · E.H.', 'UR-K3BB · E.H.', 'UR-K7GG · E.H.']);
    for (const [heading, line] of rows) {
      const stepId = seeded.find(([code]) => heading.startsWith(code))![1];
      assert.ok(line.startsWith(findStep(ladder, stepId)!.labels.nb), line);
      assert.match(line, / · (Neste dato \d|Ingen dato satt)/);
    }
    const text = textOf(card);
    assert.doesNotMatch(text, /UR-K2XZ/, 'a case another leader leads is not his');
    assert.doesNotMatch(
      text,
      /Trøtt og innesluttet|Endringen kom brått|Deltar i samlingsstunden|Kort samtale/,
      'nothing from the owner’s notes, worry form or goals',
    );
  });

  it('tells someone who leads no unit so', async () => {
    const replies = await new Conversation(running, users.kari).say('mine enheter');
    assert.match(allText(replies), /Du er ikke registrert som leder for en enhet/);
  });
});
