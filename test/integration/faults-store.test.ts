import assert from 'node:assert/strict';
import { users } from '../support/activities';
import { AuditLog } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { startEmbeddedCosmos, type EmbeddedCosmos } from '../../src/store/embedded-cosmos';
import { allText, Conversation, lastCard } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { StoreProxy, type StoreRequest } from '../support/store-proxy';
import { caseCodeIn, readCase, SOLSIKKEN, startGreyZoneCase } from '../support/uro-walk';

/**
 * Cosmos DB goes away in the middle of a person's work. Laget talks to a running embedded store
 * through a proxy the test controls: `down()` is the outage (connections cut, new ones refused),
 * `up()` brings it back on the same address with every document still there, and single
 * requests can be failed — before they reach the store, or after it acted (the answer lost).
 */

const PART_A = { alias: 'E.H.', seenOrHeard: 'Trøtt og innesluttet.', whatWorriesMe: 'Endringen kom brått.' };
const STORE_UNAVAILABLE = /Kunne ikke lagre akkurat nå[\s\S]*Ingenting er tapt/;

const isCaseWrite = (request: StoreRequest) =>
  request.path.includes('/colls/cases/docs') &&
  (request.method === 'PUT' || request.method === 'POST') &&
  !request.headers['x-ms-documentdb-isquery'];

describe('faults: the store goes away mid-flow', () => {
  let cosmos: EmbeddedCosmos;
  let proxy: StoreProxy;
  let running: Running;
  let audit: AuditLog;

  before(async () => {
    cosmos = await startEmbeddedCosmos();
    proxy = await StoreProxy.start(cosmos.endpoint);
    running = await startTestLaget({ COSMOS_ENDPOINT: proxy.endpoint, COSMOS_KEY: 'local' });
    audit = new AuditLog(running.laget.store.containers.audit);
  });
  afterEach(async () => {
    proxy.fault = () => 'forward';
    await proxy.up();
  });
  after(async () => {
    await running.stop();
    await proxy.stop();
    await cosmos.close();
  });

  /**
   * The audit entries of one change command on a case that changed it. (Pressing the card again
   * shows the case as it is now: that read is audited too, as a refused 'stale-card' attempt.)
   */
  const changesOf = async (caseId: string, command: string) =>
    (await audit.forCase(caseId)).filter(
      (entry) => entry.operation === 'change' && entry.command === command && entry.outcome === 'allowed',
    );

  it('answers with the Norwegian "could not save" card while the store is down, and saves the same submit once when it is back', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    const before = await readCase(running, code);

    await proxy.down();
    const ready = await fetch(`${running.laget.url}/readyz`);
    assert.equal(ready.status, 503, '/readyz tells the platform the store is unreachable');
    const failed = await chat.press(partA, 'Lagre og fortsett', PART_A);
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.text, STORE_UNAVAILABLE);
    assert.match(failed[0]!.text, /prøv igjen om litt med samme kort/);

    await proxy.up();
    assert.deepEqual(await readCase(running, code), before, 'nothing of the failed submit was written');
    assert.equal((await changesOf(code, 'set-alias+record-part-a')).length, 0, 'and nothing audited');

    const saved = await chat.press(partA, 'Lagre og fortsett', PART_A);
    assert.match(textOf(lastCard(saved)), /Del B – forbered samtalen med foreldrene/, 'the same card works once the store is back');
    const again = await chat.press(partA, 'Lagre og fortsett', PART_A);
    assert.match(allText(again), /Det er allerede lagret/, 'pressing it once more does not save it twice');

    const after = await readCase(running, code);
    assert.equal(after.worryForm.partA?.answers.seenOrHeard, PART_A.seenOrHeard);
    assert.equal(after.events.filter((event) => event.type === 'worry-form-recorded').length, 1, 'part A recorded once');
    assert.equal((await changesOf(code, 'set-alias+record-part-a')).length, 1, 'one audit entry for the change');
  });

  it('counts a change whose answer was lost as saved: the person goes on, one change, one audit entry', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    proxy.fault = (request) => (isCaseWrite(request) && request.method === 'PUT' ? 'lose-answer' : 'forward');
    const replies = await chat.press(partA, 'Lagre og fortsett', PART_A);
    proxy.fault = () => 'forward';
    assert.match(textOf(lastCard(replies)), /Del B – forbered samtalen med foreldrene/, 'the write happened, so Laget goes on');

    const again = await chat.press(partA, 'Lagre og fortsett', PART_A);
    assert.match(allText(again), /Det er allerede lagret/);
    const stored = await readCase(running, code);
    assert.equal(stored.events.filter((event) => event.type === 'worry-form-recorded').length, 1);
    const entries = await changesOf(code, 'set-alias+record-part-a');
    assert.equal(entries.length, 1, `exactly one audit entry for the change: ${JSON.stringify(entries)}`);
  });

  it('leaves no orphan case when the answer to creating it is lost', async () => {
    const cases = new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
    // Tor works in both units: he chooses Solsikken.
    const tor = new Conversation(running, users.tor);
    const start = lastCard(await tor.say('ny sak'));
    const ownedBefore = (await cases.ownedBy(users.tor.aadObjectId, SOLSIKKEN)).length;
    proxy.fault = (request) => (isCaseWrite(request) && request.method === 'POST' ? 'lose-answer' : 'forward');
    const zone = await tor.press(start, 'Videre', { dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: SOLSIKKEN });
    proxy.fault = () => 'forward';
    const code = caseCodeIn(zone);
    const owned = await cases.ownedBy(users.tor.aadObjectId, SOLSIKKEN);
    assert.equal(owned.length, ownedBefore + 1, 'one case, not one lost and one drawn again');
    assert.equal(owned.filter((c) => c.doc.id === code).length, 1);
    const created = (await audit.forCase(code)).filter((entry) => entry.operation === 'create');
    assert.equal(created.length, 1, 'its creation is audited once');
  });

  it('gives up on a throttled store after three quick retries, not the SDK’s 30 seconds, and says so', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    const before = await readCase(running, code);
    const isCaseRead = (request: StoreRequest) => request.method === 'GET' && request.path.includes(`/colls/cases/docs/${code}`);
    proxy.fault = (request) => (isCaseRead(request) ? 'throttle' : 'forward');
    const throttledBefore = proxy.throttled.length;
    const failed = await chat.press(partA, 'Lagre og fortsett', PART_A);
    proxy.fault = () => 'forward';
    assert.match(allText(failed), STORE_UNAVAILABLE);
    // The interactive retry budget (src/store/cosmos.ts): the first try and three retries.
    assert.equal(proxy.throttled.length - throttledBefore, 4);
    assert.deepEqual(await readCase(running, code), before);
  });

  it('stores the audit entry of a saved change once the audit store answers again, exactly once', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    const isAuditWrite = (request: StoreRequest) =>
      request.path.includes('/colls/audit/docs') && request.method === 'POST' && !request.headers['x-ms-documentdb-isquery'];
    proxy.fault = (request) => (isAuditWrite(request) ? 'refuse' : 'forward');
    const saved = await chat.press(partA, 'Lagre og fortsett', PART_A);
    assert.match(textOf(lastCard(saved)), /Del B/, 'the change stands, so the person goes on');
    assert.equal((await readCase(running, code)).worryForm.partA?.answers.seenOrHeard, PART_A.seenOrHeard);
    proxy.fault = () => 'forward';
    assert.equal((await changesOf(code, 'set-alias+record-part-a')).length, 0, 'the entry could not be stored with the change');
    assert.equal(running.laget.services.cases.unfinishedCount, 1, 'it is kept');

    await running.laget.scheduler.runOnce(new Date()); // the next poll of the scheduler
    assert.equal(running.laget.services.cases.unfinishedCount, 0);
    await running.laget.scheduler.runOnce(new Date());
    assert.equal((await changesOf(code, 'set-alias+record-part-a')).length, 1, 'stored late, and once');
  });

  it('tells the person, and writes nothing, when the store fails between reading and saving', async () => {
    const { chat, code, partA } = await startGreyZoneCase(running);
    const before = await readCase(running, code);
    proxy.fault = (request) => (isCaseWrite(request) && request.method === 'PUT' ? 'refuse' : 'forward');
    const failed = await chat.press(partA, 'Lagre og fortsett', PART_A);
    proxy.fault = () => 'forward';
    assert.match(allText(failed), STORE_UNAVAILABLE);
    assert.deepEqual(await readCase(running, code), before);
    assert.equal((await changesOf(code, 'set-alias+record-part-a')).length, 0);
    const saved = await chat.press(partA, 'Lagre og fortsett', PART_A);
    assert.match(textOf(lastCard(saved)), /Del B/);
    assert.equal((await changesOf(code, 'set-alias+record-part-a')).length, 1);
  });
});
