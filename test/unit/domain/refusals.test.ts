import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import type { Decision } from '../../../src/domain/decide';
import { walkTo } from '../../support/ladder-walk';
import { buildScenarioCase } from '../../../scripts/seed/scenarios';
import { stepNeedsApproval, stepRequiresSignedConsent } from '../../../src/domain/ladder-steps';
import { REFUSAL_REASONS, type RefusalReason } from '../../../src/domain/refusals';
import { consentCommand, fullEntry, LADDERS, proposedCase, proposedSteps } from './ladder-cases';
import { AH, anne, apply, BTI, day, isoDay, kari, lise, newCase, per, refused, run, stranger, T0 } from './support';

const s2 = (): Case => buildScenarioCase('S2');
const s3 = (): Case => buildScenarioCase('S3');
const proposed3b = (): Case => apply(s2(), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
const pending3b = (): Case => {
  const c = apply(
    proposed3b(),
    {
      type: 'record-consent',
      givenBy: ['mother'],
      services: ['ppt'],
      teams: [],
      purpose: 'Samarbeid.',
      givenOn: isoDay(73),
      validUntil: isoDay(400),
      signedFormArchivedAt: 'Arkivmappe for samtykker',
    },
    kari,
    day(73),
  );
  return apply(
    c,
    { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } },
    kari,
    day(73),
  );
};
const offered = (): Case => apply(newCase(), { type: 'hand-over', to: anne }, kari, T0);

/** One way to provoke every refusal reason. The Record type makes a missing reason a compile error. */
const PRODUCERS: Record<RefusalReason, () => Decision> = {
  'case-not-found': () => run(null, { type: 'add-goal', goal: { text: 'x', targetOn: isoDay(9) } }, kari, T0),
  'case-already-exists': () =>
    run(
      newCase(),
      {
        type: 'create-case',
        caseId: 'UR-7K4Q',
        unitId: 'u',
        nearestLeader: per,
        safety: { dangerNow: false, suspectedViolenceOrAbuse: false },
      },
      kari,
      T0,
    ),
  'ladder-mismatch': () => run(newCase(), { type: 'place-in-zone', zoneId: 'grey' }, kari, T0, BTI),
  'case-closed': () =>
    run(apply(newCase(), { type: 'close-case', reason: 'other' }, kari, T0), { type: 'place-in-zone', zoneId: 'grey' }, kari, T0),
  'not-owner': () => run(newCase(), { type: 'place-in-zone', zoneId: 'grey' }, stranger, T0),
  'not-designated-leader': () => run(pending3b(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, kari, day(74)),
  'not-handover-recipient': () => run(offered(), { type: 'accept-handover' }, lise, T0),
  'leader-cannot-be-owner': () => run(newCase(), { type: 'hand-over', to: per }, kari, T0),
  'national-id-not-allowed': () => run(newCase(), { type: 'set-alias', alias: '01020312345' }, kari, T0),
  'unknown-zone': () => run(newCase(), { type: 'place-in-zone', zoneId: 'blue' }, kari, T0),
  'unknown-service': () =>
    run(
      newCase(),
      {
        type: 'record-consent',
        givenBy: ['mother'],
        services: ['unicorns'],
        teams: [],
        purpose: 'x',
        givenOn: isoDay(0),
        validUntil: isoDay(9),
      },
      kari,
      T0,
    ),
  'date-in-past': () => run(newCase(), { type: 'add-goal', goal: { text: 'x', targetOn: isoDay(-1) } }, kari, T0),
  'date-in-future': () => run(newCase(), { type: 'report-to-child-welfare', reportedOn: isoDay(1), leaderInvolved: false }, kari, T0),
  'ladder-not-started': () => run(newCase(), { type: 'record-evaluation', outcome: 'a' }, kari, T0),
  'ladder-already-started': () => run(s2(), { type: 'start-ladder', goals: [], actions: [] }, kari, day(40)),
  'step-not-reachable': () => run(s2(), { type: 'enter-step', stepId: '4a' }, kari, day(40)),
  'step-has-no-evaluation': () => run(walkTo(AH, '4b').case, { type: 'record-evaluation', outcome: 'a' }, kari, day(200)),
  'requirement-not-met': () =>
    run(
      apply(buildScenarioCase('S1'), { type: 'record-evaluation', outcome: 'b' }, kari, day(40)),
      { type: 'enter-step', stepId: '2b' },
      kari,
      day(40),
    ),
  'evaluation-too-late': () => run(s2(), { type: 'reschedule', on: isoDay(200) }, kari, day(40)),
  'talk-to-parents-blocked-by-safety': () =>
    run(
      newCase({ safety: { dangerNow: false, suspectedViolenceOrAbuse: true } }),
      { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei' } },
      kari,
      T0,
    ),
  'safety-answer-cannot-be-withdrawn': () =>
    run(
      newCase({ safety: { dangerNow: true, suspectedViolenceOrAbuse: false } }),
      { type: 'record-safety-answers', safety: { dangerNow: false, suspectedViolenceOrAbuse: false } },
      kari,
      T0,
    ),
  'consent-missing': () =>
    run(
      proposed3b(),
      { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } },
      kari,
      day(73),
    ),
  'signed-consent-missing': () => {
    const unsigned = apply(
      proposed3b(),
      {
        type: 'record-consent',
        givenBy: ['mother'],
        services: ['ppt'],
        teams: [],
        purpose: 'Samarbeid.',
        givenOn: isoDay(73),
        validUntil: isoDay(400),
      },
      kari,
      day(73),
    );
    return run(
      unsigned,
      { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } },
      kari,
      day(73),
    );
  },
  'consent-scope-empty': () =>
    run(
      newCase(),
      { type: 'record-consent', givenBy: ['mother'], services: [], teams: [], purpose: 'x', givenOn: isoDay(0), validUntil: isoDay(9) },
      kari,
      T0,
    ),
  'child-consent-missing': () =>
    run(
      newCase(),
      {
        type: 'record-consent',
        givenBy: ['mother', 'father'],
        services: ['ppt'],
        teams: [],
        purpose: 'x',
        givenOn: isoDay(0),
        validUntil: isoDay(9),
        childHasConsentAge: true,
      },
      kari,
      T0,
    ),
  'consent-not-found': () => run(newCase(), { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother'] }, kari, T0),
  'consent-already-withdrawn': () =>
    run(buildScenarioCase('S7'), { type: 'withdraw-consent', consentId: 'consent-1', by: ['mother'] }, kari, day(91)),
  'consent-refusal-required': () => run(s3(), { type: 'record-evaluation', outcome: 'b' }, kari, day(90)),
  'leader-approval-required': () => run(proposed3b(), { type: 'enter-step', stepId: '3b', services: ['ppt'] }, kari, day(73)),
  'approval-not-required': () =>
    run(
      apply(buildScenarioCase('S1'), { type: 'record-evaluation', outcome: 'b' }, kari, day(40)),
      { type: 'request-escalation', stepId: '2b' },
      kari,
      day(40),
    ),
  'escalation-pending': () =>
    run(
      pending3b(),
      { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } },
      kari,
      day(73),
    ),
  'escalation-not-found': () => run(pending3b(), { type: 'decide-escalation', escalationId: 'esc-2', decision: 'approve' }, per, day(74)),
  'already-decided': () => run(s3(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(75)),
  'reason-required': () => run(pending3b(), { type: 'decide-escalation', escalationId: 'esc-1', decision: 'reject' }, per, day(74)),
  'action-not-found': () => run(newCase(), { type: 'complete-action', actionId: 'action-1' }, kari, T0),
  'action-already-done': () =>
    run(
      apply(
        apply(newCase(), { type: 'add-action', action: { what: 'x', who: { kind: 'parents' }, dueOn: isoDay(5) } }, kari, T0),
        { type: 'complete-action', actionId: 'action-1' },
        kari,
        T0,
      ),
      { type: 'complete-action', actionId: 'action-1' },
      kari,
      T0,
    ),
  'handover-pending': () => run(offered(), { type: 'hand-over', to: lise }, kari, T0),
  'no-pending-handover': () => run(newCase(), { type: 'decline-handover' }, anne, T0),
  'invalid-handover': () => run(newCase(), { type: 'hand-over', to: kari }, kari, T0),
  // The same report card pressed twice: the report it made is found, nothing is recorded twice.
  'report-already-recorded': () =>
    run(
      apply(newCase(), { type: 'report-to-child-welfare', leaderInvolved: false, cardDrawnAt: T0.toISOString() }, kari, T0),
      { type: 'report-to-child-welfare', leaderInvolved: false, cardDrawnAt: T0.toISOString() },
      kari,
      T0,
    ),
  'case-not-closed': () => run(newCase(), { type: 'reopen-case' }, kari, T0),
  'worry-form-closed': () => run(s2(), { type: 'record-part-c', answers: { heldOn: isoDay(40), howItWent: 'x' } }, kari, day(40)),
  'work-not-done': () => {
    const walk = walkTo(AH, '2b');
    return run(walk.case, { type: 'record-evaluation', outcome: 'b' }, kari, new Date(walk.now.getTime() + 7 * 86_400_000));
  },
  'evaluation-same-day': () => run(s2(), { type: 'record-evaluation', outcome: 'b' }, kari, day(31)),
  'consent-expired': () => run(s3(), { type: 'record-evaluation', outcome: 'a' }, kari, day(480)),
  'unknown-meeting': () =>
    run(
      s2(),
      { type: 'record-meeting', meeting: 'tea-party', heldOn: isoDay(40), parents: 'both', conclusions: 'x', signByOwner: true },
      kari,
      day(40),
    ),
  'meeting-not-found': () => run(s2(), { type: 'sign-meeting', meetingId: 'meeting-9', signByOwner: true }, kari, day(40)),
  'minutes-archive-missing': () =>
    run(
      s2(),
      {
        type: 'record-meeting',
        meeting: 'follow-up-conversation',
        heldOn: isoDay(40),
        parents: 'both',
        conclusions: 'x',
        signByOwner: true,
        parentsSignedOn: isoDay(40),
      },
      kari,
      day(40),
    ),
  'directory-only': () => run(newCase(), { type: 'directory-change-leader', to: lise }, per, T0),
};

describe('every refusal reason', () => {
  it('has a way to be produced, and the list of reasons has no others', () => {
    assert.deepEqual(Object.keys(PRODUCERS).sort(), [...REFUSAL_REASONS].sort());
  });

  for (const reason of REFUSAL_REASONS) {
    it(`is produced: ${reason}`, () => {
      refused(PRODUCERS[reason](), reason);
    });
  }

  describe('on every ladder, a step whose requirement is missing', () => {
    for (const ladder of LADDERS) {
      for (const step of proposedSteps(ladder)) {
        it(`${ladder.id} ${step.id}: refuses each missing requirement with its own reason, and enters with all of them`, () => {
          const { c, now } = proposedCase(ladder, step);
          const entry = fullEntry(ladder, step);
          const signed = step.sharesWithServices ? apply(c, consentCommand(entry.services ?? [], now, true), kari, now, ladder) : c;
          let checked = 0;
          for (const { kind } of step.requires) {
            switch (kind) {
              case 'both-parents-invited': {
                const missing = { ...entry, attestations: { ...entry.attestations, bothParentsInvited: false } };
                assert.equal(refused(run(signed, missing, kari, now, ladder), 'requirement-not-met').detail?.requirement, kind);
                break;
              }
              case 'parents-participate': {
                const missing = { ...entry, attestations: { ...entry.attestations, parentsParticipate: false } };
                assert.equal(refused(run(signed, missing, kari, now, ladder), 'requirement-not-met').detail?.requirement, kind);
                break;
              }
              case 'coordinator-named': {
                const { coordinator: _named, ...missing } = entry;
                assert.equal(refused(run(signed, missing, kari, now, ladder), 'requirement-not-met').detail?.requirement, kind);
                break;
              }
              case 'consent':
                refused(run(c, entry, kari, now, ladder), 'consent-missing');
                if (stepRequiresSignedConsent(step))
                  refused(
                    run(apply(c, consentCommand(entry.services ?? [], now, false), kari, now, ladder), entry, kari, now, ladder),
                    'signed-consent-missing',
                  );
                assert.equal(
                  refused(run(signed, { ...entry, services: [] }, kari, now, ladder), 'requirement-not-met').detail?.requirement,
                  'services',
                );
                break;
              case 'leader-approval':
                refused(run(signed, { ...entry, type: 'enter-step' }, kari, now, ladder), 'leader-approval-required');
                break;
              case 'goals':
              case 'worry-form-part-a':
              case 'signed-parent-note':
                continue; // met by every case on the ladder already (the start step asks for them; see below)
            }
            checked += 1;
          }
          // With everything the step asks for: entered, or sent to the leader where the ladder says so.
          const done = apply(signed, entry, kari, now, ladder);
          if (stepNeedsApproval(ladder, step.id)) assert.equal(done.escalations.at(-1)?.status, 'pending');
          else {
            assert.equal(done.currentStep?.stepId, step.id);
            refused(run(signed, { ...entry, type: 'request-escalation' }, kari, now, ladder), 'approval-not-required');
          }
          assert.ok(
            checked > 0 || step.requires.every((r) => ['goals', 'worry-form-part-a', 'signed-parent-note'].includes(r.kind)),
            'nothing checked',
          );
        });
      }

      it(`${ladder.id} ${ladder.startStep} (the start): refuses to start without what the start step requires`, () => {
        const start = ladder.steps.find((s) => s.id === ladder.startStep)!;
        const draft = newCase({}, kari, T0, ladder);
        const withPartA = apply(
          draft,
          { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } },
          kari,
          T0,
          ladder,
        );
        const full = {
          type: 'start-ladder' as const,
          goals: [{ text: 'Mål', targetOn: isoDay(20) }],
          actions: [],
          parentNote: { heldOn: isoDay(0), text: 'Samtale med foreldrene.' },
        };
        for (const { kind } of start.requires) {
          const decision =
            kind === 'worry-form-part-a'
              ? run(draft, full, kari, T0, ladder)
              : kind === 'goals'
                ? run(withPartA, { ...full, goals: [] }, kari, T0, ladder)
                : run(withPartA, { ...full, parentNote: undefined }, kari, T0, ladder);
          assert.equal(refused(decision, 'requirement-not-met').detail?.requirement, kind);
        }
        assert.equal(apply(withPartA, full, kari, T0, ladder).currentStep?.stepId, ladder.startStep);
      });
    }

    it('BTI level 1: refuses measures within the unit without a goal', () => {
      // Level 0 asks for no goal; level 1 does.
      const draft = apply(
        newCase({}, kari, T0, BTI),
        { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } },
        kari,
        T0,
        BTI,
      );
      const on0 = apply(draft, { type: 'start-ladder', goals: [], actions: [] }, kari, T0, BTI);
      const proposed = apply(on0, { type: 'record-evaluation', outcome: 'b' }, kari, day(10), BTI);
      assert.equal(
        refused(run(proposed, { type: 'enter-step', stepId: '1' }, kari, day(10), BTI), 'requirement-not-met').detail?.requirement,
        'goals',
      );
    });
  });

  it('changes nothing when refusing: the case passed in is left as it was', () => {
    const c = pending3b();
    const before = JSON.stringify(c);
    refused(run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'reject' }, per, day(74)), 'reason-required');
    assert.equal(JSON.stringify(c), before);
  });
});
