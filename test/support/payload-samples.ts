import type { ExecuteVerb, Verb } from '../../src/cards/payloads';

/**
 * One valid payload for every card verb — what a real card sends, with inputs filled in — for
 * the fuzz test to start its mutations from. A verb added to src/cards/payloads.ts without a
 * sample here fails the fuzz test's coverage check: add one.
 */

/** Where the samples point: a real case (with its current ETag), a pending escalation, a team and meeting. */
export type SampleRefs = {
  caseId: string;
  unitId: string;
  rev: string;
  escalationId: string;
  consentId: string;
  teamId: string;
  meetingId: string;
  colleagueId: string;
};

export function submitSamples(r: SampleRefs): Record<Verb, Record<string, unknown>> {
  const onCase = { caseId: r.caseId, unitId: r.unitId, rev: r.rev };
  const ref = { caseId: r.caseId, unitId: r.unitId };
  return {
    'welcome.show': { verb: 'welcome.show' },
    'flow.cancel': { verb: 'flow.cancel', ...ref },
    'cases.mine': { verb: 'cases.mine' },
    'uro.new': { verb: 'uro.new' },
    'uro.start': { verb: 'uro.start', dangerNow: 'no', suspectedViolenceOrAbuse: 'no', unitId: r.unitId, leaderId: '' },
    'uro.show': { verb: 'uro.show', ...ref, view: 'next' },
    'ladder.request': {
      verb: 'ladder.request',
      ...onCase,
      stepId: '3b',
      services: 'ppt,helsestasjon',
      bothParentsInvited: '',
      parentsParticipate: 'true',
      coordinatorId: '',
      evaluationOn: '',
      justification: 'Ingen bedring.',
    },
    'ladder.enter': {
      verb: 'ladder.enter',
      ...onCase,
      stepId: '2b',
      services: '',
      bothParentsInvited: 'true',
      parentsParticipate: '',
      coordinatorId: '',
      evaluationOn: '2026-04-20',
    },
    'consent.record': {
      verb: 'consent.record',
      ...onCase,
      givenBy: 'mother,father',
      services: 'ppt',
      purpose: 'Samarbeid om tiltak',
      givenOn: '2026-03-02',
      validUntil: '2027-03-01',
      archivedAt: '',
      childOfAge: 'no',
    },
    'consent.refuse': {
      verb: 'consent.refuse',
      ...onCase,
      givenBy: 'mother',
      services: 'ppt',
      purpose: '',
      givenOn: '2026-03-02',
      validUntil: '',
      archivedAt: '',
    },
    'consent.withdraw-form': { verb: 'consent.withdraw-form', ...ref, consentId: r.consentId },
    'consent.withdraw': { verb: 'consent.withdraw', ...onCase, consentId: r.consentId, by: 'mother,father' },
    'baton.offer': { verb: 'baton.offer', ...onCase, to: r.colleagueId },
    'baton.reassign': { verb: 'baton.reassign', ...onCase, to: r.colleagueId },
    'baton.withdraw': { verb: 'baton.withdraw', ...onCase },
    'baton.accept': { verb: 'baton.accept', ...ref },
    'baton.decline': { verb: 'baton.decline', ...ref },
    'baton.view': { verb: 'baton.view', ...ref },
    'team.setup-form': { verb: 'team.setup-form', teamId: r.teamId, scheduleKind: 'cadence' },
    'team.setup-cancel': { verb: 'team.setup-cancel', teamId: r.teamId },
    'team.setup': {
      verb: 'team.setup',
      teamId: r.teamId,
      name: 'Tverrfaglig team',
      kind: 'interdisciplinary',
      unitId: r.unitId,
      scheduleKind: 'cadence',
      everyWeeks: '4',
      weekday: 'wednesday',
      start: '14:00',
      end: '15:30',
      from: '2026-03-04',
      until: '',
      dates: '',
      leadId: '',
      roles: 'PPT,helsesykepleier',
      callDays: '7',
      ownerDays: '2',
      agendaDays: '1',
    },
    'team.topic-form': { verb: 'team.topic-form', teamId: r.teamId },
    'team.topic': { verb: 'team.topic', teamId: r.teamId, meetingId: r.meetingId, topic: 'Rutiner ved fravær' },
    'team.bring': {
      verb: 'team.bring',
      ...onCase,
      meeting: `${r.teamId}|${r.meetingId}`,
      mode: 'anonymous',
      questionId: 'further-measures',
      note: 'Økende fravær.',
    },
    'team.minutes-form': { verb: 'team.minutes-form', teamId: r.teamId, meetingId: r.meetingId },
    'team.remove-topic': { verb: 'team.remove-topic', teamId: r.teamId, meetingId: r.meetingId, itemId: 'topic-1' },
    'team.withdraw': { verb: 'team.withdraw', ...ref, teamId: r.teamId, meetingId: r.meetingId },
    'team.close-meeting': { verb: 'team.close-meeting', teamId: r.teamId, meetingId: r.meetingId },
    'team.minutes': {
      verb: 'team.minutes',
      teamId: r.teamId,
      meetingId: r.meetingId,
      items: '',
      present: '',
      item1Known: 'Kort om saken.',
      item1Next: 'Ny drøfting om fire uker.',
    },
    'team.add-measures': {
      verb: 'team.add-measures',
      ...ref,
      measures: JSON.stringify([{ what: 'Faste samtaler', who: 'Kontaktlærer', dueOn: '2026-04-01' }]),
    },
    'case.export': { verb: 'case.export', ...ref },
    'leader.approvals': { verb: 'leader.approvals' },
    'leader.units': { verb: 'leader.units' },
    'report.show': { verb: 'report.show', tertial: '2026-T1' },
    'report.xlsx': { verb: 'report.xlsx', from: '2026-01', to: '2026-04' },
    'leader.open': { verb: 'leader.open', ...ref, escalationId: r.escalationId },
    'leader.case': { verb: 'leader.case', ...ref },
    'leader.reassign-form': { verb: 'leader.reassign-form', ...ref },
    'uro.report': { verb: 'uro.report', ...onCase, done: 'reported', leaderInvolved: 'false' },
    'uro.zone': { verb: 'uro.zone', ...onCase, zoneId: 'grey' },
    'uro.close': { verb: 'uro.close', ...onCase, why: 'no-worry' },
    'uro.suspect': { verb: 'uro.suspect', ...ref },
    'uro.part-a': {
      verb: 'uro.part-a',
      ...onCase,
      alias: 'E.H.',
      seenOrHeard: 'Trøtt.',
      childSaidOrDid: '',
      situations: '',
      sinceWhen: '',
      howOften: '',
      whatWorriesMe: 'Brått.',
      copesWellWhere: '',
    },
    'uro.part-b': {
      verb: 'uro.part-b',
      ...onCase,
      talkWith: 'both-parents',
      whyNotBoth: '',
      othersAttending: '',
      noteTaker: '',
      opening: 'Jeg har lagt merke til noe.',
      hopeFor: '',
      fear: '',
      helpWeCanOffer: '',
      askOfParents: '',
      plannedOn: '2026-03-04',
    },
    'uro.part-c': {
      verb: 'uro.part-c',
      ...onCase,
      heldOn: '2026-03-02',
      howItWent: 'Godt.',
      whatTheySaid: '',
      whatWasAgreed: '',
      feelingNow: '',
      worryNowZoneId: '',
    },
    'uro.stage-1': {
      verb: 'uro.stage-1',
      ...onCase,
      goal1Text: 'Deltar i samlingsstunden',
      goal1Date: '2026-03-30',
      goal2Text: '',
      goal2Date: '',
      goal3Text: '',
      goal3Date: '',
      action1What: '',
      action1Who: 'me',
      action1Due: '',
      action2What: '',
      action2Who: 'me',
      action2Due: '',
      action3What: '',
      action3Who: 'me',
      action3Due: '',
      evaluationOn: '2026-03-30',
      noteHeldOn: '2026-03-02',
      noteText: 'Kort samtale.',
      sign: 'true',
    },
    'case.evaluation': { verb: 'case.evaluation', ...onCase, outcome: 'a', comment: '', nextOn: '2026-05-04' },
  };
}

export function executeSamples(r: SampleRefs): Record<ExecuteVerb, Record<string, unknown>> {
  return {
    'approval.decide': { caseId: r.caseId, unitId: r.unitId, escalationId: r.escalationId, decision: 'approve', comment: '' },
    'approval.refresh': { caseId: r.caseId, unitId: r.unitId, escalationId: r.escalationId },
    'team.minutes-form': { teamId: r.teamId, meetingId: r.meetingId },
  };
}
