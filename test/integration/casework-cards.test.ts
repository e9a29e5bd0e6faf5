import assert from 'node:assert/strict';
import { walkTo, readyToEvaluate } from '../support/ladder-walk';
import { loadLadder } from '../../src/domain/ladder';
import { CaseRepository } from '../../src/store/case-repository';
import { personalConversationId, users } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard, type Reply } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { prepareConversation, readCase, SOLSIKKEN } from '../support/uro-walk';

/**
 * The work on a case between the moves of the ladder, through the real bot and its cards: the work
 * list and the minutes, actions and the child's voice, dates, withdrawing a request (the leader's
 * card edited once), closing and reopening, the check-in of a monitoring step, an overdue action's
 * reminder, and what a person reads when something goes wrong.
 */

/** Monday 2 March 2026, 09:00 in Oslo. */
const T0 = new Date('2026-03-02T08:00:00Z');
const DAY = 86_400_000;
const ladder = loadLadder('aurskog-holand');
const day = (instant: Date) => instant.toISOString().slice(0, 10);

describe('working a case from its cards', () => {
  let running: Running;
  let clock = T0;
  let per: Conversation;
  let kari: Conversation;
  before(async () => {
    running = await startTestLaget({}, { now: () => clock });
    per = new Conversation(running, users.per);
    await per.say('hei');
    kari = new Conversation(running, users.kari);
    await kari.say('hei');
  });
  after(async () => running.stop());

  const repository = () => new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
  const show = (chat: Conversation, code: string, view: string, item?: string) =>
    chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view, ...(item ? { item } : {}) });
  const cardsTo = (user: (typeof users)[keyof typeof users]) =>
    running.connector
      .activitiesIn(personalConversationId(user))
      .map((a) => cardOf(a))
      .filter(Boolean) as Record<string, unknown>[];

  /** A case put onto `stepId` by the domain's walker (its work before the step done), the clock on its last day. */
  async function caseOnStep(stepId: string, caseId: string, ready = false) {
    const walked = walkTo(ladder, stepId, { caseId, start: new Date(T0.getTime() - 250 * DAY) });
    const walk = ready ? readyToEvaluate(ladder, walked) : walked;
    clock = walk.now;
    await repository().create(walk.case);
    return walk.case;
  }

  describe('the work list, the minutes and the records it asks for', () => {
    it('records 2b’s open dialogue through the work list: both parents, conclusions, an agreed action, the next evaluation and the owner’s signature', async () => {
      const c = await caseOnStep('2b', 'UR-W2BK');
      const overview = lastCard(await show(kari, c.id, 'case'))!;
      const text = textOf(overview);
      assert.match(
        text,
        /Neste:\nFør evalueringen: Undringssamtale med begge foreldrene, med skriftlig referat\./,
        'the one thing to do next leads',
      );
      assert.match(text, /Dette ber trinnet om\n○ Undringssamtale med begge foreldrene, med skriftlig referat/);
      assert.equal(buttonTitles(overview)[0], 'Skriv referat', 'its button first');

      const minutes = lastCard(await kari.press(overview, 'Skriv referat'))!;
      assert.match(textOf(minutes), /Undringssamtale med foreldrene \(åpen dialog\)/);
      assert.match(textOf(minutes), /Trinnet ber om: Undringssamtale med begge foreldrene, med skriftlig referat\./);
      // Only one parent there: saved, but it does not count as the open dialogue with both.
      const one = await kari.press(minutes, 'Lagre referatet', { parents: 'one', conclusions: 'Mor kom alene.', sign: 'true' });
      assert.match(allText(one), /Referatet er lagret/);
      assert.match(textOf(lastCard(one)), /○ Undringssamtale med begge foreldrene/);

      const latest = day(new Date(Date.parse(c.currentStep!.enteredAt) + 60 * DAY));
      const tooLate = day(new Date(Date.parse(latest) + 5 * DAY));
      const again = lastCard(await show(kari, c.id, 'meeting', 'open-dialogue'))!;
      const refused = await kari.press(again, 'Lagre referatet', {
        parents: 'both',
        conclusions: 'Vi prøver faste rutiner ved levering.',
        nextEvaluationOn: tooLate,
        sign: 'true',
      });
      assert.match(allText(refused), /Evalueringsdatoen er for sen\. Trinnet skal evalueres senest/, 'the latest day is named');
      const saved = await kari.press(lastCard(refused), 'Lagre referatet', {
        parents: 'both',
        conclusions: 'Vi prøver faste rutiner ved levering.',
        actionWhat: 'Faste rutiner ved levering',
        actionWho: 'parents',
        actionDue: latest,
        nextEvaluationOn: latest,
        sign: 'true',
      });
      assert.match(textOf(lastCard(saved)), /✓ Undringssamtale med begge foreldrene/);
      const stored = await readCase(running, c.id);
      const meeting = stored.meetings.at(-1)!;
      assert.deepEqual([meeting.kind, meeting.parents, meeting.stepId], ['open-dialogue', 'both', '2b']);
      assert.equal(stored.actions.at(-1)?.meetingId, meeting.id, 'what was agreed became an action of the case');
      assert.equal(stored.nextDates.evaluationOn, latest, 'the minutes set the evaluation date');
    });

    it('asks the parents’ signature and where the signed minutes are archived for 3b, and lets them be added after the meeting', async () => {
      const c = await caseOnStep('3b', 'UR-W3BS');
      const minutes = lastCard(await show(kari, c.id, 'meeting', 'cooperation-meeting'))!;
      assert.ok(inputIds(minutes).includes('parentsSignedOn') && inputIds(minutes).includes('archivedAt'));
      const noArchive = await kari.press(minutes, 'Lagre referatet', {
        parents: 'both',
        services: c.currentStep!.services.join(','),
        conclusions: 'Hvem gjør hva og når.',
        sign: 'true',
        parentsSignedOn: day(clock),
      });
      assert.match(allText(noArchive), /Skriv hvor det signerte referatet er arkivert/);
      const unsigned = await kari.press(lastCard(noArchive), 'Lagre referatet', {
        parents: 'both',
        services: c.currentStep!.services.join(','),
        conclusions: 'Hvem gjør hva og når.',
        sign: 'true',
        parentsSignedOn: '',
      });
      const card = lastCard(unsigned)!;
      assert.match(textOf(card), /mangler foreldrenes signatur og hvor det er arkivert/);
      const signForm = lastCard(await kari.press(card, 'Registrer signaturer'))!;
      const signed = await kari.press(signForm, 'Lagre signaturene', {
        parentsSignedOn: day(clock),
        archivedAt: 'Solsikken barnehage, arkivmappe for referater',
      });
      assert.match(allText(signed), /Signaturene er lagret/);
      assert.match(textOf(lastCard(signed)), /✓ Samarbeidsmøte med foreldrene til stede/);
      const meeting = (await readCase(running, c.id)).meetings.at(-1)!;
      assert.deepEqual(
        meeting.signatures.map((s) => s.kind),
        ['staff', 'parents'],
      );
      assert.equal(meeting.archived?.where, 'Solsikken barnehage, arkivmappe for referater');
    });

    it('marks an action done with its date, changes another’s owner and deadline, and shows the overdue one first', async () => {
      const c = await caseOnStep('2b', 'UR-WKCT');
      const overview = lastCard(await show(kari, c.id, 'case'))!;
      const form = lastCard(await kari.press(overview, 'Legg til tiltak'))!;
      const tomorrow = day(new Date(clock.getTime() + DAY));
      await kari.press(form, 'Lagre tiltaket', { what: 'Samtale med helsesykepleier', who: 'me', dueOn: tomorrow });
      clock = new Date(clock.getTime() + 3 * DAY);
      const later = lastCard(await show(kari, c.id, 'case'))!;
      assert.match(textOf(later), /På overtid\nSamtale med helsesykepleier/);
      const action = (await readCase(running, c.id)).actions.at(-1)!;
      const edit = lastCard(await show(kari, c.id, 'action-edit', action.id))!;
      const newDue = day(new Date(clock.getTime() + 10 * DAY));
      await kari.press(edit, 'Lagre endringen', { who: 'parents', dueOn: newDue });
      const changed = (await readCase(running, c.id)).actions.at(-1)!;
      assert.deepEqual([changed.who.kind, changed.dueOn], ['parents', newDue]);
      const done = lastCard(await show(kari, c.id, 'action-done', action.id))!;
      const yesterday = day(new Date(clock.getTime() - DAY));
      const marked = await kari.press(done, 'Marker som utført', { doneOn: yesterday });
      assert.match(allText(marked), /Tiltaket er markert som utført/);
      assert.equal((await readCase(running, c.id)).actions.at(-1)?.done?.on, yesterday);
      // The old "done" card again: the action is done already, and the case is shown as it is.
      const twice = await kari.press(done, 'Marker som utført', { doneOn: yesterday });
      assert.match(allText(twice), /Dette kortet er utdatert/);
    });

    it('reminds at the evaluation when the child’s voice is not heard on the step, and records it from there', async () => {
      const c = await caseOnStep('2b', 'UR-WVCX', true);
      const evaluation = lastCard(await show(kari, c.id, 'evaluation'))!;
      assert.match(textOf(evaluation), /Barnets stemme er ikke registrert siden trinnet startet/);
      const voiceReplies = await kari.press(evaluation, 'Registrer barnets stemme');
      const voice = lastCard(voiceReplies)!;
      assert.ok(buttonTitles(voice).length > 0, allText(voiceReplies));
      await kari.press(voice, 'Lagre barnets stemme', { text: 'Jeg vil ha pappa med på turen.', how: 'conversation' });
      const after = lastCard(await show(kari, c.id, 'evaluation'))!;
      assert.doesNotMatch(textOf(after), /Barnets stemme er ikke registrert/);
      const overview = lastCard(await show(kari, c.id, 'case'))!;
      assert.match(textOf(overview), /Barnets stemme\n.*«Jeg vil ha pappa med på turen\.»/);
      const exported = await kari.press(overview, 'Eksporter sammendrag');
      assert.match(allText(exported), /Barnets stemme\*\*\n- .*\(i en samtale med barnet\): Jeg vil ha pappa med på turen\./);
    });
  });

  describe('dates', () => {
    it('moves the evaluation within the step’s maximum, names the latest day when asked later, and keeps the reason in the history', async () => {
      const c = await caseOnStep('2b', 'UR-DXTR');
      const card = lastCard(await show(kari, c.id, 'reschedule'))!;
      const date = JSON.stringify(card).match(/"id":"on"[^}]*"max":"(\d{4}-\d{2}-\d{2})"/)?.[1];
      assert.ok(date, 'the date input has a max');
      assert.match(JSON.stringify(card), /"errorMessage":"Velg en dato fra i dag til og med/, 'and says what is wrong under it');
      const tooLate = day(new Date(Date.parse(date) + DAY));
      const refused = await kari.press(card, 'Flytt datoen', { on: tooLate, reason: 'Far er bortreist.' });
      assert.match(allText(refused), new RegExp(`Trinnet skal evalueres senest`));
      const moved = await kari.press(lastCard(refused), 'Flytt datoen', { on: date, reason: 'Far er bortreist.' });
      assert.match(allText(moved), /Ny dato:/);
      assert.match(textOf(lastCard(moved)), /Historikk[\s\S]*evaluering flyttet til .* \(Far er bortreist\.\)/);
      const stored = await readCase(running, c.id);
      assert.deepEqual([stored.dateChanges.at(-1)?.to, stored.dateChanges.at(-1)?.reason], [date, 'Far er bortreist.']);
    });
  });

  describe('withdrawing a request for approval', () => {
    it('withdraws the request from the case card; the leader’s approval card is edited once to "trukket tilbake", without buttons', async () => {
      const c = await caseOnStep('2b', 'UR-WDRW', true);
      const start = await repository().read({ caseId: c.id, unitId: SOLSIKKEN });
      // Not better, the parents' signed consent, the request to Per: as the cards do it.
      const evaluation = lastCard(await show(kari, c.id, 'evaluation'))!;
      const proposed = lastCard(await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b' }))!;
      const form = lastCard(await kari.press(proposed, 'Be om godkjenning'))!;
      const consent = lastCard(await kari.press(form, 'Samtykke'))!;
      const withConsent = lastCard(
        await kari.press(consent, 'Registrer samtykke', {
          givenBy: 'mother,father',
          services: 'ppt',
          purpose: 'Samarbeid med PPT',
          givenOn: day(clock),
          validUntil: day(new Date(clock.getTime() + 300 * DAY)),
          archivedAt: 'Arkivmappe for samtykker',
          childOfAge: 'no',
        }),
      )!;
      await kari.press(withConsent, 'Send til Per Hansen', { services: 'ppt', parentsParticipate: 'true' });
      assert.ok(start);
      await running.laget.scheduler.runOnce(clock);
      const approval = running.connector.calls.filter(
        (call) =>
          call.conversationId === personalConversationId(users.per) && textOf(cardOf(call.activity)).includes(`Godkjenning: ${c.id}`),
      );
      assert.equal(approval.length, 1, 'Per has the approval card');
      assert.deepEqual(buttonTitles(cardOf(approval[0]!.activity)!), ['Godkjenn', 'Avslå']);

      const overview = lastCard(await show(kari, c.id, 'case'))!;
      assert.match(textOf(overview), /Venter på godkjenning fra Per Hansen/);
      const withdrawn = await kari.press(overview, 'Trekk tilbake forespørselen');
      assert.match(allText(withdrawn), /Forespørselen til Per Hansen er trukket tilbake/);
      assert.equal((await readCase(running, c.id)).escalations.at(-1)?.status, 'cancelled');

      const putsBefore = running.connector.calls.filter((call) => call.method === 'PUT').length;
      await running.laget.scheduler.runOnce(clock);
      await running.laget.scheduler.runOnce(clock);
      const puts = running.connector.calls.filter((call) => call.method === 'PUT').slice(putsBefore);
      assert.equal(puts.length, 1, 'the leader’s card is edited once');
      const edited = cardOf(puts[0]!.activity)!;
      assert.match(textOf(edited), /Trukket tilbake av Kari Nordmann/);
      assert.deepEqual(buttonTitles(edited), [], 'and has no buttons any more');
      assert.ok(puts[0]!.path.startsWith(`/v3/conversations/${personalConversationId(users.per)}/activities/`));

      // Pressing Per's old button now changes nothing, and tells him why.
      const late = lastCard(await per.submitRaw({ verb: 'leader.open', caseId: c.id, unitId: SOLSIKKEN, escalationId: 'esc-1' }))!;
      assert.deepEqual(buttonTitles(late), [], 'no decision offered');
      assert.match(textOf(late), /Trukket tilbake av Kari Nordmann/);
      // The owner's old "withdraw" button again: already withdrawn, no "try again".
      const twice = await kari.press(overview, 'Trekk tilbake forespørselen');
      assert.doesNotMatch(allText(twice), /Prøv igjen/);
    });
  });

  describe('closing and reopening', () => {
    it('closes with a reason from the list, offering the export first; keeps the case until it is deleted; reopens it onto its step', async () => {
      const c = await caseOnStep('2a', 'UR-KSDD', true);
      const overview = lastCard(await show(kari, c.id, 'case'))!;
      const close = lastCard(await kari.press(overview, 'Avslutt saken'))!;
      assert.match(textOf(close), /Eksporter sammendraget til enhetens journal før du avslutter/);
      assert.ok(buttonTitles(close).includes('Eksporter sammendrag'), 'the export is at hand');
      const closed = await kari.press(close, 'Avslutt saken', { reason: 'moved-away' });
      assert.match(allText(closed), new RegExp(`Saken ${c.id} er avsluttet\\. Den slettes`));
      const stored = await readCase(running, c.id);
      assert.deepEqual([stored.status, stored.closed?.reason], ['closed', 'moved-away']);
      const raw = (await running.laget.store.containers.cases.item(c.id, SOLSIKKEN).read()).resource as { ttl?: number };
      assert.ok(raw.ttl, 'the retention clock is started');

      const list = lastCard(await kari.submitRaw({ verb: 'cases.closed' }))!;
      assert.match(textOf(list), new RegExp(`${c.id} · E\\.H\\.\\nBarnet har flyttet · slettes`));
      const card = lastCard(await kari.press(list, `Åpne ${c.id}`))!;
      assert.match(textOf(card), /Avsluttet .*: Barnet har flyttet\. Slettes/);
      const reopenForm = lastCard(await kari.press(card, 'Gjenåpne saken'))!;
      const reopened = await kari.press(reopenForm, 'Gjenåpne saken');
      assert.match(allText(reopened), new RegExp(`${c.id} er åpnet igjen og står på 2a`));
      const again = await readCase(running, c.id);
      assert.deepEqual([again.status, again.closed, again.currentStep?.stepId], ['monitoring', null, '2a']);
      assert.ok(again.nextDates.checkInOn, 'with a new check-in date');
      const rawAgain = (await running.laget.store.containers.cases.item(c.id, SOLSIKKEN).read()).resource as { ttl?: number };
      assert.equal(rawAgain.ttl, undefined, 'the retention clock is stopped');
    });
  });

  describe('monitoring (an a-step)', () => {
    it('asks on the check-in date whether the good development lasts, and leads to closing or back onto the ladder', async () => {
      const c = await caseOnStep('2a', 'UR-MNN2');
      const checkIn = (await readCase(running, c.id)).nextDates.checkInOn!;
      clock = new Date(`${checkIn}T07:30:00Z`);
      // Written around the case service: its jobs (reminders) made as the service makes them when it saves a case.
      await running.laget.caseSchedule.sync(null, await readCase(running, c.id), { now: clock });
      await running.laget.scheduler.runOnce(clock);
      const reminder = cardsTo(users.kari)
        .filter((card) => textOf(card).includes(`I dag er dagen for å sjekke inn på ${c.id}`))
        .at(-1);
      assert.ok(reminder, 'the check-in reminder is the question itself');
      assert.match(textOf(reminder), /Holder den gode utviklingen seg\?/);
      assert.ok(buttonTitles(reminder).includes('Det går bra – avslutt saken'));
      const notBetter = lastCard(await kari.press(reminder, 'Registrer evalueringen', { outcome: 'b' }))!;
      assert.match(textOf(notBetter), /Neste trinn: 2b/);
      assert.equal(buttonTitles(notBetter)[0], 'Start trinnet', 'back onto the ladder at the step it names');
      // Another case on 2a: "it goes well" closes it.
      const d = await caseOnStep('2a', 'UR-MNN3');
      clock = new Date(`${(await readCase(running, d.id)).nextDates.checkInOn!}T07:30:00Z`);
      await running.laget.caseSchedule.sync(null, await readCase(running, d.id), { now: clock });
      await running.laget.scheduler.runOnce(clock);
      const second = cardsTo(users.kari)
        .filter((card) => textOf(card).includes(`sjekke inn på ${d.id}`))
        .at(-1);
      const close = lastCard(await kari.press(second, 'Det går bra – avslutt saken'))!;
      await kari.press(close, 'Avslutt saken', { reason: 'resolved' });
      assert.equal((await readCase(running, d.id)).closed?.reason, 'resolved');
    });
  });

  describe('an action overdue', () => {
    it('reminds the owner the morning after the deadline, once; "done" from the reminder ends it', async () => {
      const c = await caseOnStep('2b', 'UR-VVRD');
      const form = lastCard(await show(kari, c.id, 'action'))!;
      const due = day(new Date(clock.getTime() + 2 * DAY));
      await kari.press(form, 'Lagre tiltaket', { what: 'Ringe PPT', who: 'me', dueOn: due });
      clock = new Date(`${due}T08:00:00Z`);
      await running.laget.scheduler.runOnce(clock);
      const onTime = cardsTo(users.kari).filter((card) => textOf(card).includes(`Tiltak på overtid i ${c.id}`));
      assert.equal(onTime.length, 0, 'not on the day it is due');
      clock = new Date(Date.parse(`${due}T08:00:00Z`) + DAY);
      await running.laget.scheduler.runOnce(clock);
      await running.laget.scheduler.runOnce(clock);
      const reminders = cardsTo(users.kari).filter((card) => textOf(card).includes(`Tiltak på overtid i ${c.id}`));
      assert.equal(reminders.length, 1, 'once');
      assert.match(textOf(reminders[0]), /«Ringe PPT» skulle vært gjort innen/);
      const done = lastCard(await kari.press(reminders[0], 'Marker som utført'))!;
      await kari.press(done, 'Marker som utført', { doneOn: day(clock) });
      assert.ok((await readCase(running, c.id)).actions.at(-1)?.done);
    });
  });

  describe('answers that say only what is known', () => {
    it('tells the owner a change is saved when the reply after saving is cut off, never "nothing is changed"', async () => {
      clock = T0;
      const { chat, code, guide } = await prepareConversation(running, day(T0), users.nina);
      const partC = lastCard(await chat.press(guide, 'Jeg har hatt samtalen'))!;
      let cut = false;
      running.connector.behaviour = (call) => {
        if (!cut && call.conversationId === personalConversationId(users.nina) && call.method === 'POST') {
          cut = true;
          return { reset: true };
        }
        return undefined;
      };
      let replies: Reply[];
      try {
        replies = await chat.press(partC, 'Lagre og fortsett', { heldOn: day(T0), howItWent: 'Godt.' });
      } finally {
        running.connector.behaviour = () => undefined;
      }
      const text = allText(replies);
      assert.match(text, new RegExp(`Det du sendte, er lagret i ${code}`));
      assert.doesNotMatch(text, /Ingenting er endret/);
      assert.ok((await readCase(running, code)).worryForm.partC, 'part C is saved indeed');
    });

    it('does not say "prøv igjen" where trying again cannot help, and tells another leader of the unit who the case’s leader is', async () => {
      const c = await caseOnStep('2b', 'UR-NTTR');
      const stranger = await new Conversation(running, users.lise).submitRaw({
        verb: 'uro.show',
        caseId: c.id,
        unitId: SOLSIKKEN,
        view: 'case',
      });
      assert.match(allText(stranger), /Du har ikke tilgang til denne saken/);
      assert.doesNotMatch(allText(stranger), /Prøv igjen/);
      const overview = lastCard(await show(kari, c.id, 'case'))!;
      // Per is a leader, but not of a case whose leader he is not: Ola leads another unit, so he is a stranger here.
      const ola = await new Conversation(running, users.ola).press(overview, 'Legg til mål');
      assert.match(allText(ola), /Du har ikke tilgang til denne saken/);
    });

    it('offers "Registrer samtykke" when consent is missing, and marks a consent that ran out with its day', async () => {
      const c = await caseOnStep('3b', 'UR-CXPP');
      const consent = (await readCase(running, c.id)).consents.find((r) => r.kind === 'given')!;
      assert.equal(consent.kind, 'given');
      clock = new Date(Date.parse(`${consent.kind === 'given' ? consent.validUntil : ''}T08:00:00Z`) + 2 * DAY);
      const evaluation = lastCard(await show(kari, c.id, 'evaluation'))!;
      const refused = await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'a' });
      assert.match(allText(refused), /Samtykket som dekket .*, gikk ut /);
      const refusal = refused.find((reply) => /gikk ut/.test(reply.text))!.card!;
      assert.ok(buttonTitles(refusal).includes('Registrer samtykke'), 'the refusal leads to the consent card');
      assert.doesNotMatch(textOf(refusal), /Prøv igjen/);
      const card = lastCard(await kari.press(refusal, 'Registrer samtykke'))!;
      assert.match(textOf(card), /utløpt \d/);
    });
  });
});
