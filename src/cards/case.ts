import type { Case } from '../domain/case';
import { currentZoneId, nextDate, pendingEscalation } from '../domain/case';
import { consentsInForce } from '../domain/consent';
import type { Ladder, Step } from '../domain/ladder';
import type { Action } from '../domain/records';
import { findStep, stepNeedsApproval } from '../domain/ladder-steps';
import { addDays, dayOf } from '../domain/time';
import { childHeardOnStep, meetingKind, overdueActions, workList } from '../domain/work-list';
import { deletionDay, workButton, workLines } from './work';
import type { UroPosition } from '../domain/uro-progress';
import { catalogue, format, formatDay, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { servicesText, stepLabel, stepShortLabel } from './labels';
import { caseSubmit, showView } from './payloads';
import { caseListCard, listHeading, type ListPaging } from './case-list';
import { renderCard } from './render';
import { factsOf, type ActionData, type CardButton } from './templates';
import { caseLine, refOf, type CaseCardContext } from './uro';

/** Cards about a case once it exists: the overview, the evaluation, the next step, "mine saker", reminders. */

export type OverviewNotice = { text: string; style: 'good' | 'attention' | 'emphasis' };

type Button = CardButton;
/** What to do next, with its button; a case with nothing to do has no button (and empty data, which the template never draws). */
type NextMove = { text: string; button: string; data: ActionData | Record<string, never> };
type Row = { text: string; subtle: boolean; buttons: Button[] };

/**
 * The one thing to do next on a case, with its button: what waits for someone, the proposed step,
 * the step's work that must come before its evaluation, a date that has come, an action overdue,
 * the rest of the step's work, then the next evaluation.
 */
function nextMove(ctx: CaseCardContext): NextMove {
  const t = catalogue(ctx.locale);
  const c = ctx.case;
  const day = (d: string) => formatDay(d, ctx.locale);
  if (c.status === 'closed' && c.closed) {
    const deleteOn = deletionDay(c, ctx, ctx.timeZone);
    return {
      text: format(t.work.closedLine, {
        date: day(dayOf(c.closed.at, ctx.timeZone)),
        reason: t.work.closeReasons[c.closed.reason],
        deleteOn: deleteOn ? day(deleteOn) : '',
      }),
      button: t.work.reopen,
      data: showView(c, 'close'),
    };
  }
  const waiting = pendingEscalation(c);
  if (waiting) {
    return {
      text: format(t.ladder.pendingApproval, { leader: c.nearestLeader.name }),
      button: t.work.withdrawRequest,
      data: { ...caseSubmit('case.withdraw-request', refOf(ctx)), escalationId: waiting.id },
    };
  }
  if (c.pendingHandover) {
    return {
      text: format(t.ladder.pendingHandover, { name: c.pendingHandover.to.name }),
      button: format(t.ladder.withdrawHandover, { name: c.pendingHandover.to.name }),
      data: caseSubmit('baton.withdraw', refOf(ctx)),
    };
  }
  if (c.proposedStepId) {
    const approval = stepNeedsApproval(ctx.ladder, c.proposedStepId);
    return {
      text: format(t.caseCard.nextProposed, { step: stepLabel(ctx.ladder, c.proposedStepId, ctx.locale) }),
      button: approval ? t.nextStep.askApproval : t.nextStep.start,
      data: showView(c, 'next-step'),
    };
  }
  if (c.currentStep === null) return { text: c.status === 'reported' ? t.caseCard.nextReported : '', button: '', data: {} };
  const step = findStep(ctx.ladder, c.currentStep.stepId);
  const work = workList(c, ctx.ladder);
  const gate = work.find((status) => status.item.beforeEvaluation && !status.complete);
  if (gate && step?.outcomes?.basis !== 'parents-consent') {
    const button = workButton(ctx, gate);
    return {
      text: format(t.caseCard.nextBeforeEvaluation, { label: gate.item.labels[ctx.locale] }),
      button: button.title,
      data: button.data,
    };
  }
  const { evaluationOn, checkInOn } = c.nextDates;
  if (evaluationOn && evaluationOn <= ctx.today) {
    return {
      text: format(t.caseCard.nextEvaluationDue, { date: day(evaluationOn) }),
      button: t.caseCard.evaluate,
      data: showView(c, 'evaluation'),
    };
  }
  if (checkInOn && checkInOn <= ctx.today) {
    return {
      text: format(t.caseCard.nextCheckInDue, { date: day(checkInOn) }),
      button: t.caseCard.evaluate,
      data: showView(c, 'evaluation'),
    };
  }
  const overdue = overdueActions(c, ctx.today)[0];
  if (overdue) {
    return {
      text: format(t.caseCard.nextOverdue, { what: overdue.what, date: day(overdue.dueOn) }),
      button: t.work.doneButton,
      data: showView(c, 'action-done', overdue.id),
    };
  }
  const missing = work.find((status) => !status.complete) ?? gate;
  if (missing) {
    const button = workButton(ctx, missing);
    return { text: format(t.caseCard.nextWork, { label: missing.item.labels[ctx.locale] }), button: button.title, data: button.data };
  }
  // "Not better" on a step where the ladder ends: report, keep in touch, or close — no further evaluation to offer.
  const last = c.evaluations.at(-1);
  if (
    step?.outcomes &&
    last?.stepId === step.id &&
    last.leadsTo === null &&
    last.recordedAt >= c.currentStep.enteredAt &&
    !evaluationOn &&
    !checkInOn
  ) {
    return { text: t.caseCard.nextLadderEnds, button: t.caseCard.closeCase, data: showView(c, 'close') };
  }
  if (step?.outcomes) {
    const text = evaluationOn
      ? format(t.caseCard.nextEvaluation, { date: day(evaluationOn) })
      : checkInOn
        ? format(t.caseCard.nextCheckIn, { date: day(checkInOn) })
        : '';
    return { text, button: t.caseCard.evaluate, data: showView(c, 'evaluation') };
  }
  return {
    text: c.status === 'reported' ? t.caseCard.nextReported : t.caseCard.nextLadderEnds,
    button: t.caseCard.closeCase,
    data: showView(c, 'close'),
  };
}

/** The consent status in a line: what is in force until when (signed form or not), or what ran out. */
function consentFact(ctx: CaseCardContext): string {
  const t = catalogue(ctx.locale).caseCard;
  const inForce = consentsInForce(ctx.case.consents, ctx.now);
  const lines = inForce.map((r) => {
    const line = format(t.consentInForce, {
      services: servicesText(ctx.ladder, r.services, ctx.locale),
      until: formatDay(r.validUntil, ctx.locale),
    });
    return r.signedFormArchivedAt ? `${line} (${t.consentSigned})` : line;
  });
  const expired = ctx.case.consents.filter((r) => r.kind === 'given' && r.withdrawn === null && r.validUntil < ctx.today);
  for (const r of expired) {
    if (r.kind !== 'given' || inForce.length > 0) continue;
    lines.push(
      format(t.consentExpired, { services: servicesText(ctx.ladder, r.services, ctx.locale), date: formatDay(r.validUntil, ctx.locale) }),
    );
  }
  return lines.length > 0 ? lines.join('; ') : t.consentNone;
}

/** The case's history as short dated lines: steps entered, evaluations, dates moved (with why), closing. */
function historyRows(ctx: CaseCardContext, timeZone: string): Row[] {
  const t = catalogue(ctx.locale);
  const h = t.caseCard;
  const day = (instant: string) => formatDay(dayOf(instant, timeZone), ctx.locale);
  const short = (id: string | null) => stepShortLabel(ctx.ladder, id, ctx.locale);
  const lines: string[] = [];
  for (const event of ctx.case.events) {
    if (event.type === 'step-entered')
      lines.push(format(h.historyEntered, { date: day(event.at), step: stepLabel(ctx.ladder, event.stepId, ctx.locale) }));
    if (event.type === 'evaluation-recorded') {
      const evaluation = ctx.case.evaluations.find((e) => e.id === event.evaluationId);
      if (evaluation) {
        lines.push(
          format(h.historyEvaluated, {
            date: day(event.at),
            step: short(event.stepId),
            outcome: t.evaluation.outcomeShort[evaluation.basis][evaluation.outcome],
          }),
        );
      }
    }
    if (event.type === 'next-date-set' && event.changeId) {
      const moved = ctx.case.dateChanges.find((d) => d.id === event.changeId);
      if (moved) {
        lines.push(
          format(h.historyMoved, {
            date: day(event.at),
            what: t.work.rescheduleWhat[moved.kind],
            to: formatDay(moved.to, ctx.locale),
            reason: moved.reason ? ` (${moved.reason})` : '',
          }),
        );
      }
    }
    if (event.type === 'reported-to-child-welfare') lines.push(format(h.historyReported, { date: day(event.at) }));
    if (event.type === 'case-closed') {
      const reason = (t.work.closeReasons as Record<string, string>)[event.reason] ?? '';
      lines.push(format(h.historyClosed, { date: day(event.at), reason }));
    }
    if (event.type === 'case-reopened') lines.push(format(h.historyReopened, { date: day(event.at) }));
  }
  return lines.slice(-8).map((text) => ({ text, subtle: true, buttons: [] }));
}

/**
 * The owner's overview of a case. It leads with the one thing to do next (and its button), then
 * the facts (the step, the next date, the consent status), the step's work list with a button for
 * each missing item, actions overdue, goals and actions, the meetings, the child's voice and the
 * step history. "Meld bekymring" is always at hand; everything else is under "Flere valg", the
 * export last.
 */
export function caseOverviewCard(ctx: CaseCardContext, notice?: OverviewNotice): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const c = ctx.case;
  const day = (d: string) => formatDay(d, ctx.locale);
  const zone = ctx.ladder.zones.zones.find((z) => z.id === currentZoneId(c));
  const unit = ctx.municipality.units.find((u) => u.id === c.unitId);
  const next = nextDate(c);
  const facts = factsOf([
    [t.caseCard.step, stepLabel(ctx.ladder, c.currentStep?.stepId ?? null, ctx.locale)],
    [t.caseCard.status, t.caseCard.statuses[c.status]],
    [t.caseCard.nextDate, next ? day(next) : t.caseCard.none],
    [t.caseCard.consent, consentFact(ctx)],
    [t.caseCard.zone, zone ? zone.labels[ctx.locale] : t.caseCard.none],
    [t.caseCard.leader, c.nearestLeader.name],
    [t.caseCard.unit, unit?.name ?? t.caseCard.none],
  ]);
  const open = c.status !== 'closed';
  const done = (id: string): Button => ({ title: t.work.doneButton, data: showView(c, 'action-done', id) });
  const edit = (id: string): Button => ({ title: t.work.editButton, data: showView(c, 'action-edit', id) });
  const overdue = open ? overdueActions(c, ctx.today) : [];
  const sections = [
    {
      heading: t.work.listTitle,
      rows: open
        ? workLines(ctx).map((line) => ({
            text: line.text,
            subtle: line.done,
            buttons: line.data ? [{ title: line.button, data: line.data }] : [],
          }))
        : [],
    },
    {
      heading: t.caseCard.overdue,
      rows: overdue.map((a) => ({
        text: `${a.what} (${t.caseCard.by} ${day(a.dueOn)})`,
        subtle: false,
        buttons: [done(a.id), edit(a.id)],
      })),
    },
    {
      heading: t.caseCard.goals,
      rows: c.goals.map((g) => ({ text: `${g.text} (${t.caseCard.by} ${day(g.targetOn)})`, subtle: false, buttons: [] })),
    },
    {
      heading: t.caseCard.actions,
      rows: c.actions
        .filter((a) => !overdue.includes(a))
        .map((a) => ({
          text: `${a.what} (${t.caseCard.by} ${day(a.dueOn)})${a.done ? ` – ${t.caseCard.done} ${day(a.done.on ?? dayOf(a.done.at, ctx.timeZone))}` : ''}`,
          subtle: a.done !== null,
          buttons: a.done === null && open ? [done(a.id), edit(a.id)] : [],
        })),
    },
    {
      heading: t.caseCard.meetings,
      rows: c.meetings.map((m) => {
        const signers = [
          ...(m.signatures.some((s) => s.kind === 'staff') ? [t.caseCard.signers.owner] : []),
          ...(m.signatures.some((s) => s.kind === 'parents') ? [t.caseCard.signers.parents] : []),
        ];
        return {
          text: format(t.caseCard.meetingLine, {
            date: day(m.heldOn),
            meeting: meetingKind(ctx.ladder, m.kind)?.labels[ctx.locale] ?? '',
            signed: signers.length > 0 ? format(t.caseCard.meetingSigned, { who: signers.join(', ') }) : '',
          }),
          subtle: false,
          buttons: [],
        };
      }),
    },
    {
      heading: t.caseCard.voice,
      rows: c.childVoice
        .slice(-3)
        .map((v) => ({ text: format(t.caseCard.voiceLine, { date: day(v.heardOn), text: v.text }), subtle: false, buttons: [] })),
    },
    { heading: t.caseCard.history, rows: historyRows(ctx, ctx.timeZone) },
  ].filter((section) => section.rows.length > 0);
  const shown = notice;
  return renderCard('case-overview', {
    t,
    title: caseLine(ctx),
    notice: shown?.text ?? '',
    noticeStyle: shown?.style ?? 'default',
    next: nextMove(ctx),
    facts,
    sections,
    buttons: [{ title: t.caseCard.report, data: showView(c, 'report') }],
    more: moreButtons(ctx),
  });
}

/** Everything else the owner can do from the case card, under "Flere valg"; the export last. */
function moreButtons(ctx: CaseCardContext): Button[] {
  const t = catalogue(ctx.locale);
  const c = ctx.case;
  const exportButton = { title: t.export.button, data: { verb: 'case.export' as const, caseId: c.id, unitId: c.unitId } };
  const mine = { title: t.caseCard.myCases, data: { verb: 'cases.mine' as const } };
  if (c.status === 'closed') return [exportButton, mine];
  if (!c.currentStep) return [{ title: t.caseCard.closeCase, data: showView(c, 'close') }, exportButton, mine];
  const step = findStep(ctx.ladder, c.currentStep.stepId);
  const buttons: Button[] = [];
  if (step?.outcomes && !c.proposedStepId && !pendingEscalation(c))
    buttons.push({ title: t.caseCard.evaluate, data: showView(c, 'evaluation') });
  if (c.nextDates.evaluationOn || c.nextDates.checkInOn) buttons.push({ title: t.caseCard.reschedule, data: showView(c, 'reschedule') });
  buttons.push({ title: t.caseCard.addGoal, data: showView(c, 'goal') });
  buttons.push({ title: t.caseCard.addAction, data: showView(c, 'action') });
  buttons.push({ title: t.caseCard.recordVoice, data: showView(c, 'voice') });
  buttons.push({ title: t.ladder.consent, data: showView(c, 'consent') });
  buttons.push({ title: t.teams.bringButton, data: showView(c, 'team') });
  if (!c.pendingHandover) buttons.push({ title: t.ladder.handOver, data: showView(c, 'handover') });
  buttons.push({ title: t.caseCard.closeCase, data: showView(c, 'close') });
  buttons.push(exportButton, mine);
  return buttons;
}

/** What the evaluation card needs: no municipality, so the reminder composer can draw it too. */
export type EvaluationCardContext = Pick<CaseCardContext, 'locale' | 'case' | 'etag' | 'ladder' | 'today' | 'draft'>;

/** The question a step's evaluation asks and its two answers: the ladder's own words, else the basis' general question. */
function outcomeQuestion(ladder: Ladder, stepId: string, locale: Locale): { question: string; a: string; b: string } | undefined {
  const outcomes = findStep(ladder, stepId)?.outcomes;
  if (!outcomes) return undefined;
  const own = outcomes.labels;
  const general = catalogue(locale).evaluation.questions[outcomes.basis];
  return own ? { question: own.question[locale], a: own.a[locale], b: own.b[locale] } : general;
}

/**
 * The evaluation of the current step: the question of the step's outcome basis in the ladder's
 * words (the child's development, or the parents' answer), what of the step's work must be done
 * first (with the button that records it, and no evaluation offered until then), a reminder when
 * the child's voice has not been heard on the step, and — on the day the step began — why it is
 * evaluated already. Opened from the case, and sent itself as the reminder on the evaluation or
 * check-in date — drawn at send time with the case's ETag then.
 */
export function evaluationCard(ctx: EvaluationCardContext, options: { reminder?: 'evaluation' | 'check-in' } = {}): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const c = ctx.case;
  const code = c.alias ? `${c.id} (${c.alias})` : c.id;
  const draft = ctx.draft ?? {};
  const current = c.currentStep;
  const step = current ? findStep(ctx.ladder, current.stepId) : undefined;
  const asked = current ? outcomeQuestion(ctx.ladder, current.stepId, ctx.locale) : undefined;
  const consentBasis = step?.outcomes?.basis === 'parents-consent';
  const missing = workLines(ctx, (status) => status.item.beforeEvaluation && !status.complete);
  // A parents' no is never held back by the work; only their yes (and every evaluation of the child's development) is.
  const open = asked !== undefined && (missing.length === 0 || consentBasis);
  const target = step?.outcomes?.a ? findStep(ctx.ladder, step.outcomes.a) : step;
  const latestNext = target?.period ? addDays(ctx.today, target.period.maxDays) : '';
  const banner =
    options.reminder === 'evaluation'
      ? format(t.evaluation.evaluationDay, { code })
      : options.reminder === 'check-in'
        ? format(t.evaluation.checkInDay, { code })
        : '';
  return renderCard('evaluation', {
    t,
    banner,
    title: format(t.evaluation.title, { code }),
    intro: format(t.evaluation.intro, { step: stepLabel(ctx.ladder, current?.stepId ?? null, ctx.locale) }),
    goals: c.goals.map((goal) => ({ text: goal.text })),
    missingTitle: consentBasis ? t.evaluation.missingConsentTitle : t.evaluation.missingTitle,
    // Work not yet done always has its button (workLines); a line without one would be a button that posts nothing.
    missing: missing.flatMap((line) => (line.data ? [{ text: line.text, button: line.button, data: line.data }] : [])),
    voiceMissing: current && !childHeardOnStep(c) ? t.evaluation.voiceMissing : '',
    voiceButton: t.work.buttons['child-voice'],
    voice: showView(c, 'voice'),
    open,
    question: asked?.question ?? '',
    choiceA: asked?.a ?? '',
    choiceB: asked?.b ?? '',
    answeredBy: consentBasis,
    answeredByValue: draft.answeredBy ?? '',
    givers: Object.entries(t.consent.givers).map(([value, title]) => ({ title, value })),
    sameDay: current?.periodStartedOn === ctx.today,
    sameDayReason: draft.sameDayReason ?? '',
    today: ctx.today,
    latestNext,
    nextOnLabel: t.evaluation.checkInLabel,
    nextOnError: latestNext
      ? format(t.inputErrors.evaluationDate, { latest: formatDay(latestNext, ctx.locale) })
      : t.inputErrors.dateFromToday,
    outcome: draft.outcome === 'a' || draft.outcome === 'b' ? draft.outcome : '',
    comment: draft.comment ?? '',
    nextOn: draft.nextOn ?? '',
    submit: {
      ...caseSubmit('case.evaluation', { caseId: c.id, unitId: c.unitId, rev: ctx.etag }),
      ...(current ? { stepId: current.stepId, since: current.periodStartedOn } : {}),
    },
    showClose: step?.kind === 'monitoring',
    close: showView(c, 'close'),
    back: showView(c, 'case'),
  });
}

/**
 * What happened to the case since a card about `stepId` was drawn, in a sentence: the step's last
 * evaluation and where the case stands now ("1a og 1b ble evaluert 30. mars 2026 (ikke bedre). Saken
 * står nå på 2b, evaluering 11. mai 2026."). Told instead of offering an answer for another step.
 */
export function movedOnText(ctx: Pick<CaseCardContext, 'locale' | 'case' | 'ladder'>, timeZone: string, stepId?: string): string {
  const t = catalogue(ctx.locale).evaluation;
  const c = ctx.case;
  const short = (id: string | null) => stepShortLabel(ctx.ladder, id, ctx.locale);
  const last = stepId ? c.evaluations.filter((e) => e.stepId === stepId).at(-1) : undefined;
  const evaluated = last
    ? format(t.stepEvaluated, {
        step: short(last.stepId),
        date: formatDay(dayOf(last.recordedAt, timeZone), ctx.locale),
        outcome: t.outcomeShort[last.basis][last.outcome],
      })
    : t.changedSince;
  if (c.status === 'closed') return `${evaluated} ${t.closedNow}`;
  const next = c.proposedStepId
    ? format(t.standsNowProposed, { step: short(c.proposedStepId) })
    : c.nextDates.evaluationOn
      ? format(t.standsNowEvaluation, { date: formatDay(c.nextDates.evaluationOn, ctx.locale) })
      : c.nextDates.checkInOn
        ? format(t.standsNowCheckIn, { date: formatDay(c.nextDates.checkInOn, ctx.locale) })
        : '';
  return `${evaluated} ${format(t.standsNow, { step: short(c.currentStep?.stepId ?? null), next })}`;
}

/** What the proposed next step asks for (after outcome b); escalating itself is the ladder flow. */
export function nextStepCard(ctx: CaseCardContext, step: Step): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const needs = step.requires.map((requirement) =>
    requirement.kind === 'consent' && requirement.signed
      ? t.nextStep.requirementKinds['signed-consent']
      : t.nextStep.requirementKinds[requirement.kind],
  );
  return renderCard('next-step', {
    t,
    title: format(t.nextStep.title, { step: step.labels[ctx.locale] }),
    caseLine: caseLine(ctx),
    description: step.description[ctx.locale],
    needs,
    approval: step.requires.some((requirement) => requirement.kind === 'leader-approval'),
    buttons: [
      // The move itself first: start the step, or ask the leader where the ladder says so.
      {
        title: step.requires.some((requirement) => requirement.kind === 'leader-approval') ? t.nextStep.askApproval : t.nextStep.start,
        data: showView(ctx.case, 'next-step'),
      },
      { title: t.caseCard.toCase, data: showView(ctx.case, 'case') },
      { title: t.caseCard.myCases, data: { verb: 'cases.mine' } },
    ],
  });
}

/**
 * "hjelp" about the case the person is working on: one sentence for where it stands in the flow,
 * with the step's name and the next date once it is on the ladder (or the planned conversation).
 */
export function whereYouAreText(locale: Locale, ladder: Ladder, c: Case, position: UroPosition): string {
  const t = catalogue(locale);
  const help = format(t.uro.help[position], { step: stepLabel(ladder, c.currentStep?.stepId ?? null, locale) });
  const next = nextDate(c);
  const extra =
    position === 'on-ladder' && next
      ? ` ${format(t.uro.helpNextDate, { date: formatDay(next, locale) })}`
      : position === 'conversation' && c.nextDates.conversationOn
        ? ` ${format(t.uro.helpConversationOn, { date: formatDay(c.nextDates.conversationOn, locale) })}`
        : '';
  return format(t.resume.whereYouAre, { code: c.id, help: `${help}${extra}` });
}

export type MyCaseLine = { case: Case; position: UroPosition; offered: boolean };

/** `ladderOf` gives each case's own ladder (a case keeps the ladder it was opened on). */
export function myCasesCard(
  locale: Locale,
  ladderOf: (c: Case) => Ladder,
  lines: readonly MyCaseLine[],
  paging?: ListPaging,
): AdaptiveCardJson {
  const t = catalogue(locale);
  return caseListCard(
    locale,
    t.myCases.title,
    t.myCases.empty,
    lines.map(({ case: c, position, offered }) => {
      const next = nextDate(c);
      const step = c.currentStep ? stepLabel(ladderOf(c), c.currentStep.stepId, locale) : t.uro.positions[position];
      return {
        heading: listHeading(c),
        line: offered
          ? t.myCases.offered
          : next
            ? format(t.myCases.line, { step, date: formatDay(next, locale) })
            : format(t.myCases.lineNoDate, { step }),
        // Named after the case: a screen reader (and anyone scanning the list) hears which case each button opens.
        button: offered ? format(t.caseCard.open, { code: c.id }) : format(t.resume.continue, { code: c.id }),
        data: offered ? { verb: 'baton.view', caseId: c.id, unitId: c.unitId } : showView(c, 'next'),
      };
    }),
    [
      { title: t.myCases.newCase, data: { verb: 'uro.new' } },
      { title: t.myCases.closed, data: { verb: 'cases.closed' } },
    ],
    paging,
  );
}

/** The person's closed cases, while Laget keeps them: each with the day it is deleted, and a button to open (and reopen) it. */
export function closedCasesCard(
  locale: Locale,
  cases: readonly Case[],
  deletedOn: (c: Case) => string | null,
  paging?: ListPaging,
): AdaptiveCardJson {
  const t = catalogue(locale);
  return caseListCard(
    locale,
    t.myCases.closedTitle,
    t.myCases.closedEmpty,
    cases.map((c) => {
      const day = deletedOn(c);
      return {
        heading: listHeading(c),
        line: format(t.myCases.closedLine, {
          reason: c.closed ? t.work.closeReasons[c.closed.reason] : '',
          date: day ? formatDay(day, locale) : '',
        }),
        button: format(t.caseCard.open, { code: c.id }),
        data: showView(c, 'case'),
      };
    }),
    [{ title: t.caseCard.myCases, data: { verb: 'cases.mine' } }],
    paging,
  );
}

/** A proactive reminder in personal chat to fill in part C on the day of the planned conversation. (On the evaluation and check-in dates the evaluation card itself is the reminder.) */
export function reminderCard(locale: Locale, c: Pick<Case, 'id' | 'unitId' | 'alias'>): AdaptiveCardJson {
  const t = catalogue(locale);
  const code = c.alias ? `${c.id} (${c.alias})` : c.id;
  return renderCard('reminder', {
    title: format(t.reminders.partCTitle, { code }),
    text: t.reminders.partCText,
    buttons: [{ title: t.reminders.partCButton, data: showView(c, 'part-c') }],
  });
}

/** An action past its deadline, the morning after: mark it done, or give it a new deadline (or another owner). */
export function actionReminderCard(
  locale: Locale,
  c: Pick<Case, 'id' | 'unitId' | 'alias'>,
  action: Pick<Action, 'id' | 'what' | 'dueOn'>,
): AdaptiveCardJson {
  const t = catalogue(locale);
  const code = c.alias ? `${c.id} (${c.alias})` : c.id;
  return renderCard('reminder', {
    title: format(t.reminders.actionOverdueTitle, { code }),
    text: format(t.reminders.actionOverdueText, { what: action.what, date: formatDay(action.dueOn, locale) }),
    buttons: [
      { title: t.work.markDone, data: showView(c, 'action-done', action.id) },
      { title: t.reminders.newDeadline, data: showView(c, 'action-edit', action.id) },
    ],
  });
}
