import assert from 'node:assert/strict';
import type { Schedule } from '../../src/domain/meeting-series';
import { jobId } from '../../src/scheduler/job-id';
import { JobStore } from '../../src/scheduler/job-store';
import { MEETING_JOB_KINDS } from '../../src/scheduler/meeting-jobs';
import { SYSTEM_READER } from '../../src/workflow/case-service';
import { newJob } from '../../src/scheduler/job';
import { TeamScheduleBackfillTask, teamScheduleBackfill } from '../../src/workflow/schedule-backfill';
import type { TeamMeeting } from '../../src/domain/team';
import { botInstalledInTeam, CHANNEL, personalConversationId, users } from '../support/activities';
import { allText, buttonTitles, Conversation, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import {
  BJORKELANGEN,
  channelPosts,
  channelThreads,
  personalCards,
  RHYTHM_BUTTON,
  setUpTeam,
  startWithTeam as startTeam,
  TEAM,
} from '../support/team-walk';
import { readCase, walkToStep1 } from '../support/uro-walk';

/** A clock the test moves through the weeks around two meetings. */
let instant = new Date('2026-03-02T08:00:00Z');
const clock = () => instant;
const at = (iso: string) => {
  instant = new Date(iso);
  return instant;
};

/** The cards of the threads the scheduler posted in the team's channel. */
function channelCards(running: Running): Record<string, unknown>[] {
  return channelPosts(running).map((post) => post.card);
}

/** A free-text question of the kind staff type, naming a child: it must never reach a channel. */
const PRIVATE_NOTE = 'Emma Hansen (4 år) på Blå avdeling – mistanke om vold hjemme?';
const NEVER_IN_A_CHANNEL = /Emma|Blå avdeling|vold hjemme|E\.H\.|Samarbeid rundt/;

/** The team and one meeting's record, as stored. */
async function storedTeam(running: Running) {
  return (await running.laget.repositories.teams.read(TEAM))!.doc;
}
async function storedMeeting(running: Running, meetingId = '2026-03-17-0900'): Promise<TeamMeeting | undefined> {
  return (await running.laget.repositories.teams.readMeeting(TEAM, meetingId))?.doc;
}

/** Laget on 2 March 2026, installed in Bjørkelangen's team, its series set up by Ola (who has a personal chat). */
async function startWithTeam(env: Record<string, string> = {}): Promise<Running> {
  instant = new Date('2026-03-02T08:00:00Z');
  return startTeam(clock, env);
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

  it('sets up a meeting series from the cards in the channel: the kind of rhythm first, then only its fields', async () => {
    const saved = await setUpTeam(ola, {});
    const text = allText(saved);
    assert.match(text, /Møteserien for Tverrfaglig team, Bjørkelangen skole er lagret/);
    assert.match(text, /tirsdag 17. mars 2026 kl. 09:00–10:30/);
    assert.match(text, /tirsdag 28. april 2026 kl. 09:00–10:30/);
    const team = await storedTeam(running);
    assert.equal(team.active, true);
    assert.equal(team.lead?.name, 'Ola Dahl');
  });

  it('S6: takes Lise’s case anonymously with a question from the fixed list; her own free-text note stays with the case', async () => {
    const { chat, code, overview } = await walkToStep1(
      running,
      { today: '2026-03-02', evaluationOn: '2026-03-30' },
      users.lise,
      BJORKELANGEN,
    );
    codes.anonymous = code;
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    assert.match(
      textOf(bring),
      /Råd om videre tiltak[\s\S]*Bør andre tjenester involveres\?[\s\S]*Drøfte om det er grunnlag for bekymringsmelding[\s\S]*Annet – tas muntlig i møtet/,
    );
    const brought = await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures', note: PRIVATE_NOTE });
    assert.match(
      allText(brought),
      new RegExp(`${code} er meldt inn til Tverrfaglig team, Bjørkelangen skole, tirsdag 17. mars 2026 .* \\(anonym\\)`),
    );
    const item = (await readCase(running, code, BJORKELANGEN)).teamItems.at(-1);
    assert.deepEqual(
      [item?.questionId, item?.note, item?.meetingId],
      ['further-measures', PRIVATE_NOTE, '2026-03-17-0900'],
      'the note is the owner’s, in the case',
    );
    const record = await storedMeeting(running);
    assert.deepEqual(
      record?.items.map((i) => i.id),
      [`case-${code}`],
      'the agenda item is the source of truth; the case refers to it',
    );
    assert.doesNotMatch(
      JSON.stringify([await storedTeam(running), record]),
      NEVER_IN_A_CHANNEL,
      'the team (what the channel is composed from) never holds the note',
    );
  });

  it('refuses a free-text question in place of a choice from the list, and changes nothing', async () => {
    const lise = new Conversation(running, users.lise);
    const before = (await storedMeeting(running))?.items.length;
    const replies = await lise.submitRaw({
      verb: 'team.bring',
      caseId: codes.anonymous,
      unitId: BJORKELANGEN,
      rev: '"x"',
      meeting: `${TEAM}|2026-03-17-0900`,
      mode: 'anonymous',
      question: PRIVATE_NOTE,
    });
    assert.match(allText(replies), /questionId|question/);
    assert.equal((await storedMeeting(running))?.items.length, before);
  });

  it('S6: refuses to bring a case by name without a consent covering the team, and accepts it with one', async () => {
    const { chat, code, overview } = await walkToStep1(
      running,
      { today: '2026-03-02', evaluationOn: '2026-03-30' },
      users.lise,
      BJORKELANGEN,
    );
    codes.named = code;
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    const refused = await chat.press(bring, 'Meld inn', { mode: 'named', questionId: 'other-services', note: 'Samarbeid rundt E.H.' });
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
    const brought = await chat.press(again, 'Meld inn', { mode: 'named', questionId: 'other-services', note: 'Samarbeid rundt E.H.' });
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
    // The deadline is the moment the agenda is drawn (Monday 16 March, 12:00), not the agenda's day.
    assert.match(calls[0]!, /Meld inn saker innen mandag 16. mars 2026 kl. 12:00 – da lages sakslisten/);
  });

  it('takes a topic from a member in the team’s channel before the agenda, and answers with a button to take it off', async () => {
    at('2026-03-12T09:00:00Z');
    const form = lastCard(await ola.say('tema'));
    const saved = await ola.press(form, 'Meld inn et tema', { meetingId: '2026-03-17-0900', topic: 'Rutiner for overgangsmøter' });
    assert.match(allText(saved), /Temaet er meldt inn til tirsdag 17. mars 2026/);
    assert.ok(buttonTitles(lastCard(saved)!).includes('Trekk temaet'));
  });

  it('reminds Lise of her items two days before (moved off the Sunday), in her own chat', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-13T08:05:00Z')); // Friday 09:05
    const reminders = running.connector
      .activitiesIn(personalConversationId(users.lise))
      .map((a) => textOf(cardOf(a)))
      .filter((t) => /Tverrfaglig team tirsdag 17. mars/.test(t));
    assert.equal(reminders.length, 1);
    assert.match(reminders[0]!, new RegExp(`${codes.anonymous}.*${codes.named}|${codes.named}.*${codes.anonymous}`));
  });

  it('posts the agenda the day before with codes, slots, who brings them and the question from the list — never an alias or a note', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z')); // Monday 12:05
    const agendas = channelThreads(running).filter((text) => /Saksliste: Tverrfaglig team/.test(text));
    assert.equal(agendas.length, 1);
    const agenda = agendas[0]!;
    assert.match(agenda, new RegExp(`1\\. ${codes.anonymous} · 30 min · Lise Berg · anonym\\nRåd om videre tiltak`));
    assert.match(
      agenda,
      new RegExp(`2\\. ${codes.named} · 30 min · Lise Berg · navngitt \\(samtykke\\)\\nBør andre tjenester involveres\\?`),
    );
    assert.match(agenda, /3\. Tema · 30 min · Ola Dahl\nRutiner for overgangsmøter/);
    assert.doesNotMatch(agenda, NEVER_IN_A_CHANNEL, 'no alias, and no owner’s note');
  });

  it('audits each case behind the agenda once, as the system’s read for the channel', async () => {
    for (const code of [codes.anonymous!, codes.named!]) {
      const entries = (await running.laget.repositories.audit.forCase(code)).filter((e) => e.command === MEETING_JOB_KINDS.agenda);
      assert.deepEqual(
        entries.map(({ actorId, operation, basis, outcome }) => ({ actorId, operation, basis, outcome })),
        [{ actorId: SYSTEM_READER, operation: 'read', basis: 'system', outcome: 'allowed' }],
        `${code}: one entry`,
      );
    }
  });

  it('offers the next meeting for a topic brought after the agenda went out, keeping what was typed; nothing is added behind the agenda', async () => {
    at('2026-03-16T14:00:00Z');
    const form = lastCard(await ola.say('tema'));
    assert.doesNotMatch(textOf(form), /17\. mars/, 'the meeting whose agenda is out is not offered');
    const late = await ola.submitRaw({
      verb: 'team.topic',
      teamId: TEAM,
      meetingId: '2026-03-17-0900',
      topic: 'Fravær etter vinterferien',
    });
    const again = lastCard(late);
    assert.match(
      allText(late),
      /Sakslisten til dette møtet er allerede laget[\s\S]*Neste møte som tar imot saker: tirsdag 28\. april 2026/,
    );
    assert.ok(JSON.stringify(again).includes('Fravær etter vinterferien'), 'the topic stays as typed');
    const record = await storedMeeting(running);
    assert.deepEqual(record?.agenda?.itemIds.length, 3, 'the agenda listed the two cases and the topic');
    assert.equal(record?.items.length, 3, 'nothing was added after it');
  });

  it('posts the minutes template after the meeting, showing only what the agenda showed', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-17T09:35:00Z')); // 10:35, after the meeting
    const minutes = channelCards(running).find((card) => /Referat: Tverrfaglig team/.test(textOf(card)));
    assert.ok(minutes);
    const text = textOf(minutes);
    assert.match(text, new RegExp(`1\\. ${codes.anonymous} · 30 min · Lise Berg · anonym`));
    assert.match(text, new RegExp(`2\\. ${codes.named} · 30 min · Lise Berg · navngitt \\(samtykke\\)`));
    assert.match(text, /3\. Tema · 30 min · Ola Dahl/);
    assert.doesNotMatch(
      text,
      /Råd om videre tiltak|Rutiner for overgangsmøter|Fravær etter vinterferien/,
      'first lines only, as the agenda listed',
    );
    assert.doesNotMatch(text, NEVER_IN_A_CHANNEL);
  });

  it('lets the owner write the minutes of her named item into the case itself: goal, measure, a note and the next evaluation', async () => {
    const minutesPost = channelCards(running).find((card) => /Referat: Tverrfaglig team/.test(textOf(card)));
    const inChannelBefore = running.connector.activitiesIn(CHANNEL.channelId).length;
    const sent = await Conversation.inChannel(running, users.lise).press(minutesPost, 'Skriv referat');
    assert.deepEqual(
      sent.map((reply) => [reply.invoke === true, reply.text]),
      [[true, 'Referatskjemaet er sendt til deg i 1:1-chatten med Laget.']],
      'the answer is Lise’s alone; nothing is posted in the channel',
    );
    assert.equal(running.connector.activitiesIn(CHANNEL.channelId).length, inChannelBefore);
    const form = personalCards(running, users.lise)
      .filter((card) => /Referat: Tverrfaglig team/.test(textOf(card)))
      .at(-1);
    assert.ok(form, 'the form arrives in Lise’s own chat');
    const formText = textOf(form);
    assert.match(
      formText,
      new RegExp(`1\\. ${codes.anonymous} – Råd om videre tiltak[\\s\\S]*Notat fra Lise Berg: ${PRIVATE_NOTE.replace(/[()?]/g, '\\$&')}`),
      'the owner sees her own note',
    );
    assert.match(formText, new RegExp(`2\\. ${codes.named} – Bør andre tjenester involveres\\?`));
    assert.doesNotMatch(formText, /Rutiner for overgangsmøter/, 'only her own items');

    const saved = await lise.press(form, 'Lagre referatet', {
      present: 'leader,teacher,ppt',
      item2Known: 'Mye fravær, trives i gymtimene.',
      item2Goal: 'Deltar i friminuttlek 3 av 5 dager',
      item2GoalOn: '2026-04-14',
      item2Measure1: 'Ukentlig samtale med helsesykepleier',
      item2Who1: 'Helsesykepleier',
      item2Due1: '2026-04-07',
      item2Next: '2026-04-14',
    });
    const report = allText(saved);
    assert.match(report, new RegExp(`Skrevet inn i saken: ${codes.named}\\.`));
    assert.match(report, new RegExp(`Ikke skrevet \\(tomt\\), kan skrives senere: ${codes.anonymous}\\.`));
    const named = await readCase(running, codes.named!, BJORKELANGEN);
    assert.ok(named.goals.some((goal) => goal.text === 'Deltar i friminuttlek 3 av 5 dager' && goal.targetOn === '2026-04-14'));
    assert.ok(named.actions.some((action) => action.what === 'Ukentlig samtale med helsesykepleier' && action.dueOn === '2026-04-07'));
    assert.ok(named.notes.some((note) => note.kind === 'internal' && note.text.includes('Mye fravær, trives i gymtimene.')));
    assert.equal(named.nextDates.evaluationOn, '2026-04-14');
  });

  it('sends the lead’s minutes of the anonymous item to its owner to record, reports an item it cannot deliver and keeps it open', async () => {
    const minutesPost = channelCards(running).find((card) => /Referat: Tverrfaglig team/.test(textOf(card)));
    await ola.press(minutesPost, 'Skriv referat');
    const olaPersonal = new Conversation(running, users.ola);
    const form = personalCards(running, users.ola)
      .filter((card) => /Referat: Tverrfaglig team/.test(textOf(card)))
      .at(-1);
    assert.ok(form, 'the form arrives in Ola’s personal chat');
    const formText = textOf(form);
    assert.match(formText, new RegExp(`1\\. ${codes.anonymous} – Råd om videre tiltak`));
    assert.match(formText, /2\. Tema: Rutiner for overgangsmøter/, 'the topic added after the agenda is on the lead’s form');
    assert.doesNotMatch(formText, new RegExp(codes.named!), 'the named item’s minutes are written already');
    assert.doesNotMatch(formText, NEVER_IN_A_CHANNEL, 'the lead never sees the owner’s note on an anonymous item');

    // A measure without a date: that item is not delivered and stays open; the topic is kept.
    const first = allText(
      await olaPersonal.press(form, 'Lagre referatet', {
        item1Known: 'Trekker seg unna i friminutt.',
        item1Measure1: 'Fast voksen i friminuttene',
        item1Who1: 'Kontaktlærer',
        item2Known: 'Felles rutine for overgangsmøter i mai.',
      }),
    );
    assert.match(first, new RegExp(`Ikke levert – ${codes.anonymous}: et tiltak mangler hva eller dato`));
    assert.match(first, /Tema i teamets referat: 1\./);
    let record = await storedMeeting(running);
    assert.equal(record?.items.find((item) => item.id === `case-${codes.anonymous}`)?.minutesRecordedAt, null, 'not marked recorded');

    const secondReplies = await olaPersonal.press(form, 'Lagre referatet', {
      item1Known: 'Trekker seg unna i friminutt.',
      item1Goal: 'Leker med andre i friminuttene',
      item1GoalOn: '2026-04-28',
      item1Measure1: 'Fast voksen i friminuttene',
      item1Who1: 'Kontaktlærer',
      item1Due1: '2026-04-14',
      item1Measure2: 'Lekegrupper to dager i uka',
      item1Who2: 'SFO-leder',
      item1Due2: '2026-04-21',
      item2Known: 'Felles rutine for overgangsmøter i mai.',
    });
    const second = allText(secondReplies);
    assert.match(second, new RegExp(`Sendt til stafettholderen for å legges inn i saken: ${codes.anonymous}\\.`));
    assert.match(second, /Allerede skrevet tidligere: Rutiner for overgangsmøter\./, 'a second press delivers nothing twice');

    const measures = personalCards(running, users.lise).find((card) => /Fra tverrfaglig team/.test(textOf(card)));
    assert.ok(measures);
    assert.match(
      textOf(measures),
      /Mål: Leker med andre i friminuttene[\s\S]*Fast voksen i friminuttene – Kontaktlærer[\s\S]*Lekegrupper to dager i uka – SFO-leder/,
    );
    const added = await lise.press(measures, 'Legg til i saken');
    assert.match(allText(added), /Tiltakene er lagt til/);
    const stored = await readCase(running, codes.anonymous!, BJORKELANGEN);
    assert.ok(stored.actions.some((action) => action.what.startsWith('Fast voksen i friminuttene')));
    assert.ok(stored.actions.some((action) => action.what.startsWith('Lekegrupper to dager i uka')));
    assert.ok(stored.goals.some((goal) => goal.text === 'Leker med andre i friminuttene'));
    const again = await lise.press(measures, 'Legg til i saken');
    assert.match(allText(again), /står allerede i/, 'a second press adds nothing twice');
    const after = await readCase(running, codes.anonymous!, BJORKELANGEN);
    assert.equal(after.actions.length, stored.actions.length);
    assert.equal(after.goals.length, stored.goals.length);

    // The meeting's record keeps the minutes: roles present, writers, and per item only where it went.
    record = await storedMeeting(running);
    const minutes = record?.minutes;
    assert.deepEqual(minutes?.present, ['leader', 'teacher', 'ppt', 'health-nurse']);
    assert.deepEqual(
      minutes?.writers.map((w) => w.name),
      ['Lise Berg', 'Ola Dahl'],
    );
    assert.deepEqual(Object.fromEntries(minutes.items.map((i) => [i.caseId ?? 'tema', i.outcome])), {
      [codes.named!]: 'recorded-on-case',
      [codes.anonymous!]: 'sent-to-owner',
      tema: 'kept-here',
    });
    assert.equal(minutes?.topics[0]?.known, 'Felles rutine for overgangsmøter i mai.');
    assert.doesNotMatch(
      JSON.stringify([await storedTeam(running), record]),
      /Trekker seg unna|Fast voksen|Mye fravær|Emma/,
      'no case content in the team’s documents',
    );

    // Ola, the lead, marks the meeting as held from the same card: typed counts for the coordinators' report.
    const held = await olaPersonal.press(lastCard(secondReplies), 'Marker møtet som avholdt');
    assert.match(allText(held), /er markert som avholdt: 1 anonyme og 1 navngitte saker, 1 tema/);
    assert.deepEqual(
      (await storedMeeting(running))?.held && [
        (await storedMeeting(running))!.held!.anonymous,
        (await storedMeeting(running))!.held!.named,
      ],
      [1, 1],
    );
    assert.match(allText(await olaPersonal.press(lastCard(secondReplies), 'Marker møtet som avholdt')), /allerede markert som avholdt/);
  });

  it('audits the routing of the lead’s minutes to the owner once, as the system’s read on the lead’s behalf', async () => {
    const entries = (await running.laget.repositories.audit.forCase(codes.anonymous!)).filter((e) => e.command === 'team-minutes-route');
    assert.deepEqual(
      entries.map(({ actorId, operation, basis, outcome }) => ({ actorId, operation, basis, outcome })),
      [{ actorId: users.ola.aadObjectId, operation: 'read', basis: 'system', outcome: 'allowed' }],
      'the press that delivered nothing read nothing; the one that sent Lise the measures is in the log once',
    );
  });

  it('never posts the same message twice, however often the scheduler runs', async () => {
    const before = channelThreads(running).length;
    await running.laget.scheduler.runOnce(instant);
    await running.laget.scheduler.runOnce(instant);
    assert.equal(channelThreads(running).length, before);
  });

  it('stops the rhythm and tells the lead when Laget has been removed from the team (403)', async () => {
    running.connector.behaviour = (call) =>
      call.path === '/v3/conversations'
        ? { status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'not in roster' } } }
        : undefined;
    await running.laget.scheduler.runOnce(at('2026-04-21T07:05:00Z')); // the next meeting's call for cases (summer time: 09:05)
    running.connector.behaviour = () => undefined;
    assert.equal((await running.laget.repositories.teams.read(TEAM))?.doc.active, false);
    await running.laget.scheduler.runOnce(instant);
    const told = running.connector.activitiesIn(personalConversationId(users.ola)).map((a) => textOf(cardOf(a)));
    assert.ok(told.some((text) => /Laget er fjernet fra teamet Tverrfaglig team, Bjørkelangen skole/.test(text)));
  });

  it('has shown no alias, initials or identity number in any channel post', () => {
    const posts = [
      ...channelThreads(running),
      ...running.connector.activitiesIn(CHANNEL.channelId).map((a) => textOf(cardOf(a)) + (typeof a.text === 'string' ? a.text : '')),
    ];
    assert.ok(posts.length >= 5);
    for (const post of posts) {
      assert.doesNotMatch(post, NEVER_IN_A_CHANNEL);
      assert.doesNotMatch(post, /\d{6}\s?\d{5}/);
    }
  });
});

describe('changing a team’s series later, from the channel', () => {
  let running: Running;
  const jobs = () => new JobStore(running.laget.store.containers);
  const callForCases = (meetingId: string) => jobId('team', TEAM, 'series', meetingId, 'call-for-cases');

  before(async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startTestLaget({}, { now: clock });
    await new Conversation(running, users.ola).say('hei');
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    // Ola (leader of Bjørkelangen skole) sets it up with Per as its lead: every second Tuesday.
    const saved = await setUpTeam(Conversation.inChannel(running, users.ola), {
      scheduleKind: 'cadence',
      everyWeeks: '2',
      weekday: 'tuesday',
      from: '2026-03-03',
      until: '2026-06-30',
      leadId: users.per.aadObjectId,
    });
    assert.match(allText(saved), /er lagret/);
    // What the card does not show, as an earlier set-up (or the municipality) left it.
    await running.laget.repositories.teams.change(TEAM, (team) => ({
      result: undefined,
      write: {
        ...team!,
        series: {
          ...team!.series!,
          schedule: { ...(team!.series!.schedule as Extract<Schedule, { kind: 'cadence' }>), except: ['2026-03-31'] },
          rhythm: {
            ...team!.series!.rhythm,
            ownerReminders: { daysBefore: 3, at: '14:00' },
            agenda: { daysBefore: 1, at: '13:00' },
            avoidWeekends: false,
          },
        },
      },
    }));
  });
  after(async () => running.stop());

  it('refuses anyone but the lead or a leader of the team’s unit, in Norwegian, and changes nothing', async () => {
    const lise = Conversation.inChannel(running, users.lise);
    assert.match(
      allText(await lise.say('sett opp team')),
      /Bare teamets leder \(Per Hansen\) eller en leder ved enheten kan endre møteserien/,
    );
    const forged = await lise.submitRaw({
      verb: 'team.setup',
      teamId: TEAM,
      name: 'Mitt team',
      kind: 'interdisciplinary',
      unitId: BJORKELANGEN,
      scheduleKind: 'dates',
      dates: '2026-03-20',
      start: '09:00',
      end: '10:00',
      leadId: users.lise.aadObjectId,
    });
    assert.match(allText(forged), /Bare teamets leder \(Per Hansen\)/);
    const team = (await running.laget.repositories.teams.read(TEAM))!.doc;
    assert.deepEqual(
      [team.name, team.lead?.name, team.series?.schedule.kind],
      ['Tverrfaglig team, Bjørkelangen skole', 'Per Hansen', 'cadence'],
    );
  });

  it('keeps the owners’ reminder time, the weekend rule and the holiday dates when the lead changes the days', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-09T07:00:00Z')); // Monday 08:00: the call for 17 March is created
    assert.equal((await jobs().read(callForCases('2026-03-17-0900')))?.doc.dueAt, '2026-03-10T08:00:00.000Z');

    // Per, the lead, moves the call for cases to six days before and the owners' reminder to four.
    const per = Conversation.inChannel(running, users.per);
    const form = lastCard(await per.press(lastCard(await per.say('sett opp team')), RHYTHM_BUTTON.cadence));
    assert.match(textOf(form), /Påminnelse til dem som har meldt inn saker, antall dager før/);
    const saved = await per.press(form, 'Lagre møteserien', { callDays: '6', ownerDays: '4' });
    assert.match(allText(saved), /er lagret/);
    const series = (await running.laget.repositories.teams.read(TEAM))!.doc.series!;
    assert.deepEqual(series.rhythm, {
      callForCases: { daysBefore: 6, at: '09:00' },
      ownerReminders: { daysBefore: 4, at: '14:00' },
      agenda: { daysBefore: 1, at: '13:00' },
      minutes: { minutesAfterEnd: 0, staleAfterDays: 14 },
      avoidWeekends: false,
    });
    assert.deepEqual(series.schedule.kind === 'cadence' && series.schedule.except, ['2026-03-31']);
  });

  it('moves the pending call for cases to its new time, and posts it there exactly once', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-09T07:30:00Z'));
    assert.equal(
      (await jobs().read(callForCases('2026-03-17-0900')))?.doc.dueAt,
      '2026-03-11T08:00:00.000Z',
      'Wednesday 09:00, six days before',
    );
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    assert.equal(channelThreads(running).filter((text) => /Innkalling/.test(text)).length, 0, 'not at the old time');
    await running.laget.scheduler.runOnce(at('2026-03-11T08:05:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-11T08:06:00Z'));
    assert.equal(channelThreads(running).filter((text) => /Innkalling: Tverrfaglig team.*\n.*17. mars/.test(text)).length, 1);
  });

  it('lets a leader of the unit change the lead’s team, and sets up a monthly meeting from the card', async () => {
    const ola = Conversation.inChannel(running, users.ola);
    const first = lastCard(await ola.say('sett opp team'));
    assert.deepEqual(
      buttonTitles(first!),
      [RHYTHM_BUTTON.cadence, RHYTHM_BUTTON.dates, RHYTHM_BUTTON.monthly, 'Avbryt'],
      'the current rhythm first',
    );
    const form = lastCard(await ola.press(first, RHYTHM_BUTTON.monthly));
    assert.match(textOf(form), /Ved månedlig: hvilken uke i måneden/);
    const saved = await ola.press(form, 'Lagre møteserien', {
      name: 'Oppvekstforum',
      kind: 'forum',
      week: '1',
      weekday: 'tuesday',
      from: '2026-04-01',
      until: '2026-06-30',
      start: '13:00',
      end: '15:00',
    });
    assert.match(
      allText(saved),
      /Møteserien for Oppvekstforum er lagret[\s\S]*tirsdag 7. april 2026 kl. 13:00–15:00[\s\S]*tirsdag 5. mai 2026[\s\S]*tirsdag 2. juni 2026/,
    );
    const team = (await running.laget.repositories.teams.read(TEAM))!.doc;
    assert.equal(team.lead?.name, 'Per Hansen', 'the lead stays the lead');
  });

  it('offers a forum across units (no unit) to every unit’s cases, so they can be brought to it', async () => {
    const ola = Conversation.inChannel(running, users.ola);
    const form = lastCard(await ola.press(lastCard(await ola.say('sett opp team')), RHYTHM_BUTTON.monthly));
    assert.match(allText(await ola.press(form, 'Lagre møteserien', { unitId: 'none' })), /er lagret/);
    const { chat, code, overview } = await walkToStep1(
      running,
      { today: dayOfInstant(), evaluationOn: '2026-04-08' },
      users.lise,
      BJORKELANGEN,
    );
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    assert.match(textOf(bring), /Oppvekstforum – tirsdag 7. april 2026/);
    const brought = await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'other-services' });
    assert.match(allText(brought), new RegExp(`${code} er meldt inn til Oppvekstforum, tirsdag 7. april 2026`));
  });
});

describe('privacy on the posting path', () => {
  let running: Running;
  let code: string;

  before(async () => {
    running = await startWithTeam();
  });
  after(async () => running.stop());

  it('takes a named item whose consent is withdrawn off the agenda and the minutes post, by its code only, never its alias', async () => {
    const walked = await walkToStep1(running, { today: '2026-03-02', evaluationOn: '2026-03-30' }, users.lise, BJORKELANGEN);
    code = walked.code;
    const { chat } = walked;
    const consentCard = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: BJORKELANGEN, view: 'consent' }));
    await chat.press(consentCard, 'Registrer samtykke', {
      givenBy: 'mother,father',
      teams: TEAM,
      purpose: 'Drøfting i tverrfaglig team',
      givenOn: '2026-03-02',
      validUntil: '2026-12-31',
      childOfAge: 'no',
    });
    const bring = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: BJORKELANGEN, view: 'team' }));
    assert.match(
      allText(await chat.press(bring, 'Meld inn', { mode: 'named', questionId: 'report-grounds', note: 'E.H. forteller om slag.' })),
      /navngitt/,
    );
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));

    // The parents withdraw their consent before the meeting.
    at('2026-03-12T10:00:00Z');
    const withdrawForm = lastCard(
      await chat.submitRaw({ verb: 'consent.withdraw-form', caseId: code, unitId: BJORKELANGEN, consentId: 'consent-1' }),
    );
    assert.match(allText(await chat.press(withdrawForm, 'Trekk tilbake nå', { by: 'mother,father' })), /trukket tilbake/);

    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z'));
    const agenda = channelThreads(running).find((text) => /Saksliste/.test(text));
    assert.ok(agenda);
    assert.match(agenda, new RegExp(`1\\. ${code} · tatt av listen: samtykket dekker ikke lenger teamet`));
    assert.doesNotMatch(agenda, /E\.H\.|navngitt|Drøfte om det er grunnlag|slag/);

    await running.laget.scheduler.runOnce(at('2026-03-17T09:35:00Z'));
    const minutes = channelThreads(running).find((text) => /Referat/.test(text));
    assert.ok(minutes);
    assert.match(minutes, new RegExp(`1\\. ${code} · tatt av listen: samtykket dekker ikke lenger teamet`));
    assert.doesNotMatch(minutes, /E\.H\.|navngitt|slag/);
  });

  it('posts nothing of a free-text question stored before questions came from a list: the team document is upgraded on read', async () => {
    const legacyTeam = 't-legacy000001';
    const channelId = '19:legacy-channel@thread.tacv2';
    await running.laget.store.containers.teams.items.create({
      schemaVersion: 1,
      id: 'team',
      teamId: legacyTeam,
      teamsTeamId: '19:legacy@thread.tacv2',
      name: 'Tverrfaglig team, gammelt oppsett',
      kind: 'interdisciplinary',
      unitId: BJORKELANGEN,
      channel: {
        kind: 'channel',
        serviceUrl: running.connector.url,
        conversationId: channelId,
        channelId,
        tenantId: 'tenant-laget-test',
        newThread: true,
      },
      active: true,
      lead: { id: users.ola.aadObjectId, name: users.ola.name },
      roles: [],
      series: {
        id: 'series',
        name: 'Tverrfaglig team',
        timeZone: 'Europe/Oslo',
        schedule: { kind: 'dates', meetings: [{ date: '2026-04-28', start: '09:00', end: '10:30' }] },
        rhythm: {},
      },
      items: [
        {
          id: `${code}-2026-04-28-0900`,
          meetingId: '2026-04-28-0900',
          kind: 'case',
          caseId: code,
          unitId: BJORKELANGEN,
          mode: 'anonymous',
          question: PRIVATE_NOTE,
          owner: { id: users.lise.aadObjectId, name: users.lise.name },
          addedAt: '2026-03-20T08:00:00.000Z',
          minutesRecordedAt: null,
        },
        {
          id: 'topic-1',
          meetingId: '2026-04-28-0900',
          kind: 'topic',
          caseId: null,
          unitId: null,
          mode: null,
          question: 'Rutiner ved fravær',
          owner: { id: users.ola.aadObjectId, name: users.ola.name },
          addedAt: '2026-03-20T08:00:00.000Z',
          minutesRecordedAt: null,
        },
      ],
      createdAt: '2026-01-01T08:00:00.000Z',
      updatedAt: '2026-01-01T08:00:00.000Z',
    });
    // Read once, the old document is split: the team (version 3) and a document for the meeting.
    const read = (await running.laget.repositories.teams.read(legacyTeam))!.doc;
    assert.equal(read.schemaVersion, 3);
    const record = (await running.laget.repositories.teams.readMeeting(legacyTeam, '2026-04-28-0900'))!.doc;
    assert.deepEqual(
      record.items.map((item) => [item.kind, item.id, item.kind === 'case' ? item.questionId : item.topic]),
      [
        ['case', `case-${code}`, 'other'],
        ['topic', 'topic-1', 'Rutiner ved fravær'],
      ],
    );
    const raw = await running.laget.store.containers.teams.item('team', legacyTeam).read<{ schemaVersion?: number }>();
    assert.equal(raw.resource?.schemaVersion, 3, 'stored split, not only read so');
    assert.doesNotMatch(JSON.stringify([read, record, raw.resource]), /Emma/);

    // A team stored before its rhythm was kept as due entries gets its jobs once, from the start of the version that keeps them.
    const { teamSchedule, repositories, services } = running.laget;
    await new TeamScheduleBackfillTask({ teams: repositories.teams, teamSchedule, log: services.log }).compose(
      newJob(teamScheduleBackfill(), at('2026-03-20T09:00:00Z')),
      at('2026-03-20T09:00:00Z'),
    );
    await running.laget.scheduler.runOnce(at('2026-04-27T10:05:00Z')); // Monday 12:05, summer time
    const agenda = channelThreads(running).find((text) => /Saksliste: Tverrfaglig team, gammelt oppsett/.test(text));
    assert.ok(agenda);
    assert.match(agenda, new RegExp(`1\\. ${code} · 45 min · Lise Berg · anonym\\nAnnet – tas muntlig i møtet`));
    assert.match(agenda, /2\. Tema · 45 min · Ola Dahl\nRutiner ved fravær/);
    assert.doesNotMatch(agenda, NEVER_IN_A_CHANNEL);
  });
});

describe('a channel post that fails or may not have arrived: the team’s lead is told, once', () => {
  let running: Running;
  const toldOla = () => running.connector.activitiesIn(personalConversationId(users.ola)).map((a) => textOf(cardOf(a)));

  before(async () => {
    running = await startWithTeam();
  });
  after(async () => running.stop());

  it('a call for cases Teams refuses (400): failed, and Ola hears it in his own chat', async () => {
    running.connector.behaviour = (call) =>
      call.path === '/v3/conversations' ? { status: 400, body: { error: { code: 'BadArgument', message: 'bad' } } } : undefined;
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    running.connector.behaviour = () => undefined;
    await running.laget.scheduler.runOnce(at('2026-03-10T08:06:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-10T09:00:00Z'));
    const told = toldOla().filter((text) =>
      /Innkallingen til møtet tirsdag 17. mars 2026 kl. 09:00–10:30 kunne ikke legges ut i kanalen for Tverrfaglig team, Bjørkelangen skole/.test(
        text,
      ),
    );
    assert.equal(told.length, 1);
    assert.equal(channelThreads(running).length, 0, 'and it is not posted again');
  });

  it('an agenda whose connection broke after it left (unknown): never re-posted, and Ola is asked to check the channel', async () => {
    running.connector.behaviour = (call) => (call.path === '/v3/conversations' ? { reset: true } : undefined);
    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z'));
    running.connector.behaviour = () => undefined;
    await running.laget.scheduler.runOnce(at('2026-03-16T11:06:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-16T12:00:00Z'));
    const told = toldOla().filter((text) =>
      /Sakslisten til møtet tirsdag 17. mars 2026 .* kan ha blitt lagt ut i kanalen .* Sjekk kanalen/.test(text),
    );
    assert.equal(told.length, 1);
    assert.equal(channelThreads(running).filter((text) => /Saksliste/.test(text)).length, 0, 'never posted twice (here: not at all)');
  });
});

/** Today in Oslo, by the test clock. */
function dayOfInstant(): string {
  return new Date(instant.getTime() + 3600_000).toISOString().slice(0, 10);
}

describe('the team channel when the Bot Connector fails a new thread', () => {
  let running: Running;
  const callForCasesJob = async () =>
    (await new JobStore(running.laget.store.containers).read(jobId('team', TEAM, 'series', '2026-03-17-0900', 'call-for-cases')))?.doc;
  const callsForCases = () => channelThreads(running).filter((text) => /Innkalling/.test(text));
  const newThreadAttempts = () =>
    running.connector.received.filter((call) => call.method === 'POST' && call.path === '/v3/conversations').length;

  beforeEach(async () => {
    running = await startWithTeam({ BOT_CONNECTOR_TIMEOUT_SECONDS: '1' });
  });
  afterEach(async () => running.stop());

  it('retries a new thread answered 429 (Retry-After) and 502, and posts the call for cases once', async () => {
    const faults = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 502 }];
    running.connector.behaviour = (call) => (call.path === '/v3/conversations' ? faults.shift() : undefined);
    const attemptsBefore = newThreadAttempts();
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    assert.equal(newThreadAttempts() - attemptsBefore, 3, 'two refused attempts, then the accepted one');
    assert.equal(callsForCases().length, 1);
    assert.equal((await callForCasesJob())?.state, 'sent');
  });

  it('never posts a new thread again when the connection broke after it arrived, and tells the lead once', async () => {
    let cut = false;
    running.connector.behaviour = (call) => {
      if (call.path !== '/v3/conversations' || cut) return undefined;
      cut = true;
      return { reset: true };
    };
    const attemptsBefore = newThreadAttempts();
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-10T08:30:00Z')); // well after the claim
    assert.equal(newThreadAttempts() - attemptsBefore, 1, 'the call for cases left once, and is not sent blindly again');
    assert.equal((await callForCasesJob())?.state, 'unknown');
    const told = running.connector
      .activitiesIn(personalConversationId(users.ola))
      .map((a) => textOf(cardOf(a)) + (typeof a.text === 'string' ? a.text : ''));
    assert.equal(
      told.filter((text) => /kan ha blitt lagt ut i kanalen[\s\S]*legger den ikke ut på nytt/.test(text)).length,
      1,
      `the lead is told once: ${JSON.stringify(told)}`,
    );
  });
});
