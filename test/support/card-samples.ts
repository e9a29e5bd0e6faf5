import { caseOverviewCard, evaluationCard, myCasesCard, nextStepCard, reminderCard } from '../../src/cards/case';
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
import { infoCard } from '../../src/workflow/composers';
import { bringToTeamCard, measuresCard, minutesFormCard, setupSavedCard, teamPost, teamSetupCard, topicCard } from '../../src/cards/teams';
import { MeetingSeriesSchema, meetingsOf } from '../../src/domain/meeting-series';
import type { Team } from '../../src/store/teams';
import { approvalCard, consentCard, consentWithdrawCard, handoverCard, handoverOfferCard, stepEntryCard } from '../../src/cards/ladder';
import { PEOPLE } from '../../src/domain/fixtures/scenarios';
import type { Case } from '../../src/domain/case';
import { buildScenarioCase, ehStage1Script, SCENARIO_START, seedCases } from '../../src/domain/fixtures/scenarios';
import { runScript } from '../../src/domain/fixtures/script';
import { loadLadder } from '../../src/domain/ladder';
import { findStep } from '../../src/domain/ladder-steps';
import { dayOf } from '../../src/domain/time';
import { uroPosition } from '../../src/domain/uro-progress';
import type { Locale } from '../../src/i18n';

/**
 * Every card template with the data a user would plausibly see, rendered through the same
 * builder functions the bot uses. Each template in cards/ must appear here at least once
 * (a test enforces it), so a new card cannot skip the checks and the browser rendering.
 */
export type CardSample = { name: string; template: string; card: () => AdaptiveCardJson };

const ladder = loadLadder('aurskog-holand');
const municipality = loadMunicipality('config/municipality.local.json');

/** Kari's E.H. case after the first `lines` steps of the URO flow (create, zone, A, B, C, stage 1). */
function ehAfter(lines: number): Case {
  return runScript(ladder, ehStage1Script().slice(0, lines)).case;
}

function ctx(c: Case, locale: Locale = 'nb'): CaseCardContext {
  return { locale, case: c, etag: '"00000000-0000-0000-sample-etag"', ladder, municipality, today: dayOf(SCENARIO_START) };
}

const noWorry = (): Case => runScript(ladder, [ehStage1Script()[0]!, { ...ehStage1Script()[1]!, command: { type: 'place-in-zone', zoneId: 'none' } }]).case;

export const CARD_SAMPLES: CardSample[] = [
  {
    name: 'welcome-nb',
    template: 'welcome',
    card: () =>
      welcomeCard('nb', [{ verb: 'uro.new', title: 'Jeg er urolig for et barn' }, { verb: 'cases.mine', title: 'Mine saker' }], {
        text: 'Du holder på med UR-7K4Q: neste steg er del B – forbered samtalen.',
        button: 'Fortsett med UR-7K4Q',
        data: showView({ id: 'UR-7K4Q', unitId: 'solsikken-barnehage' }, 'next'),
      }),
  },
  { name: 'welcome-en', template: 'welcome', card: () => welcomeCard('en', []) },
  { name: 'team-intro-nb', template: 'team-intro', card: () => teamIntroCard('nb') },
  { name: 'error-invalid-nb', template: 'error', card: () => errorCard('nb', 'invalid-payload', ['alias', 'verb']) },
  { name: 'error-store-nb', template: 'error', card: () => errorCard('nb', 'store-unavailable') },
  { name: 'error-refusal-nb', template: 'error', card: () => refusalCard('nb', 'Samtykke mangler: foreldrenes samtykke må dekke PPT, Helsestasjon.') },
  { name: 'uro-1-start-nb', template: 'uro-start', card: () => uroStartCard({ locale: 'nb', municipality, unitId: 'solsikken-barnehage' }) },
  { name: 'uro-1-start-en', template: 'uro-start', card: () => uroStartCard({ locale: 'en', municipality }) },
  { name: 'uro-2-report-path-nb', template: 'uro-report-path', card: () => reportPathCard(ctx(buildScenarioCase('S5'))) },
  { name: 'uro-3-zone-nb', template: 'uro-zone', card: () => zoneCard(ctx(ehAfter(1))) },
  { name: 'uro-3-no-worry-nb', template: 'uro-no-worry', card: () => noWorryCard(ctx(noWorry())) },
  { name: 'uro-4-part-a-nb', template: 'worry-form', card: () => partACard(ctx(ehAfter(2))) },
  { name: 'uro-5-part-b-nb', template: 'worry-form', card: () => partBCard(ctx(ehAfter(3))) },
  { name: 'uro-6-guide-nb', template: 'uro-guide', card: () => guideCard(ctx(ehAfter(4))) },
  { name: 'uro-7-part-c-nb', template: 'worry-form', card: () => partCCard(ctx(ehAfter(4))) },
  { name: 'uro-8-stage-1-nb', template: 'uro-stage-1', card: () => stage1Card(ctx(ehAfter(5))) },
  { name: 'uro-8-stage-1-en', template: 'uro-stage-1', card: () => stage1Card(ctx(ehAfter(5), 'en')) },
  {
    name: 'case-overview-nb',
    template: 'case-overview',
    card: () => caseOverviewCard(ctx(ehAfter(6)), { style: 'good', text: 'UR-7K4Q står nå på trinn 1. Evaluering: 2. oktober 2025.' }),
  },
  { name: 'evaluation-nb', template: 'evaluation', card: () => evaluationCard(ctx(ehAfter(6))) },
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
  { name: 'reminder-part-c-nb', template: 'reminder', card: () => reminderCard('nb', ehAfter(4), 'part-c') },
  { name: 'reminder-evaluation-nb', template: 'reminder', card: () => reminderCard('nb', ehAfter(6), 'evaluation') },
  { name: 'ladder-enter-2b-nb', template: 'step-entry', card: () => stepEntryCard(ctx(buildScenarioCase('S1')), findStep(ladder, '2b')!, []) },
  { name: 'ladder-request-3b-nb', template: 'step-entry', card: () => stepEntryCard(ctx(buildScenarioCase('S2')), findStep(ladder, '3b')!, [PEOPLE.anne]) },
  { name: 'approval-leader-nb', template: 'approval', card: () => approval('leader', 'S3pending') },
  { name: 'approval-owner-nb', template: 'approval', card: () => approval('owner', 'S3pending') },
  { name: 'approval-decided-nb', template: 'approval', card: () => approval('status', 'S3') },
  { name: 'consent-nb', template: 'consent', card: () => consentCard(ctx(buildScenarioCase('S3')), 15) },
  { name: 'consent-withdraw-nb', template: 'consent-withdraw', card: () => consentWithdrawCard(ctx(buildScenarioCase('S3')), 'consent-1') },
  { name: 'handover-nb', template: 'handover', card: () => handoverCard(ctx(buildScenarioCase('S1')), [PEOPLE.anne], 'offer') },
  { name: 'handover-offer-nb', template: 'notice', card: () => handoverOfferCard('nb', buildScenarioCase('S8'), ladder) },
  { name: 'team-setup-nb', template: 'form', card: () => teamSetupCard({ locale: 'nb', team: sampleTeam(), municipality, me: PEOPLE.ola, today: '2026-03-02' }) },
  { name: 'team-saved-nb', template: 'team-post', card: () => setupSavedCard('nb', sampleTeam(), new Date('2026-03-02T08:00:00Z')) },
  { name: 'team-topic-nb', template: 'form', card: () => topicCard('nb', sampleTeam(), new Date('2026-03-02T08:00:00Z')) },
  {
    name: 'team-bring-nb',
    template: 'form',
    card: () => bringToTeamCard('nb', buildScenarioCase('S6'), '"etag"', [{ team: sampleTeam(), meetings: meetingsOf(sampleTeam().series!) }]),
  },
  {
    name: 'team-call-for-cases-nb',
    template: 'team-post',
    card: () =>
      teamPost({
        title: 'Innkalling: Tverrfaglig team, Bjørkelangen skole',
        paragraphs: ['Møte tirsdag 17. mars 2026 kl. 09:00–10:30. Meld inn saker innen 16. mars 2026: skriv til Laget i 1:1-chat («mine saker» → saken → «Ta opp i tverrfaglig team»), eller meld inn et tema her.'],
        buttons: [{ title: 'Meld inn et tema', data: { verb: 'team.topic-form', teamId: 't-1234567890ab' } }],
      }),
  },
  {
    name: 'team-agenda-nb',
    template: 'team-post',
    card: () =>
      teamPost({
        title: 'Saksliste: Tverrfaglig team, Bjørkelangen skole, tirsdag 17. mars 2026 kl. 09:00–10:30',
        lines: ['1. UR-4HNW · 30 min · Lise Berg · anonym\nHvordan kan vi støtte et barn som trekker seg unna i lek?', '2. UR-5QMB · 30 min · Lise Berg · navngitt (samtykke)', '3. Tema · 30 min · Ola Dahl\nOvergang barnehage–skole'],
      }),
  },
  {
    name: 'team-minutes-post-nb',
    template: 'team-post',
    card: () =>
      teamPost({
        title: 'Referat: Tverrfaglig team, Bjørkelangen skole, tirsdag 17. mars 2026 kl. 09:00–10:30',
        paragraphs: ['Lederen eller den som meldte inn en sak skriver referatet i sin 1:1-chat med Laget. Tiltak går til saken eller til stafettholderen – ingenting om barnet skrives her.'],
        lines: ['1. UR-4HNW · 45 min · Lise Berg · anonym', '2. UR-5QMB · 45 min · Lise Berg · navngitt (samtykke)'],
        buttons: [{ title: 'Skriv referat', data: { verb: 'team.minutes-form', teamId: 't-1234567890ab', meetingId: '2026-03-17-0900' } }],
      }),
  },
  { name: 'team-minutes-form-nb', template: 'form', card: () => minutesFormCard('nb', sampleTeam(), meetingsOf(sampleTeam().series!)[0]!, sampleTeam().items) },
  {
    name: 'team-measures-nb',
    template: 'team-post',
    card: () => measuresCard('nb', { id: 'UR-4HNW', unitId: 'bjorkelangen-skole' }, 'tirsdag 17. mars 2026', { known: 'Trekker seg unna i friminutt.' }, [{ what: 'Fast voksen i friminuttene', who: 'Kontaktlærer', dueOn: '2026-04-14' }]),
  },
  {
    name: 'notice-report-made-nb',
    template: 'notice',
    card: () => {
      const c = buildScenarioCase('S5');
      return infoCard('nb', c, { caseId: c.id, unitId: c.unitId, personId: c.nearestLeader.id, about: 'report-made' }, ladder);
    },
  },
];

/** The approval card as each viewer gets it: S3 with the request still pending, or decided. */
function approval(view: 'leader' | 'owner' | 'status', scenario: 'S3' | 'S3pending'): AdaptiveCardJson {
  const full = buildScenarioCase('S3');
  const decided = full.escalations[0]!;
  const c: Case =
    scenario === 'S3'
      ? full
      : { ...full, escalations: [{ ...decided, status: 'pending' } as Case['escalations'][number]] };
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

function sampleTeam(): Team {
  const series = MeetingSeriesSchema.parse({
    id: 'series',
    name: 'Tverrfaglig team, Bjørkelangen skole',
    schedule: { kind: 'dates', meetings: [{ date: '2026-03-17', start: '09:00', end: '10:30' }, { date: '2026-04-28', start: '09:00', end: '10:30' }] },
    rhythm: {},
  });
  return {
    schemaVersion: 1,
    id: 'team',
    teamId: 't-1234567890ab',
    teamsTeamId: '19:team@thread.tacv2',
    name: 'Tverrfaglig team, Bjørkelangen skole',
    kind: 'interdisciplinary',
    unitId: 'bjorkelangen-skole',
    channel: { kind: 'channel', serviceUrl: 'https://smba.trafficmanager.net/emea/', conversationId: '19:channel@thread.tacv2', channelId: '19:channel@thread.tacv2', newThread: true },
    active: true,
    lead: PEOPLE.ola,
    roles: ['leader', 'teacher', 'ppt', 'health-nurse'],
    series,
    items: [
      { id: 'i1', meetingId: '2026-03-17-0900', kind: 'case', caseId: 'UR-4HNW', unitId: 'bjorkelangen-skole', mode: 'anonymous', question: 'Hvordan støtte et barn som trekker seg unna?', owner: PEOPLE.lise, addedAt: '2026-03-02T08:00:00.000Z', minutesRecordedAt: null },
      { id: 'i2', meetingId: '2026-03-17-0900', kind: 'topic', caseId: null, unitId: null, mode: null, question: 'Overgang barnehage–skole', owner: PEOPLE.ola, addedAt: '2026-03-02T08:00:00.000Z', minutesRecordedAt: null },
    ],
    createdAt: '2026-03-01T08:00:00.000Z',
    updatedAt: '2026-03-01T08:00:00.000Z',
  };
}
