import assert from 'node:assert/strict';
import { buildScenarioCase } from '../../../scripts/seed/scenarios';
import { accepted, apply, day, isoDay, kari, newCase, per, refused, run, T0 } from './support';

describe('goals, actions, notes and the child’s voice', () => {
  it('adds a measurable goal with a date, not in the past', () => {
    const c = apply(newCase(), { type: 'add-goal', goal: { text: 'Deltar i lek ute 4 av 5 dager', targetOn: isoDay(30) } }, kari, T0);
    assert.deepEqual(
      c.goals.map((g) => [g.id, g.text, g.targetOn, g.setBy]),
      [['goal-1', 'Deltar i lek ute 4 av 5 dager', isoDay(30), kari.id]],
    );
    refused(run(newCase(), { type: 'add-goal', goal: { text: 'Mål', targetOn: isoDay(-1) } }, kari, T0), 'date-in-past');
  });

  it('adds actions (what, who, by when) and marks them done once', () => {
    let c = apply(
      newCase(),
      { type: 'add-action', action: { what: 'Samtale hver morgen', who: { kind: 'staff', person: kari }, dueOn: isoDay(14) } },
      kari,
      T0,
    );
    c = apply(c, { type: 'complete-action', actionId: 'action-1' }, kari, day(3));
    assert.deepEqual(c.actions[0]?.done, { at: day(3).toISOString(), by: kari.id, on: isoDay(3) });
    refused(run(c, { type: 'complete-action', actionId: 'action-1' }, kari, day(4)), 'action-already-done');
    refused(run(c, { type: 'complete-action', actionId: 'action-5' }, kari, day(4)), 'action-not-found');
  });

  it('gives an action to another service only with a consent that covers it', () => {
    const toPpt = {
      type: 'add-action' as const,
      action: { what: 'Observasjon i barnehagen', who: { kind: 'service' as const, serviceId: 'ppt' }, dueOn: isoDay(20) },
    };
    refused(run(newCase(), toPpt, kari, T0), 'consent-missing');
    const s3 = buildScenarioCase('S3');
    assert.equal(
      apply(s3, { ...toPpt, action: { ...toPpt.action, dueOn: isoDay(100) } }, kari, day(85)).actions.at(-1)?.who.kind,
      'service',
    );
    refused(
      run(newCase(), { ...toPpt, action: { ...toPpt.action, who: { kind: 'service', serviceId: 'nasa' } } }, kari, T0),
      'unknown-service',
    );
  });

  it('writes notes signed with the owner’s name and time, and the parents’ paper signature', () => {
    const decision = run(
      newCase(),
      {
        type: 'add-note',
        kind: 'parent-conversation',
        text: 'Samtale med mor.',
        heldOn: isoDay(0),
        signByOwner: true,
        parentsSignedOn: isoDay(0),
      },
      kari,
      T0,
    );
    const note = accepted(decision).case.notes[0];
    assert.deepEqual(note?.signatures, [
      { kind: 'staff', person: kari, signedAt: T0.toISOString() },
      { kind: 'parents', signedOn: isoDay(0), recordedBy: kari.id },
    ]);
    assert.deepEqual(note?.author, kari);
  });

  it('refuses a note about a conversation that has not happened yet', () => {
    refused(
      run(newCase(), { type: 'add-note', kind: 'observation', text: 'x', heldOn: isoDay(1), signByOwner: false }, kari, T0),
      'date-in-future',
    );
  });

  it('records the minutes of a cooperation meeting with consent for every service there, and where the parents’ signed copy is archived', () => {
    const meeting = {
      type: 'record-meeting' as const,
      meeting: 'cooperation-meeting',
      conclusions: 'Referat.',
      heldOn: isoDay(85),
      parents: 'both' as const,
      signByOwner: true,
    };
    const s3 = buildScenarioCase('S3');
    refused(run(s3, { ...meeting, services: ['bup'] }, kari, day(85)), 'consent-missing');
    refused(run(s3, { ...meeting, services: ['zoo'] }, kari, day(85)), 'unknown-service');
    refused(run(s3, { ...meeting, meeting: 'tea-party' }, kari, day(85)), 'unknown-meeting');
    refused(run(s3, { ...meeting, services: ['ppt'], parentsSignedOn: isoDay(85) }, kari, day(85)), 'minutes-archive-missing');
    const c = apply(s3, { ...meeting, services: ['ppt'], parentsSignedOn: isoDay(85), archivedAt: 'Arkivmappe 2025' }, kari, day(85));
    const recorded = c.meetings.at(-1)!;
    assert.equal(recorded.kind, 'cooperation-meeting');
    assert.equal(recorded.stepId, '3b');
    assert.deepEqual(
      recorded.signatures.map((s) => s.kind),
      ['staff', 'parents'],
    );
    assert.deepEqual(recorded.archived, { where: 'Arkivmappe 2025', on: isoDay(85) });
  });

  it('records the child’s own voice', () => {
    const c = apply(newCase(), { type: 'record-child-voice', text: '«Jeg vil leke med Ali.»', heardOn: isoDay(0), how: 'said' }, kari, T0);
    assert.deepEqual(
      c.childVoice.map((v) => [v.id, v.how, v.heardOn]),
      [['voice-1', 'said', isoDay(0)]],
    );
    refused(run(newCase(), { type: 'record-child-voice', text: 'x', heardOn: isoDay(3), how: 'said' }, kari, T0), 'date-in-future');
  });

  it('keeps all of it the owner’s: the leader cannot write in the case', () => {
    refused(run(newCase(), { type: 'add-note', kind: 'internal', text: 'x', heldOn: isoDay(0), signByOwner: false }, per, T0), 'not-owner');
  });

  it('keeps every change in the history, with who and when, and no child data', () => {
    const c = buildScenarioCase('S3');
    assert.deepEqual(
      c.events.map((e) => e.seq),
      c.events.map((_, i) => i + 1),
    );
    assert.ok(c.events.every((e) => typeof e.actorId === 'string' && e.at.endsWith('Z')));
    const history = JSON.stringify(c.events);
    for (const secret of ['E.H.', 'samlingsstund', 'Samarbeidsmøte']) assert.ok(!history.includes(secret), `history holds ${secret}`);
  });
});

describe('closing a case', () => {
  it('closes, clears the dates and refuses further work (but never a report)', () => {
    const decision = run(buildScenarioCase('S2'), { type: 'close-case', reason: 'resolved' }, kari, day(60));
    const c = accepted(decision).case;
    assert.equal(c.status, 'closed');
    assert.deepEqual(c.nextDates, { evaluationOn: null, checkInOn: null, conversationOn: null });
    assert.deepEqual(decision.kind === 'accepted' && decision.notify.map((n) => n.about), ['case-closed']);
    refused(run(c, { type: 'add-goal', goal: { text: 'x', targetOn: isoDay(90) } }, kari, day(61)), 'case-closed');
    assert.equal(apply(c, { type: 'report-to-child-welfare', leaderInvolved: false }, kari, day(61)).status, 'reported');
  });

  it('does not tell the leader about closing a case the leader never heard of', () => {
    const decision = run(buildScenarioCase('S1'), { type: 'close-case', reason: 'resolved' }, kari, day(60));
    assert.deepEqual(accepted(decision).notify, []);
  });
});
