import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_MUNICIPALITY_FILE } from '../../src/config';
import { loadLadder, type Ladder } from '../../src/domain/ladder';
import { findStep, transitions } from '../../src/domain/ladder-steps';
import { projectRoot } from '../../src/paths';
import { execute, personalConversationId, users } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard, type Reply } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { caseCodeIn, readCase, SOLSIKKEN } from '../support/uro-walk';

/**
 * Table-driven walks through the real teams-ai Application, one Laget per ladder (Aurskog-Høland,
 * BTI, Åsnes), each from the first worry to closing, pressing only the buttons the cards have: the
 * URO conversation, stage 1, then for every step the work its list asks for (drawn from the ladder
 * data, so a requirement a ladder adds is walked without a change here), the evaluation with the
 * outcome the path says, the next step with what it requires (services, confirmations, a
 * coordinator, the parents' signed consent through the refusal's own button, the leader's approval
 * from his card), and at last "Avslutt saken". Together the paths take every transition of every
 * ladder and meet every requirement and work kind they name.
 */

/** Monday 2 March 2026, 09:00 in Oslo. */
const T0 = new Date('2026-03-02T08:00:00Z');
const DAY = 86_400_000;
const day = (instant: Date) => instant.toISOString().slice(0, 10);

type Move = 'a' | 'b';
type Walk = { name: string; moves: Move[]; close: 'resolved' | 'moved-away' | 'taken-over' | 'reported' | 'other' };

const WALKS: Record<string, Walk[]> = {
  'aurskog-holand': [
    // 1 → 2a → 2a → 2b → 3a → 3a → 3b (Per approves) → 4a → 4a → the ladder ends; closed.
    { name: 'better, then worse again, the parents consent', moves: ['a', 'a', 'b', 'a', 'a', 'b', 'a', 'a', 'b'], close: 'taken-over' },
    // 1 → 2b → 3b (Per approves) → the parents say no: 4b; closed.
    { name: 'not better twice, the parents refuse', moves: ['b', 'b', 'b'], close: 'reported' },
  ],
  bti: [
    { name: 'every level, up to broad cooperation with a coordinator', moves: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'], close: 'other' },
  ],
  'asnes-samhandlingstrappa': [
    {
      name: 'every step, up to an individual plan and a child coordinator',
      moves: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'],
      close: 'resolved',
    },
  ],
};

for (const [ladderId, walks] of Object.entries(WALKS)) {
  const ladder = loadLadder(ladderId);

  describe(`walking a case on ${ladder.labels.nb} from the first worry to closing, through its cards`, function () {
    this.timeout(120_000);
    let running: Running;
    let dir: string;
    let clock = T0;
    let per: Conversation;
    const taken = new Set<string>();
    const requirementsMet = new Set<string>();
    const workDone = new Set<string>();

    before(async () => {
      // The local municipality on this ladder, with Tor as a second leader of Solsikken (told who leads a case).
      const municipality = JSON.parse(readFileSync(join(projectRoot, LOCAL_MUNICIPALITY_FILE), 'utf8')) as {
        ladderId: string;
        units: Array<{ id: string; leaders: unknown[] }>;
      };
      municipality.ladderId = ladderId;
      municipality.units.find((unit) => unit.id === SOLSIKKEN)!.leaders.push({ id: users.tor.aadObjectId, name: users.tor.name });
      dir = mkdtempSync(join(tmpdir(), `laget-walk-${ladderId}-`));
      writeFileSync(join(dir, 'municipality.json'), JSON.stringify(municipality));
      running = await startTestLaget({ MUNICIPALITY_FILE: join(dir, 'municipality.json') }, { now: () => clock });
      per = new Conversation(running, users.per);
      await per.say('hei');
      // Nina works in Solsikken too (the municipality file's staff): a colleague to name as coordinator.
    });
    after(async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    for (const walk of walks) {
      it(`${walk.name}: ${walk.moves.join(' ')} then closed`, async () => {
        clock = T0;
        const kari = new Conversation(running, users.kari);
        const started = await startOnLadder(kari);
        const code = started.code;
        let card = started.card;
        for (const move of walk.moves) {
          const before = await readCase(running, code);
          const stepId = before.currentStep!.stepId;
          await doTheWork(kari, code, card);
          clock = new Date(clock.getTime() + 7 * DAY);
          card = await evaluate(kari, code, stepId, move);
          const after = await readCase(running, code);
          const target = findStep(ladder, stepId)!.outcomes![move];
          taken.add(`${stepId}-${move}`);
          if (target === null) {
            assert.equal(after.currentStep?.stepId, stepId, `the ladder ends at ${stepId}`);
            assert.match(textOf(card), /Trappen slutter her/);
          } else {
            assert.equal(after.currentStep?.stepId, target, `${stepId} ${move} leads to ${target}`);
          }
        }
        card = await doTheWork(kari, code, card);
        const close = lastCard(await kari.press(card, 'Avslutt saken'))!;
        const closed = await kari.press(close, 'Avslutt saken', { reason: walk.close });
        assert.match(allText(closed), new RegExp(`Saken ${code} er avsluttet`));
        assert.equal((await readCase(running, code)).closed?.reason, walk.close);
      });
    }

    it('took every transition of the ladder, and met every requirement and work kind it names', () => {
      const all = transitions(ladder).map((t) => `${t.from}-${t.outcome}`);
      const ends = ladder.steps.filter((s) => s.outcomes && (s.outcomes.a === null || s.outcomes.b === null)).map((s) => `${s.id}-b`);
      assert.deepEqual(
        [...new Set([...all, ...ends])].filter((t) => !taken.has(t)),
        [],
        'transitions not walked',
      );
      const requirements = new Set(
        ladder.steps.flatMap((s) => s.requires.map((r) => (r.kind === 'consent' && r.signed ? 'signed-consent' : r.kind))),
      );
      assert.deepEqual(
        [...requirements].filter((r) => !requirementsMet.has(r)),
        [],
        'requirements not met through a card',
      );
      const kinds = new Set(ladder.steps.flatMap((s) => s.work.map((w) => w.record.kind)));
      assert.deepEqual(
        [...kinds].filter((k) => !workDone.has(k)),
        [],
        'work kinds not done through a card',
      );
    });

    if (ladderId === 'aurskog-holand') {
      it('tells a second leader of the unit who the case’s leader is, and changes nothing', async () => {
        clock = T0;
        const kari = new Conversation(running, users.kari);
        const { code, card } = await startOnLadder(kari);
        const tor = new Conversation(running, users.tor);
        const answer = await tor.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'case' });
        assert.match(allText(answer), /Du er leder i enheten, men ikke nærmeste leder for denne saken – det er Per Hansen/);
        assert.doesNotMatch(allText(answer), /Prøv igjen/);
        const pressed = await tor.press(card, 'Legg til mål');
        assert.match(allText(pressed), /det er Per Hansen/);
      });
    }

    /** From "hjelp" to the case on the ladder's first step: the URO conversation and stage 1, as cards. */
    async function startOnLadder(chat: Conversation): Promise<{ code: string; card: Record<string, unknown> }> {
      const welcome = lastCard(await chat.say('hjelp'));
      const start = lastCard(await chat.press(welcome, 'Jeg er urolig for et barn'));
      const zone = await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' });
      const code = caseCodeIn(zone);
      const partA = lastCard(await chat.press(lastCard(zone), 'Videre', { zoneId: 'grey' }));
      requirementsMet.add('worry-form-part-a');
      const partB = lastCard(
        await chat.press(partA, 'Lagre og fortsett', { alias: 'E.H.', seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brått.' }),
      );
      const guide = lastCard(
        await chat.press(partB, 'Lagre og fortsett', { opening: 'Jeg har lagt merke til noe.', plannedOn: day(clock) }),
      );
      const partC = lastCard(await chat.press(guide, 'Jeg har hatt samtalen'));
      let stage1 = lastCard(await chat.press(partC, 'Lagre og fortsett', { heldOn: day(clock), howItWent: 'Godt.' }))!;
      if (buttonTitles(stage1).includes('Lagre notatet')) {
        stage1 = lastCard(await chat.press(stage1, 'Lagre notatet', { sign: 'true' }))!;
        requirementsMet.add('signed-parent-note');
      }
      const evaluationOn = day(new Date(clock.getTime() + 14 * DAY));
      const on = await chat.press(stage1, 'Start trinn 1', {
        goal1Text: 'Deltar i leken 3 av 5 dager',
        goal1Date: evaluationOn,
        evaluationOn,
      });
      requirementsMet.add('goals');
      workDone.add('goal'); // the goals of the first step, on the stage-1 card
      assert.equal((await readCase(running, code)).currentStep?.stepId, ladder.startStep);
      return { code, card: lastCard(on)! };
    }

    /** Every item of the step's work list, through the button on its row and the form it opens. */
    async function doTheWork(chat: Conversation, code: string, from: Record<string, unknown>): Promise<Record<string, unknown>> {
      let card = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'case' }))!;
      for (let guard = 0; guard < 10; guard += 1) {
        const missing = workRows(card);
        if (missing.length === 0) return card;
        const form = lastCard(await chat.press(card, missing[0]!))!;
        card = lastCard(await fill(chat, form))!;
      }
      assert.fail(`the work list of ${code} did not get done: ${textOf(card)} (from ${textOf(from).slice(0, 40)})`);
    }

    /** The buttons of the work list's missing items on a case card. */
    function workRows(card: Record<string, unknown>): string[] {
      const sections = ((card.body ?? []) as Array<{ items?: Array<{ text?: string; columns?: unknown[] }> }>).filter(
        (element) => element.items?.[0]?.text === 'Dette ber trinnet om',
      );
      return sections.flatMap((section) => section.items!.slice(1).flatMap((row) => buttonTitles(row as Record<string, unknown>)));
    }

    /** Fills a work form as a person would, from what the card asks. */
    async function fill(chat: Conversation, form: Record<string, unknown>): Promise<Reply[]> {
      const ids = inputIds(form);
      const text = textOf(form);
      const today = day(clock);
      if (ids.includes('conclusions')) {
        workDone.add('meeting');
        const services = (await readCase(running, caseCodeIn([{ text, activity: {} }]))).currentStep?.services.join(',') ?? '';
        return chat.press(form, 'Lagre referatet', {
          parents: 'both',
          conclusions: 'Hvem gjør hva, og når vi evaluerer.',
          ...(ids.includes('services') ? { services } : {}),
          sign: 'true',
          ...(ids.includes('parentsSignedOn')
            ? { parentsSignedOn: today, archivedAt: 'Solsikken barnehage, arkivmappe for referater' }
            : {}),
        });
      }
      if (ids.includes('targetOn')) {
        workDone.add('goal');
        return chat.press(form, 'Lagre målet', { text: 'Deltar i samlingsstunden 4 av 5 dager' });
      }
      if (ids.includes('what')) {
        workDone.add('action');
        return chat.press(form, 'Lagre tiltaket', { what: 'Fem minutter hver morgen', who: 'me' });
      }
      if (ids.includes('how')) {
        workDone.add('child-voice');
        return chat.press(form, 'Lagre barnets stemme', { text: 'Jeg liker å være ute.', how: 'said' });
      }
      if (/Signaturer/.test(text)) {
        return chat.press(form, 'Lagre signaturene', {
          ...(ids.includes('sign') ? { sign: 'true' } : {}),
          parentsSignedOn: today,
          archivedAt: 'Solsikken barnehage, arkivmappe for referater',
        });
      }
      assert.fail(`a work form the walk does not know: ${text}`);
    }

    /** The evaluation from the case card with the path's outcome, then the next step with all it asks for. */
    async function evaluate(chat: Conversation, code: string, stepId: string, move: Move): Promise<Record<string, unknown>> {
      const overview = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'case' }))!;
      const card = lastCard(await chat.press(overview, 'Evaluer nå'))!;
      const step = findStep(ladder, stepId)!;
      const question = step.outcomes!.labels!.question.nb;
      assert.ok(textOf(card).includes(question), `the evaluation of ${stepId} asks "${question}"`);
      const parentsAnswer = step.outcomes!.basis === 'parents-consent' && move === 'b';
      const replies = await chat.press(card, 'Registrer evalueringen', {
        outcome: move,
        ...(parentsAnswer ? { answeredBy: 'mother,father' } : {}),
      });
      const next = lastCard(replies)!;
      if (move === 'a' || parentsAnswer || step.outcomes!.b === null) return next;
      return enterNext(chat, code, next);
    }

    /** The proposed step: its form, what it requires, consent through the refusal's button, Per's approval. */
    async function enterNext(chat: Conversation, code: string, proposed: Record<string, unknown>): Promise<Record<string, unknown>> {
      const c = await readCase(running, code);
      const target = findStep(ladder, c.proposedStepId!)!;
      const approval = target.requires.some((r) => r.kind === 'leader-approval');
      const move = approval ? 'Be om godkjenning' : 'Start trinnet';
      assert.equal(buttonTitles(proposed)[0], move, 'the next move itself comes first');
      let form = lastCard(await chat.press(proposed, move))!;
      const submit = approval ? 'Send til Per Hansen' : 'Start trinnet';
      const services = ['helsestasjon', 'ppt', 'barnevern'].slice(0, target.sharesWithServices?.minServices ?? 0).join(',');
      const entry = (card: Record<string, unknown>) => {
        const ids = inputIds(card);
        return {
          ...(ids.includes('services') ? { services } : {}),
          ...(ids.includes('bothParentsInvited') ? { bothParentsInvited: 'true' } : {}),
          ...(ids.includes('parentsParticipate') ? { parentsParticipate: 'true' } : {}),
          ...(ids.includes('coordinatorId') ? { coordinatorId: users.nina.aadObjectId } : {}),
        };
      };
      let replies = await chat.press(form, submit, entry(form));
      if (/Samtykke mangler|signert samtykkeskjemaet/.test(allText(replies))) {
        const refusal = replies.find((reply) => reply.card && buttonTitles(reply.card).includes('Registrer samtykke'))!.card!;
        const consent = lastCard(await chat.press(refusal, 'Registrer samtykke'))!;
        form = lastCard(
          await chat.press(consent, 'Registrer samtykke', {
            givenBy: 'mother,father',
            services,
            purpose: 'Samarbeid om tiltak for barnet',
            givenOn: day(clock),
            validUntil: day(new Date(clock.getTime() + 360 * DAY)),
            archivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
            childOfAge: 'no',
          }),
        )!;
        requirementsMet.add('consent').add('signed-consent');
        assert.ok(textOf(form).includes(target.labels.nb), 'after the consent, back to the request it was for');
        replies = await chat.press(form, submit, entry(form));
      }
      for (const r of target.requires) requirementsMet.add(r.kind === 'consent' && r.signed ? 'signed-consent' : r.kind);
      if (!approval) {
        assert.equal((await readCase(running, code)).currentStep?.stepId, target.id);
        return lastCard(replies)!;
      }
      // Per approves from the approval card in his own chat (Action.Execute, his own identity).
      await running.laget.scheduler.runOnce(clock);
      const approvalCard = running.connector
        .activitiesIn(personalConversationId(users.per))
        .map((a) => cardOf(a))
        .filter((a) => a && textOf(a).includes(`Godkjenning: ${code}`))
        .at(-1)!;
      const action = ((approvalCard.actions ?? []) as Array<{ title?: string; data?: Record<string, unknown> }>).find(
        (a) => a.title === 'Godkjenn',
      );
      assert.ok(action?.data, 'Per’s card has Godkjenn');
      const response = await running.post(execute(running.connector.url, users.per, 'approval.decide', action.data));
      assert.equal(response.status, 200);
      assert.equal((await readCase(running, code)).currentStep?.stepId, target.id, 'approved: the case is on the step');
      return lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'case' }))!;
    }
  });
}

export type { Ladder };
