import assert from 'node:assert/strict';
import { authorize } from '../../../src/domain/access';
import { buildScenarioCase } from '../../../scripts/seed/scenarios';
import { accepted, anne, apply, day, kari, lise, newCase, noticesOf, ola, per, refused, run, stranger } from './support';

describe('the baton (stafettholder)', () => {
  it('stays with the owner until the new holder accepts', () => {
    const decision = run(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    const offered = accepted(decision).case;
    assert.equal(offered.owner.id, kari.id);
    assert.equal(offered.pendingHandover?.to.id, anne.id);
    assert.deepEqual(decision.kind === 'accepted' && decision.notify, [{ to: 'new-owner', personId: anne.id, about: 'handover-offered' }]);
    refused(run(offered, { type: 'add-goal', goal: { text: 'Mål', targetOn: '2026-01-01' } }, anne, day(1)), 'not-owner');
  });

  it('moves when the new holder accepts; the previous owner is told and loses access', () => {
    const offered = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    const decision = run(offered, { type: 'accept-handover' }, anne, day(2));
    const c = accepted(decision).case;
    assert.equal(c.owner.id, anne.id);
    assert.equal(c.pendingHandover, null);
    assert.deepEqual(c.formerOwnerIds, [kari.id]);
    assert.deepEqual(noticesOf(decision), ['previous-owner:handover-accepted']);
    assert.deepEqual(authorize(c, { id: kari.id }, 'read', day(2)), { kind: 'denied', reason: 'former-owner' });
  });

  it('stays with the owner when the proposed holder declines', () => {
    const offered = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    const decision = run(offered, { type: 'decline-handover' }, anne, day(2));
    assert.equal(accepted(decision).case.owner.id, kari.id);
    assert.equal(accepted(decision).case.pendingHandover, null);
    assert.deepEqual(noticesOf(decision), ['owner:handover-declined']);
  });

  it('is answered only by the person it was offered to', () => {
    const offered = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    refused(run(offered, { type: 'accept-handover' }, stranger, day(2)), 'not-handover-recipient');
    refused(run(offered, { type: 'accept-handover' }, kari, day(2)), 'not-handover-recipient');
    refused(run(newCase(), { type: 'accept-handover' }, anne, day(2)), 'no-pending-handover');
  });

  it('is offered to one person at a time, never to the owner or the leader', () => {
    const offered = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    refused(run(offered, { type: 'hand-over', to: lise }, kari, day(1)), 'handover-pending');
    refused(run(newCase(), { type: 'hand-over', to: kari }, kari, day(1)), 'invalid-handover');
    refused(run(newCase(), { type: 'hand-over', to: per }, kari, day(1)), 'leader-cannot-be-owner');
  });

  it('can be withdrawn by the owner before it is answered', () => {
    const offered = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    const decision = run(offered, { type: 'withdraw-handover' }, kari, day(2));
    assert.deepEqual(noticesOf(decision), ['new-owner:handover-withdrawn']);
    refused(run(accepted(decision).case, { type: 'withdraw-handover' }, kari, day(2)), 'no-pending-handover');
    refused(run(accepted(decision).case, { type: 'decline-handover' }, anne, day(2)), 'no-pending-handover');
  });

  it('can move to another unit with another nearest leader', () => {
    let c = apply(newCase(), { type: 'hand-over', to: lise, unitId: 'bjorkelangen-skole', nearestLeader: ola }, kari, day(1));
    const decision = run(c, { type: 'accept-handover' }, lise, day(2));
    c = accepted(decision).case;
    assert.deepEqual([c.owner.id, c.unitId, c.nearestLeader.id], [lise.id, 'bjorkelangen-skole', ola.id]);
    assert.deepEqual(noticesOf(decision), ['previous-owner:handover-accepted', 'leader:leader-assigned']);
  });

  it('is offered by the leader when the owner has left, and moves only when the new holder accepts; the previous owner is told', () => {
    const s2 = buildScenarioCase('S2');
    const decision = run(s2, { type: 'reassign-owner', to: anne }, per, day(50));
    const offered = accepted(decision).case;
    assert.equal(offered.owner.id, kari.id, 'Kari stays owner until Anne accepts');
    assert.deepEqual([offered.pendingHandover?.to.id, offered.pendingHandover?.offeredBy.id], [anne.id, per.id]);
    assert.deepEqual(noticesOf(decision), ['new-owner:handover-offered']);
    refused(run(offered, { type: 'add-goal', goal: { text: 'Mål', targetOn: '2026-01-01' } }, anne, day(50)), 'not-owner');

    // Anne says no: Kari is still the owner, and Per, who made the offer, hears it too.
    const declined = run(offered, { type: 'decline-handover' }, anne, day(51));
    assert.equal(accepted(declined).case.owner.id, kari.id);
    assert.deepEqual(noticesOf(declined), ['owner:handover-declined', 'leader:handover-declined']);

    // Anne says yes: the baton moves, Kari is told and loses access, Per hears of the new owner.
    const acceptedOffer = run(offered, { type: 'accept-handover' }, anne, day(51));
    const c = accepted(acceptedOffer).case;
    assert.equal(c.owner.id, anne.id);
    assert.deepEqual(c.formerOwnerIds, [kari.id]);
    assert.deepEqual(noticesOf(acceptedOffer), ['previous-owner:handover-accepted', 'leader:owner-changed']);
    assert.deepEqual(authorize(c, { id: kari.id }, 'read', day(51)), { kind: 'denied', reason: 'former-owner' });

    refused(run(s2, { type: 'reassign-owner', to: anne }, kari, day(50)), 'not-designated-leader');
    refused(run(s2, { type: 'reassign-owner', to: kari }, per, day(50)), 'invalid-handover');
    refused(run(s2, { type: 'reassign-owner', to: per }, per, day(50)), 'leader-cannot-be-owner');
    refused(run(offered, { type: 'reassign-owner', to: anne }, per, day(50)), 'handover-pending');
  });

  it('lets the leader’s offer replace one the owner left waiting; the person first offered is told', () => {
    const waiting = apply(buildScenarioCase('S2'), { type: 'hand-over', to: lise }, kari, day(50));
    const decision = run(waiting, { type: 'reassign-owner', to: anne }, per, day(60));
    assert.equal(accepted(decision).case.pendingHandover?.to.id, anne.id);
    assert.equal(accepted(decision).case.owner.id, kari.id);
    assert.deepEqual(
      accepted(decision).notify.map((n) => [n.about, n.personId]),
      [
        ['handover-withdrawn', lise.id],
        ['handover-offered', anne.id],
      ],
    );
  });

  it('lets only the nearest leader hand on the leader role: an owner cannot choose who approves', () => {
    const s2 = buildScenarioCase('S2');
    refused(run(s2, { type: 'change-nearest-leader', to: ola }, kari, day(50)), 'not-designated-leader');
    refused(run(s2, { type: 'change-nearest-leader', to: ola }, stranger, day(50)), 'not-designated-leader');
    assert.equal(apply(s2, { type: 'change-nearest-leader', to: ola }, per, day(50)).nearestLeader.id, ola.id);
  });

  it('never has two owners: the owner field is one person, and a new one replaces the old', () => {
    let c = apply(newCase(), { type: 'hand-over', to: anne }, kari, day(1));
    c = apply(c, { type: 'accept-handover' }, anne, day(2));
    c = apply(c, { type: 'hand-over', to: kari }, anne, day(3));
    c = apply(c, { type: 'accept-handover' }, kari, day(4));
    assert.equal(c.owner.id, kari.id);
    assert.deepEqual(c.formerOwnerIds, [anne.id]);
  });

  it('does not let the leader own the case', () => {
    refused(
      run(
        null,
        {
          type: 'create-case',
          caseId: 'UR-7K4Q',
          unitId: 'solsikken-barnehage',
          nearestLeader: kari,
          safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
        },
        kari,
        day(0),
      ),
      'leader-cannot-be-owner',
    );
    refused(run(newCase(), { type: 'change-nearest-leader', to: kari }, per, day(1)), 'leader-cannot-be-owner');
  });
});
