import assert from 'node:assert/strict';
import type { PlaygroundClient, ReceivedCard } from './playground-client';

/**
 * The URO flow in the Agents Playground, as a person walks it after `npm start`: from "hjelp" to
 * a documented case on step 1 (grey zone, parts A, B and C, the signed parent note), pressing each
 * card's buttons with what the Playground's UI would send.
 */
export async function walkToStep1InPlayground(
  chat: PlaygroundClient,
  dates: { today: string; evaluationOn: string },
): Promise<{ code: string; overview: ReceivedCard }> {
  const { today, evaluationOn } = dates;
  const welcome = await chat.expectCard(() => chat.say('hjelp'), /Hei! Jeg er Laget/);
  const start = await chat.expectCard(() => chat.press(welcome, 'Jeg er urolig for et barn'), /Sikkerheten kommer alltid først/);
  const zone = await chat.expectCard(
    () => chat.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' }),
    /Hvor stor er uroen\?/,
  );
  const code = /UR-[0-9A-Z]{4}/.exec(zone.text)?.[0];
  assert.ok(code, `no case code on the zone card:\n${zone.text}`);
  const partA = await chat.expectCard(() => chat.press(zone, 'Videre', { zoneId: 'grey' }), /Del A – konkretiser uroen/);
  const partB = await chat.expectCard(
    () =>
      chat.press(partA, 'Lagre og fortsett', {
        alias: 'E.H.',
        seenOrHeard: 'Trøtt og innesluttet i samlingsstunden de siste to ukene.',
        whatWorriesMe: 'Endringen kom brått.',
        copesWellWhere: 'Ute, i lek med én venn.',
      }),
    /Del B – forbered samtalen med foreldrene/,
  );
  const guide = await chat.expectCard(
    () =>
      chat.press(partB, 'Lagre og fortsett', {
        talkWith: 'both-parents',
        opening: 'Jeg har lagt merke til at E.H. virker trøtt om morgenen.',
        helpWeCanOffer: 'Faste, små samtaler hver morgen.',
        plannedOn: today,
      }),
    new RegExp(`Samtaleguide for ${code} \\(E\\.H\\.\\)`),
  );
  const partC = await chat.expectCard(() => chat.press(guide, 'Jeg har hatt samtalen'), /Del C – etter samtalen/);
  // Stage 1 in two cards: the signed note from the conversation with the parents (1b), then the goals and actions (1a).
  const note = await chat.expectCard(
    () =>
      chat.press(partC, 'Lagre og fortsett', {
        heldOn: today,
        howItWent: 'Rolig og åpen samtale med begge foreldrene.',
        whatWasAgreed: 'Fem minutter med E.H. hver morgen; foreldrene følger med på søvnen.',
      }),
    /Trinn 1: notat fra samtalen med foreldrene/,
  );
  assert.match(note.text, /Foreldre har rett til å vite!/);
  const stage1 = await chat.expectCard(
    () => chat.press(note, 'Lagre notatet', { noteHeldOn: today, sign: 'true' }),
    /Trinn 1: mål og evaluering/,
  );
  const overview = await chat.expectCard(
    () =>
      chat.press(stage1, 'Start trinn 1', {
        goal1Text: 'E.H. deltar i samlingsstunden 3 av 5 dager innen 4 uker',
        goal1Date: evaluationOn,
        evaluationOn,
      }),
    new RegExp(`${code} står nå på trinn 1`),
  );
  return { code, overview };
}
