import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { activeLeaders } from '../../src/domain/directory';
import { addWorkingDays, dayOf } from '../../src/domain/time';
import { reminderInstant } from '../../src/workflow/reminders';
import { CaseRepository } from '../../src/store/case-repository';
import { DirectoryStore } from '../../src/store/directory';
import { ConcurrencyConflict } from '../../src/store/documents';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { execute, personalConversationId, users, type TestUser } from '../support/activities';
import { captureLog } from '../support/capture-log';
import { allText, buttonTitles, Conversation, inputIds, lastCard } from '../support/conversation';
import { caseReadyToAsk, storedCase } from '../support/directory-cases';
import { sharedFakeEntra, type FakeEntra } from '../support/fake-entra';
import { FakeGraph } from '../support/fake-graph';
import { graphMunicipalityFile, scenarioInGraph, startGraphLaget, type GraphUnit } from '../support/graph-directory';
import { cardOf, textOf, type Running } from '../support/laget';
import { caseCodeIn } from '../support/uro-walk';

/**
 * The directory from Entra ID through Microsoft Graph — here a fake Graph on 127.0.0.1 — kept in
 * the store by the sync job: a full reading with paging, deltas that change cases the way people
 * notice (a new leader, an owner who left), throttling, Graph away at start, two instances.
 */

const FIELDS = 'id,displayName,accountEnabled,userPrincipalName';
const SOLSIKKEN = 'solsikken-barnehage';
const BJORKELANGEN = 'bjorkelangen-skole';

describe('the directory from Graph: a full sync of 3 units and 600 people, 100 to a page', () => {
  let graph: FakeGraph;
  let running: Running;
  const units: GraphUnit[] = [];
  const groupOf = new Map<string, string[]>();

  before(async () => {
    graph = await new FakeGraph().start();
    graph.pageSize = 100;
    const people = Array.from({ length: 600 }, (_, n) => graph.addUser({ id: `user-${n}`, displayName: `Ansatt ${n}` }).id);
    // Unit A: 230 staff and a leaders group; B: 200 staff, led by the group's owners; C: 120 staff of
    // its own and a nested group of 50 (transitive members); two of A's staff are disabled.
    const nested = graph.addGroup(randomUUID(), people.slice(550, 600));
    const a = graph.addGroup(randomUUID(), people.slice(0, 230));
    const aLeaders = graph.addGroup(randomUUID(), ['user-230', 'user-231']);
    const b = graph.addGroup(randomUUID(), people.slice(232, 432), ['user-432']);
    const c = graph.addGroup(randomUUID(), [...people.slice(433, 550), nested]);
    const cLeaders = graph.addGroup(randomUUID(), ['user-549']);
    graph.setEnabled('user-5', false);
    graph.setEnabled('user-6', false);
    units.push(
      { id: 'a-skole', name: 'A skole', kind: 'school', staff: a, leaders: aLeaders },
      { id: 'b-barnehage', name: 'B barnehage', kind: 'kindergarten', staff: b, leaders: 'owners' },
      { id: 'c-skole', name: 'C skole', kind: 'school', staff: c, leaders: cLeaders },
    );
    groupOf.set('a-skole', people.slice(0, 230)).set('b-barnehage', people.slice(232, 432)).set('c-skole', people.slice(433, 600));
    running = await startGraphLaget(graph, graphMunicipalityFile(units));
  });
  after(async () => {
    await running?.stop();
    await graph.stop();
  });

  it('stores exactly the groups’ transitive members and leaders, reading each page once', async () => {
    const directory = new DirectoryStore(running.laget.store.containers.directory);
    for (const unit of units) {
      const stored = await directory.unit(unit.id);
      assert.ok(stored, unit.id);
      assert.deepEqual(stored.staff.map((m) => m.id).sort(), [...groupOf.get(unit.id)!].sort(), `${unit.id}: staff`);
    }
    assert.deepEqual(
      activeLeaders(await directory.unit('a-skole')).map((l) => l.id),
      ['user-230', 'user-231'],
    );
    assert.deepEqual(
      activeLeaders(await directory.unit('b-barnehage')).map((l) => l.id),
      ['user-432'],
      'the owners lead B',
    );
    assert.deepEqual(
      activeLeaders(await directory.unit('c-skole')).map((l) => l.id),
      ['user-549'],
    );

    assert.deepEqual(await directory.person('user-7'), {
      id: 'user-7',
      name: 'Ansatt 7',
      units: [
        {
          unitId: 'a-skole',
          leads: false,
          leaders: [
            { id: 'user-230', name: 'Ansatt 230' },
            { id: 'user-231', name: 'Ansatt 231' },
          ],
        },
      ],
      coordinator: false,
    });
    assert.equal(await directory.person('user-5'), undefined, 'a disabled account is in no unit');
    assert.deepEqual(
      (await directory.person('user-560'))?.units.map((u) => u.unitId),
      ['c-skole'],
      'a nested group’s member',
    );

    // Pages: the minimum each group needs at 100 a page, and not one more.
    const pages = (group: string, kind: 'transitiveMembers' | 'owners') =>
      graph.requestsTo(new RegExp(`^/groups/${group}/${kind}/`)).length;
    assert.equal(pages(units[0]!.staff, 'transitiveMembers'), 3); // 230
    assert.equal(pages(units[1]!.staff, 'transitiveMembers'), 2); // 200
    assert.equal(pages(units[2]!.staff, 'transitiveMembers'), 2); // 117 + 50 nested
    assert.equal(pages(units[1]!.staff, 'owners'), 1);
    // Only the four fields Laget needs, on every read of people.
    const reads = graph.requests.filter((r) => /transitiveMembers|owners|\/users\/delta/.test(r.path));
    assert.ok(
      reads.every((r) => r.query.get('$select') === FIELDS || r.query.has('$deltatoken')),
      'every read names its fields',
    );
    const { resources } = await running.laget.store.containers.directory.items.query('SELECT * FROM c').fetchAll();
    assert.ok(!JSON.stringify(resources).includes('ikke-bruk@example.no'), 'nothing beyond the fields asked for is stored');
    // Every request carried the token.
    assert.ok(graph.requests.every((r) => r.authorization === 'Bearer fake-graph-token'));
  });

  it('says on /healthz where the directory comes from and when it was read', async () => {
    const health = (await (await fetch(`${running.laget.url}/healthz`)).json()) as { directory: Record<string, unknown> };
    assert.equal(health.directory.source, 'graph');
    assert.equal(typeof health.directory.snapshotAt, 'string');
    assert.equal(health.directory.lastError, null);
  });

  it('offers a search field for the baton in a large unit, answered from the directory (Data.Query)', async () => {
    const deployed = await startGraphLaget(graph, graphMunicipalityFile(units), {}, {}, (config) => ({ ...config, environment: 'dev' }));
    try {
      const owner: TestUser = { aadObjectId: 'user-10', mri: '29:user-10', name: 'Ansatt 10' };
      const { case: c } = await storedCase(deployed, {
        caseId: 'UR-BGXZ',
        unitId: 'a-skole',
        owner,
        leader: { aadObjectId: 'user-230', mri: '29:user-230', name: 'Ansatt 230' },
        start: new Date(),
      });
      const chat = new Conversation(deployed, owner);
      const picker = lastCard(await chat.submitRaw({ verb: 'uro.show', caseId: c.id, unitId: c.unitId, view: 'handover' }))!;
      const input = JSON.stringify(picker);
      assert.match(input, /"style":"filtered"/);
      assert.match(input, /"choices.data":\{"type":"Data.Query","dataset":"colleagues:a-skole"\}/);
      assert.ok(inputIds(picker).includes('to'));

      const search = async (user: TestUser, queryText: string, dataset = 'colleagues:a-skole') => {
        const activity = {
          type: 'invoke',
          name: 'application/search',
          id: randomUUID(),
          channelId: 'msteams',
          serviceUrl: deployed.connector.url,
          from: { id: user.mri, name: user.name, aadObjectId: user.aadObjectId },
          recipient: { id: '28:laget-bot', name: 'Laget' },
          conversation: { id: personalConversationId(user), conversationType: 'personal', tenantId: 'tenant-laget-test' },
          channelData: { tenant: { id: 'tenant-laget-test' } },
          value: { queryText, dataset, queryOptions: { skip: 0, top: 15 } },
        };
        const response = await deployed.post(activity);
        assert.equal(response.status, 200);
        return (response.body as { value: { results: { title: string; value: string }[] } }).value.results;
      };
      const found = await search(owner, 'ansatt 12');
      assert.deepEqual(
        found.map((r) => r.value),
        ['user-12', 'user-120', 'user-121', 'user-122', 'user-123', 'user-124', 'user-125', 'user-126', 'user-127', 'user-128', 'user-129'],
      );
      assert.match(found[0]!.title, /^Ansatt 12 \(ansatt\.12@kommune\.example\.no\)$/, 'the sign-in name tells two of the same name apart');
      assert.deepEqual(await search(owner, 'Ansatt 300'), [], 'only the unit’s own staff');
      const stranger: TestUser = { aadObjectId: 'user-300', mri: '29:user-300', name: 'Ansatt 300' };
      assert.deepEqual(await search(stranger, 'ansatt'), [], 'someone from another unit searches nothing here');
    } finally {
      await deployed.stop();
    }
  });
});

describe('the directory from Graph: changes arrive within one delta run, and do what people notice, once', () => {
  let graph: FakeGraph;
  let running: Running;
  let clock = new Date();
  let groups: ReturnType<typeof scenarioInGraph>['groups'];
  const cards = (user: TestUser) =>
    running.connector
      .activitiesIn(personalConversationId(user))
      .map((a) => cardOf(a))
      .filter(Boolean) as Record<string, unknown>[];

  before(async () => {
    graph = await new FakeGraph().start();
    const scenario = scenarioInGraph(graph);
    groups = scenario.groups;
    running = await startGraphLaget(graph, graphMunicipalityFile(scenario.units, scenario.coordinators), {}, { now: () => clock });
  });
  after(async () => {
    await running?.stop();
    await graph.stop();
  });

  it('a new leader, a teacher who moved, a disabled account: the cases and the people concerned', async () => {
    const start = new Date(Date.now() - 300 * 86_400_000);
    // Kari asks Per to approve 3b; Anne owns a case at Solsikken; Tor one at Bjørkelangen.
    const asked = await caseReadyToAsk(running, { caseId: 'UR-DKRB', unitId: SOLSIKKEN, owner: users.kari, leader: users.per, start });
    clock = asked.now;
    const kari = new Conversation(running, users.kari);
    const nextStep = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: 'UR-DKRB', unitId: SOLSIKKEN, view: 'next-step' }));
    await kari.press(nextStep, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    await storedCase(running, { caseId: 'UR-DZNB', unitId: SOLSIKKEN, owner: users.anne, leader: users.per, start });
    await storedCase(running, { caseId: 'UR-DTTS', unitId: BJORKELANGEN, owner: users.tor, leader: users.ola, start });
    for (const user of [users.per, users.nina, users.ola, users.anne, users.tor]) await new Conversation(running, user).say('hei');
    await running.laget.scheduler.runOnce(clock);
    const before = running.connector.calls.length;
    // A start card Anne opened while she still worked at Solsikken.
    const anne = new Conversation(running, users.anne);
    const oldStart = lastCard(await anne.say('ny sak'))!;

    // In Entra ID: Nina takes over Solsikken from Per, Anne moves to Bjørkelangen, Tor's account is disabled.
    graph.removeMember(groups.solsikkenLeaders, users.per.aadObjectId);
    graph.addMember(groups.solsikkenLeaders, users.nina.aadObjectId);
    graph.removeMember(groups.solsikkenStaff, users.anne.aadObjectId);
    graph.addMember(groups.bjorkelangenStaff, users.anne.aadObjectId);
    graph.setEnabled(users.tor.aadObjectId, false);

    const outcome = await running.laget.directorySync.run(clock, 'delta');
    assert.equal(outcome.kind, 'synced');
    assert.equal(outcome.kind === 'synced' && outcome.mode, 'delta');
    await running.laget.scheduler.runOnce(clock);

    const cases = new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
    const kariCase = (await cases.read({ caseId: 'UR-DKRB', unitId: SOLSIKKEN }))!.doc;
    assert.equal(kariCase.nearestLeader.id, users.nina.aadObjectId, 'the case has the unit’s new leader');
    assert.ok(kariCase.events.some((e) => e.type === 'leader-changed' && e.fromPersonId === users.per.aadObjectId && e.byDirectory));

    const toPer = cards(users.per).slice(-3).map(textOf);
    const perTold = toPer.find((t) => t.includes('UR-DKRB') && /har nå Nina Lund som nærmeste leder/.test(t));
    assert.ok(perTold, 'Per is told the case has a new leader');
    assert.ok(!perTold.includes('E.H.'), 'with the code only');
    const approval = cards(users.nina).find((card) => textOf(card).includes('Godkjenning: UR-DKRB'));
    assert.ok(approval, 'the waiting request moved to Nina');
    assert.deepEqual(buttonTitles(approval), ['Godkjenn', 'Avslå']);

    const anneCase = (await cases.read({ caseId: 'UR-DZNB', unitId: SOLSIKKEN }))!.doc;
    assert.equal(anneCase.owner.id, users.anne.aadObjectId, 'Anne keeps the case until someone accepts it');
    const offerAnne = cards(users.nina).find((card) => /Anne Vik jobber ikke lenger i enheten/.test(textOf(card)));
    assert.ok(offerAnne, 'the unit’s leader is offered the baton of the case of the teacher who moved');
    assert.deepEqual(buttonTitles(offerAnne), ['Tilby saken til en annen']);
    const toOla = cards(users.ola)
      .map(textOf)
      .find((t) => /Kontoen til Tor Moen er deaktivert/.test(t));
    assert.ok(toOla?.includes('UR-DTTS'), 'a disabled owner’s leader is offered the baton');

    // The offer leads to the ordinary reassign picker, with Solsikken's staff now: not Anne any more.
    const nina = new Conversation(running, users.nina);
    const picker = lastCard(await nina.press(offerAnne, 'Tilby saken til en annen'))!;
    const offered = JSON.stringify(picker);
    assert.ok(offered.includes(users.kari.aadObjectId) && !offered.includes(users.lise.aadObjectId));

    // Once: another delta, and a full sync, change nothing and tell no one.
    const told = running.connector.calls.length;
    assert.ok(told > before);
    const again = await running.laget.directorySync.run(clock, 'delta');
    assert.equal(again.kind === 'synced' && again.casesChanged, 0);
    const full = await running.laget.directorySync.run(clock, 'full');
    assert.equal(full.kind === 'synced' && full.casesChanged, 0);
    await running.laget.scheduler.runOnce(clock);
    assert.equal(running.connector.calls.length, told, 'nobody is told twice');

    // Anne now works at Bjørkelangen only: her old card opens nothing at Solsikken; the new one is for Bjørkelangen.
    const stale = await anne.press(oldStart, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' });
    assert.match(allText(stale), /Du er ikke registrert i den enheten/);
    assert.doesNotMatch(allText(stale), /UR-[0-9A-Z]{4}/, 'no case opened from the old card');
    const fresh = await anne.press(lastCard(stale), 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no' });
    assert.equal((await cases.read({ caseId: caseCodeIn(fresh), unitId: BJORKELANGEN }))?.doc.nearestLeader.id, users.ola.aadObjectId);

    // Per's old approval card decides nothing now: the request is Nina's.
    const escalationId = kariCase.escalations.find((e) => e.status === 'pending')!.id;
    const perPress = await running.post(
      execute(running.connector.url, users.per, 'approval.decide', {
        caseId: 'UR-DKRB',
        unitId: SOLSIKKEN,
        escalationId,
        decision: 'approve',
      }),
    );
    assert.match(textOf((perPress.body as { value?: unknown }).value), /Du har ikke tilgang til denne saken/);
    assert.equal((await cases.read({ caseId: 'UR-DKRB', unitId: SOLSIKKEN }))!.doc.currentStep?.stepId, '2b', 'not approved by Per');
  });
});

describe('the directory from Graph: a reminder of a waiting request goes to whoever leads the unit when it is sent', () => {
  let graph: FakeGraph;
  let running: Running;
  let clock = new Date();
  let groups: ReturnType<typeof scenarioInGraph>['groups'];
  const approvals = (user: TestUser) =>
    running.connector
      .activitiesIn(personalConversationId(user))
      .map((a) => cardOf(a))
      .filter((card): card is Record<string, unknown> => !!card && textOf(card).includes('Godkjenning: UR-DKRM'))
      .map(textOf);

  before(async () => {
    graph = await new FakeGraph().start();
    const scenario = scenarioInGraph(graph);
    groups = scenario.groups;
    running = await startGraphLaget(graph, graphMunicipalityFile(scenario.units, scenario.coordinators), {}, { now: () => clock });
  });
  after(async () => {
    await running?.stop();
    await graph.stop();
  });

  it('reminds Nina, who leads Solsikken now, not Per, who led it when Kari asked (the request moved with the case)', async () => {
    // Kari asks Per to approve 3b.
    const asked = await caseReadyToAsk(running, {
      caseId: 'UR-DKRM',
      unitId: SOLSIKKEN,
      owner: users.kari,
      leader: users.per,
      start: new Date(Date.now() - 300 * 86_400_000),
    });
    clock = asked.now;
    for (const user of [users.per, users.nina]) await new Conversation(running, user).say('hei');
    const kari = new Conversation(running, users.kari);
    const nextStep = lastCard(await kari.submitRaw({ verb: 'uro.show', caseId: 'UR-DKRM', unitId: SOLSIKKEN, view: 'next-step' }));
    await kari.press(nextStep, 'Send til Per Hansen', { services: 'ppt,helsestasjon', parentsParticipate: 'true' });
    await running.laget.scheduler.runOnce(clock);
    assert.equal(approvals(users.per).length, 1, 'Per has the request');

    // The next morning, Nina takes over Solsikken from Per in Entra ID.
    clock = new Date(clock.getTime() + 86_400_000);
    graph.removeMember(groups.solsikkenLeaders, users.per.aadObjectId);
    graph.addMember(groups.solsikkenLeaders, users.nina.aadObjectId);
    assert.equal((await running.laget.directorySync.run(clock, 'delta')).kind, 'synced');
    await running.laget.scheduler.runOnce(clock);
    assert.equal(approvals(users.nina).length, 1, 'the waiting request moved to Nina');

    // The request has waited the municipality's working days: the reminder is due.
    const { municipality, config } = running.laget.services;
    const { timeZone } = config;
    const due = reminderInstant(addWorkingDays(dayOf(asked.now, timeZone), municipality.approvalReminderWorkingDays), {
      timeZone,
      hour: municipality.reminderHour,
    });
    clock = new Date(due.getTime() + 60_000);
    await running.laget.scheduler.runOnce(clock);

    const toNina = approvals(users.nina);
    assert.equal(toNina.length, 2, 'Nina is reminded');
    assert.match(toNina[1]!, /Påminnelse: denne forespørselen har ventet i 3 arbeidsdager/);
    assert.deepEqual(
      approvals(users.per).map((text) => /Påminnelse/.test(text)),
      [false],
      'Per, who no longer leads the unit, is not reminded',
    );
  });
});

describe('the directory from Graph when Graph misbehaves', () => {
  let cosmos: EmbeddedCosmos;
  before(async () => {
    cosmos = await startEmbeddedCosmos();
  });
  after(async () => cosmos.close());
  const store = (database: string) => ({ COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: 'local', COSMOS_DATABASE: database });

  it('completes a full sync that Graph throttles half-way, after the wait Graph asks for', async () => {
    const graph = await new FakeGraph().start();
    graph.pageSize = 2;
    const scenario = scenarioInGraph(graph);
    let throttled = 0;
    graph.throttle = (request) =>
      request.path.includes(scenario.groups.bjorkelangenStaff) && request.query.has('$skiptoken') && throttled++ === 0 ? 1 : undefined;
    const running = await startGraphLaget(graph, graphMunicipalityFile(scenario.units), store('throttled'));
    try {
      const pages = graph.requestsTo(new RegExp(`^/groups/${scenario.groups.bjorkelangenStaff}/transitiveMembers/`));
      assert.equal(pages.length, 3, 'two pages, the second asked for twice');
      assert.ok(pages[2]!.at - pages[1]!.at >= 1000, 'not before Retry-After');
      const staff = await new DirectoryStore(running.laget.store.containers.directory).unit(BJORKELANGEN);
      assert.deepEqual(staff?.staff.map((m) => m.id).sort(), [users.lise, users.nina, users.tor].map((u) => u.aadObjectId).sort());
    } finally {
      await running.stop();
      await graph.stop();
    }
  });

  it('starts on the last snapshot when Graph is down, and says when that snapshot was taken', async () => {
    const graph = await new FakeGraph().start();
    const scenario = scenarioInGraph(graph);
    const file = graphMunicipalityFile(scenario.units);
    const first = await startGraphLaget(graph, file, store('graph-down'));
    const status = await new DirectoryStore(first.laget.store.containers.directory).status();
    await first.stop();
    const graphUrl = graph.url;
    await graph.stop();

    const { log, lines } = captureLog();
    const startedAt = Date.now();
    // An hour later (a restart, a new instance): Graph cannot be reached.
    const later = () => new Date(Date.now() + 3_600_000);
    const second = await startGraphLaget(graph, file, { ...store('graph-down'), GRAPH_BASE_URL: graphUrl }, { log, now: later });
    try {
      assert.ok(Date.now() - startedAt < 15_000, 'start does not wait long for Graph');
      const warned = lines.find((line) => String(line.msg).includes('keeps working on the snapshot taken'));
      assert.ok(warned, 'the log says Laget works on the last snapshot');
      assert.match(String(warned.msg), new RegExp(status.snapshotAt!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      const health = (await (await fetch(`${second.laget.url}/healthz`)).json()) as { directory: Record<string, unknown> };
      assert.equal(health.directory.snapshotAt, status.snapshotAt);
      assert.match(String((health.directory.lastError as { message: string }).message), /Graph could not be reached/);
      // Kari still works where the snapshot says.
      const kari = new Conversation(second, users.kari);
      const start = lastCard(await kari.say('ny sak'))!;
      assert.match(textOf(start), /Sikkerheten kommer alltid først/);
    } finally {
      await second.stop();
    }
  });

  it('two instances syncing at once store one snapshot; a writer from an older reading loses, nothing is lost', async () => {
    const graph = await new FakeGraph().start();
    const scenario = scenarioInGraph(graph);
    const file = graphMunicipalityFile(scenario.units);
    const a = await startGraphLaget(graph, file, store('two'));
    const b = await startGraphLaget(graph, file, store('two'));
    try {
      const directory = new DirectoryStore(a.laget.store.containers.directory);
      const version = (await directory.status()).version;
      graph.addMember(scenario.groups.solsikkenStaff, users.lise.aadObjectId);
      const now = new Date(Date.now() + 3_600_000);
      const outcomes = await Promise.all([a.laget.directorySync.run(now, 'delta'), b.laget.directorySync.run(now, 'delta')]);
      assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['busy', 'synced']);
      assert.equal((await directory.status()).version, version + 1, 'one snapshot');
      assert.deepEqual(
        (await directory.person(users.lise.aadObjectId))?.units.map((u) => u.unitId),
        [SOLSIKKEN, BJORKELANGEN],
      );

      // Two writers from the same reading: the second is refused, the first's snapshot stands.
      const unitIds = scenario.units.map((u) => u.id);
      const reading = await directory.readSnapshot(unitIds);
      const withAnne = structuredClone<typeof reading.snapshot>(reading.snapshot);
      (withAnne.units[BJORKELANGEN]!.staff as unknown[]).push({ id: users.anne.aadObjectId, name: users.anne.name, enabled: true });
      const withKari = structuredClone<typeof reading.snapshot>(reading.snapshot);
      (withKari.units[BJORKELANGEN]!.staff as unknown[]).push({ id: users.kari.aadObjectId, name: users.kari.name, enabled: true });
      await directory.writeSnapshot(reading, withAnne, unitIds, version + 2, now);
      await assert.rejects(directory.writeSnapshot(reading, withKari, unitIds, version + 2, now), ConcurrencyConflict);
      const stored = (await directory.unit(BJORKELANGEN))!.staff.map((m) => m.id);
      assert.ok(stored.includes(users.anne.aadObjectId) && !stored.includes(users.kari.aadObjectId));
    } finally {
      await a.stop();
      await b.stop();
      await graph.stop();
    }
  });
});

describe('the directory from Graph, signed in as Azure does it', () => {
  let entra: FakeEntra;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  before(async () => {
    // The process's one managed identity endpoint: msal-node keeps the first it found (see sharedFakeEntra).
    entra = await sharedFakeEntra();
    // What App Service gives a process with a managed identity.
    process.env.IDENTITY_ENDPOINT = entra.identityEndpoint;
    process.env.IDENTITY_HEADER = entra.identityHeader;
  });
  after(() => {
    for (const [name, value] of [
      ['IDENTITY_ENDPOINT', saved.endpoint],
      ['IDENTITY_HEADER', saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('gets its Graph token from the managed identity, for Graph, and sends it with every request', async () => {
    const graph = await new FakeGraph().start();
    const scenario = scenarioInGraph(graph);
    const running = await startGraphLaget(
      graph,
      graphMunicipalityFile(scenario.units),
      { GRAPH_CLIENT_ID: 'laget-managed-identity' },
      // The first sync completes before start returns, however slow the machine: what it sent is what is checked.
      { directory: { graphCredential: undefined }, directoryStartBudgetMs: 120_000 },
    );
    try {
      const tokens = new Set(graph.requests.map((r) => r.authorization));
      assert.equal(tokens.size, 1, 'one token, reused');
      const token = [...tokens][0]!.replace(/^Bearer /, '');
      assert.ok(entra.issuedToBot.includes(token), 'the token the managed identity endpoint issued');
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(claims.aud, 'https://graph.microsoft.com');
      assert.equal(claims.appid, 'laget-managed-identity');
      assert.ok((await new DirectoryStore(running.laget.store.containers.directory).person(users.kari.aadObjectId))?.units.length);
    } finally {
      await running.stop();
      await graph.stop();
    }
  });
});
