import assert from 'node:assert/strict';
import { walkTo } from '../support/ladder-walk';
import { loadLadder } from '../../src/domain/ladder';
import { CaseRepository } from '../../src/store/case-repository';
import { users } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { readCase, SOLSIKKEN, walkToStep1 } from '../support/uro-walk';

/**
 * Working a case between the moves of the ladder, through the real bot: the defects issue 13
 * found on the way (the 3b question, a stale evaluation card, the dead end after "not better",
 * evaluating before the step's work is done), each as the test that failed before its fix.
 */

/** Monday 2 March 2026, 09:00 in Oslo. */
const T0 = new Date('2026-03-02T08:00:00Z');
const DAY = 86_400_000;
const ladder = loadLadder('aurskog-holand');

const dayOf = (instant: Date) => instant.toISOString().slice(0, 10);

describe('working a case: the defects found walking it (issue 13)', () => {
  let running: Running;
  let clock = T0;
  before(async () => {
    running = await startTestLaget({}, { now: () => clock });
    await new Conversation(running, users.per).say('hei');
  });
  after(async () => running.stop());
  beforeEach(() => {
    clock = T0;
  });

  const repository = () => new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
  const rev = async (code: string) => (await repository().read({ caseId: code, unitId: SOLSIKKEN }))!.etag;
  const show = (chat: Conversation, code: string, view: string) =>
    chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view });

  /** A case put straight onto `stepId` by the domain's ladder walker, with the clock on its last day. */
  async function caseOnStep(stepId: string, caseId: string) {
    const walk = walkTo(ladder, stepId, { caseId, start: new Date(T0.getTime() - 250 * DAY) });
    clock = walk.now;
    await repository().create(walk.case);
    return walk.case;
  }

  it('asks at 3b for the parents’ answer in the ladder’s words, and records only the no the owner says was given, by whom', async () => {
    const c = await caseOnStep('3b', 'UR-D3BQ');
    const kari = new Conversation(running, users.kari);
    const evaluation = lastCard(await show(kari, c.id, 'evaluation'));
    const text = textOf(evaluation);
    assert.match(text, /samtykker de i hjelp fra andre fagpersoner\?/, 'the question of 3b’s outcome: the parents’ answer');
    assert.match(text, /b – Nei, foreldrene samtykker ikke \(4b\)/);
    assert.doesNotMatch(text, /Har barnet fått det bedre\?/, 'not the question of a step judged by the child’s development');

    // "No" without saying who said it records nothing: no refusal "by a parent" that nobody entered.
    const unsaid = await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b', answeredBy: '' });
    assert.match(allText(unsaid), /Velg hvem som sa nei/);
    const unchanged = await readCase(running, c.id);
    assert.equal(unchanged.consents.filter((r) => r.kind === 'refused').length, 0);
    assert.equal(unchanged.currentStep?.stepId, '3b');

    const said = await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b', answeredBy: 'mother' });
    assert.match(allText(said), /Foreldrenes nei er registrert/);
    const stored = await readCase(running, c.id);
    const refusal = stored.consents.find((r) => r.kind === 'refused');
    assert.deepEqual(refusal?.kind === 'refused' ? refusal.refusedBy : undefined, ['mother'], 'recorded as the mother’s no, as Kari said');
    assert.equal(stored.currentStep?.stepId, '4b');
  });

  it('answers a stale evaluation card with what happened since, and the current card without the old answers', async () => {
    const evaluationOn = dayOf(new Date(T0.getTime() + 28 * DAY));
    const { chat: kari, code, overview } = await walkToStep1(running, { today: dayOf(T0), evaluationOn });
    clock = new Date(T0.getTime() + 28 * DAY);
    const staleCard = lastCard(await kari.press(overview, 'Evaluer nå'));
    const card = lastCard(await kari.press(overview, 'Evaluer nå'));
    await kari.press(card, 'Registrer evalueringen', { outcome: 'b' });
    const form = lastCard(await show(kari, code, 'next-step'));
    await kari.press(form, 'Start trinnet', { bothParentsInvited: 'true', evaluationOn: '2026-05-11' });
    const before = await readCase(running, code);
    assert.equal(before.currentStep?.stepId, '2b');

    const replies = await kari.press(staleCard, 'Registrer evalueringen', { outcome: 'b' });
    assert.match(allText(replies), /1a og 1b ble evaluert 30\. mars 2026 \(ikke bedre\)\. Saken står nå på 2b, evaluering 11\. mai 2026\./);
    assert.doesNotMatch(allText(replies), /send igjen/, 'no answer from another step is offered again');
    const next = lastCard(replies)!;
    const outcome = findInput(next, 'outcome');
    assert.ok(!outcome || outcome.value === '', 'the card that follows holds no answer from step 1');
    const after = await readCase(running, code);
    assert.equal(after.evaluations.length, before.evaluations.length, 'nothing was recorded');
    assert.equal(after.currentStep?.stepId, '2b');
  });

  it('offers the next move itself after "not better": start the step, or ask the leader', async () => {
    const evaluationOn = dayOf(new Date(T0.getTime() + 28 * DAY));
    const { chat: kari, code, overview } = await walkToStep1(running, { today: dayOf(T0), evaluationOn });
    clock = new Date(T0.getTime() + 28 * DAY);
    const evaluation = lastCard(await kari.press(overview, 'Evaluer nå'));
    const proposed = lastCard(await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b' }));
    assert.match(textOf(proposed), /Neste trinn: 2b/);
    assert.equal(buttonTitles(proposed!)[0], 'Start trinnet', 'the move itself comes first');
    const form = lastCard(await kari.press(proposed, 'Start trinnet'));
    assert.match(textOf(form), /Start trinnet: 2b/);
    assert.ok(inputIds(form!).includes('bothParentsInvited'));
    assert.equal((await readCase(running, code)).proposedStepId, '2b');
  });

  it('does not evaluate 2b before the open dialogue’s minutes exist, nor on the day it began without a reason', async () => {
    const evaluationOn = dayOf(new Date(T0.getTime() + 28 * DAY));
    const { chat: kari, code, overview } = await walkToStep1(running, { today: dayOf(T0), evaluationOn });
    clock = new Date(T0.getTime() + 28 * DAY);
    const evaluation = lastCard(await kari.press(overview, 'Evaluer nå'));
    await kari.press(evaluation, 'Registrer evalueringen', { outcome: 'b' });
    const form = lastCard(await show(kari, code, 'next-step'));
    const on2b = lastCard(await kari.press(form, 'Start trinnet', { bothParentsInvited: 'true', evaluationOn: '2026-05-11' }));
    assert.equal((await readCase(running, code)).currentStep?.stepId, '2b');

    const early = lastCard(await kari.press(on2b, 'Evaluer nå'));
    assert.match(textOf(early), /Undringssamtale med begge foreldrene, med skriftlig referat/, 'the card says what is missing');
    assert.ok(!buttonTitles(early!).includes('Registrer evalueringen'), 'and offers no evaluation that would be refused');

    // A forged or old submit is refused by the domain, with the reason.
    const forced = await kari.submitRaw({ verb: 'case.evaluation', caseId: code, unitId: SOLSIKKEN, rev: await rev(code), outcome: 'b' });
    assert.match(allText(forced), /kan ikke evalueres ennå: «Undringssamtale med begge foreldrene, med skriftlig referat» mangler/);
    const stored = await readCase(running, code);
    assert.equal(stored.currentStep?.stepId, '2b');
    assert.equal(stored.evaluations.length, 1, 'only step 1’s evaluation');
  });
});

function findInput(card: Record<string, unknown>, id: string): { value?: unknown } | undefined {
  let found: { value?: unknown } | undefined;
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (!found && typeof record.type === 'string' && record.type.startsWith('Input.') && record.id === id) found = record;
      Object.values(record).forEach(walk);
    }
  };
  walk(card);
  return found;
}
