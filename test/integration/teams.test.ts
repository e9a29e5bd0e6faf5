import assert from 'node:assert/strict';
import { teamKeyOf } from '../../src/store/teams';
import { botInstalledInTeam, CHANNEL, personalConversationId, users } from '../support/activities';
import { allText, Conversation, lastCard } from '../support/conversation';
import type { ConnectorCall } from '../support/fake-connector';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { readCase, walkToStep1 } from '../support/uro-walk';

/** A clock the test moves through the weeks around two meetings. */
let instant = new Date('2026-03-02T08:00:00Z');
const clock = () => instant;
const at = (iso: string) => {
  instant = new Date(iso);
  return instant;
};

const BJORKELANGEN = 'bjorkelangen-skole';
const TEAM = teamKeyOf(CHANNEL.teamId);

/** What the scheduler posted as new threads in the team's channel (TeamsInfo.sendMessageToTeamsChannel). */
function channelThreads(running: Running): string[] {
  return running.connector.calls
    .filter((call: ConnectorCall) => call.method === 'POST' && call.path === '/v3/conversations')
    .map((call) => textOf(cardOf((call.activity as { activity?: Record<string, unknown> }).activity)));
}

describe('the interdisciplinary team in its channel: set-up, items, and the rhythm exactly once', () => {
  let running: Running;
  let ola: Conversation;
  let lise: Conversation;
  const codes: { anonymous?: string; named?: string } = {};

  before(async () => {
    running = await startTestLaget({}, { now: clock });
    ola = Conversation.inChannel(running, users.ola);
    lise = new Conversation(running, users.lise);
    await new Conversation(running, users.ola).say('hei'); // Ola (the lead) has a personal chat with Laget
  });
  after(async () => running.stop());

  it('introduces itself when installed in the team and offers the set-up, without any child data', async () => {
    const before = running.connector.calls.length;
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    const texts = running.connector.calls.slice(before).map((call) => textOf(cardOf(call.activity)));
    assert.ok(texts.some((text) => /Laget er lagt til i teamet/.test(text)));
    assert.ok(texts.some((text) => /Sett opp teamet/.test(text)));
  });

  it('sets up a meeting series from the card in the channel', async () => {
    const form = lastCard(await ola.say('sett opp team'));
    assert.match(textOf(form), /Sett opp teamet/);
    const saved = await ola.press(form, 'Lagre møteserien', {
      name: 'Tverrfaglig team, Bjørkelangen skole',
      kind: 'interdisciplinary',
      unitId: BJORKELANGEN,
      scheduleKind: 'dates',
      dates: '2026-03-17, 2026-04-28',
      start: '09:00',
      end: '10:30',
      leadId: users.ola.aadObjectId,
      roles: 'leader,teacher,ppt,health-nurse',
    });
    const text = allText(saved);
    assert.match(text, /Møteserien for Tverrfaglig team, Bjørkelangen skole er lagret/);
    assert.match(text, /tirsdag 17. mars 2026 kl. 09:00–10:30/);
    assert.match(text, /tirsdag 28. april 2026 kl. 09:00–10:30/);
    const team = await running.laget.services.teams.read(TEAM);
    assert.equal(team?.doc.active, true);
    assert.equal(team?.doc.lead?.name, 'Ola Dahl');
  });

  it('S6: takes Lise’s case anonymously (code and a neutral question), refuses the alias in it', async () => {
    const { chat, code, overview } = await walkToStep1(running, { today: '2026-03-02', evaluationOn: '2026-03-30' }, users.lise, BJORKELANGEN);
    codes.anonymous = code;
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    const withAlias = await chat.press(bring, 'Meld inn', { mode: 'anonymous', question: 'Hva gjør vi med E.H. i friminuttene?' });
    assert.match(allText(withAlias), /anonym sak i teamet kan ikke nevne kallenavnet/);
    const brought = await chat.press(bring, 'Meld inn', { mode: 'anonymous', question: 'Hvordan kan vi støtte et barn som trekker seg unna i lek?' });
    assert.match(allText(brought), new RegExp(`${code} er meldt inn til Tverrfaglig team, Bjørkelangen skole, tirsdag 17. mars 2026 .* \\(anonym\\)`));
  });

  it('S6: refuses to bring a case by name without a consent covering the team, and accepts it with one', async () => {
    const { chat, code, overview } = await walkToStep1(running, { today: '2026-03-02', evaluationOn: '2026-03-30' }, users.lise, BJORKELANGEN);
    codes.named = code;
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    const refused = await chat.press(bring, 'Meld inn', { mode: 'named', question: 'Samarbeid rundt E.H.' });
    assert.match(allText(refused), /Samtykke mangler: foreldrenes samtykke må dekke Tverrfaglig team, Bjørkelangen skole/);

    const consentCard = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: BJORKELANGEN, view: 'consent' }));
    await chat.press(consentCard, 'Registrer samtykke', {
      givenBy: 'mother,father',
      teams: TEAM,
      purpose: 'Drøfting i tverrfaglig team',
      givenOn: '2026-03-02',
      validUntil: '2026-12-31',
      childOfAge: 'no',
    });
    const again = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: BJORKELANGEN, view: 'team' }));
    const brought = await chat.press(again, 'Meld inn', { mode: 'named', question: 'Samarbeid rundt E.H.' });
    assert.match(allText(brought), /\(navngitt \(samtykke\)\)/);
    assert.ok((await readCase(running, code, BJORKELANGEN)).teamItems.some((item) => item.mode === 'named'));
  });

  it('posts the call for cases seven days before, at 09:00 Oslo time, exactly once', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-10T07:50:00Z')); // 08:50 in Oslo
    assert.equal(channelThreads(running).filter((text) => /Innkalling/.test(text)).length, 0, 'not before 09:00');
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-10T08:06:00Z'));
    const calls = channelThreads(running).filter((text) => /Innkalling: Tverrfaglig team/.test(text));
    assert.equal(calls.length, 1);
    assert.match(calls[0]!, /Møte tirsdag 17. mars 2026 kl. 09:00–10:30/);
  });

  it('reminds Lise of her items two days before (moved off the Sunday), in her own chat', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-13T08:05:00Z')); // Friday 09:05
    const reminders = running.connector.activitiesIn(personalConversationId(users.lise)).map((a) => textOf(cardOf(a))).filter((t) => /Tverrfaglig team tirsdag 17. mars/.test(t));
    assert.equal(reminders.length, 1);
    assert.match(reminders[0]!, new RegExp(`${codes.anonymous}.*${codes.named}|${codes.named}.*${codes.anonymous}`));
  });

  it('posts the agenda the day before with codes, slots and who brings them — never an alias', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z')); // Monday 12:05
    const agendas = channelThreads(running).filter((text) => /Saksliste: Tverrfaglig team/.test(text));
    assert.equal(agendas.length, 1);
    const agenda = agendas[0]!;
    assert.match(agenda, new RegExp(`1\\. ${codes.anonymous} · 45 min · Lise Berg · anonym\\nHvordan kan vi støtte et barn som trekker seg unna i lek\\?`));
    assert.match(agenda, new RegExp(`2\\. ${codes.named} · 45 min · Lise Berg · navngitt \\(samtykke\\)`));
    assert.doesNotMatch(agenda, /E\.H\.|Samarbeid rundt/, 'no alias, and the named item’s question stays out of the channel');
  });

  it('posts the minutes template after the meeting; the lead writes them in his own chat and the measures go to the owner', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-17T09:35:00Z')); // 10:35, after the meeting
    const minutesCall = running.connector.calls.filter((call) => call.path === '/v3/conversations').map((call) => cardOf((call.activity as { activity?: Record<string, unknown> }).activity)).find((card) => /Referat: Tverrfaglig team/.test(textOf(card)));
    assert.ok(minutesCall);
    assert.doesNotMatch(textOf(minutesCall), /Hvordan kan vi støtte/, 'the minutes post shows no more than the agenda');

    const sent = await ola.press(minutesCall, 'Skriv referat');
    assert.match(allText(sent), /Referatskjemaet er sendt til deg i 1:1-chatten/);
    const olaPersonal = new Conversation(running, users.ola);
    const form = running.connector.activitiesIn(personalConversationId(users.ola)).map(cardOf).filter(Boolean).find((card) => /Referat: Tverrfaglig team/.test(textOf(card)));
    assert.ok(form, 'the form arrives in Ola’s personal chat');
    const saved = await olaPersonal.press(form, 'Lagre referatet', {
      item1Known: 'Trekker seg unna i friminutt.',
      item1Measure: 'Fast voksen i friminuttene',
      item1Who: 'Kontaktlærer',
      item1Due: '2026-04-14',
    });
    assert.match(allText(saved), new RegExp(`Tiltakene er sendt til stafettholderen for ${codes.anonymous}`));
    const measures = running.connector.activitiesIn(personalConversationId(users.lise)).map(cardOf).filter(Boolean).find((card) => /Fra tverrfaglig team/.test(textOf(card)));
    assert.ok(measures);
    const added = await lise.press(measures, 'Legg til i saken');
    assert.match(allText(added), /Tiltakene er lagt til/);
    const stored = await readCase(running, codes.anonymous!, BJORKELANGEN);
    assert.ok(stored.actions.some((action) => action.what.startsWith('Fast voksen i friminuttene')));
  });

  it('never posts the same message twice, however often the scheduler runs', async () => {
    const before = channelThreads(running).length;
    await running.laget.scheduler.runOnce(instant);
    await running.laget.scheduler.runOnce(instant);
    assert.equal(channelThreads(running).length, before);
  });

  it('stops the rhythm and tells the lead when Laget has been removed from the team (403)', async () => {
    running.connector.behaviour = (call) =>
      call.path === '/v3/conversations' ? { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } } } : undefined;
    await running.laget.scheduler.runOnce(at('2026-04-21T07:05:00Z')); // the next meeting's call for cases (summer time: 09:05)
    running.connector.behaviour = () => undefined;
    assert.equal((await running.laget.services.teams.read(TEAM))?.doc.active, false);
    await running.laget.scheduler.runOnce(instant);
    const told = running.connector.activitiesIn(personalConversationId(users.ola)).map((a) => textOf(cardOf(a)));
    assert.ok(told.some((text) => /Laget er fjernet fra teamet Tverrfaglig team, Bjørkelangen skole/.test(text)));
  });

  it('has shown no alias, initials or identity number in any channel post', () => {
    const posts = [...channelThreads(running), ...running.connector.activitiesIn(CHANNEL.channelId).map((a) => textOf(cardOf(a)) + String(a.text ?? ''))];
    assert.ok(posts.length >= 5);
    for (const post of posts) {
      assert.doesNotMatch(post, /E\.H\./);
      assert.doesNotMatch(post, /\d{6}\s?\d{5}/);
    }
  });
});
