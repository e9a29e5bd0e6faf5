import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/case';
import { CaseRepository } from '../../src/store/case-repository';
import { users, type TestUser } from './activities';
import { allText, Conversation, inputIds, lastCard, type Reply } from './conversation';
import { textOf, type Running } from './laget';

/** Walks of the URO flow through the real bot, shared by the flow, reminder and ladder tests. */

export const SOLSIKKEN = 'solsikken-barnehage';

export function caseCodeIn(replies: Reply[]): string {
  const match = /UR-[0-9A-Z]{4}/.exec(allText(replies));
  assert.ok(match, `no case code in: ${allText(replies)}`);
  return match[0];
}

export async function readCase(running: Running, caseId: string, unitId = SOLSIKKEN): Promise<Case> {
  const found = await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).read({ caseId, unitId });
  assert.ok(found, `case ${caseId} is not in the store`);
  return found.doc;
}

/** The unit to choose on the start card — asked ("Hvor jobber du?") only of someone who works in several. */
function unitChoice(start: Record<string, unknown> | undefined, unitId: string): { unitId?: string } {
  return start && inputIds(start).includes('unitId') ? { unitId } : {};
}

/** From "hjelp" to the part A card, in the grey zone. */
export async function startGreyZoneCase(
  running: Running,
  user: TestUser = users.kari,
  unitId = SOLSIKKEN,
): Promise<{ chat: Conversation; code: string; partA: Record<string, unknown> }> {
  const chat = new Conversation(running, user);
  const welcome = lastCard(await chat.say('hjelp'));
  const start = lastCard(await chat.press(welcome, 'Jeg er urolig for et barn'));
  const zone = await chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no', ...unitChoice(start, unitId) });
  const code = caseCodeIn(zone);
  const partA = lastCard(await chat.press(lastCard(zone), 'Videre', { zoneId: 'grey' }));
  assert.match(textOf(partA), /Del A – konkretiser uroen/);
  return { chat, code, partA: partA! };
}

/** From "hjelp" to the guide after part B, with the conversation planned on `plannedOn`. */
export async function prepareConversation(running: Running, plannedOn: string, user: TestUser = users.kari, unitId = SOLSIKKEN) {
  const { chat, code, partA } = await startGreyZoneCase(running, user, unitId);
  const partB = lastCard(
    await chat.press(partA, 'Lagre og fortsett', {
      alias: 'E.H.',
      seenOrHeard: 'Trøtt og innesluttet.',
      whatWorriesMe: 'Endringen kom brått.',
    }),
  );
  const guide = lastCard(
    await chat.press(partB, 'Lagre og fortsett', { talkWith: 'both-parents', opening: 'Jeg har lagt merke til noe.', plannedOn }),
  );
  return { chat, code, guide: guide! };
}

/** From the guide to step 1: part C, the signed 1b note, then the goals and the evaluation date. */
export async function finishToStep1(
  chat: Conversation,
  guide: Record<string, unknown>,
  dates: { today: string; evaluationOn: string },
): Promise<Record<string, unknown>> {
  const partC = lastCard(await chat.press(guide, 'Jeg har hatt samtalen'));
  const note = lastCard(
    await chat.press(partC, 'Lagre og fortsett', { heldOn: dates.today, howItWent: 'Godt.', whatWasAgreed: 'Fem minutter hver morgen.' }),
  );
  assert.match(textOf(note), /notat fra samtalen med foreldrene/);
  const goals = lastCard(await chat.press(note, 'Lagre notatet', { noteHeldOn: dates.today, sign: 'true' }));
  const overview = lastCard(
    await chat.press(goals, 'Start trinn 1', {
      goal1Text: 'Deltar i samlingsstunden 3 av 5 dager',
      goal1Date: dates.evaluationOn,
      evaluationOn: dates.evaluationOn,
    }),
  );
  assert.match(textOf(overview), /står nå på trinn 1/);
  return overview!;
}

/** All the way to step 1, with the evaluation on `evaluationOn` (the conversation held `today`). */
export async function walkToStep1(
  running: Running,
  dates: { today: string; evaluationOn: string },
  user: TestUser = users.kari,
  unitId = SOLSIKKEN,
): Promise<{ chat: Conversation; code: string; overview: Record<string, unknown> }> {
  const { chat, code, guide } = await prepareConversation(running, dates.today, user, unitId);
  return { chat, code, overview: await finishToStep1(chat, guide, dates) };
}
