import type { Case } from '../domain/case';
import { currentZoneId, nextDate } from '../domain/case';
import type { Ladder, Step } from '../domain/ladder';
import type { UroPosition } from '../domain/uro-progress';
import { catalogue, format, formatDay, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { stepLabel } from './labels';
import { caseSubmit, showView } from './payloads';
import { caseListCard, type ListPaging } from './case-list';
import { renderCard } from './render';
import { ownerButtons, waitingLine } from './ladder';
import { caseLine, type CaseCardContext } from './uro';

/** Cards about a case once it exists: the overview, the evaluation, the next step, "mine saker", reminders. */

export { stepLabel };

export type OverviewNotice = { text: string; style: 'good' | 'attention' | 'emphasis' };

/** The owner's overview of a case, with what they can do next. */
export function caseOverviewCard(ctx: CaseCardContext, notice?: OverviewNotice): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const c = ctx.case;
  const zone = ctx.ladder.zones.zones.find((z) => z.id === currentZoneId(c));
  const unit = ctx.municipality.units.find((u) => u.id === c.unitId);
  const next = nextDate(c);
  const facts = [
    [t.caseCard.alias, c.alias ?? t.caseCard.none],
    [t.caseCard.unit, unit?.name ?? c.unitId],
    [t.caseCard.step, stepLabel(ctx.ladder, c.currentStep?.stepId ?? null, ctx.locale)],
    [t.caseCard.status, t.caseCard.statuses[c.status]],
    [t.caseCard.nextDate, next ? formatDay(next, ctx.locale) : t.caseCard.none],
    [t.caseCard.zone, zone ? zone.labels[ctx.locale] : t.caseCard.none],
    [t.caseCard.leader, c.nearestLeader.name],
  ].map(([title, value]) => ({ title, value }));
  const waiting = waitingLine(ctx);
  const shown = notice ?? (waiting ? { text: waiting, style: 'emphasis' as const } : undefined);
  return renderCard('case-overview', {
    t,
    title: caseLine(ctx),
    notice: shown?.text ?? '',
    noticeStyle: shown?.style ?? 'default',
    facts,
    goals: c.goals.map((goal) => ({ text: `${goal.text} (${t.caseCard.by} ${formatDay(goal.targetOn, ctx.locale)})` })),
    actionsDone: c.actions.map((action) => ({
      text: `${action.what} (${t.caseCard.by} ${formatDay(action.dueOn, ctx.locale)})${action.done ? ` – ${t.caseCard.done}` : ''}`,
      done: action.done !== null,
    })),
    buttons: c.currentStep
      ? ownerButtons(ctx)
      : [
          { title: t.caseCard.report, data: showView(c, 'report') },
          { title: t.caseCard.myCases, data: { verb: 'cases.mine' } },
        ],
    secondary: [{ title: t.export.button, data: { verb: 'case.export', caseId: c.id, unitId: c.unitId } }],
  });
}

/** What the evaluation card needs: no municipality, so the reminder composer can draw it too. */
export type EvaluationCardContext = Pick<CaseCardContext, 'locale' | 'case' | 'etag' | 'ladder' | 'today' | 'draft'>;

/**
 * "Has the child got better?" (a/b). Opened from the case, and sent itself as the reminder on the
 * evaluation date — drawn at send time with the case's ETag then, and a line saying it is the day.
 */
export function evaluationCard(ctx: EvaluationCardContext, options: { evaluationDay?: boolean } = {}): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const c = ctx.case;
  const code = c.alias ? `${c.id} (${c.alias})` : c.id;
  const draft = ctx.draft ?? {};
  return renderCard('evaluation', {
    t,
    banner: options.evaluationDay ? format(t.evaluation.evaluationDay, { code }) : '',
    title: format(t.evaluation.title, { code }),
    intro: format(t.evaluation.intro, { step: stepLabel(ctx.ladder, c.currentStep?.stepId ?? null, ctx.locale) }),
    goals: c.goals.map((goal) => ({ text: goal.text })),
    today: ctx.today,
    outcome: draft.outcome === 'a' || draft.outcome === 'b' ? draft.outcome : '',
    comment: draft.comment ?? '',
    nextOn: draft.nextOn ?? '',
    submit: caseSubmit('case.evaluation', { caseId: c.id, unitId: c.unitId, rev: ctx.etag }),
    back: showView(c, 'case'),
  });
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
        heading: c.alias ? `${c.id} · ${c.alias}` : c.id,
        line: offered
          ? t.myCases.offered
          : next
            ? format(t.myCases.line, { step, date: formatDay(next, locale) })
            : format(t.myCases.lineNoDate, { step }),
        button: offered ? t.notices.open : t.caseCard.continue,
        data: offered ? { verb: 'baton.view', caseId: c.id, unitId: c.unitId } : showView(c, 'next'),
      };
    }),
    [{ title: t.myCases.newCase, data: { verb: 'uro.new' } }],
    paging,
  );
}

export type ReminderKind = 'part-c' | 'evaluation' | 'check-in';

/**
 * A proactive reminder in personal chat on the day a date falls due, with a button to the card.
 * On the evaluation date the evaluation card itself is the reminder (see `evaluationCard`).
 */
export function reminderCard(
  locale: Locale,
  c: Pick<Case, 'id' | 'unitId' | 'alias'>,
  kind: Exclude<ReminderKind, 'evaluation'>,
): AdaptiveCardJson {
  const t = catalogue(locale);
  const code = c.alias ? `${c.id} (${c.alias})` : c.id;
  const content = {
    'part-c': { title: t.reminders.partCTitle, text: t.reminders.partCText, button: t.reminders.partCButton, view: 'part-c' as const },
    'check-in': {
      title: t.reminders.checkInTitle,
      text: t.reminders.checkInText,
      button: t.caseCard.evaluate,
      view: 'evaluation' as const,
    },
  }[kind];
  return renderCard('reminder', {
    title: format(content.title, { code }),
    text: content.text,
    buttons: [{ title: content.button, data: showView(c, content.view) }],
  });
}
