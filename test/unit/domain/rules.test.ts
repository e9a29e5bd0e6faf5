import assert from 'node:assert/strict';
import type { Case } from '../../../src/domain/case';
import type { Command } from '../../../src/domain/commands';
import { readyToEvaluate, walkTo } from '../../support/ladder-walk';
import { buildScenarioCase, ehStage1Script, TEAMS } from '../../../scripts/seed/scenarios';
import { runScript } from '../../../scripts/seed/script';
import type { Ladder } from '../../../src/domain/ladder';
import { stepRequires, stepRequiresSignedConsent } from '../../../src/domain/ladder-steps';
import { canBringToTeam, commandTalksToParents } from '../../../src/domain/rules';
import { dayOf } from '../../../src/domain/time';
import { caseBefore, consentCommand, fullEntry, LADDERS, proposedCase, proposedSteps, servicesFor } from './ladder-cases';
import {
  accepted,
  AH,
  anne,
  apply,
  ASNES,
  BTI,
  channelLineOf,
  day,
  isoDay,
  kari,
  lise,
  newCase,
  ola,
  per,
  refused,
  run,
  stranger,
  T0,
} from './support';

const TEAM = TEAMS.bjorkelangen.id;

/** A case in every state the rules must survive, on every ladder. */
function everyState(): { name: string; c: Case; now: Date; ladder: Ladder }[] {
  const states: { name: string; c: Case; now: Date; ladder: Ladder }[] = [
    { name: 'a draft', c: newCase(), now: T0, ladder: AH },
    {
      name: 'a draft with violence suspected',
      c: newCase({ safety: { dangerNow: false, suspectedViolenceOrAbuse: true } }),
      now: T0,
      ladder: AH,
    },
    { name: 'a pending escalation (S3 before approval)', c: pendingS3(), now: day(73), ladder: AH },
    { name: 'consent withdrawn (S7)', c: buildScenarioCase('S7'), now: day(91), ladder: AH },
    { name: 'a handover waiting (S8)', c: buildScenarioCase('S8'), now: day(41), ladder: AH },
    { name: 'already reported (S5)', c: buildScenarioCase('S5'), now: day(1), ladder: AH },
    {
      name: 'closed',
      c: apply(buildScenarioCase('S1'), { type: 'close-case', reason: 'resolved' }, kari, day(40)),
      now: day(41),
      ladder: AH,
    },
  ];
  for (const ladder of [AH, BTI, ASNES]) {
    for (const step of ladder.steps) {
      const walk = walkTo(ladder, step.id);
      states.push({ name: `${ladder.id} step ${step.id}`, c: walk.case, now: walk.now, ladder });
    }
  }
  return states;
}

function pendingS3(): Case {
  let c = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
  c = apply(
    c,
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
}

describe('the rules a correct tool never breaks', () => {
  it('rule 1: reporting to child welfare or marking acute danger is allowed from any state, by the owner, with no approval; the leader is informed, never asked', () => {
    for (const { name, c, now, ladder } of everyState()) {
      const report = run(c, { type: 'report-to-child-welfare', leaderInvolved: false }, c.owner, now, ladder);
      const reported = accepted(report);
      assert.equal(reported.case.status, 'reported', name);
      assert.deepEqual(
        reported.notify.filter((n) => n.to === 'leader').map((n) => [n.about, n.personId]),
        [['report-made', c.nearestLeader.id]],
        name,
      );
      assert.equal(reported.case.escalations.length, c.escalations.length, `${name}: a report never asks for approval`);
      assert.equal(reported.case.currentStep?.stepId, c.currentStep?.stepId, `${name}: a report does not move the ladder`);

      const acute = accepted(run(c, { type: 'mark-acute-danger', contacted: ['police'] }, c.owner, now, ladder));
      assert.equal(acute.case.safety.dangerNow, true, name);
      assert.ok(
        acute.notify.some((n) => n.to === 'leader' && n.about === 'acute-danger'),
        name,
      );

      for (const other of [stranger, c.nearestLeader]) {
        refused(run(c, { type: 'report-to-child-welfare', leaderInvolved: false }, other, now, ladder), 'not-owner');
      }
    }
  });

  it('rule 1 does not depend on the ladder: an Aurskog-Høland case is reported even when decided with the BTI ladder', () => {
    for (const [own, configured] of [
      [AH, BTI],
      [BTI, ASNES],
      [ASNES, AH],
    ] as const) {
      for (const stepId of [own.startStep, own.steps.at(-1)!.id]) {
        const { case: c, now } = walkTo(own, stepId);
        assert.equal(
          accepted(run(c, { type: 'report-to-child-welfare', leaderInvolved: false }, c.owner, now, configured)).case.status,
          'reported',
        );
        accepted(run(c, { type: 'mark-acute-danger', contacted: ['child-welfare-emergency-service'] }, c.owner, now, configured));
        // Ladder work, by contrast, needs the case's own ladder.
        refused(run(c, { type: 'record-evaluation', outcome: 'b' }, c.owner, now, configured), 'ladder-mismatch');
      }
    }
  });

  it('rule 2: if suspected violence or sexual abuse is indicated, every "talk to the parents" command is refused and points to the direct report path', () => {
    const violence = newCase({ safety: { dangerNow: false, suspectedViolenceOrAbuse: true } });
    const withPartA = apply(
      violence,
      { type: 'record-part-a', answers: { seenOrHeard: 'Blåmerker.', whatWorriesMe: 'Mulig vold.' } },
      kari,
      T0,
    );
    const talking: Command[] = [
      { type: 'record-part-b', answers: { talkWith: 'both-parents', opening: 'Hei' } },
      { type: 'record-part-c', answers: { heldOn: isoDay(0), howItWent: 'x' } },
      { type: 'start-ladder', goals: [{ text: 'Mål', targetOn: isoDay(28) }], actions: [], parentNote: { heldOn: isoDay(0), text: 'x' } },
      ...(['cooperation-start', 'parent-conversation'] as const).map((kind): Command => ({
        type: 'add-note',
        kind,
        text: 'x',
        heldOn: isoDay(0),
        signByOwner: true,
        parentsPresent: true,
        services: [],
      })),
      // The minutes of every meeting the ladder marks as a conversation with the parents, and of any meeting they took part in.
      ...AH.meetings.map((m): Command => ({
        type: 'record-meeting',
        meeting: m.id,
        heldOn: isoDay(0),
        parents: m.talksToParents ? 'none' : 'one',
        conclusions: 'x',
        signByOwner: true,
      })),
      { type: 'sign-meeting', meetingId: 'meeting-1', signByOwner: false, parentsSignedOn: isoDay(0), archivedAt: 'Arkivet' },
    ];
    for (const command of talking) {
      assert.ok(commandTalksToParents(command, AH), command.type);
      const refusal = refused(run(withPartA, command, kari, T0), 'talk-to-parents-blocked-by-safety');
      assert.equal(refusal.detail?.next, 'report-to-child-welfare');
    }
    // Raised later, on the ladder: the open dialogue (2b), 3b and "keep contact" (2a) are refused too.
    const raise = { type: 'record-safety-answers' as const, safety: { dangerNow: false, suspectedViolenceOrAbuse: true } };
    const monitoring2a = apply(buildScenarioCase('S1'), raise, kari, day(40));
    const onStage1 = apply(runScript(AH, ehStage1Script()).case, raise, kari, day(20));
    const proposed2b = apply(
      apply(buildScenarioCase('S1'), { type: 'record-evaluation', outcome: 'b' }, kari, day(40)),
      { type: 'record-safety-answers', safety: { dangerNow: false, suspectedViolenceOrAbuse: true } },
      kari,
      day(40),
    );
    refused(
      run(proposed2b, { type: 'enter-step', stepId: '2b', attestations: { bothParentsInvited: true } }, kari, day(40)),
      'talk-to-parents-blocked-by-safety',
    );
    refused(run(monitoring2a, { type: 'record-evaluation', outcome: 'a' }, kari, day(41)), 'talk-to-parents-blocked-by-safety');
    refused(run(monitoring2a, { type: 'reschedule', on: isoDay(50) }, kari, day(41)), 'talk-to-parents-blocked-by-safety');
    refused(run(onStage1, { type: 'record-evaluation', outcome: 'a' }, kari, day(31)), 'talk-to-parents-blocked-by-safety');
    // "Not better" only proposes; it talks to nobody.
    assert.equal(apply(onStage1, { type: 'record-evaluation', outcome: 'b' }, kari, day(31)).proposedStepId, '2b');
    const s2b = apply(
      apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73)),
      { type: 'record-safety-answers', safety: { dangerNow: false, suspectedViolenceOrAbuse: true } },
      kari,
      day(73),
    );
    refused(
      run(s2b, { type: 'request-escalation', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } }, kari, day(73)),
      'talk-to-parents-blocked-by-safety',
    );
    // What does not talk to the parents still works: the report, observations, the child's voice.
    apply(withPartA, { type: 'add-note', kind: 'observation', text: 'Blåmerke på armen.', heldOn: isoDay(0), signByOwner: true }, kari, T0);
    apply(withPartA, { type: 'record-child-voice', text: '«Jeg vil ikke hjem.»', heardOn: isoDay(0), how: 'said' }, kari, T0);
    apply(withPartA, { type: 'report-to-child-welfare', leaderInvolved: true }, kari, T0);

    // On every ladder, every step that talks with the parents: no way onto it (or staying on it) with violence suspected.
    const suspected = { dangerNow: false, suspectedViolenceOrAbuse: true };
    let checked = 0;
    for (const ladder of LADDERS) {
      for (const step of ladder.steps.filter((s) => s.talksToParents)) {
        const label = `${ladder.id} ${step.id}`;
        checked += 1;
        if (step.id === ladder.startStep) {
          const ready = apply(
            newCase({ safety: suspected }, kari, T0, ladder),
            { type: 'record-part-a', answers: { seenOrHeard: 'Blåmerker.', whatWorriesMe: 'Mulig vold.' } },
            kari,
            T0,
            ladder,
          );
          const start = { type: 'start-ladder' as const, goals: [{ text: 'Mål', targetOn: isoDay(20) }], actions: [] };
          assert.equal(
            refused(run(ready, start, kari, T0, ladder), 'talk-to-parents-blocked-by-safety').detail?.next,
            'report-to-child-welfare',
            label,
          );
          continue;
        }
        const { c, now, move } = caseBefore(ladder, step.id);
        const raised = apply(c, { type: 'record-safety-answers', safety: suspected }, kari, now, ladder);
        if (move.outcome === 'a') {
          // "Better" would move onto (or stay on) a step that keeps contact with the parents.
          refused(run(raised, { type: 'record-evaluation', outcome: 'a' }, kari, now, ladder), 'talk-to-parents-blocked-by-safety');
        } else if (move.basis === 'parents-consent') {
          // The parents' no is recorded, but the case does not move onto a step that talks with them.
          const after = apply(
            raised,
            {
              type: 'record-consent-refusal',
              refusedBy: ['mother'],
              services: c.currentStep?.services ?? [],
              teams: [],
              refusedOn: dayOf(now),
            },
            kari,
            now,
            ladder,
          );
          assert.deepEqual([after.currentStep?.stepId, after.proposedStepId], [move.from, step.id], label);
        } else {
          const proposed = apply(raised, { type: 'record-evaluation', outcome: 'b' }, kari, now, ladder);
          const consented = step.sharesWithServices
            ? apply(proposed, consentCommand(servicesFor(step), now, true), kari, now, ladder)
            : proposed;
          refused(run(consented, fullEntry(ladder, step), kari, now, ladder), 'talk-to-parents-blocked-by-safety');
        }
      }
    }
    assert.ok(checked >= 15, `only ${checked} parent-conversation steps checked`);
  });

  it('rule 3: a step that shares identifying information with other services or a team requires a valid consent covering them; withdrawn or expired consent blocks it from that moment', () => {
    // Without consent: refused. With it: the leader can approve.
    const proposed = apply(buildScenarioCase('S2'), { type: 'record-evaluation', outcome: 'b' }, kari, day(73));
    const to3b = {
      type: 'request-escalation' as const,
      stepId: '3b',
      services: ['ppt', 'helsestasjon'],
      attestations: { parentsParticipate: true },
    };
    refused(run(proposed, to3b, kari, day(73)), 'consent-missing');
    const consented = apply(
      proposed,
      {
        type: 'record-consent',
        givenBy: ['mother', 'father'],
        services: ['ppt', 'helsestasjon'],
        teams: [],
        purpose: 'Samarbeid.',
        givenOn: isoDay(73),
        validUntil: isoDay(80),
        signedFormArchivedAt: 'Arkivmappe for samtykker',
      },
      kari,
      day(73),
    );
    const requested = apply(consented, to3b, kari, day(73));
    // Expired before the leader decides: blocked.
    refused(run(requested, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(81)), 'consent-expired');
    // Withdrawn: blocked from that moment, for steps, actions, meetings and team items alike.
    const s7 = buildScenarioCase('S7');
    refused(
      run(
        s7,
        { type: 'add-action', action: { what: 'Observasjon', who: { kind: 'service', serviceId: 'ppt' }, dueOn: isoDay(120) } },
        kari,
        day(91),
      ),
      'consent-missing',
    );
    refused(
      run(
        s7,
        {
          type: 'record-meeting',
          meeting: 'cooperation-meeting',
          conclusions: 'Referat',
          heldOn: isoDay(91),
          services: ['ppt'],
          parents: 'both',
          signByOwner: true,
        },
        kari,
        day(91),
      ),
      'consent-missing',
    );
    refused(run(s7, { type: 'record-evaluation', outcome: 'a' }, kari, day(91)), 'consent-missing');
    // The same on BTI: level 2 brings in one more service.
    const bti1 = readyToEvaluate(BTI, walkTo(BTI, '1'));
    const proposed2 = apply(bti1.case, { type: 'record-evaluation', outcome: 'b' }, kari, bti1.now, BTI);
    refused(run(proposed2, { type: 'enter-step', stepId: '2', services: ['ppt'] }, kari, bti1.now, BTI), 'consent-missing');

    // On every ladder, every step that shares with services.
    for (const ladder of LADDERS) {
      for (const step of ladder.steps.filter((s) => s.sharesWithServices !== null)) {
        const label = `${ladder.id} ${step.id}`;
        if (proposedSteps(ladder).includes(step)) {
          // Entering needs consent for the services (with the signed form where the step asks for it).
          const { c, now } = proposedCase(ladder, step);
          const entry = fullEntry(ladder, step);
          refused(run(c, entry, kari, now, ladder), 'consent-missing');
          if (stepRequiresSignedConsent(step))
            refused(
              run(apply(c, consentCommand(entry.services ?? [], now, false), kari, now, ladder), entry, kari, now, ladder),
              'signed-consent-missing',
            );
          accepted(run(apply(c, consentCommand(entry.services ?? [], now, true), kari, now, ladder), entry, kari, now, ladder));
        }
        // On the step: withdrawn or expired, the step's work stops from that moment.
        const walk = walkTo(ladder, step.id);
        const goal = {
          type: 'add-goal' as const,
          goal: { text: 'Nytt mål', targetOn: dayOf(new Date(walk.now.getTime() + 500 * 86_400_000)) },
        };
        accepted(run(walk.case, goal, kari, walk.now, ladder));
        let withdrawn = walk.case;
        for (const record of walk.case.consents) {
          if (record.kind === 'given')
            withdrawn = apply(withdrawn, { type: 'withdraw-consent', consentId: record.id, by: ['mother'] }, kari, walk.now, ladder);
        }
        assert.deepEqual(refused(run(withdrawn, goal, kari, walk.now, ladder), 'consent-missing').detail?.stepId, step.id, label);
        const expired = new Date(walk.now.getTime() + 400 * 86_400_000);
        refused(run(walk.case, goal, kari, expired, ladder), 'consent-expired');
        if (step.outcomes?.a === step.id)
          refused(run(withdrawn, { type: 'record-evaluation', outcome: 'a' }, kari, walk.now, ladder), 'consent-missing');
      }
    }
  });

  it('rule 4: escalations the ladder marks as needing leader approval happen only after the designated leader approves; a rejection keeps the case where it is, with the leader’s reason', () => {
    const c = pendingS3();
    assert.equal(c.currentStep?.stepId, '2b');
    refused(
      run(c, { type: 'enter-step', stepId: '3b', services: ['ppt'], attestations: { parentsParticipate: true } }, kari, day(73)),
      'leader-approval-required',
    );
    for (const notTheLeader of [kari, ola, anne, stranger]) {
      refused(
        run(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, notTheLeader, day(74)),
        'not-designated-leader',
      );
    }
    const rejected = apply(
      c,
      { type: 'decide-escalation', escalationId: 'esc-1', decision: 'reject', reason: 'Vent til neste evaluering.' },
      per,
      day(74),
    );
    assert.equal(rejected.currentStep?.stepId, '2b');
    const decision = rejected.escalations[0];
    assert.deepEqual(decision?.status === 'rejected' && [decision.decidedBy, decision.reason], [per, 'Vent til neste evaluering.']);
    const approved = apply(c, { type: 'decide-escalation', escalationId: 'esc-1', decision: 'approve' }, per, day(74));
    assert.equal(approved.currentStep?.stepId, '3b');

    // On every ladder, every step that waits for the leader (Aurskog-Høland 3b, BTI level 3; Åsnes has none).
    const approvalSteps = LADDERS.flatMap((ladder) =>
      ladder.steps.filter((s) => stepRequires(s, 'leader-approval')).map((step) => ({ ladder, step })),
    );
    assert.deepEqual(
      approvalSteps.map(({ ladder, step }) => `${ladder.id} ${step.id}`),
      ['aurskog-holand 3b', 'bti 3'],
    );
    for (const { ladder, step } of approvalSteps) {
      const { c: proposed, now } = proposedCase(ladder, step);
      const entry = fullEntry(ladder, step);
      const ready = apply(proposed, consentCommand(entry.services ?? [], now, true), kari, now, ladder);
      refused(run(ready, { ...entry, type: 'enter-step' }, kari, now, ladder), 'leader-approval-required');
      const waiting = apply(ready, entry, kari, now, ladder);
      const escalationId = waiting.escalations.at(-1)!.id;
      for (const notTheLeader of [kari, ola, anne, stranger]) {
        refused(
          run(waiting, { type: 'decide-escalation', escalationId, decision: 'approve' }, notTheLeader, now, ladder),
          'not-designated-leader',
        );
      }
      const kept = apply(waiting, { type: 'decide-escalation', escalationId, decision: 'reject', reason: 'Ikke ennå.' }, per, now, ladder);
      assert.equal(kept.currentStep?.stepId, proposed.currentStep?.stepId);
      assert.equal(
        apply(waiting, { type: 'decide-escalation', escalationId, decision: 'approve' }, per, now, ladder).currentStep?.stepId,
        step.id,
      );
    }
  });

  it('rule 5: anonymous discussion in a team needs no consent; named discussion does', () => {
    const c = buildScenarioCase('S6');
    assert.deepEqual(canBringToTeam(c, TEAM, 'anonymous', day(1)), { kind: 'allowed', mode: 'anonymous', consentIds: [] });
    assert.equal(refused(canBringToTeam(c, TEAM, 'named', day(1)) as never, 'consent-missing').detail?.missingTeams?.[0], TEAM);
    refused(
      run(
        c,
        { type: 'bring-to-team', teamId: TEAM, mode: 'named', questionId: 'other-services', note: 'Hvordan følger vi opp J.?' },
        lise,
        day(1),
      ),
      'consent-missing',
    );
    const consented = apply(
      c,
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
    const named = apply(
      consented,
      { type: 'bring-to-team', teamId: TEAM, mode: 'named', questionId: 'other-services', note: 'Hvordan følger vi opp J.?' },
      lise,
      day(1),
    );
    const item = named.teamItems.at(-1);
    assert.ok(item);
    // What the channel may show of it: the code, the question from the list, named — and never the alias or the note.
    const line = channelLineOf(named, item, day(2));
    assert.deepEqual(
      [line.kind, line.kind === 'case' && line.mode, line.kind === 'case' && line.questionId],
      ['case', 'named', 'other-services'],
    );
    assert.doesNotMatch(JSON.stringify(line), /J\.|Hvordan følger/);
    // The anonymous item never shows the alias either.
    const anonymous = c.teamItems[0];
    assert.ok(anonymous);
    assert.doesNotMatch(JSON.stringify(channelLineOf(c, anonymous, day(2))), /J\./);

    // The same on every ladder, wherever the case stands.
    for (const ladder of LADDERS) {
      for (const step of [ladder.steps[0]!, ladder.steps.at(-1)!]) {
        const walk = walkTo(ladder, step.id);
        const bring = (mode: 'anonymous' | 'named') => ({
          type: 'bring-to-team' as const,
          teamId: TEAM,
          mode,
          questionId: 'further-measures' as const,
        });
        accepted(run(walk.case, bring('anonymous'), kari, walk.now, ladder));
        refused(run(walk.case, bring('named'), kari, walk.now, ladder), 'consent-missing');
        const teamConsent = {
          type: 'record-consent' as const,
          givenBy: ['mother' as const],
          services: [],
          teams: [TEAM],
          purpose: 'Drøfting i team.',
          givenOn: dayOf(walk.now),
          validUntil: dayOf(walk.now),
        };
        accepted(run(apply(walk.case, teamConsent, kari, walk.now, ladder), bring('named'), kari, walk.now, ladder));
      }
    }
  });
});
