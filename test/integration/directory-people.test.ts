import assert from 'node:assert/strict';
import { botInstalledInPersonalChat, execute, personalConversationId, searchInvoke, users, type TestUser } from '../support/activities';
import { allText, buttonTitles, Conversation, inputIds, lastCard } from '../support/conversation';
import { caseReadyToAsk } from '../support/directory-cases';
import { FakeGraph } from '../support/fake-graph';
import { graphMunicipalityFile, scenarioInGraph, startGraphLaget } from '../support/graph-directory';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';
import { caseCodeIn, readCase, SOLSIKKEN, walkToStep1 } from '../support/uro-walk';

/** Monday 2 March 2026, 09:00 in Oslo: the turns' clock, so the tests pass at any hour. */
const NOW = new Date('2026-03-02T08:00:00Z');
const TODAY = '2026-03-02';
const IN_FOUR_WEEKS = '2026-03-30';

/**
 * Who works where is the directory's — the municipality file locally, Entra ID through Graph in a
 * municipality — and nobody joins a unit by saying so: what a person may open, whom the baton may
 * go to, whom the leader's approval goes to, and how Laget reaches a leader who never opened it.
 */

const BJORKELANGEN = 'bjorkelangen-skole';
const stranger: TestUser = { aadObjectId: 'aad-stranger', mri: '29:stranger', name: 'Sara Fremmed' };

/** The unit choices on a start card ("Hvor jobber du?"), by value. */
function unitChoices(card: Record<string, unknown>): string[] {
  const json = JSON.stringify(card);
  const input = /"id":"unitId".*?"choices":(\[.*?\])/.exec(json);
  return input ? (JSON.parse(input[1]!) as { value: string }[]).map((c) => c.value) : [];
}

/** The people a baton picker offers, by id. */
function batonChoices(card: Record<string, unknown>): string[] {
  const input = /"id":"to".*?"choices":(\[.*?\])/.exec(JSON.stringify(card));
  return input ? (JSON.parse(input[1]!) as { value: string }[]).map((c) => c.value) : [];
}

describe('membership from the directory (DIRECTORY=file, the local municipality)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({}, { now: () => NOW });
  });
  after(async () => running.stop());

  it('tells someone in no unit whom to ask, and where to report — and opens no case, even from a forged card', async () => {
    const chat = new Conversation(running, stranger);
    const replies = await chat.say('ny sak');
    const text = allText(replies);
    assert.match(text, /Du er ikke registrert i en enhet/);
    assert.match(text, /Be din nærmeste leder om å få deg lagt inn i enhetens gruppe/);
    assert.match(text, /meld bekymring til Barneverntjenesten i Eksempel kommune på 63 00 00 00/, 'the duty to report never waits');
    assert.ok(!inputIds(lastCard(replies)!).includes('dangerNow'), 'no start card');
    const forged = await chat.submitRaw({ verb: 'uro.start', dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: SOLSIKKEN });
    assert.match(allText(forged), /Du er ikke registrert i en enhet/);
    assert.doesNotMatch(allText(forged), /UR-[0-9A-Z]{4}/, 'no case code: nothing was opened');
  });

  it('opens a case only in a unit the person works in: Lise cannot open a draft at Solsikken, and so is never offered its cases', async () => {
    const lise = new Conversation(running, users.lise);
    const start = lastCard(await lise.say('ny sak'))!;
    assert.deepEqual(unitChoices(start), [], 'Lise works at one school: nothing to choose');
    const forged = await lise.submitRaw({ verb: 'uro.start', dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: SOLSIKKEN });
    assert.match(allText(forged), /Du er ikke registrert i den enheten/);
    assert.doesNotMatch(allText(forged), /UR-[0-9A-Z]{4}/);

    // Kari opens a draft at Solsikken: the unit's people stay what the directory says, and no roster grows anywhere.
    const { code } = await walkToStep1(running, { today: TODAY, evaluationOn: IN_FOUR_WEEKS });
    const kari = new Conversation(running, users.kari);
    const picker = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'handover' }))!;
    assert.deepEqual(batonChoices(picker).sort(), [users.anne, users.nina, users.tor].map((u) => u.aadObjectId).sort());
    const { resources } = await running.laget.store.containers.people.items.query('SELECT * FROM c WHERE IS_DEFINED(c.members)').fetchAll();
    assert.deepEqual(resources, [], 'no roster documents: who works where is the directory’s');
  });

  it('offers the baton only to the unit’s staff: a colleague from another unit is refused', async () => {
    const { code } = await walkToStep1(running, { today: TODAY, evaluationOn: IN_FOUR_WEEKS }, users.anne);
    const anne = new Conversation(running, users.anne);
    const picker = lastCard(await anne.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'handover' }))!;
    assert.deepEqual(batonChoices(picker).sort(), [users.kari, users.nina, users.tor].map((u) => u.aadObjectId).sort());
    const card = cardOf(running.connector.activitiesIn(personalConversationId(users.anne)).at(-1))!;
    const data = JSON.parse(/"data":(\{"verb":"baton\.offer".*?\})/.exec(JSON.stringify(card))![1]!) as Record<string, string>;
    const refused = await anne.submitRaw({ ...data, to: users.lise.aadObjectId });
    assert.match(allText(refused), /Saken kan ikke overføres til den personen/);
    assert.equal((await readCase(running, code)).pendingHandover, null);
  });

  it('greets a leader who installs Laget with the leader’s buttons: the directory is read for the install event too', async () => {
    await running.post(botInstalledInPersonalChat(running.connector.url, users.ola));
    const welcome = cardOf(running.connector.activitiesIn(personalConversationId(users.ola)).at(-1));
    assert.ok(buttonTitles(welcome!).includes('Til godkjenning'), buttonTitles(welcome!).join(', '));
  });

  it('lets someone in two units choose between those two only', async () => {
    const nina = new Conversation(running, users.nina);
    const start = lastCard(await nina.say('ny sak'))!;
    assert.match(textOf(start), /Hvor jobber du\?/);
    assert.deepEqual(unitChoices(start), [SOLSIKKEN, BJORKELANGEN]);
    const zone = await nina.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: BJORKELANGEN });
    const stored = await readCase(running, caseCodeIn(zone), BJORKELANGEN);
    assert.equal(stored.nearestLeader.id, users.ola.aadObjectId, 'the unit’s leader, from the directory');
  });
});

describe('attacks on membership from the directory: a stranger and a hurried leader (DIRECTORY=file)', () => {
  let running: Running;
  before(async () => {
    running = await startTestLaget({}, { now: () => NOW });
  });
  after(async () => running.stop());

  /** The names a search field is answered with, and the status of the answer. */
  async function searchAs(user: TestUser, value: unknown): Promise<{ status: number; titles: string[] }> {
    const response = await running.post(searchInvoke(running.connector.url, user, value));
    const body = response.body as { value?: { results?: { title: string }[] } } | undefined;
    return { status: response.status, titles: (body?.value?.results ?? []).map((r) => r.title) };
  }

  it('gives someone in no unit no case, no unit’s people and no leader’s list, whatever they type or forge', async () => {
    const { code } = await walkToStep1(running, { today: TODAY, evaluationOn: IN_FOUR_WEEKS });
    const chat = new Conversation(running, stranger);
    const said = [
      ...(await chat.say('mine saker')),
      ...(await chat.say('til godkjenning')),
      ...(await chat.say('mine enheter')),
      ...(await chat.submitRaw({ verb: 'leader.reassign-form', caseId: code, unitId: SOLSIKKEN })),
      ...(await chat.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'handover' })),
    ];
    const shown = said.map((r) => JSON.stringify(r.activity)).join('\n');
    assert.doesNotMatch(shown, new RegExp(code), 'no case code');
    assert.doesNotMatch(shown, /Kari Nordmann|Anne Vik|Nina Lund|Tor Moen/, 'no names of the unit’s staff');
    assert.match(allText(said), /Du er ikke registrert som leder for en enhet/);
    // The search field answers someone outside the unit with nothing; a broken query too, without failing.
    assert.deepEqual(await searchAs(stranger, { queryText: 'a', dataset: `colleagues:${SOLSIKKEN}` }), { status: 200, titles: [] });
    assert.deepEqual(await searchAs(users.lise, { queryText: 'a', dataset: `colleagues:${SOLSIKKEN}` }), { status: 200, titles: [] });
    assert.deepEqual(await searchAs(users.kari, { queryText: 'x'.repeat(5000), dataset: `colleagues:${SOLSIKKEN}` }), {
      status: 200,
      titles: [],
    });
    assert.equal((await searchAs(users.kari, { dataset: 42 })).status, 400, 'not a search Laget knows: refused, not run');
    // Someone who works there finds colleagues by name, never themselves.
    const found = await searchAs(users.kari, { queryText: 'nina', dataset: `colleagues:${SOLSIKKEN}`, queryOptions: { skip: 0, top: 5 } });
    assert.deepEqual(found, { status: 200, titles: ['Nina Lund'] });
    assert.deepEqual((await searchAs(users.kari, { queryText: 'kari', dataset: `colleagues:${SOLSIKKEN}` })).titles, []);
  });

  it('offers the baton once when the leader presses the same reassign card twice', async () => {
    const { code } = await walkToStep1(running, { today: TODAY, evaluationOn: IN_FOUR_WEEKS }, users.anne);
    await new Conversation(running, users.nina).say('hei');
    const per = new Conversation(running, users.per);
    const picker = lastCard(await per.submitRaw({ verb: 'leader.reassign-form', caseId: code, unitId: SOLSIKKEN }))!;
    assert.deepEqual(batonChoices(picker).sort(), [users.kari, users.nina, users.tor].map((u) => u.aadObjectId).sort());
    const ninaBefore = running.connector.activitiesIn(personalConversationId(users.nina)).length;
    const first = await per.press(picker, 'Tilby saken til en annen', { to: users.nina.aadObjectId });
    const second = await per.press(picker, 'Tilby saken til en annen', { to: users.tor.aadObjectId });
    assert.match(allText(first), new RegExp(`${code} er tilbudt Nina Lund`));
    assert.doesNotMatch(allText(second), /er tilbudt Tor Moen/, 'the second press offers nothing');
    const stored = await readCase(running, code);
    assert.equal(stored.pendingHandover?.to.id, users.nina.aadObjectId);
    assert.equal(stored.owner.id, users.anne.aadObjectId, 'Anne keeps the case until Nina accepts');
    await running.laget.scheduler.runOnce(NOW);
    const toNina = running.connector
      .activitiesIn(personalConversationId(users.nina))
      .slice(ninaBefore)
      .filter((a) => JSON.stringify(a).includes(code));
    assert.equal(toNina.length, 1, 'Nina is offered the case once');
  });
});

describe('the directory from Graph in the turns (people and leaders only from Entra ID)', () => {
  let graph: FakeGraph;
  let running: Running;
  let file: string;
  before(async () => {
    graph = await new FakeGraph().start();
    const scenario = scenarioInGraph(graph);
    file = graphMunicipalityFile(scenario.units, scenario.coordinators);
    running = await startGraphLaget(graph, file, {}, { now: () => NOW });
  });
  after(async () => {
    await running?.stop();
    await graph.stop();
  });

  it('offers Nina her two units of three, and refuses the third', async () => {
    const nina = new Conversation(running, users.nina);
    const start = lastCard(await nina.say('ny sak'))!;
    assert.deepEqual(unitChoices(start), [SOLSIKKEN, BJORKELANGEN]);
    const forged = await nina.submitRaw({ verb: 'uro.start', dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: 'haugen-skole' });
    assert.match(allText(forged), /Du er ikke registrert i den enheten/);
  });

  it('walks the ladder to 3b with the leader from the directory approving: S1–S3', async () => {
    const today = TODAY;
    const per = new Conversation(running, users.per);
    await per.say('hei');
    const { chat: kari, code } = await walkToStep1(running, { today, evaluationOn: today });
    assert.equal((await readCase(running, code)).nearestLeader.id, users.per.aadObjectId, 'Per leads Solsikken in Entra ID');
    // From step 1 to the request for 3b the walk is the ladder's own (test/integration/ladder*.test.ts); here the
    // case that asks is Kari's at Solsikken, on 2b with 3b proposed and the consent on record.
    const ready = await caseReadyToAsk(running, {
      caseId: 'UR-DTTB',
      unitId: SOLSIKKEN,
      owner: users.kari,
      leader: users.per,
      start: new Date(NOW.getTime() - 90 * 86_400_000),
    });
    const form3b = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: ready.case.id, unitId: SOLSIKKEN, view: 'next-step' }));
    const sent = await kari.press(form3b, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    assert.match(allText(sent), /Forespørselen er sendt til Per Hansen/);
    await running.laget.scheduler.runOnce(NOW);
    const approval = running.connector
      .activitiesIn(personalConversationId(users.per))
      .map((a) => cardOf(a))
      .find((card) => textOf(card).includes(`Godkjenning: ${ready.case.id}`));
    assert.ok(approval, 'Per gets the approval card');
    const escalationId = (await readCase(running, ready.case.id)).escalations.find((e) => e.status === 'pending')!.id;
    const response = await running.post(
      execute(running.connector.url, users.per, 'approval.decide', {
        caseId: ready.case.id,
        unitId: SOLSIKKEN,
        escalationId,
        decision: 'approve',
      }),
    );
    assert.equal(response.status, 200);
    assert.equal((await readCase(running, ready.case.id)).currentStep?.stepId, '3b');
  });

  it('knows the coordinators from their group: Tor sees figures, never a single case', async () => {
    const { code } = await walkToStep1(running, { today: TODAY, evaluationOn: IN_FOUR_WEEKS }, users.anne);
    const tor = new Conversation(running, users.tor);
    const replies = await tor.submitRaw({ verb: 'uro.show', caseId: code, unitId: SOLSIKKEN, view: 'next' });
    assert.match(allText(replies), /Som koordinator ser du bare tall, ikke enkeltsaker/);
  });
});

describe('reaching a leader who has never opened Laget (proactive installation through Graph)', () => {
  let graph: FakeGraph;
  let file: string;
  let clock = NOW;
  before(async () => {
    graph = await new FakeGraph().start();
    file = graphMunicipalityFile(scenarioInGraph(graph).units);
  });
  after(async () => graph.stop());

  /** Kari asks Per (who has never written to Laget) to approve 3b. */
  async function askPer(running: Running, caseId: string) {
    const { now } = await caseReadyToAsk(running, {
      caseId,
      unitId: SOLSIKKEN,
      owner: users.kari,
      leader: users.per,
      start: new Date(NOW.getTime() - 90 * 86_400_000),
    });
    clock = now;
    const kari = new Conversation(running, users.kari);
    const form = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId, unitId: SOLSIKKEN, view: 'next-step' }));
    const sent = await kari.press(form, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    return { sent, now };
  }

  it('installs Laget for him and the approval card reaches his chat', async () => {
    graph.installPolicy = 'allow';
    const running = await startGraphLaget(graph, file, { TEAMS_APP_CATALOG_ID: 'laget-catalog-app' }, { now: () => clock });
    try {
      const { sent, now } = await askPer(running, 'UR-PVBH');
      assert.match(allText(sent), /Forespørselen er sendt til Per Hansen/);
      assert.doesNotMatch(allText(sent), /har ikke åpnet Laget/);
      const chat = graph.installed.get(users.per.aadObjectId);
      assert.ok(chat, 'Laget installed itself for Per through Graph');
      assert.equal(chat.appId, 'laget-catalog-app');
      await running.laget.scheduler.runOnce(now);
      const approval = running.connector
        .activitiesIn(chat.chatId)
        .map((a) => cardOf(a))
        .find((card) => textOf(card).includes('Godkjenning: UR-PVBH'));
      assert.ok(approval, 'the approval card is in the chat Graph gave');
      assert.deepEqual(buttonTitles(approval), ['Godkjenn', 'Avslå']);
    } finally {
      await running.stop();
    }
  });

  it('where the tenant refuses, tells the owner plainly that the card waits until he opens Laget — and it does', async () => {
    graph.installPolicy = 'block';
    const running = await startGraphLaget(graph, file, { TEAMS_APP_CATALOG_ID: 'laget-catalog-app' }, { now: () => clock });
    try {
      const { sent, now } = await askPer(running, 'UR-PVBJ');
      assert.match(
        allText(sent),
        /Per Hansen har ikke åpnet Laget ennå, så Laget kan ikke sende noe dit. Beskjeden venter og kommer fram første gang Per Hansen åpner Laget i Teams/,
      );
      await running.laget.scheduler.runOnce(now);
      assert.deepEqual(running.connector.activitiesIn(personalConversationId(users.per)), [], 'nothing reached Per yet');
      await new Conversation(running, users.per).say('hei');
      await running.laget.scheduler.runOnce(now);
      const approval = running.connector
        .activitiesIn(personalConversationId(users.per))
        .map((a) => cardOf(a))
        .find((card) => textOf(card).includes('Godkjenning: UR-PVBJ'));
      assert.ok(approval, 'the card arrives once Per opens Laget');
    } finally {
      await running.stop();
    }
  });
});
