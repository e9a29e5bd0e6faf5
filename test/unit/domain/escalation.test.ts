import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import { pendingEscalation } from '../../../src/domain/case';
import { readyToEvaluate, walkTo } from '../../support/ladder-walk';
import { buildScenarioCase } from '../../../scripts/seed/scenarios';
import { dayOf } from '../../../src/domain/time';
import { accepted, AH, anne, apply, day, isoDay, kari, noticesOf, ola, per, refused, run } from './support';

/** S2 after a "not better" evaluation, with the parents' consent for PPT and helsestasjon. */
function readyFor3b(): Case {
  const proposed = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
  return apply(
    proposed,
    {
      type: 'record-consent',
      givenBy: ['mother', 'father'],
      services: ['ppt', 'helsestasjon'],
      teams: [],
      purpose: 'Samarbeid om tiltak.',
      givenOn: isoDay(73),
      validUntil: isoDay(73 + 365),
      signedFormArchivedAt: 'Solsikken barnehage, arkivmappe for samtykker',
    },
    kari,
    day(73),
  );
}

const request3b = {
  type: 'request-escalation' as const,
  stepId: '3b',
  services: ['ppt', 'helsestasjon'],
  attestations: { parentsParticipate: true },
};

function pending(): Case {
  return apply(readyFor3b(), request3b, kari, day(73));
}

describe('escalation with the leader’s approval', () => {
  it('asks the designated leader and leaves the case where it is until then', () => {
    const decision = run(readyFor3b(), request3b, kari, day(73));
    const c = accepted(decision).case;
    assert.deepEqual(noticesOf(decision), ['leader:approval-requested']);
    assert.equal(c.currentStep?.stepId, '2b');
    assert.equal(pendingEscalation(c)?.toStepId, '3b');
  });

  it('moves from 2b to 3b only after the leader approves', () => {
    const decision = run(pending(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(74));
    const c = accepted(decision).case;
    assert.equal(c.currentStep?.stepId, '3b');
    assert.deepEqual(c.currentStep?.services, ['ppt', 'helsestasjon']);
    assert.deepEqual(noticesOf(decision), ['owner:escalation-decided']);
    const entered = c.events.at(-1);
    assert.equal(entered?.type === 'step-entered' && entered.escalationId, 'esc-1');
  });

  it('keeps the case on 2b with the leader’s reason when the leader rejects', () => {
    const decision = run(
      pending(),
      { type: 'decide-escalation', escalationId: 'esc-1', decision: 'reject', reason: 'Prøv én oppfølgingssamtale til først.' },
      per,
      day(74),
    );
    const c = accepted(decision).case;
    assert.equal(c.currentStep?.stepId, '2b');
    const escalation = c.escalations[0];
    assert.equal(escalation?.status, 'rejected');
    assert.equal(escalation?.status === 'rejected' && escalation.reason, 'Prøv én oppfølgingssamtale til først.');
    assert.deepEqual(noticesOf(decision), ['owner:escalation-decided']);
  });

  it('needs a reason to reject', () => {
    refused(
      run(pending(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'reject', reason: '  ' }, per, day(74)),
      'reason-required',
    );
  });

  it('lets only the designated leader decide, at the moment of deciding', () => {
    refused(
      run(pending(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, kari, day(74)),
      'not-designated-leader',
    );
    refused(
      run(pending(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, ola, day(74)),
      'not-designated-leader',
    );
    const moved = apply(pending(), { type: 'change-nearest-leader', to: ola }, per, day(74));
    refused(run(moved, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(75)), 'not-designated-leader');
    assert.equal(
      apply(moved, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, ola, day(75)).currentStep?.stepId,
      '3b',
    );
  });

  it('hands a pending approval to the new leader when the leader changes', () => {
    const decision = run(pending(), { type: 'change-nearest-leader', to: ola }, per, day(74));
    assert.deepEqual(noticesOf(decision), ['leader:leader-assigned', 'leader:approval-requested']);
  });

  it('refuses a second decision as already decided, saying who decided and when', () => {
    const approved = apply(pending(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(74));
    const again = refused(
      run(approved, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'reject', reason: 'Nei' }, per, day(74)),
      'already-decided',
    );
    assert.deepEqual(again.detail, { decidedBy: per, decidedAt: day(74).toISOString(), decision: 'approved' });
  });

  it('refuses to decide an escalation that does not exist', () => {
    refused(
      run(pending(), { type: 'decide-escalation', escalationId: 'esc-9', decision: 'approve' }, per, day(74)),
      'escalation-not-found',
    );
  });

  it('needs a consent covering the services before it asks the leader', () => {
    const proposed = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
    const decision = refused(run(proposed, request3b, kari, day(73)), 'consent-missing');
    assert.deepEqual(decision.detail?.missingServices, ['ppt', 'helsestasjon']);
  });

  it('needs the parents’ participation in the cooperation meeting', () => {
    const decision = run(readyFor3b(), { ...request3b, attestations: {} }, kari, day(73));
    assert.equal(refused(decision, 'requirement-not-met').detail?.requirement, 'parents-participate');
  });

  it('refuses a service the ladder does not know', () => {
    refused(run(readyFor3b(), { ...request3b, services: ['astrologer'] }, kari, day(73)), 'unknown-service');
  });

  it('waits for one decision at a time', () => {
    refused(run(pending(), request3b, kari, day(73)), 'escalation-pending');
  });

  it('is only for steps the ladder says need approval', () => {
    const proposed = apply(buildScenarioCase('S1'), { type: 'record-evaluation', outcome: 'b' }, kari, day(40));
    refused(
      run(proposed, { type: 'request-escalation', stepId: '2b', attestations: { bothParentsInvited: true } }, kari, day(40)),
      'approval-not-required',
    );
  });

  it('refuses the approval when the consent has run out in the meantime', () => {
    let c = apply(
      apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73)),
      {
        type: 'record-consent',
        givenBy: ['mother'],
        services: ['ppt', 'helsestasjon'],
        teams: [],
        purpose: 'Samarbeid.',
        givenOn: isoDay(73),
        validUntil: isoDay(74),
        signedFormArchivedAt: 'Arkivmappe for samtykker',
      },
      kari,
      day(73),
    );
    c = apply(c, request3b, kari, day(73));
    refused(run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(75)), 'consent-expired');
  });

  it('can be withdrawn by the owner, and the leader is told', () => {
    const decision = run(pending(), { type: 'withdraw-escalation', escalationId: 'esc-1' }, kari, day(74));
    const c = accepted(decision).case;
    assert.equal(c.escalations[0]?.status, 'cancelled');
    assert.deepEqual(noticesOf(decision), ['leader:escalation-cancelled']);
    refused(run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(74)), 'already-decided');
    refused(run(c, { type: 'withdraw-escalation', escalationId: 'esc-1' }, kari, day(74)), 'already-decided');
    refused(run(c, { type: 'withdraw-escalation', escalationId: 'esc-7' }, kari, day(74)), 'escalation-not-found');
  });

  it('is cancelled when the case is closed', () => {
    const c = apply(pending(), { type: 'close-case', reason: 'other' }, kari, day(74));
    assert.equal(c.escalations[0]?.status, 'cancelled');
  });

  it('is cancelled when a new evaluation says the child got better after all', () => {
    const at3a = readyToEvaluate(AH, walkTo(AH, '3a'));
    let c = apply(at3a.case, { type: 'record-evaluation', outcome: 'b' }, kari, at3a.now);
    c = apply(
      c,
      {
        type: 'record-consent',
        givenBy: ['mother'],
        services: ['ppt'],
        teams: [],
        purpose: 'Samarbeid.',
        givenOn: dayOf(at3a.now),
        validUntil: '2027-01-01',
        signedFormArchivedAt: 'Arkivmappe for samtykker',
      },
      kari,
      at3a.now,
    );
    c = apply(c, { ...request3b, services: ['ppt'] }, kari, at3a.now);
    const decision = run(c, { type: 'record-evaluation', outcome: 'a' }, kari, at3a.now);
    assert.equal(pendingEscalation(accepted(decision).case), undefined);
    assert.equal(accepted(decision).case.escalations[0]?.status, 'cancelled');
    assert.deepEqual(noticesOf(decision), ['leader:escalation-cancelled']);
  });

  it('survives a change of owner: the new owner receives the decision', () => {
    let c = apply(pending(), { type: 'hand-over', to: anne }, kari, day(73));
    c = apply(c, { type: 'accept-handover' }, anne, day(74));
    const decision = run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(74));
    assert.deepEqual(accepted(decision).notify, [{ to: 'owner', personId: anne.id, about: 'escalation-decided', ref: 'esc-1' }]);
  });
});
