import type { Case } from '../domain/case';
import { nextDate, pendingEscalation } from '../domain/case';
import { consentInForce, consentsInForce } from '../domain/consent';
import type { Ladder, Step } from '../domain/ladder';
import { findStep, stepNeedsApproval, stepRequiresSignedConsent } from '../domain/ladder-steps';
import type { PersonRef } from '../domain/primitives';
import type { Escalation } from '../domain/records';
import { addDays } from '../domain/time';
import { leaderView, type TeamCaseView } from '../domain/views';
import { catalogue, format, formatDay, formatInstant, type Locale } from '../i18n';
import { servicesText, stepLabel } from './labels';
import type { AdaptiveCardJson } from './guards';
import { caseListCard, listHeading, type ListPaging } from './case-list';
import { dateInput } from './inputs';
import { caseSubmit, showView } from './payloads';
import { refusalCard } from './common';
import { renderCard } from './render';
import { factsOf, type CardTemplates, type ContainerStyle } from './templates';
import { caseLine, type CaseCardContext } from './uro';

/**
 * Cards of the escalation ladder: entering the proposed step (directly or through the leader),
 * the leader's approval card (Universal Actions), consent, and handing over the baton.
 */

function refOf(ctx: CaseCardContext) {
  return { caseId: ctx.case.id, unitId: ctx.case.unitId, rev: ctx.etag };
}

/**
 * The proposed step's form: what it requires, the inputs its requirements ask for (services
 * under consent, both parents invited, a coordinator, the evaluation date) and, where the
 * ladder says so, a short reason for the leader.
 */
export function stepEntryCard(ctx: CaseCardContext, step: Step, colleagues: readonly PersonRef[], notice = ''): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const approval = stepNeedsApproval(ctx.ladder, step.id);
  const requires = new Set(step.requires.map((requirement) => requirement.kind));
  const inputs: object[] = [];
  let consentLine = '';
  let consentStyle: ContainerStyle = 'emphasis';
  if (step.sharesWithServices !== null) {
    const covered = [...new Set(consentsInForce(ctx.case.consents, ctx.now, ctx.timeZone).flatMap((c) => c.services))];
    consentLine =
      covered.length > 0 ? format(t.ladder.consentStatus, { services: servicesText(ctx.ladder, covered, ctx.locale) }) : t.ladder.noConsent;
    consentStyle = covered.length > 0 ? 'good' : 'warning';
    inputs.push({
      type: 'Input.ChoiceSet',
      id: 'services',
      label: t.ladder.servicesLabel,
      isMultiSelect: true,
      style: 'expanded',
      isRequired: true,
      errorMessage: t.ladder.servicesLabel,
      value: covered.join(','),
      choices: ctx.ladder.services.map((service) => ({ title: service.labels[ctx.locale], value: service.id })),
    });
  }
  if (requires.has('both-parents-invited')) inputs.push(attestation('bothParentsInvited', t.ladder.bothParentsInvitedLabel));
  if (requires.has('parents-participate')) inputs.push(attestation('parentsParticipate', t.ladder.parentsParticipateLabel));
  if (requires.has('coordinator-named')) {
    inputs.push({
      type: 'Input.ChoiceSet',
      id: 'coordinatorId',
      label: t.ladder.coordinatorLabel,
      isRequired: true,
      errorMessage: t.ladder.coordinatorLabel,
      choices: colleagues.map((person) => ({ title: person.name, value: person.id })),
    });
  }
  if (step.period !== null) {
    const max = addDays(ctx.today, step.period.maxDays);
    inputs.push(
      dateInput({
        id: 'evaluationOn',
        label: format(t.ladder.evaluationLabel, { max: formatDay(max, ctx.locale) }),
        min: ctx.today,
        max,
        error: format(t.inputErrors.evaluationDate, { latest: formatDay(max, ctx.locale) }),
        value: addDays(ctx.today, step.period.defaultDays),
      }),
    );
  }
  if (approval)
    inputs.push({ type: 'Input.Text', id: 'justification', label: t.ladder.justificationLabel, isMultiline: true, maxLength: 500 });
  return renderCard('step-entry', {
    title: format(approval ? t.ladder.requestTitle : t.ladder.enterTitle, { step: step.labels[ctx.locale] }),
    caseLine: caseLine(ctx),
    notice,
    description: step.description[ctx.locale],
    consentLine,
    consentStyle,
    inputs,
    submitTitle: approval ? format(t.ladder.sendRequest, { leader: ctx.case.nearestLeader.name }) : t.ladder.enterStep,
    submit: { ...caseSubmit(approval ? 'ladder.request' : 'ladder.enter', refOf(ctx)), stepId: step.id },
    extra: [
      ...(step.sharesWithServices !== null ? [{ title: t.ladder.consent, data: showView(ctx.case, 'consent') }] : []),
      { title: t.common.back, data: showView(ctx.case, 'case') },
    ],
  });
}

function attestation(id: string, title: string) {
  return {
    type: 'Input.Toggle',
    id,
    title,
    label: title,
    valueOn: 'true',
    valueOff: 'false',
    value: 'false',
    isRequired: true,
    errorMessage: title,
  };
}

export type ApprovalView = 'leader' | 'owner' | 'status';

export type ApprovalCardInput = {
  locale: Locale;
  case: Case;
  escalation: Escalation;
  ladder: Ladder;
  timeZone: string;
  /** leader: the buttons; owner and status: the live state, no buttons. */
  view: ApprovalView;
  /** The MRIs (29:…) whose clients refresh the card: the leader's and the owner's only. */
  refreshUserIds: readonly string[];
  banner?: string;
};

/**
 * The approval card (Universal Actions), drawn for one viewer. Only the `leader` view of a pending
 * request has Godkjenn/Avslå: it is the message in the leader's own 1:1 chat, and it carries the
 * buttons in its base form because the Agents Playground has no user-specific views (it does not
 * refresh) — a base card without buttons could not be approved there. The owner's copy and every
 * `status` view have no buttons. `refresh` lists only the leader and the owner, whose Teams clients
 * ask for their own view (approval.refresh): buttons for the leader while pending, the live status
 * for the owner. After the leader's press decides, Laget edits that message once to the `status`
 * view, so the outcome shows everywhere; a refresh never edits it. The decision is taken from the
 * invoke's identity, never from the card's data.
 */
export function approvalCard(input: ApprovalCardInput): AdaptiveCardJson {
  const t = catalogue(input.locale);
  const { escalation: e, case: c } = input;
  const stepName = (id: string) => stepLabel(input.ladder, id, input.locale);
  const ref = { caseId: c.id, unitId: c.unitId, escalationId: e.id };
  const decidable = input.view === 'leader' && e.status === 'pending';
  const status =
    e.status === 'pending'
      ? // The leader is not told to wait for themselves.
        input.view === 'leader'
        ? t.approval.pendingYou
        : format(t.approval.pending, { leader: c.nearestLeader.name })
      : e.status === 'approved'
        ? format(t.approval.approved, { by: e.decidedBy.name, at: formatInstant(e.decidedAt, input.locale, input.timeZone) })
        : e.status === 'rejected'
          ? format(t.approval.rejected, {
              by: e.decidedBy.name,
              at: formatInstant(e.decidedAt, input.locale, input.timeZone),
              reason: e.reason,
            })
          : e.cause === 'withdrawn-by-owner'
            ? format(t.approval.withdrawn, { owner: e.requestedBy.name, at: formatInstant(e.cancelledAt, input.locale, input.timeZone) })
            : t.approval.cancelled;
  return renderCard('approval', {
    t,
    title: format(t.approval.title, { code: c.alias ? `${c.id} (${c.alias})` : c.id, step: stepName(e.toStepId) }),
    banner: input.banner ?? '',
    intro: format(t.approval.intro, { owner: e.requestedBy.name, from: stepName(e.fromStepId), to: stepName(e.toStepId) }),
    facts: [
      ...(e.services.length > 0 ? [{ title: t.approval.services, value: servicesText(input.ladder, e.services, input.locale) }] : []),
      { title: t.approval.requestedAt, value: formatInstant(e.requestedAt, input.locale, input.timeZone) },
      ...(e.evaluationOn ? [{ title: t.approval.evaluationOn, value: formatDay(e.evaluationOn, input.locale) }] : []),
    ],
    justification: e.justification ?? '',
    status,
    statusStyle: e.status === 'approved' ? 'good' : e.status === 'rejected' ? 'attention' : 'emphasis',
    decidable,
    buttons: decidable
      ? [
          { title: t.approval.approve, verb: 'approval.decide', style: 'positive', data: { ...ref, decision: 'approve' } },
          { title: t.approval.reject, verb: 'approval.decide', style: 'destructive', data: { ...ref, decision: 'reject' } },
        ]
      : [],
    refresh: {
      action: { type: 'Action.Execute', verb: 'approval.refresh', data: ref },
      userIds: [...new Set(input.refreshUserIds)].slice(0, 60),
    },
  });
}

/**
 * "mine enheter": the open cases in the leader's units, a page at a time in the order of what needs
 * action first (src/domain/worklist.ts) — the case code, the alias, the step, the next date and
 * whether a request waits for the leader; never the owner's notes.
 */
/** "til godkjenning": each case with a request waiting for the leader, what it asks and who asked, a button to open it. */
export function leaderApprovalsCard(
  locale: Locale,
  cases: readonly Case[],
  ladderOf: (c: Case) => Ladder,
  timeZone: string,
  paging?: ListPaging,
): AdaptiveCardJson {
  const t = catalogue(locale);
  return caseListCard(
    locale,
    t.leader.approvalsTitle,
    t.leader.approvalsEmpty,
    cases.flatMap((c) => {
      const e = pendingEscalation(c);
      if (!e) return [];
      return [
        {
          heading: listHeading(c),
          line: format(t.leader.approvalLine, {
            code: c.id,
            from: stepLabel(ladderOf(c), e.fromStepId, locale),
            to: stepLabel(ladderOf(c), e.toStepId, locale),
            owner: e.requestedBy.name,
            at: formatInstant(e.requestedAt, locale, timeZone),
          }),
          button: format(t.caseCard.open, { code: c.id }),
          data: { verb: 'leader.open', caseId: c.id, unitId: c.unitId, escalationId: e.id },
        },
      ];
    }),
    [],
    paging,
  );
}

export function leaderUnitsCard(
  locale: Locale,
  cases: readonly Case[],
  ladderOf: (c: Case) => Ladder,
  paging?: ListPaging,
): AdaptiveCardJson {
  const t = catalogue(locale);
  return caseListCard(
    locale,
    t.leader.unitsTitle,
    t.leader.unitsEmpty,
    cases.map((c) => {
      const next = nextDate(c);
      const date = next ? format(t.leader.unitsNextDate, { date: formatDay(next, locale) }) : t.leader.unitsNoDate;
      const step = stepLabel(ladderOf(c), c.currentStep?.stepId ?? null, locale);
      return {
        heading: listHeading(c),
        line: [step, date, ...(pendingEscalation(c) ? [t.leader.unitsWaiting] : [])].join(' · '),
        // Named after the case: a screen reader (and anyone scanning the list) hears which case each button opens.
        button: format(t.caseCard.open, { code: c.id }),
        data: { verb: 'leader.case', caseId: c.id, unitId: c.unitId },
      };
    }),
    [],
    paging,
  );
}

/**
 * The leader's view of a case: the workflow and its decisions (the projection `leaderView`), never
 * the owner's notes, answers or goals — with the request waiting for them, and reassigning.
 */
export function leaderCaseCard(input: {
  locale: Locale;
  case: Case;
  ladder: Ladder;
  now: Date;
  timeZone: string;
  notice?: string;
}): AdaptiveCardJson {
  const { locale } = input;
  const t = catalogue(locale);
  const view = leaderView(input.case, input.now, input.timeZone);
  const waiting = view.escalations.find((e) => e.status === 'pending');
  return renderCard('notice', {
    title: format(t.leader.caseTitle, { code: view.alias ? `${view.caseId} (${view.alias})` : view.caseId }),
    paragraphs: input.notice ? [input.notice] : [],
    facts: factsOf([
      [t.notices.facts.owner, view.owner.name],
      [t.notices.facts.step, stepLabel(input.ladder, view.stepId, locale)],
      [t.caseCard.status, t.caseCard.statuses[view.status]],
      [t.notices.facts.nextDate, view.nextDate ? formatDay(view.nextDate, locale) : '–'],
    ]),
    buttons: [
      ...(waiting
        ? [
            {
              title: t.leader.open,
              data: { verb: 'leader.open' as const, caseId: view.caseId, unitId: view.unitId, escalationId: waiting.id },
            },
          ]
        : []),
      { title: t.baton.reassign, data: { verb: 'leader.reassign-form' as const, caseId: view.caseId, unitId: view.unitId } },
    ],
  });
}

/** What a member of a team that a consent covers sees of a case: the plan (`teamView`), not the story. */
export function teamCaseCard(input: { locale: Locale; view: TeamCaseView; ladder: Ladder }): AdaptiveCardJson {
  const t = catalogue(input.locale);
  const { view } = input;
  return renderCard('notice', {
    title: format(t.caseCard.title, { code: view.alias ? `${view.caseId} (${view.alias})` : view.caseId }),
    paragraphs: [
      ...view.goals.map((goal) => `• ${goal.text} (${t.caseCard.by} ${formatDay(goal.targetOn, input.locale)})`),
      ...view.actions.map((action) => `• ${action.what} (${t.caseCard.by} ${formatDay(action.dueOn, input.locale)})`),
    ],
    facts: [{ title: t.notices.facts.step, value: stepLabel(input.ladder, view.stepId, input.locale) }],
    buttons: [],
  });
}

/** What anyone but the case's leader and owner gets when their client asks for the approval card: no buttons, nothing about the case. */
export function approvalNoAccessCard(locale: Locale): AdaptiveCardJson {
  return refusalCard(locale, catalogue(locale).approval.noAccess, { reason: 'no-relation' });
}

export function consentCard(
  ctx: CaseCardContext,
  childConsentAge: number,
  teams: readonly { id: string; name: string }[] = [],
): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const at = ctx.now;
  const givers = Object.entries(t.consent.givers).map(([value, title]) => ({ title, value }));
  const giversText = (ids: readonly string[]) => ids.map((id) => (t.consent.givers as Record<string, string>)[id] ?? id).join(', ');
  const records = ctx.case.consents.map((record): CardTemplates['consent']['records'][number] => {
    const services = [
      servicesText(ctx.ladder, record.services, ctx.locale),
      ...record.teams.map((id) => teams.find((team) => team.id === id)?.name ?? id),
    ]
      .filter((part) => part !== '–')
      .join(', ');
    if (record.kind === 'refused') {
      return {
        line: format(t.consent.refusedLine, { services, refusedOn: formatDay(record.refusedOn, ctx.locale) }),
        active: false,
        withdraw: {},
      };
    }
    if (record.withdrawn) {
      return {
        line: format(t.consent.withdrawnLine, { services, at: formatInstant(record.withdrawn.at, ctx.locale, ctx.timeZone) }),
        active: false,
        withdraw: {},
      };
    }
    const form = record.signedFormArchivedAt
      ? format(t.consent.signedForm, { archivedAt: record.signedFormArchivedAt })
      : t.consent.noSignedForm;
    // A consent that ran out says so, with the day: it covers nothing any more.
    const expired = record.validUntil < ctx.today;
    return {
      line: `${format(expired ? t.consent.expiredLine : t.consent.line, {
        services,
        givenOn: formatDay(record.givenOn, ctx.locale),
        givenBy: giversText(record.givenBy),
        validUntil: formatDay(record.validUntil, ctx.locale),
      })} · ${form}`,
      active: consentInForce(record, at, ctx.timeZone),
      withdraw: { verb: 'consent.withdraw-form' as const, caseId: ctx.case.id, unitId: ctx.case.unitId, consentId: record.id },
    };
  });
  const proposed = ctx.case.proposedStepId ? findStep(ctx.ladder, ctx.case.proposedStepId) : undefined;
  // The step the consent is for (the proposed one, else the current one) may need the signed form on record.
  const forStep = proposed ?? (ctx.case.currentStep ? findStep(ctx.ladder, ctx.case.currentStep.stepId) : undefined);
  const archivedAtLabel =
    forStep && stepRequiresSignedConsent(forStep)
      ? format(t.consent.archivedAtRequiredLabel, { step: forStep.labels[ctx.locale] })
      : t.consent.archivedAtLabel;
  return renderCard('consent', {
    t,
    title: format(t.consent.title, { code: ctx.case.alias ? `${ctx.case.id} (${ctx.case.alias})` : ctx.case.id }),
    records,
    childAgeNote: format(t.consent.childAge, { age: childConsentAge }),
    childOfAgeLabel: format(t.consent.childOfAgeLabel, { age: childConsentAge }),
    archivedAtLabel,
    givers,
    services: ctx.ladder.services.map((service) => ({ title: service.labels[ctx.locale], value: service.id })),
    teams: teams.map((team) => ({ title: team.name, value: team.id })),
    preselected: proposed?.sharesWithServices ? (ctx.case.currentStep?.services ?? []).join(',') : '',
    today: ctx.today,
    defaultValidUntil: addDays(ctx.today, 365),
    record: caseSubmit('consent.record', refOf(ctx)),
    refuse: caseSubmit('consent.refuse', refOf(ctx)),
    back: showView(ctx.case, 'case'),
  });
}

export function consentWithdrawCard(ctx: CaseCardContext, consentId: string): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const record = ctx.case.consents.find((r) => r.id === consentId);
  return renderCard('consent-withdraw', {
    t,
    title: format(t.consent.withdrawTitle, {
      services: record ? servicesText(ctx.ladder, record.services, ctx.locale) : '',
      givenOn: record?.kind === 'given' ? formatDay(record.givenOn, ctx.locale) : '',
    }),
    line: record ? servicesText(ctx.ladder, record.services, ctx.locale) : '',
    givers: Object.entries(t.consent.givers).map(([value, title]) => ({ title, value })),
    submit: { ...caseSubmit('consent.withdraw', refOf(ctx)), consentId },
    back: showView(ctx.case, 'consent'),
  });
}

/**
 * The baton picker: the unit's staff as a list, or — for a large unit, where Teams has it — a
 * search field (`Data.Query` typeahead) that the bot answers from the directory (`search` names
 * its dataset), showing the first names until the person types.
 */
export function handoverCard(
  ctx: CaseCardContext,
  colleagues: readonly PersonRef[],
  mode: 'offer' | 'reassign',
  search?: { dataset: string; first: number },
): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const shown = search ? colleagues.slice(0, search.first) : colleagues;
  return renderCard('handover', {
    t,
    title: format(t.baton.title, { code: ctx.case.alias ? `${ctx.case.id} (${ctx.case.alias})` : ctx.case.id }),
    intro: mode === 'offer' ? t.baton.intro : '',
    colleagues: shown.map((person) => ({ id: person.id, name: person.name })),
    search: search !== undefined,
    dataset: search?.dataset ?? '',
    submitTitle: mode === 'offer' ? t.baton.offer : t.baton.reassign,
    submit: caseSubmit(mode === 'offer' ? 'baton.offer' : 'baton.reassign', refOf(ctx)),
    back: showView(ctx.case, 'case'),
  });
}

/** The offer of the baton, in the colleague's own chat: accept or decline. Nothing moves until they answer. */
export function handoverOfferCard(locale: Locale, c: Case, ladder: Ladder): AdaptiveCardJson {
  const t = catalogue(locale);
  const offeredBy = c.pendingHandover?.offeredBy.name ?? c.owner.name;
  return renderCard('notice', {
    title: format(t.notices.title, { code: c.alias ? `${c.id} (${c.alias})` : c.id }),
    paragraphs: [format(t.notices['handover-offered'], { owner: offeredBy })],
    facts: [
      { title: t.notices.facts.step, value: stepLabel(ladder, c.currentStep?.stepId ?? null, locale) },
      { title: t.notices.facts.owner, value: c.owner.name },
    ],
    buttons: [
      { title: t.baton.accept, data: { verb: 'baton.accept', caseId: c.id, unitId: c.unitId } },
      { title: t.baton.decline, data: { verb: 'baton.decline', caseId: c.id, unitId: c.unitId } },
    ],
  });
}
