import { actionReminderCard, caseOverviewCard, evaluationCard, myCasesCard, nextStepCard, reminderCard } from '../../src/cards/case';
import { errorCard, refusalCard, teamIntroCard, welcomeCard } from '../../src/cards/common';
import type { AdaptiveCardJson } from '../../src/cards/guards';
import { showView } from '../../src/cards/payloads';
import {
  guideCard,
  noWorryCard,
  partACard,
  partBCard,
  partCCard,
  reportPathCard,
  stage1Card,
  uroStartCard,
  zoneCard,
  type CaseCardContext,
} from '../../src/cards/uro';
import { loadMunicipality } from '../../src/config';
import { infoCard } from '../../src/cards/notices';
import {
  bringToTeamCard,
  measuresCard,
  minutesFormCard,
  setupSavedCard,
  teamRhythmCard,
  teamSetupCard,
  topicCard,
} from '../../src/cards/teams';
import {
  actionCard,
  actionDoneCard,
  actionEditCard,
  closeCard,
  goalCard,
  meetingCard,
  reopenCard,
  rescheduleCard,
  signMeetingCard,
  voiceCard,
} from '../../src/cards/work';
import { walkTo } from './ladder-walk';
import { meetingsOf } from '../../src/domain/meeting-series';
import { sampleMeeting, samplePosts, sampleTeam } from './team-samples';
import {
  approvalCard,
  approvalNoAccessCard,
  consentCard,
  consentWithdrawCard,
  handoverCard,
  handoverOfferCard,
  leaderUnitsCard,
  stepEntryCard,
} from '../../src/cards/ladder';
import { PEOPLE } from '../../scripts/seed/scenarios';
import type { Case } from '../../src/domain/case';
import { buildScenarioCase, ehStage1Script, SCENARIO_START, seedCases } from '../../scripts/seed/scenarios';
import { runScript } from '../../scripts/seed/script';
import { loadLadder } from '../../src/domain/ladder';
import { findStep } from '../../src/domain/ladder-steps';
import { dayOf } from '../../src/domain/time';
import { uroPosition } from '../../src/domain/uro-progress';
import type { Locale } from '../../src/i18n';
import { reportCard } from '../../src/cards/report';
import { ACROSS_UNITS } from '../../src/domain/report/counters';
import { buildReport, type Report, type UnitPeriodCounters } from '../../src/domain/report/figures';
import { tertial } from '../../src/domain/report/period';
import type { Municipality } from '../../src/domain/municipality';

/**
 * Every card template with the data a user would plausibly see, rendered through the same
 * builder functions the bot uses. Each template in cards/ must appear here at least once
 * (a test enforces it), so a new card cannot skip the checks and the browser rendering.
 */

export type CardSample = { name: string; template: string; card: () => AdaptiveCardJson | Promise<AdaptiveCardJson> };

const ladder = loadLadder('aurskog-holand');
const municipality = loadMunicipality('config/municipality.local.json');
/** Two units as the directory gives them to someone who works in both. */
const twoUnits = municipality.units.map((unit) => ({ id: unit.id, name: unit.name, leaders: unit.leaders }));

/** Kari's E.H. case after the first `lines` steps of the URO flow (create, zone, A, B, C, stage 1). */
function ehAfter(lines: number): Case {
  return runScript(ladder, ehStage1Script().slice(0, lines)).case;
}

function ctx(c: Case, locale: Locale = 'nb'): CaseCardContext {
  return {
    locale,
    case: c,
    etag: '"00000000-0000-0000-sample-etag"',
    ladder,
    municipality,
    now: SCENARIO_START,
    today: dayOf(SCENARIO_START),
    timeZone: 'Europe/Oslo',
  };
}

/** The context a day after the case last changed (for cases further along than the start of the scenarios). */
function ctxAfter(c: Case, locale: Locale = 'nb'): CaseCardContext {
  const now = new Date(Date.parse(c.updatedAt) + 24 * 3600 * 1000);
  return { ...ctx(c, locale), now, today: dayOf(now) };
}

/** A case on 2b just entered (its open dialogue not yet recorded), and a closed one. */
const on2b = (): Case => walkTo(ladder, '2b', { start: SCENARIO_START }).case;
const closedS1 = (): Case => {
  const c = buildScenarioCase('S1');
  return runScript(
    ladder,
    [{ actor: PEOPLE.kari, now: new Date(Date.parse(c.updatedAt) + 40 * 86_400_000), command: { type: 'close-case', reason: 'resolved' } }],
    c,
  ).case;
};

/** A case opened with "someone is in danger now": the report path card with 112 and the emergency service first. */
const dangerNow = (): Case => {
  const create = ehStage1Script()[0]!;
  if (create.command.type !== 'create-case') throw new Error('the E.H. script starts by creating the case');
  return runScript(ladder, [{ ...create, command: { ...create.command, safety: { dangerNow: true, suspectedViolenceOrAbuse: false } } }])
    .case;
};

const noWorry = (): Case =>
  runScript(ladder, [ehStage1Script()[0]!, { ...ehStage1Script()[1]!, command: { type: 'place-in-zone', zoneId: 'none' } }]).case;

export const CARD_SAMPLES: CardSample[] = [
  {
    name: 'welcome-nb',
    template: 'welcome',
    card: () =>
      welcomeCard(
        'nb',
        [
          { verb: 'uro.new', title: 'Jeg er urolig for et barn' },
          { verb: 'cases.mine', title: 'Mine saker' },
        ],
        {
          text: 'Du holder på med UR-7K4Q: neste steg er del B – forbered samtalen.',
          button: 'Fortsett med UR-7K4Q',
          data: showView({ id: 'UR-7K4Q', unitId: 'solsikken-barnehage' }, 'next'),
        },
      ),
  },
  { name: 'welcome-en', template: 'welcome', card: () => welcomeCard('en', []) },
  { name: 'team-intro-nb', template: 'team-intro', card: () => teamIntroCard('nb') },
  { name: 'team-intro-group-chat-nb', template: 'team-intro', card: () => teamIntroCard('nb', 'group-chat') },
  { name: 'error-invalid-nb', template: 'error', card: () => errorCard('nb', 'invalid-payload', ['alias', 'verb']) },
  { name: 'error-store-nb', template: 'error', card: () => errorCard('nb', 'store-unavailable') },
  {
    name: 'error-refusal-nb',
    template: 'error',
    card: () => refusalCard('nb', 'Samtykke mangler: foreldrenes samtykke må dekke PPT, Helsestasjon.'),
  },
  {
    name: 'uro-1-start-nb',
    template: 'uro-start',
    // Someone working in two units chooses between those two ("Hvor jobber du?").
    card: () => uroStartCard({ locale: 'nb', units: twoUnits, unitId: 'solsikken-barnehage' }),
  },
  { name: 'uro-1-start-en', template: 'uro-start', card: () => uroStartCard({ locale: 'en', units: twoUnits.slice(0, 1) }) },
  { name: 'uro-2-report-path-nb', template: 'uro-report-path', card: () => reportPathCard(ctx(buildScenarioCase('S5'))) },
  { name: 'uro-2-report-path-danger-now-nb', template: 'uro-report-path', card: () => reportPathCard(ctx(dangerNow())) },
  { name: 'uro-2-report-path-from-flow-nb', template: 'uro-report-path', card: () => reportPathCard(ctx(ehAfter(3))) },
  { name: 'uro-3-zone-nb', template: 'uro-zone', card: () => zoneCard(ctx(ehAfter(1))) },
  { name: 'uro-3-zone-en', template: 'uro-zone', card: () => zoneCard(ctx(ehAfter(1), 'en')) },
  { name: 'uro-3-no-worry-nb', template: 'uro-no-worry', card: () => noWorryCard(ctx(noWorry())) },
  { name: 'uro-4-part-a-nb', template: 'worry-form', card: () => partACard(ctx(ehAfter(2))) },
  { name: 'uro-4-part-a-en', template: 'worry-form', card: () => partACard(ctx(ehAfter(2), 'en')) },
  { name: 'uro-5-part-b-nb', template: 'worry-form', card: () => partBCard(ctx(ehAfter(3))) },
  { name: 'uro-5-part-b-en', template: 'worry-form', card: () => partBCard(ctx(ehAfter(3), 'en')) },
  { name: 'uro-6-guide-nb', template: 'uro-guide', card: () => guideCard(ctx(ehAfter(4))) },
  { name: 'uro-6-guide-en', template: 'uro-guide', card: () => guideCard(ctx(ehAfter(4), 'en')) },
  { name: 'uro-7-part-c-nb', template: 'worry-form', card: () => partCCard(ctx(ehAfter(4))) },
  { name: 'uro-8-stage-1-nb', template: 'uro-stage-1', card: () => stage1Card(ctx(ehAfter(5))) },
  { name: 'uro-8-stage-1-en', template: 'uro-stage-1', card: () => stage1Card(ctx(ehAfter(5), 'en')) },
  {
    name: 'case-overview-nb',
    template: 'case-overview',
    card: () => caseOverviewCard(ctx(ehAfter(6)), { style: 'good', text: 'UR-7K4Q står nå på trinn 1. Evaluering: 2. oktober 2025.' }),
  },
  { name: 'evaluation-nb', template: 'evaluation', card: () => evaluationCard(ctx(ehAfter(6))) },
  { name: 'evaluation-2b-work-missing-nb', template: 'evaluation', card: () => evaluationCard(ctxAfter(on2b())) },
  { name: 'evaluation-3b-parents-answer-nb', template: 'evaluation', card: () => evaluationCard(ctxAfter(buildScenarioCase('S3'))) },
  {
    name: 'evaluation-check-in-2a-nb',
    template: 'evaluation',
    card: () => evaluationCard(ctxAfter(buildScenarioCase('S1')), { reminder: 'check-in' }),
  },
  { name: 'case-overview-2b-work-nb', template: 'case-overview', card: () => caseOverviewCard(ctxAfter(on2b())) },
  { name: 'case-overview-3b-nb', template: 'case-overview', card: () => caseOverviewCard(ctxAfter(buildScenarioCase('S3'))) },
  { name: 'case-overview-closed-nb', template: 'case-overview', card: () => caseOverviewCard(ctxAfter(closedS1())) },
  { name: 'case-overview-3b-en', template: 'case-overview', card: () => caseOverviewCard(ctxAfter(buildScenarioCase('S3'), 'en')) },
  { name: 'work-meeting-open-dialogue-nb', template: 'case-form', card: () => meetingCard(ctxAfter(on2b()), 'open-dialogue') },
  {
    name: 'work-meeting-cooperation-nb',
    template: 'case-form',
    card: () => meetingCard(ctxAfter(buildScenarioCase('S3')), 'cooperation-meeting'),
  },
  { name: 'work-sign-meeting-nb', template: 'case-form', card: () => signMeetingCard(ctxAfter(buildScenarioCase('S2')), 'meeting-1') },
  { name: 'work-goal-nb', template: 'case-form', card: () => goalCard(ctxAfter(buildScenarioCase('S2'))) },
  { name: 'work-action-nb', template: 'case-form', card: () => actionCard(ctxAfter(buildScenarioCase('S3'))) },
  { name: 'work-action-done-nb', template: 'case-form', card: () => actionDoneCard(ctxAfter(buildScenarioCase('S2')), 'action-1') },
  { name: 'work-action-edit-nb', template: 'case-form', card: () => actionEditCard(ctxAfter(buildScenarioCase('S2')), 'action-1') },
  { name: 'work-voice-nb', template: 'case-form', card: () => voiceCard(ctxAfter(buildScenarioCase('S2'))) },
  { name: 'work-voice-en', template: 'case-form', card: () => voiceCard(ctxAfter(buildScenarioCase('S2'), 'en')) },
  { name: 'work-reschedule-nb', template: 'case-form', card: () => rescheduleCard(ctxAfter(buildScenarioCase('S2'))) },
  { name: 'work-close-nb', template: 'case-form', card: () => closeCard(ctxAfter(buildScenarioCase('S1')), 'Europe/Oslo') },
  { name: 'work-reopen-nb', template: 'case-form', card: () => reopenCard(ctxAfter(closedS1())) },
  {
    name: 'next-step-2b-nb',
    template: 'next-step',
    card: () => nextStepCard(ctx(buildScenarioCase('S2')), findStep(ladder, '3b')!),
  },
  {
    name: 'my-cases-nb',
    template: 'case-list',
    card: () =>
      myCasesCard(
        'nb',
        () => ladder,
        seedCases(SCENARIO_START).map((c) => ({ case: c, position: uroPosition(c, ladder), offered: false })),
      ),
  },
  { name: 'my-cases-empty-nb', template: 'case-list', card: () => myCasesCard('nb', () => ladder, []) },
  { name: 'reminder-part-c-nb', template: 'reminder', card: () => reminderCard('nb', ehAfter(4)) },
  {
    name: 'reminder-action-overdue-nb',
    template: 'reminder',
    card: () => actionReminderCard('nb', buildScenarioCase('S2'), buildScenarioCase('S2').actions.at(-1)!),
  },
  { name: 'reminder-evaluation-day-nb', template: 'evaluation', card: () => evaluationCard(ctx(ehAfter(6)), { reminder: 'evaluation' }) },
  {
    name: 'ladder-enter-2b-nb',
    template: 'step-entry',
    card: () => stepEntryCard(ctx(buildScenarioCase('S1')), findStep(ladder, '2b')!, []),
  },
  {
    name: 'ladder-request-3b-nb',
    template: 'step-entry',
    card: () => stepEntryCard(ctx(buildScenarioCase('S2')), findStep(ladder, '3b')!, [PEOPLE.anne]),
  },
  { name: 'approval-leader-nb', template: 'approval', card: () => approval('leader', 'S3pending') },
  { name: 'approval-owner-nb', template: 'approval', card: () => approval('owner', 'S3pending') },
  { name: 'approval-decided-nb', template: 'approval', card: () => approval('status', 'S3') },
  /** What approval.refresh answers anyone but the leader and the owner. */
  { name: 'approval-stranger-nb', template: 'error', card: () => approvalNoAccessCard('nb') },
  {
    name: 'leader-units-nb',
    template: 'case-list',
    card: () =>
      leaderUnitsCard(
        'nb',
        seedCases(SCENARIO_START).filter((c) => c.nearestLeader.id === PEOPLE.per.id && c.status !== 'closed'),
        () => ladder,
      ),
  },
  {
    name: 'leader-units-page-2-nb',
    template: 'case-list',
    card: () =>
      leaderUnitsCard('nb', seedCases(SCENARIO_START).slice(0, 3), () => ladder, {
        page: 2,
        pages: 4,
        total: 40,
        size: 12,
        next: (page) => ({ verb: 'leader.units', page }),
      }),
  },
  { name: 'leader-units-empty-nb', template: 'case-list', card: () => leaderUnitsCard('nb', [], () => ladder) },
  { name: 'consent-nb', template: 'consent', card: () => consentCard(ctx(buildScenarioCase('S3')), 15) },
  { name: 'consent-withdraw-nb', template: 'consent-withdraw', card: () => consentWithdrawCard(ctx(buildScenarioCase('S3')), 'consent-1') },
  { name: 'handover-nb', template: 'handover', card: () => handoverCard(ctx(buildScenarioCase('S1')), [PEOPLE.anne], 'offer') },
  {
    // A large unit in Teams: a search field answered by the bot (Data.Query), the first names shown before typing.
    name: 'handover-search-nb',
    template: 'handover',
    card: () =>
      handoverCard(ctx(buildScenarioCase('S1')), [PEOPLE.anne, PEOPLE.nina, PEOPLE.tor], 'reassign', {
        dataset: 'colleagues:solsikken-barnehage',
        first: 2,
      }),
  },
  { name: 'handover-offer-nb', template: 'notice', card: () => handoverOfferCard('nb', buildScenarioCase('S8'), ladder) },
  {
    name: 'team-setup-nb',
    template: 'form',
    card: () =>
      teamSetupCard({ locale: 'nb', team: sampleTeam(), municipality, me: PEOPLE.ola, today: '2026-03-02', scheduleKind: 'cadence' }),
  },
  { name: 'team-setup-rhythm-nb', template: 'form', card: () => teamRhythmCard('nb', sampleTeam()) },
  {
    name: 'team-setup-dates-nb',
    template: 'form',
    card: () =>
      teamSetupCard({ locale: 'nb', team: sampleTeam(), municipality, me: PEOPLE.ola, today: '2026-03-02', scheduleKind: 'dates' }),
  },
  {
    name: 'team-saved-nb',
    template: 'team-post',
    card: () =>
      setupSavedCard('nb', sampleTeam(), new Date('2026-03-16T13:00:00Z'), {
        skipped: [
          { meetingId: '2026-03-17-0900', kind: 'call-for-cases' },
          { meetingId: '2026-03-17-0900', kind: 'agenda' },
        ],
        movedChannel: false,
      }),
  },
  { name: 'team-topic-nb', template: 'form', card: () => topicCard('nb', sampleTeam(), meetingsOf(sampleTeam().series!)) },
  {
    name: 'team-bring-nb',
    template: 'form',
    card: () =>
      bringToTeamCard('nb', buildScenarioCase('S6'), '"etag"', [{ team: sampleTeam(), meetings: meetingsOf(sampleTeam().series!) }]),
  },
  // What the channel really gets: the real composers, run over a seeded team at each post's due time.
  { name: 'team-call-for-cases-nb', template: 'team-post', card: async () => (await samplePosts()).callForCases },
  { name: 'team-agenda-nb', template: 'team-post', card: async () => (await samplePosts()).agenda },
  { name: 'team-minutes-post-nb', template: 'team-post', card: async () => (await samplePosts()).minutes },
  {
    name: 'team-minutes-form-nb',
    template: 'form',
    card: () =>
      minutesFormCard(
        'nb',
        sampleTeam(),
        meetingsOf(sampleTeam().series!)[0]!,
        sampleMeeting().items.map((item) => ({
          item,
          note: item.kind === 'case' && item.caseId === 'UR-5QMB' ? 'Foreldrene ønsker at helsesykepleier deltar neste gang.' : null,
        })),
      ),
  },
  {
    name: 'team-measures-nb',
    template: 'team-post',
    card: () =>
      measuresCard(
        'nb',
        { id: 'UR-4HNW', unitId: 'bjorkelangen-skole' },
        'tirsdag 17. mars 2026',
        { known: 'Trekker seg unna i friminutt.', nextOn: '2026-04-28' },
        [{ what: 'Fast voksen i friminuttene', who: 'Kontaktlærer', dueOn: '2026-04-14' }],
        { text: 'Deltar i lek med andre i 3 av 5 friminutt', targetOn: '2026-04-28' },
      ),
  },
  {
    name: 'notice-report-made-nb',
    template: 'notice',
    card: () => {
      const c = buildScenarioCase('S5');
      return infoCard('nb', c, { personId: c.nearestLeader.id, about: 'report-made' }, ladder);
    },
  },
  { name: 'report-coordinator-nb', template: 'report', card: () => reportCard(sampleReport('municipality'), sampleMunicipality(), 'nb') },
  { name: 'report-leader-nb', template: 'report', card: () => reportCard(sampleReport('units'), sampleMunicipality(), 'nb') },
];

/** The approval card as each viewer gets it: S3 with the request still pending, or decided. */
function approval(view: 'leader' | 'owner' | 'status', scenario: 'S3' | 'S3pending'): AdaptiveCardJson {
  const full = buildScenarioCase('S3');
  const decided = full.escalations[0]!;
  const c: Case = scenario === 'S3' ? full : { ...full, escalations: [{ ...decided, status: 'pending' }] };
  return approvalCard({
    locale: 'nb',
    case: c,
    escalation: c.escalations[0]!,
    ladder,
    timeZone: 'Europe/Oslo',
    view,
    refreshUserIds: ['29:per', '29:kari'],
  });
}

/** A report over synthetic counters of three units: enough cases that not everything is "under 5". */
function sampleReport(scope: 'municipality' | 'units'): Report {
  const units = ['solsikken-barnehage', 'bjorkelangen-skole', 'loken-skole'];
  const counters = (scale: number): UnitPeriodCounters[] =>
    units.map((unitId, i) => ({
      unitId,
      flows: {
        new: (12 - 3 * i) * scale,
        'move.up': 7 - i,
        'move.down': 1,
        'outcome.1.a': 6,
        'outcome.1.b': 4 + i,
        'report.from.none': i,
        'consent.given': 6,
        'team-meeting.held': 4 - i,
        'team-meeting.items.anonymous': 9 - 2 * i,
        'team-meeting.items.named': 5 + i,
      },
      state: {
        'open.1': 9 - 2 * i,
        'open.2a': 3 + i,
        'open.2b': 6,
        'open.3b': 2 * i,
        'evaluation-due.2026-02-01': 2 + i,
        'no-child-voice': 5,
      },
    }));
  return buildReport({
    scope: scope === 'municipality' ? { kind: 'municipality' } : { kind: 'units', unitIds: units.slice(0, 1) },
    ladder,
    period: tertial('2026-T1'),
    today: '2026-03-10',
    rules: { threshold: 5, approvalLimitWorkingDays: 3, handoverLimitDays: 7 },
    units: scope === 'municipality' ? counters(1) : counters(1).slice(0, 1),
    // An oppvekstforum across units: the municipality's report only.
    ...(scope === 'municipality'
      ? {
          acrossUnits: {
            unitId: ACROSS_UNITS,
            flows: { 'team-meeting.held': 3, 'team-meeting.items.anonymous': 6, 'team-meeting.items.named': 2 },
            state: {},
          },
        }
      : {}),
    trend: ['2025-T2', '2025-T3', '2026-T1'].map((id, k) => ({
      period: tertial(id),
      units: scope === 'municipality' ? counters(k + 1) : counters(k + 1).slice(0, 1),
    })),
  });
}

function sampleMunicipality(): Municipality {
  const m = loadMunicipality('config/municipality.local.json');
  return {
    ...m,
    units: [...m.units, { id: 'loken-skole', name: 'Løken skole', kind: 'school', leaders: [{ id: 'aad-x', name: 'X' }], staff: [] }],
  };
}
