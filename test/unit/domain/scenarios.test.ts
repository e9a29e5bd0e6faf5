import assert from 'node:assert/strict';
import { authorize } from '../../../src/domain/access';
import type { Accepted } from '../../../src/domain/decide';
import {
  ehStage1Script,
  s1Script,
  s2Script,
  s3Script,
  s4Script,
  s5Script,
  s6Script,
  s7Script,
  s8Script,
  TEAMS,
} from '../../../scripts/seed/scenarios';
import { runScript } from '../../../scripts/seed/script';
import { canBringToTeam } from '../../../src/domain/rules';
import { caseSummary } from '../../../src/domain/views';
import { accepted, AH, anne, apply, channelLineOf, day, isoDay, kari, lise, ola, per, refused, run } from './support';

const notices = (decisions: readonly Accepted[]) => decisions.flatMap((d) => d.notify);

describe('scenarios (../shared/scenarios.md)', () => {
  it('S1 — grey zone, better after stage 1: 2a with a check-in date, the leader not informed, nothing in any channel', () => {
    const { case: c, decisions } = runScript(AH, s1Script());
    assert.equal(c.alias, 'E.H.');
    assert.deepEqual(
      c.zoneHistory.map((z) => z.zoneId),
      ['grey', 'grey'],
    );
    assert.ok(c.worryForm.partA?.answers.seenOrHeard.includes('samlingsstunden'));
    assert.equal(c.goals[0]?.text, 'E.H. deltar i samlingsstunden 3 av 5 dager innen 4 uker');
    const note = c.notes.find((n) => n.kind === 'cooperation-start');
    assert.equal(note?.heldOn, isoDay(3));
    assert.deepEqual(
      note?.signatures.map((s) => s.kind === 'staff' && s.person.name),
      ['Kari Nordmann'],
    );
    assert.equal(c.currentStep?.stepId, '2a');
    assert.equal(c.status, 'monitoring');
    assert.equal(c.nextDates.checkInOn, isoDay(73));
    assert.deepEqual(
      notices(decisions).filter((n) => n.to === 'leader'),
      [],
      'Per is not informed before 2b',
    );
    assert.deepEqual(c.teamItems, [], 'nothing is posted in any channel');
  });

  it('S2 — not better: 2b with both parents invited, at most two months, and Per gets an information card without Kari’s notes', () => {
    const proposed = runScript(AH, [...ehStage1Script(), ...s2Script().slice(ehStage1Script().length, -2)]).case;
    assert.equal(proposed.proposedStepId, '2b');
    const tooLate = refused(
      run(
        proposed,
        { type: 'enter-step', stepId: '2b', attestations: { bothParentsInvited: true }, evaluationOn: isoDay(31 + 61) },
        kari,
        day(31),
      ),
      'evaluation-too-late',
    );
    assert.equal(tooLate.detail?.latestAllowed, isoDay(91));
    const { case: c, decisions } = runScript(AH, s2Script());
    assert.equal(c.currentStep?.stepId, '2b');
    const dialogue = c.meetings.find((m) => m.kind === 'open-dialogue');
    assert.ok(
      dialogue && dialogue.parents === 'both' && dialogue.conclusions.includes('Konklusjon'),
      'the open dialogue with both parents, with its minutes',
    );
    assert.ok(c.actions.some((a) => a.who.kind === 'parents' && a.dueOn === isoDay(73)));
    const toPer = notices(decisions).filter((n) => n.to === 'leader');
    assert.deepEqual(toPer, [{ to: 'leader', personId: per.id, about: 'step-changed', ref: '2b' }]);
    assert.deepEqual(caseSummary(c), { caseId: 'UR-7K4Q', alias: 'E.H.', stepId: '2b', status: 'open', nextDate: isoDay(73) });
  });

  it('S3 — 3b needs consent and Per’s approval: refused without consent, approved with it, and a signed cooperation meeting', () => {
    const beforeConsent = runScript(AH, s3Script().slice(0, s2Script().length + 1)).case;
    const missing = refused(
      run(
        beforeConsent,
        { type: 'request-escalation', stepId: '3b', services: ['ppt', 'helsestasjon'], attestations: { parentsParticipate: true } },
        kari,
        day(73),
      ),
      'consent-missing',
    );
    assert.deepEqual(missing.detail?.missingServices, ['ppt', 'helsestasjon']);
    const { case: c, decisions } = runScript(AH, s3Script());
    const [request, approval] = decisions.slice(s2Script().length + 2, s2Script().length + 4);
    assert.deepEqual(request?.notify, [{ to: 'leader', personId: per.id, about: 'approval-requested', ref: 'esc-1' }]);
    assert.deepEqual(approval?.notify, [{ to: 'owner', personId: kari.id, about: 'escalation-decided', ref: 'esc-1' }]);
    assert.equal(c.currentStep?.stepId, '3b');
    const consent = c.consents[0];
    assert.equal(consent?.kind === 'given' && consent.validUntil, isoDay(73 + 365));
    const meeting = c.meetings.find((m) => m.kind === 'cooperation-meeting');
    assert.equal(meeting?.parents, 'both');
    assert.ok(meeting?.archived, 'where the signed minutes are archived');
    assert.deepEqual(
      meeting?.signatures.map((s) => s.kind),
      ['staff', 'parents'],
    );
  });

  it('S4 — the parents refuse at 3b: 4b, the duty to report explained, and Kari’s report needs no approval (Per informed)', () => {
    const { case: c, decisions } = runScript(AH, s4Script());
    const [refusal, report] = decisions.slice(-2);
    assert.ok(refusal?.notify.some((n) => n.to === 'owner' && n.about === 'consent-refused'));
    assert.equal(refusal?.case.currentStep?.stepId, '4b');
    assert.deepEqual(report?.notify, [{ to: 'leader', personId: per.id, about: 'report-made', ref: 'report-1' }]);
    assert.equal(c.status, 'reported');
    assert.deepEqual(
      c.reports.map((r) => r.kind === 'child-welfare' && [r.reportedBy.id, r.leaderInvolved]),
      [[kari.id, true]],
    );
    assert.equal(c.escalations.length, 1, 'no approval was asked for the report');
  });

  it('S5 — violence suspected from the start: the direct report path within two commands, "reported", Ola informed, never a parent conversation', () => {
    const lines = s5Script();
    assert.equal(lines.length, 2);
    const { case: c, decisions } = runScript(AH, lines);
    assert.deepEqual(
      decisions[0]?.notify.map((n) => n.about),
      ['direct-report-guidance'],
    );
    assert.deepEqual(decisions[1]?.notify, [{ to: 'leader', personId: ola.id, about: 'report-made', ref: 'report-1' }]);
    assert.equal(c.status, 'reported');
    for (const attempt of [
      { type: 'record-part-b' as const, answers: { talkWith: 'both-parents' as const, opening: 'Hei' } },
      { type: 'add-note' as const, kind: 'parent-conversation' as const, text: 'x', heldOn: isoDay(0), signByOwner: true },
      {
        type: 'start-ladder' as const,
        goals: [{ text: 'x', targetOn: isoDay(9) }],
        actions: [],
        parentNote: { heldOn: isoDay(0), text: 'x' },
      },
    ]) {
      assert.equal(refused(run(c, attempt, lise, day(1)), 'talk-to-parents-blocked-by-safety').detail?.next, 'report-to-child-welfare');
    }
  });

  it('S6 — anonymous in the team (code, a question from the fixed list, time slot — no alias, never the note), named only with consent', () => {
    const { case: c } = runScript(AH, s6Script());
    const item = c.teamItems[0];
    assert.ok(item);
    assert.equal(item.meetingOn, isoDay(7));
    const entry = channelLineOf(c, item, day(1));
    assert.deepEqual(entry, {
      kind: 'case',
      n: 1,
      itemId: 'case-UR-4HNW',
      caseId: 'UR-4HNW',
      minutes: 90,
      owner: c.owner.name,
      mode: 'anonymous',
      questionId: 'further-measures',
    });
    assert.ok(!JSON.stringify(entry).includes('J.'));
    assert.ok(!JSON.stringify(entry).includes('fravær'), 'the owner’s note is not part of what a channel may show');
    refused(
      run(
        c,
        { type: 'bring-to-team', teamId: TEAMS.bjorkelangen.id, mode: 'named', questionId: 'other-services', note: 'Drøfting av J.' },
        lise,
        day(1),
      ),
      'consent-missing',
    );
  });

  it('S7 — consent withdrawn: from that moment every step and team item that shares about E.H. is blocked, and Kari is told why', () => {
    const { case: c, decisions } = runScript(AH, s7Script());
    assert.deepEqual(
      decisions.at(-1)?.notify.map((n) => `${n.to}:${n.about}`),
      ['owner:consent-withdrawn', 'owner:sharing-blocked'],
    );
    refused(
      run(
        c,
        {
          type: 'record-meeting',
          meeting: 'cooperation-meeting',
          conclusions: 'Referat',
          heldOn: isoDay(90),
          services: ['ppt'],
          parents: 'both',
          signByOwner: true,
        },
        kari,
        day(90),
      ),
      'consent-missing',
    );
    refused(run(c, { type: 'record-evaluation', outcome: 'a' }, kari, day(90)), 'consent-missing');
    refused(
      run(
        c,
        { type: 'add-action', action: { what: 'Observasjon', who: { kind: 'service', serviceId: 'helsestasjon' }, dueOn: isoDay(100) } },
        kari,
        day(90),
      ),
      'consent-missing',
    );
    // A team whose consent came from the withdrawn form loses it as well.
    const withTeam = apply(
      runScript(AH, s3Script()).case,
      {
        type: 'record-consent',
        givenBy: ['mother'],
        services: [],
        teams: ['solsikken-team'],
        purpose: 'Drøfting i team.',
        givenOn: isoDay(80),
        validUntil: isoDay(200),
      },
      kari,
      day(80),
    );
    assert.equal(canBringToTeam(withTeam, 'solsikken-team', 'named', day(85)).kind, 'allowed');
    const withdrawn = apply(withTeam, { type: 'withdraw-consent', consentId: 'consent-2', by: ['mother'] }, kari, day(90));
    refused(canBringToTeam(withdrawn, 'solsikken-team', 'named', day(90)) as never, 'consent-missing');
    const item = apply(
      withTeam,
      { type: 'bring-to-team', teamId: 'solsikken-team', mode: 'named', questionId: 'further-measures', note: 'E.H.: neste steg?' },
      kari,
      day(85),
    ).teamItems[0];
    assert.ok(item);
    assert.deepEqual(channelLineOf(withdrawn, item, day(90)), {
      kind: 'withheld',
      n: 1,
      itemId: 'case-UR-7K4Q',
      caseId: 'UR-7K4Q',
      reason: 'consent-missing',
    });
  });

  it('S8 — the baton: Kari stays stafettholder until Anne accepts; Anne declining leaves Kari as owner', () => {
    const { case: offered } = runScript(AH, s8Script());
    assert.equal(offered.owner.id, kari.id);
    assert.equal(offered.pendingHandover?.to.name, 'Anne Vik');
    const declined = accepted(run(offered, { type: 'decline-handover' }, anne, day(41)));
    assert.equal(declined.case.owner.id, kari.id);
    const taken = accepted(run(offered, { type: 'accept-handover' }, anne, day(41)));
    assert.equal(taken.case.owner.id, anne.id);
    assert.equal(authorize(taken.case, { id: kari.id }, 'read', day(41)).kind, 'denied');
  });
});
