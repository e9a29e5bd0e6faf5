import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import { buildScenarioCase, ehStage1Script } from '../../../scripts/seed/scenarios';
import { runScript } from '../../../scripts/seed/script';
import { readyToEvaluate, walkTo } from '../../support/ladder-walk';
import type { Ladder } from '../../../src/domain/ladder';
import { dayOf } from '../../../src/domain/time';
import { accepted, AH, apply, ASNES, BTI, day, isoDay, kari, newCase, noticesOf, per, refused, run, T0 } from './support';

const stage1 = (): Case => runScript(AH, ehStage1Script()).case;

function readyForStage1(): Case {
  return apply(newCase(), { type: 'record-part-a', answers: { seenOrHeard: 'Trøtt.', whatWorriesMe: 'Brå endring.' } }, kari, T0);
}

describe('moving along the ladder', () => {
  describe('stage 1 (1a + 1b)', () => {
    it('starts with goals, actions, an evaluation date and the 1b note signed by the owner', () => {
      const c = stage1();
      assert.equal(c.currentStep?.stepId, '1');
      assert.equal(c.status, 'open');
      assert.equal(c.nextDates.evaluationOn, isoDay(31));
      assert.equal(c.goals.length, 1);
      assert.equal(c.actions.length, 2);
      const note = c.notes.find((n) => n.kind === 'cooperation-start');
      assert.equal(note?.heldOn, isoDay(3));
      assert.deepEqual(note?.signatures, [{ kind: 'staff', person: kari, signedAt: day(3).toISOString() }]);
    });

    it('cannot start without the signed note of the conversation with the parents', () => {
      const decision = run(
        readyForStage1(),
        { type: 'start-ladder', goals: [{ text: 'Mål', targetOn: isoDay(28) }], actions: [] },
        kari,
        T0,
      );
      assert.equal(refused(decision, 'requirement-not-met').detail?.requirement, 'signed-parent-note');
    });

    it('cannot start without a measurable goal', () => {
      const decision = run(
        readyForStage1(),
        { type: 'start-ladder', goals: [], actions: [], parentNote: { heldOn: isoDay(0), text: 'Samtale.' } },
        kari,
        T0,
      );
      assert.equal(refused(decision, 'requirement-not-met').detail?.requirement, 'goals');
    });

    it('cannot start before the worry is put into words (part A)', () => {
      const decision = run(
        newCase(),
        {
          type: 'start-ladder',
          goals: [{ text: 'Mål', targetOn: isoDay(28) }],
          actions: [],
          parentNote: { heldOn: isoDay(0), text: 'Samtale.' },
        },
        kari,
        T0,
      );
      assert.equal(refused(decision, 'requirement-not-met').detail?.requirement, 'worry-form-part-a');
    });

    it('proposes the default evaluation date when none is given', () => {
      const c = apply(
        readyForStage1(),
        {
          type: 'start-ladder',
          goals: [{ text: 'Mål', targetOn: isoDay(28) }],
          actions: [],
          parentNote: { heldOn: isoDay(0), text: 'Samtale.' },
        },
        kari,
        T0,
      );
      assert.equal(c.nextDates.evaluationOn, isoDay(28));
    });

    it('refuses an evaluation date beyond what the step allows, and one in the past', () => {
      const base = {
        type: 'start-ladder' as const,
        goals: [{ text: 'Mål', targetOn: isoDay(28) }],
        actions: [],
        parentNote: { heldOn: isoDay(0), text: 'Samtale.' },
      };
      const late = refused(run(readyForStage1(), { ...base, evaluationOn: isoDay(85) }, kari, T0), 'evaluation-too-late');
      assert.equal(late.detail?.latestAllowed, isoDay(84));
      refused(run(readyForStage1(), { ...base, evaluationOn: isoDay(-1) }, kari, T0), 'date-in-past');
    });

    it('starts only once', () => {
      refused(
        run(
          stage1(),
          {
            type: 'start-ladder',
            goals: [{ text: 'Mål', targetOn: isoDay(28) }],
            actions: [],
            parentNote: { heldOn: isoDay(3), text: 'x' },
          },
          kari,
          day(3),
        ),
        'ladder-already-started',
      );
    });

    it('does not tell the leader anything before 2b', () => {
      const { decisions } = runScript(AH, ehStage1Script());
      assert.deepEqual(
        decisions.flatMap((d) => d.notify).filter((n) => n.to === 'leader'),
        [],
      );
    });
  });

  describe('evaluation', () => {
    it('moves to 2a with monitoring and a check-in date when the child is better', () => {
      const c = apply(stage1(), { type: 'record-evaluation', outcome: 'a', nextOn: isoDay(60) }, kari, day(31));
      assert.equal(c.currentStep?.stepId, '2a');
      assert.equal(c.status, 'monitoring');
      assert.deepEqual(c.nextDates, { evaluationOn: null, checkInOn: isoDay(60), conversationOn: null });
    });

    it('proposes 2b when the child is not better, and waits for the owner to enter it', () => {
      const decision = run(stage1(), { type: 'record-evaluation', outcome: 'b' }, kari, day(31));
      const c = accepted(decision).case;
      assert.equal(c.currentStep?.stepId, '1');
      assert.equal(c.proposedStepId, '2b');
      assert.deepEqual(noticesOf(decision), ['owner:next-step-proposed']);
    });

    it('keeps monitoring on 2a with a new check-in date while things go well', () => {
      const s1 = buildScenarioCase('S1');
      const c = apply(s1, { type: 'record-evaluation', outcome: 'a' }, kari, day(73));
      assert.equal(c.currentStep?.stepId, '2a');
      assert.equal(c.nextDates.checkInOn, isoDay(73 + 42));
      assert.equal(c.currentStep?.periodStartedOn, isoDay(73));
    });

    it('goes from 2a to 2b when the child is no longer better', () => {
      let c = apply(buildScenarioCase('S1'), { type: 'record-evaluation', outcome: 'b' }, kari, day(60));
      c = apply(c, { type: 'enter-step', stepId: '2b', attestations: { bothParentsInvited: true } }, kari, day(60));
      assert.equal(c.currentStep?.stepId, '2b');
    });

    it('tells the owner when the ladder has no further step', () => {
      const at4a = readyToEvaluate(AH, walkTo(AH, '4a'));
      const decision = run(at4a.case, { type: 'record-evaluation', outcome: 'b' }, kari, at4a.now);
      assert.deepEqual(noticesOf(decision), ['owner:ladder-ended']);
      assert.equal(accepted(decision).case.proposedStepId, null);
    });

    it('has nothing to evaluate on 4b', () => {
      const at4b = walkTo(AH, '4b');
      refused(run(at4b.case, { type: 'record-evaluation', outcome: 'a' }, kari, at4b.now), 'step-has-no-evaluation');
    });

    it('cannot evaluate a case that is not on the ladder yet', () => {
      refused(run(newCase(), { type: 'record-evaluation', outcome: 'a' }, kari, T0), 'ladder-not-started');
    });

    it('takes "b" on 3b only from the parents’ refusal', () => {
      const s3 = buildScenarioCase('S3');
      refused(run(s3, { type: 'record-evaluation', outcome: 'b' }, kari, day(90)), 'consent-refusal-required');
    });

    it('takes "a" on 3b (the parents consent) into 4a while the consent holds', () => {
      const c = apply(buildScenarioCase('S3'), { type: 'record-evaluation', outcome: 'a' }, kari, day(90));
      assert.equal(c.currentStep?.stepId, '4a');
      assert.deepEqual(c.currentStep?.services, ['ppt', 'helsestasjon']);
      assert.equal(c.status, 'monitoring');
    });
  });

  describe('entering a step', () => {
    it('enters only the step the evaluation proposed', () => {
      refused(
        run(stage1(), { type: 'enter-step', stepId: '2b', attestations: { bothParentsInvited: true } }, kari, day(10)),
        'step-not-reachable',
      );
      const proposed = apply(stage1(), { type: 'record-evaluation', outcome: 'b' }, kari, day(31));
      refused(run(proposed, { type: 'enter-step', stepId: '3b' }, kari, day(31)), 'step-not-reachable');
      refused(run(newCase(), { type: 'enter-step', stepId: '2b' }, kari, day(31)), 'ladder-not-started');
    });

    it('asks the owner to confirm that both parents are invited to 2b', () => {
      const proposed = apply(stage1(), { type: 'record-evaluation', outcome: 'b' }, kari, day(31));
      const decision = run(proposed, { type: 'enter-step', stepId: '2b' }, kari, day(31));
      assert.equal(refused(decision, 'requirement-not-met').detail?.requirement, 'both-parents-invited');
    });

    it('refuses a 2b evaluation date more than two months out, and informs the leader on entering 2b', () => {
      const proposed = apply(stage1(), { type: 'record-evaluation', outcome: 'b' }, kari, day(31));
      const late = refused(
        run(
          proposed,
          { type: 'enter-step', stepId: '2b', attestations: { bothParentsInvited: true }, evaluationOn: isoDay(31 + 61) },
          kari,
          day(31),
        ),
        'evaluation-too-late',
      );
      assert.equal(late.detail?.latestAllowed, isoDay(31 + 60));
      const decision = run(
        proposed,
        { type: 'enter-step', stepId: '2b', attestations: { bothParentsInvited: true }, evaluationOn: isoDay(31 + 60) },
        kari,
        day(31),
      );
      assert.deepEqual(noticesOf(decision), ['leader:step-changed']);
      assert.equal(accepted(decision).case.leaderKeptInformed, true);
    });

    it('sends a step that needs approval to the leader instead', () => {
      const s2 = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
      refused(run(s2, { type: 'enter-step', stepId: '3b', services: ['ppt'] }, kari, day(73)), 'leader-approval-required');
    });
  });

  describe('rescheduling', () => {
    it('moves the evaluation within the period, counted from the start of the step', () => {
      const s2 = buildScenarioCase('S2');
      const c = apply(s2, { type: 'reschedule', on: isoDay(31 + 60) }, kari, day(50));
      assert.equal(c.nextDates.evaluationOn, isoDay(91));
      refused(run(s2, { type: 'reschedule', on: isoDay(31 + 61) }, kari, day(50)), 'evaluation-too-late');
    });

    it('moves the check-in date while monitoring', () => {
      const c = apply(buildScenarioCase('S1'), { type: 'reschedule', on: isoDay(50) }, kari, day(40));
      assert.equal(c.nextDates.checkInOn, isoDay(50));
    });

    it('has no date to move on 4b or before the ladder starts', () => {
      const at4b = walkTo(AH, '4b');
      refused(run(at4b.case, { type: 'reschedule', on: isoDay(200) }, kari, at4b.now), 'step-has-no-evaluation');
      refused(run(newCase(), { type: 'reschedule', on: isoDay(20) }, kari, T0), 'ladder-not-started');
    });
  });

  describe('a step that shares with services, once consent no longer covers it', () => {
    /** A case on `stepId` whose consent the parents have just withdrawn. */
    function withdrawnOn(ladder: Ladder, stepId: string) {
      const walk = readyToEvaluate(ladder, walkTo(ladder, stepId));
      const consent = walk.case.consents.filter((r) => r.kind === 'given').at(-1);
      assert.ok(consent);
      const c = apply(walk.case, { type: 'withdraw-consent', consentId: consent.id, by: ['mother'] }, kari, walk.now, ladder);
      return { c, now: walk.now };
    }

    it('does not stay on 4a ("still better") after the consent is withdrawn; "not better" still ends the ladder', () => {
      const { c, now } = withdrawnOn(AH, '4a');
      assert.deepEqual(
        refused(run(c, { type: 'record-evaluation', outcome: 'a' }, kari, now), 'consent-missing').detail?.missingServices,
        c.currentStep?.services,
      );
      const ended = accepted(run(c, { type: 'record-evaluation', outcome: 'b' }, kari, now));
      assert.equal(ended.case.proposedStepId, null);
    });

    it('does not stay on a BTI or Åsnes cooperation level after the consent is withdrawn', () => {
      for (const [ladder, stepId] of [
        [BTI, '2'],
        [BTI, '3'],
        [ASNES, '3'],
        [ASNES, '4'],
      ] as const) {
        const { c, now } = withdrawnOn(ladder, stepId);
        refused(run(c, { type: 'record-evaluation', outcome: 'a' }, kari, now, ladder), 'consent-missing');
      }
    });

    it('gets no new date once the consent has expired', () => {
      const walk = readyToEvaluate(AH, walkTo(AH, '4a'));
      const check = walk.case.nextDates.checkInOn;
      assert.ok(check);
      apply(walk.case, { type: 'reschedule', on: isoDay(120) }, kari, walk.now);
      // The walk's consent runs for a year.
      const afterExpiry = new Date(walk.now.getTime() + 370 * 24 * 3600 * 1000);
      refused(
        run(walk.case, { type: 'reschedule', on: dayOf(new Date(afterExpiry.getTime() + 7 * 24 * 3600 * 1000)) }, kari, afterExpiry),
        'consent-expired',
      );
      refused(run(walk.case, { type: 'record-evaluation', outcome: 'a' }, kari, afterExpiry), 'consent-expired');
    });

    it('stops the plan (goals, actions, dates) but still takes the report, the child’s voice, a note and a new consent', () => {
      const { c, now } = withdrawnOn(AH, '4a');
      const today = dayOf(now);
      refused(run(c, { type: 'add-goal', goal: { text: 'Mål', targetOn: isoDay(400) } }, kari, now), 'consent-missing');
      refused(
        run(c, { type: 'add-action', action: { what: 'Tiltak', who: { kind: 'parents' }, dueOn: isoDay(400) } }, kari, now),
        'consent-missing',
      );
      refused(run(c, { type: 'reschedule', on: isoDay(400) }, kari, now), 'consent-missing');
      accepted(run(c, { type: 'report-to-child-welfare', leaderInvolved: false }, kari, now));
      accepted(run(c, { type: 'record-child-voice', text: 'Vil ikke snakke om det.', heardOn: today, how: 'said' }, kari, now));
      accepted(
        run(c, { type: 'add-note', kind: 'internal', text: 'Foreldrene trakk samtykket.', heldOn: today, signByOwner: true }, kari, now),
      );
      const again = apply(
        c,
        {
          type: 'record-consent',
          givenBy: ['mother', 'father'],
          services: c.currentStep?.services ?? [],
          teams: [],
          purpose: 'Samarbeid igjen.',
          givenOn: today,
          validUntil: isoDay(500),
          signedFormArchivedAt: 'Arkivmappe 2026',
        },
        kari,
        now,
      );
      assert.equal(apply(again, { type: 'record-evaluation', outcome: 'a' }, kari, now).currentStep?.stepId, '4a');
    });
  });

  describe('BTI', () => {
    it('starts on level 0 without a parent note, and decides within four weeks', () => {
      let c = apply(
        newCase({}, kari, T0, BTI),
        { type: 'record-part-a', answers: { seenOrHeard: 'x', whatWorriesMe: 'y' } },
        kari,
        T0,
        BTI,
      );
      refused(run(c, { type: 'start-ladder', goals: [], actions: [], evaluationOn: isoDay(29) }, kari, T0, BTI), 'evaluation-too-late');
      c = apply(c, { type: 'start-ladder', goals: [], actions: [] }, kari, T0, BTI);
      assert.equal(c.currentStep?.stepId, '0');
      assert.equal(c.nextDates.evaluationOn, isoDay(14));
    });

    it('needs a coordinator, two services with consent, and the leader for level 3', () => {
      const at2 = readyToEvaluate(BTI, walkTo(BTI, '2'));
      let c = apply(at2.case, { type: 'record-evaluation', outcome: 'b' }, kari, at2.now, BTI);
      const base = { type: 'request-escalation' as const, stepId: '3', attestations: { parentsParticipate: true } };
      assert.equal(
        refused(run(c, { ...base, services: ['helsestasjon', 'ppt'] }, kari, at2.now, BTI), 'requirement-not-met').detail?.requirement,
        'coordinator-named',
      );
      assert.equal(
        refused(run(c, { ...base, services: ['helsestasjon'], coordinator: per }, kari, at2.now, BTI), 'requirement-not-met').detail
          ?.requirement,
        'services',
      );
      refused(run(c, { ...base, services: ['helsestasjon', 'barnevern'], coordinator: per }, kari, at2.now, BTI), 'consent-missing');
      c = apply(
        c,
        {
          type: 'record-consent',
          givenBy: ['mother'],
          services: ['ppt'],
          teams: [],
          purpose: 'Samarbeid med PPT.',
          givenOn: at2.case.currentStep?.periodStartedOn ?? isoDay(0),
          validUntil: isoDay(400),
          signedFormArchivedAt: 'Arkivmappe for samtykker',
        },
        kari,
        at2.now,
        BTI,
      );
      c = apply(
        c,
        { ...base, services: ['helsestasjon', 'ppt'], coordinator: { id: 'aad-coord', name: 'Kim Koordinator' } },
        kari,
        at2.now,
        BTI,
      );
      assert.equal(c.escalations.at(-1)?.status, 'pending');
    });
  });
});
