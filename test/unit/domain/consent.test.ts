import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import { consentCoverage, consentInForce, consentsInForce, type ConsentGiven } from '../../../src/domain/consent';
import { readyToEvaluate, walkTo } from '../../support/ladder-walk';
import { buildScenarioCase } from '../../../scripts/seed/scenarios';
import type { Ladder } from '../../../src/domain/ladder';
import { stepRequiresSignedConsent } from '../../../src/domain/ladder-steps';
import { dayOf } from '../../../src/domain/time';
import { accepted, AH, apply, ASNES, BTI, day, isoDay, kari, newCase, noticesOf, refused, run, T0 } from './support';

const consentFor = (services: string[], teams: string[] = [], validUntil = isoDay(365)) => ({
  type: 'record-consent' as const,
  givenBy: ['mother' as const, 'father' as const],
  services,
  teams,
  purpose: 'Samarbeid om tiltak.',
  givenOn: isoDay(0),
  validUntil,
});

describe('consent', () => {
  it('records who gave it, for which services and teams, why and for how long — and where the signed form is archived', () => {
    const c = apply(newCase(), { ...consentFor(['ppt'], ['bjorkelangen-tverrfaglig']), signedFormArchivedAt: 'Arkivmappe 2025' }, kari, T0);
    const record = c.consents[0] as ConsentGiven;
    assert.deepEqual(
      [record.kind, record.givenBy, record.services, record.teams, record.validUntil, record.signedFormArchivedAt, record.withdrawn],
      ['given', ['mother', 'father'], ['ppt'], ['bjorkelangen-tverrfaglig'], isoDay(365), 'Arkivmappe 2025', null],
    );
  });

  it('covers what it names while in force, and nothing else', () => {
    const c = apply(newCase(), consentFor(['ppt', 'helsestasjon'], ['team-a']), kari, T0);
    assert.equal(consentCoverage(c.consents, { services: ['ppt'], teams: ['team-a'] }, day(1)).kind, 'covered');
    assert.deepEqual(consentCoverage(c.consents, { services: ['ppt', 'bup'], teams: ['team-b'] }, day(1)), {
      kind: 'not-covered',
      missingServices: ['bup'],
      missingTeams: ['team-b'],
    });
  });

  it('stops covering the day after it expires (Oslo time)', () => {
    const c = apply(newCase(), consentFor(['ppt'], [], isoDay(10)), kari, T0);
    const record = c.consents[0] as ConsentGiven;
    assert.equal(consentInForce(record, new Date(`${isoDay(10)}T21:59:00.000Z`)), true); // 23:59 in Oslo
    assert.equal(consentInForce(record, new Date(`${isoDay(10)}T22:01:00.000Z`)), false); // 00:01 the next day
  });

  it('stops covering from the moment it is withdrawn', () => {
    let c = apply(newCase(), consentFor(['ppt']), kari, T0);
    c = apply(c, { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother'] }, kari, day(5));
    assert.equal(consentCoverage(c.consents, { services: ['ppt'], teams: [] }, day(4)).kind, 'covered');
    assert.equal(consentCoverage(c.consents, { services: ['ppt'], teams: [] }, day(5)).kind, 'not-covered');
    assert.deepEqual(consentsInForce(c.consents, day(6)), []);
  });

  it('lets a later refusal outweigh an earlier consent, and a later consent outweigh a refusal', () => {
    let c = apply(newCase(), consentFor(['ppt', 'helsestasjon']), kari, T0);
    c = apply(
      c,
      { type: 'record-consent-refusal', refusedBy: ['father'], services: ['ppt'], teams: [], refusedOn: isoDay(1) },
      kari,
      day(1),
    );
    assert.deepEqual(consentCoverage(c.consents, { services: ['ppt', 'helsestasjon'], teams: [] }, day(2)), {
      kind: 'not-covered',
      missingServices: ['ppt'],
      missingTeams: [],
    });
    c = apply(c, { ...consentFor(['ppt']), givenOn: isoDay(3) }, kari, day(3));
    assert.equal(consentCoverage(c.consents, { services: ['ppt'], teams: [] }, day(3)).kind, 'covered');
  });

  it('must name at least one service or team, from the ladder’s list', () => {
    refused(run(newCase(), consentFor([]), kari, T0), 'consent-scope-empty');
    refused(
      run(newCase(), { type: 'record-consent-refusal', refusedBy: ['mother'], services: [], teams: [], refusedOn: isoDay(0) }, kari, T0),
      'consent-scope-empty',
    );
    refused(run(newCase(), consentFor(['tarot']), kari, T0), 'unknown-service');
  });

  it('needs the child’s own consent too once the child has reached the consent age', () => {
    refused(run(newCase(), { ...consentFor(['ppt']), childHasConsentAge: true }, kari, T0), 'child-consent-missing');
    const c = apply(newCase(), { ...consentFor(['ppt']), givenBy: ['mother', 'child'], childHasConsentAge: true }, kari, T0);
    assert.deepEqual((c.consents[0] as ConsentGiven).givenBy, ['mother', 'child']);
    // Younger: the parents' consent is enough, and the child may still sign with them.
    assert.equal(apply(newCase(), { ...consentFor(['ppt']), childHasConsentAge: false }, kari, T0).consents.length, 1);
  });

  it('cannot be given in the future or be valid only in the past', () => {
    refused(run(newCase(), { ...consentFor(['ppt']), givenOn: isoDay(1) }, kari, T0), 'date-in-future');
    refused(run(newCase(), consentFor(['ppt'], [], isoDay(-1)), kari, T0), 'date-in-past');
  });

  it('is withdrawn once, and only if it exists', () => {
    let c = apply(newCase(), consentFor(['ppt']), kari, T0);
    refused(run(c, { type: 'withdraw-consent', consentId: 'consent-7', by: ['mother'] }, kari, day(1)), 'consent-not-found');
    c = apply(c, { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother'] }, kari, day(1));
    refused(run(c, { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother'] }, kari, day(2)), 'consent-already-withdrawn');
  });

  it('tells the owner what is blocked when the consent behind the current step is withdrawn', () => {
    const s3 = buildScenarioCase('S3');
    const decision = run(s3, { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother', 'father'] }, kari, day(90));
    assert.deepEqual(noticesOf(decision), ['owner:consent-withdrawn', 'owner:sharing-blocked']);
  });

  it('cancels a pending escalation that depended on the withdrawn consent', () => {
    let c: Case = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
    c = apply(c, { ...consentFor(['ppt']), givenOn: isoDay(73), signedFormArchivedAt: 'Arkivmappe 2025' }, kari, day(73));
    c = apply(
      c,
      { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } },
      kari,
      day(73),
    );
    const decision = run(c, { type: 'withdraw-consent', consentId: 'consent-1', by: ['father'] }, kari, day(74));
    const after = accepted(decision).case;
    assert.equal(after.escalations[0]?.status === 'cancelled' && after.escalations[0].cause, 'consent-withdrawn');
    assert.deepEqual(noticesOf(decision), ['owner:consent-withdrawn', 'leader:escalation-cancelled']);
  });

  it('lets 3b start only on the signed common consent form: a consent with no signed form on record is not enough', () => {
    const proposed = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
    const to3b = {
      type: 'request-escalation' as const,
      stepId: '3b',
      services: ['ppt', 'helsestasjon'],
      attestations: { parentsParticipate: true },
    };
    const unsigned = apply(proposed, { ...consentFor(['ppt', 'helsestasjon']), givenOn: isoDay(73) }, kari, day(73));
    assert.deepEqual(refused(run(unsigned, to3b, kari, day(73)), 'signed-consent-missing').detail?.missingServices, [
      'ppt',
      'helsestasjon',
    ]);
    // A signed form for PPT only: helsestasjon still lacks one.
    const partly = apply(unsigned, { ...consentFor(['ppt']), givenOn: isoDay(73), signedFormArchivedAt: 'Arkivmappe 2025' }, kari, day(73));
    assert.deepEqual(refused(run(partly, to3b, kari, day(73)), 'signed-consent-missing').detail?.missingServices, ['helsestasjon']);
    const signed = apply(
      partly,
      { ...consentFor(['helsestasjon']), givenOn: isoDay(73), signedFormArchivedAt: 'Arkivmappe 2025' },
      kari,
      day(73),
    );
    assert.equal(apply(signed, to3b, kari, day(73)).escalations.at(-1)?.status, 'pending');
  });

  it('asks for the signed form on BTI levels 2 and 3 and Åsnes steps 3 and 4, and on no step before', () => {
    const signedSteps = (ladder: Ladder) => ladder.steps.filter(stepRequiresSignedConsent).map((step) => step.id);
    assert.deepEqual(signedSteps(AH), ['3b', '4a']);
    assert.deepEqual(signedSteps(BTI), ['2', '3']);
    assert.deepEqual(signedSteps(ASNES), ['3', '4']);
    const at1 = readyToEvaluate(BTI, walkTo(BTI, '1'));
    const proposed = apply(at1.case, { type: 'record-evaluation', outcome: 'b' }, kari, at1.now, BTI);
    const unsigned = apply(proposed, { ...consentFor(['ppt']), givenOn: dayOf(at1.now), validUntil: isoDay(400) }, kari, at1.now, BTI);
    refused(run(unsigned, { type: 'enter-step', stepId: '2', services: ['ppt'] }, kari, at1.now, BTI), 'signed-consent-missing');
  });

  it('takes the parents’ refusal on 3b as their answer: the case moves to 4b and the owner hears of the duty to report', () => {
    const decision = run(
      buildScenarioCase('S3'),
      { type: 'record-consent-refusal', refusedBy: ['mother', 'father'], services: ['ppt'], teams: [], refusedOn: isoDay(95) },
      kari,
      day(95),
    );
    const c = accepted(decision).case;
    assert.equal(c.currentStep?.stepId, '4b');
    assert.equal(c.evaluations.at(-1)?.basis, 'parents-consent');
    assert.deepEqual(noticesOf(decision), ['owner:consent-refused', 'owner:sharing-blocked', 'leader:step-changed']);
  });

  it('records a refusal that does not concern the step without moving the case', () => {
    const c = apply(
      buildScenarioCase('S3'),
      { type: 'record-consent-refusal', refusedBy: ['mother'], services: ['bup'], teams: [], refusedOn: isoDay(95) },
      kari,
      day(95),
    );
    assert.equal(c.currentStep?.stepId, '3b');
  });
});
