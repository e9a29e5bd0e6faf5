import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/case';
import { decide } from '../../src/domain/decide';
import { walkTo } from '../support/ladder-walk';
import { PEOPLE } from '../../scripts/seed/scenarios';
import { loadLadder } from '../../src/domain/ladder';
import { MAX_CARD_BYTES } from '../../src/cards/guards';
import { CaseRepository } from '../../src/store/case-repository';
import { accessFixtureCase } from '../support/access-fixture';
import { message, submit, users, type TestUser } from '../support/activities';
import { syntheticCaseCode } from '../support/case-codes';
import { buttonTitles, Conversation, lastCard } from '../support/conversation';
import { startTestLaget, textOf, type Running } from '../support/laget';
import { SOLSIKKEN } from '../support/uro-walk';

/**
 * Lists that scale (issue 12, finding 4): "mine saker", "mine enheter" and "til godkjenning" built
 * one card of every case, and past about 55 rows the card was larger than Teams takes — the person
 * got nothing. With 1,000 cases behind them, every list card is a page (with *Vis flere*), stays
 * under Teams' size, puts what needs action first, and audits only the cases it shows.
 */

const ladder = loadLadder('aurskog-holand');
const NOW = new Date('2026-03-02T08:00:00Z');
const TOTAL = 1000;
const WAITING = 40;
const daysBefore = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** Kari's 1,000 cases in Solsikken: requests waiting for Per, dates passed and to come, drafts, report paths, offers. */
function manyCases(): Case[] {
  const waiting = accessFixtureCase('UR-TEMP', daysBefore(90)).case;
  const onStep = walkTo(ladder, '2b', { start: daysBefore(60) }).case;
  const created = decide(
    null,
    {
      type: 'create-case',
      caseId: 'UR-TEMP',
      unitId: SOLSIKKEN,
      nearestLeader: PEOPLE.per,
      safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
    },
    PEOPLE.kari,
    daysBefore(3),
    ladder,
  );
  assert.equal(created.kind, 'accepted');
  const draft = (created as { case: Case }).case;
  const cases: Case[] = [];
  for (let n = 0; n < TOTAL; n += 1) {
    const id = syntheticCaseCode(n, 'K', 6);
    const at = daysBefore(1 + (n % 200)).toISOString();
    if (n < WAITING) {
      // Requested on different days: the oldest must come first in "til godkjenning".
      const escalations = waiting.escalations.map((e) =>
        e.status === 'pending' ? { ...e, requestedAt: daysBefore(80 - n).toISOString() } : e,
      );
      cases.push({ ...waiting, id, escalations, pendingHandover: null, alias: `W${n}`, updatedAt: at });
    } else if (n < WAITING + 5) {
      // Nina owns these and offers them to Kari: Kari must answer.
      cases.push({
        ...onStep,
        id,
        owner: PEOPLE.nina,
        pendingHandover: { to: PEOPLE.kari, offeredBy: PEOPLE.nina, offeredAt: at, unitId: null, nearestLeader: null },
        updatedAt: at,
      });
    } else if (n < WAITING + 8) {
      cases.push({ ...draft, id, safety: { ...draft.safety, dangerNow: true }, alias: `R${n}`, updatedAt: at });
    } else if (n % 3 === 0) {
      cases.push({ ...draft, id, alias: `D${n}`, updatedAt: at });
    } else {
      const evaluationOn = daysBefore(10 - (n % 40))
        .toISOString()
        .slice(0, 10);
      cases.push({ ...onStep, id, alias: `E${n}`, nextDates: { ...onStep.nextDates, evaluationOn }, updatedAt: at });
    }
  }
  return cases;
}

describe('lists with 1,000 cases behind them: paged, what needs action first, under Teams’ card size', function () {
  this.timeout(300_000);
  let running: Running;

  before(async () => {
    running = await startTestLaget({}, { now: () => NOW });
    const repository = new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 });
    const cases = manyCases();
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < cases.length) await repository.create(cases[next++]!);
      }),
    );
    await running.laget.services.people.update(PEOPLE.kari.id, PEOPLE.kari.name, NOW, (p) => ({ ...p, unitIds: [SOLSIKKEN] }));
  });
  after(async () => running.stop());

  /** Posts one list turn and returns its card, its size and how many cases it audited. */
  async function list(user: TestUser, value: Record<string, unknown> | string) {
    const activity = typeof value === 'string' ? message(running.connector.url, user, value) : submit(running.connector.url, user, value);
    const started = performance.now();
    const before = running.connector.calls.length;
    const response = await running.post(activity);
    const ms = performance.now() - started;
    assert.equal(response.status, 200);
    const card = lastCard(
      running.connector.calls.slice(before).map((call) => ({ activity: call.activity, text: '', card: cardIn(call.activity) })),
    );
    assert.ok(card, 'the list came as a card');
    const { resources } = await running.laget.store.containers.audit.items
      .query({
        query: 'SELECT VALUE COUNT(1) FROM c WHERE c.correlationId = @id',
        parameters: [{ name: '@id', value: String(activity.id) }],
      })
      .fetchAll();
    return { card, bytes: Buffer.byteLength(JSON.stringify(card)), audited: Number(resources[0]), ms };
  }

  const cardIn = (activity: Record<string, unknown>) =>
    (activity.attachments as { content?: Record<string, unknown> }[] | undefined)?.[0]?.content;

  /** The case codes a list card shows, in order. */
  const codesIn = (card: Record<string, unknown>) => [...new Set([...textOf(card).matchAll(/UR-K[0-9A-Z]{5}/g)].map((m) => m[0]))];

  it('"mine saker": a page of twelve under the size limit, report paths and offers first, Vis flere to the rest', async () => {
    const first = await list(users.kari, 'mine saker');
    assert.ok(first.bytes < MAX_CARD_BYTES / 2, `${first.bytes} bytes`);
    const codes = codesIn(first.card);
    assert.equal(codes.length, 12);
    assert.match(textOf(first.card), /Viser 1–12 av 1000/);
    assert.ok(buttonTitles(first.card).includes('Vis flere'));
    // The three report paths (cases 45–47), then the five cases offered to Kari (40–44).
    assert.deepEqual(
      codes.slice(0, 3).sort(),
      [45, 46, 47].map((n) => syntheticCaseCode(n, 'K', 6)),
    );
    assert.deepEqual(
      codes.slice(3, 8).sort(),
      [40, 41, 42, 43, 44].map((n) => syntheticCaseCode(n, 'K', 6)),
    );
    assert.equal(first.audited, 12, 'only the cases shown are audited');
    console.log(`      "mine saker" with 1,000 cases: ${Math.round(first.ms)} ms, ${first.bytes} bytes per page`);

    const second = await list(users.kari, { verb: 'cases.mine', page: 2 });
    assert.match(textOf(second.card), /Viser 13–24 av 1000/);
    assert.deepEqual(
      codesIn(second.card).filter((code) => codes.includes(code)),
      [],
      'page 2 shows other cases',
    );
    const last = await list(users.kari, { verb: 'cases.mine', page: 84 });
    assert.match(textOf(last.card), /Viser 997–1000 av 1000/);
    assert.ok(!buttonTitles(last.card).includes('Vis flere'));
    assert.ok(buttonTitles(last.card).includes('Til starten'));
  });

  it('pressing Vis flere on the card itself shows the next page', async () => {
    const chat = new Conversation(running, users.kari);
    const first = lastCard(await chat.say('mine saker'));
    const next = lastCard(await chat.press(first, 'Vis flere'));
    assert.match(textOf(next), /Viser 13–24 av 1000/);
  });

  it('"mine enheter": Per sees the requests waiting for him first, a page at a time', async () => {
    const page = await list(users.per, 'mine enheter');
    assert.ok(page.bytes < MAX_CARD_BYTES / 2, `${page.bytes} bytes`);
    const codes = codesIn(page.card);
    assert.equal(codes.length, 12);
    // The oldest request (case 0, asked 80 days ago) first.
    assert.deepEqual(
      codes,
      Array.from({ length: 12 }, (_, n) => syntheticCaseCode(n, 'K', 6)),
    );
    assert.match(textOf(page.card), /venter på din godkjenning/);
    assert.match(textOf(page.card), /Viser 1–12 av 1000/);
    assert.equal(page.audited, 12);
  });

  it('"til godkjenning": only the 40 waiting requests, oldest first, in pages', async () => {
    const first = await list(users.per, 'til godkjenning');
    assert.match(textOf(first.card), /Viser 1–12 av 40/);
    assert.deepEqual(
      codesIn(first.card),
      Array.from({ length: 12 }, (_, n) => syntheticCaseCode(n, 'K', 6)),
    );
    const last = await list(users.per, { verb: 'leader.approvals', page: 4 });
    assert.match(textOf(last.card), /Viser 37–40 av 40/);
    assert.equal(last.audited, 4);
  });
});
