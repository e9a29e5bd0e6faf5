import assert from 'node:assert/strict';
import { StoreUnavailable } from '../../src/store/documents';
import {
  botInstalledInTeam,
  CHANNEL,
  channelMessage,
  OTHER_CHANNEL_ID,
  personalConversationId,
  submit,
  users,
} from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard } from '../support/conversation';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { answerTo, BJORKELANGEN, channelPosts, channelThreads, RHYTHM_BUTTON, setUpTeam, startWithTeam, TEAM } from '../support/team-walk';
import { readCase, SOLSIKKEN, walkToStep1 } from '../support/uro-walk';

/**
 * Issue 15's defects, each as a person would notice it, through real HTTP with the fake Bot
 * Connector (which also serves the team's roster in Teams): who may write where, a team that
 * never fills up, bringing a case as one operation, and a rhythm that keeps its word.
 */

let instant = new Date('2026-03-02T08:00:00Z');
const clock = () => instant;
const at = (iso: string) => {
  instant = new Date(iso);
  return instant;
};
const FIRST = '2026-03-17-0900';
const SECOND = '2026-04-28-0900';

/** The roster of the test team in Teams: everyone but Kari (she works at the kindergarten). */
function rosterWithoutKari(running: Running): void {
  running.connector.rosters.set(
    CHANNEL.teamId,
    Object.values(users)
      .filter((u) => u !== users.kari)
      .map((u) => ({ id: u.mri, aadObjectId: u.aadObjectId, name: u.name })),
  );
}

describe('issue 15: nobody writes where they do not belong', () => {
  let running: Running;

  before(async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock);
    rosterWithoutKari(running);
  });
  after(async () => running.stop());

  it('refuses a topic from a person outside the team, sent from her own chat with ids from a channel post; nothing reaches the agenda', async () => {
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    const call = channelPosts(running).find((post) => /Innkalling/.test(post.text));
    assert.ok(call, 'the call for cases was posted');
    // The ids anyone in the channel can read in the button's data.
    const button = JSON.stringify(call.card).match(/"teamId":"(t-[0-9a-f]+)"/);
    assert.ok(button);
    const kari = new Conversation(running, users.kari);
    const forged = await kari.submitRaw({
      verb: 'team.topic',
      teamId: button[1],
      meetingId: FIRST,
      topic: 'Emma Hansen på Blå avdeling, se https://example.org/emma',
    });
    assert.match(allText(forged), /Dette gjør jeg bare i kanalen til et tverrfaglig team/);
    // And from a channel activity of someone not on the team's roster (she left the team):
    const inChannel = Conversation.inChannel(running, users.kari);
    const refused = await inChannel.submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: 'Emma Hansen på Blå avdeling' });
    assert.match(allText(refused), /Du står ikke på medlemslisten til teamet i Teams/);
    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z'));
    const agenda = channelThreads(running).find((text) => /Saksliste/.test(text));
    assert.ok(agenda);
    assert.doesNotMatch(agenda, /Emma|example\.org/);
    assert.match(agenda, /Ingen saker eller tema er meldt inn/);
  });

  it('refuses a set-up and a topic from a member in another channel of the team; the posts stay where they are', async () => {
    const lise = Conversation.inChannel(running, users.lise, OTHER_CHANNEL_ID);
    assert.match(allText(await lise.say('sett opp team')), /Bare teamets leder \(Ola Dahl\) eller en leder ved enheten/);
    const topicForm = lastCard(await lise.say('tema'));
    const topic = await lise.press(topicForm, 'Meld inn et tema', { meetingId: SECOND, topic: 'Rutiner ved fravær' });
    assert.match(allText(topic), /Teamet legger ut møterytmen i en annen kanal/);
    const team = (await running.laget.repositories.teams.read(TEAM))!.doc;
    assert.equal(team.channel.channelId, CHANNEL.channelId, 'the team’s channel is unchanged');
    await running.laget.scheduler.runOnce(at('2026-04-21T07:05:00Z')); // the next meeting's call for cases
    const posts = channelPosts(running).filter((post) => /Innkalling/.test(post.text));
    assert.deepEqual(
      posts.map((post) => post.channelId),
      [CHANNEL.channelId, CHANNEL.channelId],
    );
  });

  it('moves the posts to another channel when the team’s lead saves the set-up there, and says so', async () => {
    at('2026-04-22T08:00:00Z');
    const ola = Conversation.inChannel(running, users.ola, OTHER_CHANNEL_ID);
    const saved = await setUpTeam(ola, { dates: '2026-04-28, 2026-06-09' });
    assert.match(allText(saved), /Møterytmen legges ut i denne kanalen fra nå/);
    await running.laget.scheduler.runOnce(at('2026-06-02T07:05:00Z'));
    assert.equal(
      channelPosts(running)
        .filter((post) => /Innkalling/.test(post.text))
        .at(-1)?.channelId,
      OTHER_CHANNEL_ID,
    );
  });
});

describe('issue 15: a team is bound to a unit only by a leader of that unit, in a channel of the team', () => {
  let running: Running;

  before(async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startTestLaget({}, { now: clock });
    await running.post(botInstalledInTeam(running.connector.url, users.lise));
  });
  after(async () => running.stop());

  it('refuses a set-up sent from a personal chat, whatever unit it names, and stores nothing', async () => {
    const lise = new Conversation(running, users.lise);
    const forged = await lise.submitRaw({
      verb: 'team.setup',
      teamId: TEAM,
      name: 'Mitt team',
      kind: 'interdisciplinary',
      unitId: SOLSIKKEN,
      scheduleKind: 'dates',
      dates: '2026-03-20',
      start: '09:00',
      end: '10:00',
    });
    assert.match(allText(forged), /Dette gjør jeg bare i kanalen til et tverrfaglig team/);
    assert.notEqual((await running.laget.repositories.teams.read(TEAM))?.doc.unitId, SOLSIKKEN);
  });

  it('refuses a member who is not a leader of the unit she names; the kindergarten’s owners are not offered the team', async () => {
    const lise = Conversation.inChannel(running, users.lise);
    const refused = await setUpTeam(lise, { unitId: SOLSIKKEN, leadId: users.lise.aadObjectId });
    assert.match(allText(refused), /Bare en leder ved Solsikken barnehage kan knytte teamet til enheten/);
    const { chat, overview } = await walkToStep1(running, { today: '2026-03-02', evaluationOn: '2026-03-30' });
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    assert.match(textOf(bring), /Ingen team i enheten har satt opp en møteserie/);
  });

  it('lets the unit’s leader bind it, and preselects the unit he leads on the set-up card', async () => {
    const ola = Conversation.inChannel(running, users.ola);
    const form = lastCard(await ola.press(lastCard(await ola.say('sett opp team')), RHYTHM_BUTTON.dates));
    assert.equal(inputValue(form!, 'unitId'), BJORKELANGEN);
    assert.match(allText(await setUpTeam(ola, {})), /er lagret/);
    assert.equal((await running.laget.repositories.teams.read(TEAM))?.doc.unitId, BJORKELANGEN);
  });
});

describe('issue 15: a team does not fill up, and bringing a case is one operation', () => {
  let running: Running;

  beforeEach(async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock);
  });
  afterEach(async () => running.stop());

  it('limits topics per person and meeting, and a full meeting leaves the next one open', async () => {
    const lise = Conversation.inChannel(running, users.lise);
    for (const n of [1, 2, 3]) {
      assert.match(
        allText(await lise.submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: `Tema ${n}` })),
        /Temaet er meldt inn/,
      );
    }
    assert.match(
      allText(await lise.submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: 'Tema 4' })),
      /Du har allerede meldt inn 3 tema til dette møtet/,
    );
    // The meeting fills up (30 items): it says so; the next meeting still takes items.
    await running.laget.repositories.teams.changeMeeting(TEAM, FIRST, (current) => ({
      result: undefined,
      write: {
        ...current!,
        items: Array.from({ length: 30 }, (_, i) => ({
          ...current!.items[0]!,
          id: `topic-fill${i}`,
          owner: { id: `aad-x${i}`, name: `X ${i}` },
        })),
      },
    }));
    const nina = Conversation.inChannel(running, users.nina);
    assert.match(
      allText(await nina.submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: 'Mer' })),
      /Møtet har allerede 30 saker og tema/,
    );
    assert.match(
      allText(await nina.submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: SECOND, topic: 'Mer' })),
      /Temaet er meldt inn til tirsdag 28\. april/,
    );
  });

  it('deletes a meeting’s record a year after the meeting, keeping the later ones', async () => {
    await running.laget.repositories.teams.changeMeeting(TEAM, '2025-01-14-0900', () => ({
      result: undefined,
      write: {
        schemaVersion: 1,
        id: 'meeting:2025-01-14-0900',
        teamId: TEAM,
        meetingId: '2025-01-14-0900',
        date: '2025-01-14',
        items: [],
        agenda: null,
        minutes: null,
        held: null,
        createdAt: '2025-01-01T08:00:00.000Z',
        updatedAt: '2025-01-01T08:00:00.000Z',
      },
    }));
    await Conversation.inChannel(running, users.ola).submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: 'Rutiner' });
    await running.laget.scheduler.runOnce(at('2026-03-03T08:00:00Z'));
    assert.equal(await running.laget.repositories.teams.readMeeting(TEAM, '2025-01-14-0900'), undefined);
    assert.ok(await running.laget.repositories.teams.readMeeting(TEAM, FIRST));
  });

  it('a team write that fails: the owner is told nothing was lost, and neither the case nor the agenda has it; the same press then brings it once', async () => {
    const { chat, code, overview } = await walkToStep1(
      running,
      { today: '2026-03-02', evaluationOn: '2026-03-30' },
      users.lise,
      BJORKELANGEN,
    );
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    const repository = running.laget.repositories.teams;
    const original = repository.changeMeeting.bind(repository);
    let failures = 1;
    repository.changeMeeting = (async (...args: Parameters<typeof original>) => {
      if (failures-- > 0) throw new StoreUnavailable('replace', new Error('cut'));
      return original(...args);
    }) as typeof original;
    const failed = await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures' });
    assert.match(allText(failed), /Kunne ikke lagre akkurat nå[\s\S]*Ingenting er tapt/);
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.length, 0, 'the case is as it was');
    assert.equal((await running.laget.repositories.teams.readMeeting(TEAM, FIRST))?.doc.items.length ?? 0, 0);

    const brought = await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures' });
    assert.match(allText(brought), new RegExp(`${code} er meldt inn`));
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.length, 1);
    assert.equal((await running.laget.repositories.teams.readMeeting(TEAM, FIRST))?.doc.items.length, 1);
  });

  it('a case write that fails after the agenda has the item: the owner is told so, and pressing again completes it without a second item', async () => {
    const { chat, code, overview } = await walkToStep1(
      running,
      { today: '2026-03-02', evaluationOn: '2026-03-30' },
      users.lise,
      BJORKELANGEN,
    );
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    const cases = running.laget.repositories.cases;
    const original = cases.replace.bind(cases);
    let failures = 1;
    cases.replace = async (...args: Parameters<typeof original>) => {
      if (failures-- > 0) throw new StoreUnavailable('replace', new Error('cut'));
      return original(...args);
    };
    const unconfirmed = await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures', note: 'Fravær.' });
    assert.match(
      allText(unconfirmed),
      new RegExp(`${code} står på sakslisten[\\s\\S]*Trykk «Meld inn» igjen på samme kort for å fullføre`),
    );
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.length, 0);
    assert.equal((await running.laget.repositories.teams.readMeeting(TEAM, FIRST))?.doc.items.length, 1, 'the agenda has it');

    const completed = await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures', note: 'Fravær.' });
    assert.match(allText(completed), new RegExp(`${code} er meldt inn`));
    const references = (await readCase(running, code, BJORKELANGEN)).teamItems;
    assert.deepEqual(
      references.map((r) => [r.meetingId, r.note]),
      [[FIRST, 'Fravær.']],
    );
    assert.equal((await running.laget.repositories.teams.readMeeting(TEAM, FIRST))?.doc.items.length, 1, 'never a second item');
    // Pressed once more (a stale card): nothing is added.
    await chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures', note: 'Fravær.' });
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.length, 1);
  });

  it('20 topics and cases brought to one meeting at once: each stored once or refused with a clear answer, none lost', async () => {
    // Eight of Lise's cases, brought from her chat while twelve topics come from the channel.
    const cases: { caseId: string; rev: string }[] = [];
    for (let i = 0; i < 8; i += 1) {
      const done = await running.laget.services.cases.create(
        { actor: { id: users.lise.aadObjectId, name: users.lise.name }, correlationId: `seed-${i}`, now: clock() },
        {
          type: 'create-case',
          unitId: BJORKELANGEN,
          nearestLeader: { id: users.ola.aadObjectId, name: users.ola.name },
          safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
        },
      );
      assert.equal(done.kind, 'done');
      if (done.kind === 'done') cases.push({ caseId: done.case.id, rev: done.etag });
    }
    await new Conversation(running, users.lise).say('hei');
    const members = [users.ola, users.lise, users.nina, users.tor, users.per, users.kari];
    const topics = Array.from({ length: 12 }, (_, i) => {
      const user = members[i % members.length]!;
      const { text: _t, entities: _e, ...activity } = channelMessage(running.connector.url, user, '');
      return { ...activity, value: { verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: `Tema ${i} fra ${user.name}` } };
    });
    const brings = cases.map((c) =>
      submit(running.connector.url, users.lise, {
        verb: 'team.bring',
        caseId: c.caseId,
        unitId: BJORKELANGEN,
        rev: c.rev,
        meeting: `${TEAM}|${FIRST}`,
        mode: 'anonymous',
        questionId: 'further-measures',
      }),
    );
    const answers = await Promise.all([...topics, ...brings].map((activity) => answerTo(running, activity)));
    assert.deepEqual(
      answers.map((a) => a.status),
      answers.map(() => 200),
    );
    const stored = (await running.laget.repositories.teams.readMeeting(TEAM, FIRST))!.doc;
    for (const [i, answer] of answers.entries()) {
      const isTopic = i < topics.length;
      const ok = isTopic ? /Temaet er meldt inn/.test(answer.text) : /er meldt inn til/.test(answer.text);
      assert.ok(
        ok || /Mange melder inn til dette møtet akkurat nå/.test(answer.text),
        `answer ${i} is neither saved nor a clear refusal: ${answer.text}`,
      );
      const key = isTopic ? `Tema ${i} fra` : `case-${cases[i - topics.length]!.caseId}`;
      const inStore = stored.items.some((item) => (item.kind === 'topic' ? item.topic.startsWith(key) : item.id === key));
      assert.equal(inStore, ok, `answer ${i} ("${answer.text.slice(0, 60)}") does not match what is stored`);
    }
    for (const c of cases) {
      const references = (await readCase(running, c.caseId, BJORKELANGEN)).teamItems.filter((r) => r.withdrawnAt === null);
      assert.equal(
        references.length,
        stored.items.some((item) => item.id === `case-${c.caseId}`) ? 1 : 0,
        `${c.caseId}: the case and the agenda disagree`,
      );
    }
  });
});

describe('issue 15: a rhythm that keeps its word', () => {
  let running: Running;

  afterEach(async () => running?.stop());

  it('a series saved the day before its first meeting skips the call for cases and the agenda already too late, and says so', async () => {
    instant = new Date('2026-03-16T13:00:00Z'); // Monday 14:00: the meeting is tomorrow, its agenda was due at 12:00
    running = await startTestLaget({}, { now: clock });
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    const saved = await setUpTeam(Conversation.inChannel(running, users.ola), {});
    assert.match(
      allText(saved),
      /Det som allerede er for sent, sendes ikke:\n• tirsdag 17\. mars 2026 kl\. 09:00–10:30: innkallingen, påminnelsen til dem som melder inn, sakslisten/,
    );
    await running.laget.scheduler.runOnce(at('2026-03-16T13:01:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-16T13:02:00Z'));
    assert.deepEqual(channelThreads(running), [], 'no call for cases and no empty agenda at once');
    // A case cannot be brought to it; the card offers the next meeting only.
    const { chat, overview } = await walkToStep1(running, { today: '2026-03-16', evaluationOn: '2026-04-13' }, users.lise, BJORKELANGEN);
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    assert.doesNotMatch(textOf(bring), /17\. mars/);
    assert.match(textOf(bring), /tirsdag 28\. april 2026/);
  });

  it('a case brought after the agenda was posted is refused, with the next meeting offered and what was typed kept', async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock);
    const { chat, code, overview } = await walkToStep1(
      running,
      { today: '2026-03-02', evaluationOn: '2026-03-30' },
      users.lise,
      BJORKELANGEN,
    );
    const bring = lastCard(await chat.press(overview, 'Ta opp i tverrfaglig team'));
    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z')); // the agenda for 17 March is posted
    const late = await chat.press(bring, 'Meld inn', {
      meeting: `${TEAM}|${FIRST}`,
      mode: 'anonymous',
      questionId: 'other-services',
      note: 'Mitt notat',
    });
    const again = lastCard(late);
    assert.match(
      textOf(again),
      /Sakslisten til dette møtet er allerede laget[\s\S]*Neste møte som tar imot saker: tirsdag 28\. april 2026/,
    );
    assert.ok(JSON.stringify(again).includes(`"value":"${TEAM}|${SECOND}"`), 'the next meeting is chosen');
    assert.ok(JSON.stringify(again).includes('Mitt notat'), 'the note is kept');
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.length, 0, 'nothing was brought');
    const brought = await chat.press(again, 'Meld inn');
    assert.match(allText(brought), new RegExp(`${code} er meldt inn til Tverrfaglig team, Bjørkelangen skole, tirsdag 28\\. april 2026`));
  });

  it('the call for cases names the moment the agenda is drawn as its deadline', async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock);
    await running.laget.scheduler.runOnce(at('2026-03-10T08:05:00Z'));
    const call = channelThreads(running).find((text) => /Innkalling/.test(text));
    assert.match(call ?? '', /Meld inn saker innen mandag 16\. mars 2026 kl\. 12:00/);
    // … and the agenda is posted then, with what was brought until then.
    await running.laget.scheduler.runOnce(at('2026-03-16T10:59:00Z'));
    assert.equal(channelThreads(running).filter((text) => /Saksliste/.test(text)).length, 0);
    await running.laget.scheduler.runOnce(at('2026-03-16T11:00:30Z'));
    assert.equal(channelThreads(running).filter((text) => /Saksliste/.test(text)).length, 1);
  });

  it('"Skriv referat" pressed twice leaves no reply in the channel; the forms go to the presser’s own chat', async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock);
    await Conversation.inChannel(running, users.ola).submitRaw({ verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: 'Rutiner' });
    await running.laget.scheduler.runOnce(at('2026-03-16T11:05:00Z'));
    await running.laget.scheduler.runOnce(at('2026-03-17T09:35:00Z'));
    const minutes = channelPosts(running).find((post) => /Referat/.test(post.text));
    assert.ok(minutes);
    const channelBefore = running.connector.activitiesIn(CHANNEL.channelId).length;
    const ola = Conversation.inChannel(running, users.ola);
    const first = await ola.press(minutes.card, 'Skriv referat');
    const second = await ola.press(minutes.card, 'Skriv referat');
    assert.deepEqual(
      [...first, ...second].map((r) => r.invoke),
      [true, true],
      'only the presser’s own answers',
    );
    assert.equal(running.connector.activitiesIn(CHANNEL.channelId).length, channelBefore, 'nothing in the channel');
    const forms = running.connector
      .activitiesIn(personalConversationId(users.ola))
      .filter((a) => /Referat: Tverrfaglig team/.test(textOf(cardOf(a))));
    assert.equal(forms.length, 2);
    // Someone with nothing to write gets that answer, privately too.
    const tor = await Conversation.inChannel(running, users.tor).press(minutes.card, 'Skriv referat');
    assert.deepEqual(
      tor.map((r) => [r.invoke, r.text]),
      [[true, 'Bare teamets leder eller den som meldte inn saken kan skrive referatet.']],
    );
  });

  it('the set-up shows one rhythm at a time, preselects the unit and can be cancelled', async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startTestLaget({}, { now: clock });
    await running.post(botInstalledInTeam(running.connector.url, users.ola));
    const ola = Conversation.inChannel(running, users.ola);
    const first = lastCard(await ola.say('sett opp team'));
    assert.deepEqual(buttonTitles(first!), [RHYTHM_BUTTON.dates, RHYTHM_BUTTON.cadence, RHYTHM_BUTTON.monthly, 'Avbryt']);
    assert.deepEqual(inputIds(first!), []);
    const dates = lastCard(await ola.press(first, RHYTHM_BUTTON.dates));
    assert.deepEqual(inputIds(dates!), [
      'name',
      'kind',
      'unitId',
      'dates',
      'start',
      'end',
      'leadId',
      'roles',
      'callDays',
      'ownerDays',
      'agendaDays',
    ]);
    const cadence = lastCard(await ola.press(first, RHYTHM_BUTTON.cadence));
    assert.deepEqual(inputIds(cadence!), [
      'name',
      'kind',
      'unitId',
      'everyWeeks',
      'weekday',
      'start',
      'end',
      'from',
      'until',
      'leadId',
      'roles',
      'callDays',
      'ownerDays',
      'agendaDays',
    ]);
    assert.ok(buttonTitles(cadence!).includes('Avbryt'));
    const cancelled = await ola.press(cadence, 'Avbryt');
    assert.match(allText(cancelled), /Oppsettet er avbrutt\. Ingenting er endret\./);
    assert.equal((await running.laget.repositories.teams.read(TEAM))?.doc.series, null);
  });
});

/** The value an input of a card holds (what Teams sends if it is left as it is). */
function inputValue(card: Record<string, unknown>, id: string): unknown {
  let found: unknown;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (record.id === id && typeof record.type === 'string' && record.type.startsWith('Input.')) found = record.value;
      Object.values(record).forEach(visit);
    }
  };
  visit(card);
  return found;
}

describe('issue 15: attacked by a stranger and by a hurried user', () => {
  let running: Running;
  let code: string;
  let chat: Conversation;
  let bring: Record<string, unknown> | undefined;

  before(async () => {
    instant = new Date('2026-03-02T08:00:00Z');
    running = await startWithTeam(clock);
    rosterWithoutKari(running);
    const walked = await walkToStep1(running, { today: '2026-03-02', evaluationOn: '2026-03-30' }, users.lise, BJORKELANGEN);
    ({ code, chat } = walked);
    bring = lastCard(await chat.press(walked.overview, 'Ta opp i tverrfaglig team'));
  });
  after(async () => running.stop());

  const meetingRecord = async () => (await running.laget.repositories.teams.readMeeting(TEAM, FIRST))?.doc;

  it('a double press of "Meld inn" brings the case once; the second press shows the case as it is now', async () => {
    const [first, second] = await Promise.all([
      chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures' }),
      chat.press(bring, 'Meld inn', { mode: 'anonymous', questionId: 'further-measures' }),
    ]);
    assert.match(allText([...first, ...second]), new RegExp(`${code} er meldt inn`));
    assert.equal((await meetingRecord())?.items.length, 1);
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.length, 1);
  });

  it('a topic Teams delivers twice (the same activity) is added once', async () => {
    const { text: _t, entities: _e, ...activity } = channelMessage(running.connector.url, users.nina, '');
    const twice = { ...activity, value: { verb: 'team.topic', teamId: TEAM, meetingId: FIRST, topic: 'Overgangsmøter' } };
    await running.post(twice);
    await running.post(twice);
    assert.equal((await meetingRecord())?.items.filter((i) => i.kind === 'topic').length, 1);
  });

  it('a stranger can neither take a member’s topic off, nor someone else’s case, nor mark the meeting held', async () => {
    const topic = (await meetingRecord())!.items.find((i) => i.kind === 'topic')!;
    const kari = new Conversation(running, users.kari);
    assert.match(
      allText(
        await Conversation.inChannel(running, users.kari).submitRaw({
          verb: 'team.remove-topic',
          teamId: TEAM,
          meetingId: FIRST,
          itemId: topic.id,
        }),
      ),
      /Bare den som meldte det inn, eller teamets leder, kan trekke det/,
    );
    assert.match(
      allText(await kari.submitRaw({ verb: 'team.withdraw', caseId: code, unitId: BJORKELANGEN, teamId: TEAM, meetingId: FIRST })),
      /Du har ikke tilgang til denne saken/,
    );
    assert.match(
      allText(await kari.submitRaw({ verb: 'team.close-meeting', teamId: TEAM, meetingId: FIRST })),
      /Bare teamets leder \(Ola Dahl\)/,
    );
    assert.equal((await meetingRecord())?.items.length, 2, 'nothing was taken off');
    assert.equal((await meetingRecord())?.held, null);
  });

  it('the owner takes the case off the meeting from the bring card; pressing again changes nothing more', async () => {
    const card = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: BJORKELANGEN, view: 'team' }));
    assert.match(
      textOf(card),
      new RegExp(`${code} står allerede på sakslisten til Tverrfaglig team, Bjørkelangen skole, tirsdag 17\\. mars`),
    );
    const title = buttonTitles(card!).find((t) => t.startsWith('Trekk fra møtet'))!;
    assert.match(allText(await chat.press(card, title)), new RegExp(`${code} er trukket fra møtet tirsdag 17\\. mars 2026`));
    await chat.press(card, title);
    assert.deepEqual(
      (await meetingRecord())?.items.map((i) => i.kind),
      ['topic'],
    );
    assert.equal((await readCase(running, code, BJORKELANGEN)).teamItems.filter((r) => r.withdrawnAt === null).length, 0);
  });

  it('the minutes form cannot be had for a team or meeting that does not exist, and says so privately', async () => {
    const answer = await Conversation.inChannel(running, users.kari).press(
      {
        type: 'AdaptiveCard',
        actions: [
          {
            type: 'Action.Execute',
            title: 'Skriv referat',
            verb: 'team.minutes-form',
            data: { teamId: 't-000000000000', meetingId: FIRST },
          },
        ],
      },
      'Skriv referat',
    );
    assert.deepEqual(
      answer.map((r) => [r.invoke, r.text]),
      [[true, 'Møtet finnes ikke lenger i møteserien. Velg et annet møte.']],
    );
  });

  it('a topic pressed twice from its card (two activities, the second with stray spaces) is on the agenda once, and the second answer says so', async () => {
    const nina = Conversation.inChannel(running, users.nina);
    const form = lastCard(await nina.say('tema'));
    const first = await nina.press(form, 'Meld inn et tema', { meetingId: FIRST, topic: 'Felles foreldremøte i mai' });
    assert.match(allText(first), /Temaet er meldt inn til tirsdag 17\. mars/);
    const second = await nina.press(form, 'Meld inn et tema', { meetingId: FIRST, topic: ' felles  foreldremøte i mai ' });
    assert.match(allText(second), /Temaet står allerede på sakslisten til tirsdag 17\. mars/);
    const topics = (await meetingRecord())!.items.filter((i) => i.kind === 'topic' && /foreldremøte/i.test(i.topic));
    assert.equal(topics.length, 1);
  });

  it('minutes a stranger forges for a meeting she has nothing on are refused, and the meeting’s record does not change', async () => {
    const before = await meetingRecord();
    const topic = before!.items.find((i) => i.kind === 'topic')!;
    const answer = await new Conversation(running, users.kari).submitRaw({
      verb: 'team.minutes',
      teamId: TEAM,
      meetingId: FIRST,
      items: topic.id,
      item1Known: 'Emma Hansen på Blå avdeling',
      present: 'leader',
    });
    assert.match(allText(answer), /Bare teamets leder eller den som meldte inn saken kan skrive referatet/);
    assert.doesNotMatch(allText(answer), /lagret/i);
    assert.deepEqual(await meetingRecord(), before);
  });
});
