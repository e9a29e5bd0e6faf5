import assert from 'node:assert/strict';
import type { Case } from '../../src/domain/case';
import { PEOPLE } from '../../scripts/seed/scenarios';
import { AuditLog, type AuditEntry } from '../../src/store/audit-log';
import { CaseRepository } from '../../src/store/case-repository';
import { accessFixtureCase } from '../support/access-fixture';
import { execute, personalConversationId, submit, users, type TestUser } from '../support/activities';
import { syntheticCaseCode } from '../support/case-codes';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';

/**
 * The viewer decides the view (issue 12, finding 2). Whatever a turn answers with — the case after
 * an old card, a refusal, a request already decided — is drawn for the basis the access policy gave
 * the person pressing: the owner's card for the owner, the leader's view for the leader, the offer
 * for the colleague it is offered to, nothing of the case for anyone else. Every read that showed
 * something of the case is audited exactly once, with that basis.
 */

const anne: TestUser = { aadObjectId: PEOPLE.anne.id, mri: '29:anne', name: PEOPLE.anne.name };
const stranger: TestUser = { aadObjectId: 'aad-stranger', mri: '29:stranger', name: 'Sam Fremmed' };

type Viewer = { name: string; user: TestUser; sees: 'owner' | 'leader' | 'offer' | 'nothing' };
const VIEWERS: Viewer[] = [
  { name: 'the owner (Kari)', user: users.kari, sees: 'owner' },
  { name: 'the nearest leader (Per)', user: users.per, sees: 'leader' },
  { name: 'the former owner (Anne)', user: anne, sees: 'nothing' },
  { name: 'the colleague offered the baton (Nina)', user: users.nina, sees: 'offer' },
  { name: 'a member of the unit’s team (Tor)', user: users.tor, sees: 'nothing' },
  { name: 'a stranger', user: stranger, sees: 'nothing' },
];

describe('the viewer decides the view: every stale, refused and decided answer, for every viewer', function () {
  this.timeout(120_000);
  let running: Running;
  let c: Case;
  let audit: AuditLog;
  /** What only the owner may see: the worry form, goals, actions, notes, the child's voice. */
  let ownerOnly: string[];

  before(async () => {
    const fixture = accessFixtureCase(syntheticCaseCode(7, 'VW'));
    running = await startTestLaget({}, { now: () => fixture.now });
    await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(fixture.case);
    c = fixture.case;
    audit = new AuditLog(running.laget.store.containers.audit);
    const texts = [
      ...Object.values(c.worryForm.partA?.answers ?? {}),
      ...Object.values(c.worryForm.partB?.answers ?? {}),
      ...Object.values(c.worryForm.partC?.answers ?? {}),
      ...c.goals.map((g) => g.text),
      ...c.actions.map((a) => a.what),
      ...c.notes.map((n) => n.text),
      ...c.childVoice.map((v) => v.text),
    ];
    ownerOnly = texts.filter((text): text is string => typeof text === 'string' && text.length >= 8);
    assert.ok(ownerOnly.length >= 5, 'the fixture has the owner’s own words to look for');
    assert.ok(c.alias, 'the fixture has an alias');
  });
  after(async () => running.stop());

  const ref = () => ({ caseId: c.id, unitId: c.unitId });
  const escalationId = () => c.escalations.find((e) => e.status === 'pending')!.id;
  const presses: { name: string; value: () => Record<string, unknown> }[] = [
    { name: 'an old evaluation card', value: () => ({ verb: 'case.evaluation', ...ref(), rev: '"made-up"', outcome: 'b' }) },
    // Tor works at Solsikken (the municipality file's staff), so a reassign to him gets as far as the case.
    { name: 'an old reassign card (finding 2)', value: () => ({ verb: 'baton.reassign', ...ref(), rev: '"made-up"', to: PEOPLE.tor.id }) },
    { name: 'an old step card', value: () => ({ verb: 'ladder.enter', ...ref(), rev: '"made-up"', stepId: '3b', services: 'ppt' }) },
    { name: 'the consent withdrawal form', value: () => ({ verb: 'consent.withdraw-form', ...ref(), consentId: c.consents[0]!.id }) },
    { name: 'continue the case', value: () => ({ verb: 'uro.show', ...ref(), view: 'next' }) },
    { name: 'the leader’s case card', value: () => ({ verb: 'leader.case', ...ref() }) },
    { name: 'the request for approval', value: () => ({ verb: 'leader.open', ...ref(), escalationId: escalationId() }) },
    { name: 'the offer of the baton', value: () => ({ verb: 'baton.view', ...ref() }) },
  ];

  /** The person's turn: what they were shown, and the audit entries it wrote. */
  async function turn(user: TestUser, value: Record<string, unknown>): Promise<{ shown: string; entries: AuditEntry[] }> {
    const activity = submit(running.connector.url, user, value);
    const before = running.connector.calls.length;
    const response = await running.post(activity);
    assert.equal(response.status, 200);
    const shown = running.connector.calls
      .slice(before)
      .filter((call) => call.conversationId === personalConversationId(user))
      .map((call) =>
        cardOf(call.activity) ? JSON.stringify(cardOf(call.activity)) : typeof call.activity.text === 'string' ? call.activity.text : '',
      )
      .join('\n');
    assert.ok(shown !== '', 'every turn gets an answer');
    const entries = (await audit.forCase(c.id)).filter((e) => e.correlationId === activity.id);
    return { shown, entries };
  }

  function check(viewer: Viewer, what: string, shown: string, entries: AuditEntry[]): void {
    const owners = ownerOnly.filter((text) => shown.includes(text));
    const sawCase = shown.includes(c.alias!) || owners.length > 0;
    if (viewer.sees !== 'owner') assert.deepEqual(owners, [], `${viewer.name} was shown the owner's words after ${what}`);
    if (viewer.sees === 'nothing') assert.equal(sawCase, false, `${viewer.name} was shown the case after ${what}: ${shown.slice(0, 300)}`);
    assert.equal(entries.length, 1, `${what}: one audit entry, found ${JSON.stringify(entries)}`);
    if (sawCase) assert.notEqual(entries[0]!.basis, 'none', `${what}: a read that showed the case is audited with its basis`);
  }

  for (const viewer of VIEWERS) {
    describe(viewer.name, () => {
      for (const press of presses) {
        it(`after ${press.name}: sees ${viewer.sees === 'nothing' ? 'nothing of the case' : `the ${viewer.sees}'s view only`}, audited once`, async () => {
          const { shown, entries } = await turn(viewer.user, press.value());
          check(viewer, press.name, shown, entries);
        });
      }
    });
  }

  it('answers the owner’s old card with the owner’s card, and the leader’s with the leader’s view (finding 2)', async () => {
    const owner = await turn(users.kari, presses[0]!.value());
    assert.match(owner.shown, /Kortet|kortet/);
    assert.ok(
      c.goals.some((g) => owner.shown.includes(g.text)),
      'the owner sees the case as it is now',
    );
    const leader = await turn(users.per, presses[1]!.value());
    assert.match(leader.shown, /lederens visning/);
    assert.deepEqual(
      leader.entries.map((e) => [e.operation, e.basis, e.outcome, e.reason]),
      [['reassign', 'leader', 'refused', 'stale-card']],
    );
  });

  it('answers a decision on a request already decided with the decided card for the leader, and nothing for anyone else', async () => {
    const decide = (user: TestUser) =>
      running.post(
        execute(running.connector.url, user, 'approval.decide', { ...ref(), escalationId: escalationId(), decision: 'approve' }),
      );
    const first = await decide(users.per);
    assert.match(textOf((first.body as { value?: unknown }).value), /Godkjent/);
    for (const viewer of VIEWERS) {
      const response = await decide(viewer.user);
      const shown = JSON.stringify((response.body as { value?: unknown }).value ?? '');
      const owners = ownerOnly.filter((text) => shown.includes(text));
      assert.deepEqual(owners, [], viewer.name);
      if (viewer.sees !== 'leader') assert.doesNotMatch(shown, new RegExp(c.alias!.replace(/\./g, '\\.')), viewer.name);
    }
  });
});
