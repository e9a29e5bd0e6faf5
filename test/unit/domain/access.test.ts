import assert from 'node:assert/strict';
import { authorize, operationFor, teamWithConsent } from '../../../src/domain/access';
import { aggregateCases } from '../../../src/domain/aggregates';
import { COMMAND_TYPES } from '../../../src/domain/commands';
import { buildScenarioCase, seedCases, TEAMS } from '../../../scripts/seed/scenarios';
import { caseSummary, leaderView, teamView } from '../../../src/domain/views';
import { anne, apply, day, isoDay, kari, lise, newCase, nina, ola, per, stranger, tor } from './support';

const TEAM = TEAMS.bjorkelangen.id;

function withTeamConsent() {
  return apply(
    buildScenarioCase('S6'),
    {
      type: 'record-consent',
      givenBy: ['mother'],
      services: [],
      teams: [TEAM],
      purpose: 'Drøfting i tverrfaglig team.',
      givenOn: isoDay(1),
      validUntil: isoDay(180),
    },
    lise,
    day(1),
  );
}

describe('the access policy', () => {
  it('lets the owner read, change and export — with the owner as the basis', () => {
    const c = newCase();
    for (const operation of ['read', 'change', 'export'] as const) {
      assert.deepEqual(authorize(c, { id: kari.id }, operation, day(1)), { kind: 'allowed', basis: 'owner', view: 'full' });
    }
    assert.deepEqual(authorize(c, { id: kari.id }, 'approve', day(1)), { kind: 'denied', reason: 'operation-not-permitted' });
  });

  it('lets the nearest leader read the leader’s view, approve and reassign — but not edit or export', () => {
    const c = newCase();
    for (const operation of ['read', 'approve', 'reassign'] as const) {
      assert.deepEqual(authorize(c, { id: per.id }, operation, day(1)), { kind: 'allowed', basis: 'leader', view: 'leader' });
    }
    for (const operation of ['change', 'export'] as const) {
      assert.deepEqual(authorize(c, { id: per.id }, operation, day(1)), { kind: 'denied', reason: 'operation-not-permitted' });
    }
  });

  it('lets members of a team read a limited view only while a consent covers the team', () => {
    const viewer = { id: nina.id, teamIds: [TEAM] };
    assert.deepEqual(authorize(buildScenarioCase('S6'), viewer, 'read', day(2)), { kind: 'denied', reason: 'no-relation' });
    const c = withTeamConsent();
    assert.deepEqual(authorize(c, viewer, 'read', day(2)), { kind: 'allowed', basis: 'team-consent', view: 'team' });
    assert.deepEqual(authorize(c, viewer, 'change', day(2)), { kind: 'denied', reason: 'operation-not-permitted' });
    assert.equal(teamWithConsent(c, [TEAM], day(200)), null, 'expired');
    const withdrawn = apply(c, { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother'] }, lise, day(3));
    assert.deepEqual(authorize(withdrawn, viewer, 'read', day(3)), { kind: 'denied', reason: 'no-relation' });
  });

  it('shuts out a former owner once the baton has moved', () => {
    let c = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    assert.equal(authorize(c, { id: kari.id }, 'read', day(1)).kind, 'allowed');
    assert.deepEqual(authorize(c, { id: anne.id }, 'read', day(1)), { kind: 'denied', reason: 'no-relation' });
    assert.deepEqual(authorize(c, { id: anne.id }, 'respond-to-handover', day(1)), {
      kind: 'allowed',
      basis: 'handover-offer',
      view: 'none',
    });
    c = apply(c, { type: 'accept-handover' }, anne, day(2));
    assert.deepEqual(authorize(c, { id: kari.id }, 'read', day(2)), { kind: 'denied', reason: 'former-owner' });
    assert.equal(authorize(c, { id: anne.id }, 'read', day(2)).kind, 'allowed');
  });

  it('gives coordinators aggregates only, and strangers nothing', () => {
    const c = newCase();
    assert.deepEqual(authorize(c, { id: tor.id, coordinator: true }, 'read', day(1)), { kind: 'denied', reason: 'aggregates-only' });
    assert.deepEqual(authorize(c, { id: stranger.id }, 'read', day(1)), { kind: 'denied', reason: 'no-relation' });
    assert.deepEqual(authorize(c, { id: ola.id, teamIds: [TEAM] }, 'read', day(1)), { kind: 'denied', reason: 'no-relation' });
  });

  it('names the operation of every command for the audit log', () => {
    assert.equal(operationFor('decide-escalation'), 'approve');
    assert.equal(operationFor('reassign-owner'), 'reassign');
    assert.equal(operationFor('accept-handover'), 'respond-to-handover');
    assert.equal(operationFor('add-note'), 'change');
    assert.equal(operationFor('directory-change-leader'), 'change');
    assert.equal(COMMAND_TYPES.length, 39);
    for (const type of COMMAND_TYPES) assert.ok(operationFor(type));
  });
});

describe('what each reader sees', () => {
  it('shows the leader the code, alias, step and next date — never the owner’s notes, answers or the child’s words', () => {
    const c = buildScenarioCase('S3');
    const view = leaderView(c, day(80));
    assert.deepEqual(caseSummary(c), {
      caseId: 'UR-7K4Q',
      alias: 'E.H.',
      stepId: '3b',
      status: 'open',
      nextDate: c.nextDates.evaluationOn,
    });
    const text = JSON.stringify(view);
    for (const privateText of ['samlingsstund', 'Undringssamtale', 'Samarbeidsmøte med foreldrene', 'sover dårlig']) {
      assert.ok(!text.includes(privateText), `the leader's view holds "${privateText}"`);
    }
    assert.equal(view.escalations.length, 1);
    assert.deepEqual(
      view.consents.map((r) => [r.services, r.inForce]),
      [[['ppt', 'helsestasjon'], true]],
    );
  });

  it('shows a team the plan (goals and actions) under consent, and nothing without it', () => {
    assert.equal(teamView(buildScenarioCase('S6'), TEAM, day(2)), null);
    const view = teamView(withTeamConsent(), TEAM, day(2));
    assert.deepEqual(view && Object.keys(view).sort(), ['actions', 'alias', 'caseId', 'goals', 'stepId']);
  });

  it('counts cases for coordinators without naming any', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');
    const totals = aggregateCases(seedCases(now), now);
    assert.equal(totals.total, 8);
    assert.deepEqual(totals.byStatus, { draft: 1, open: 3, monitoring: 2, reported: 2, closed: 0 });
    assert.equal(totals.reportsToChildWelfare, 2);
    assert.ok(!JSON.stringify(totals).includes('UR-'));
  });
});
