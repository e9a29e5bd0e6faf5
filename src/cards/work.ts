import type { Case } from '../domain/case';
import { consentsInForce } from '../domain/consent';
import type { Ladder } from '../domain/ladder';
import { findStep } from '../domain/ladder-steps';
import { addDays, addMonths, dayOf } from '../domain/time';
import { meetingItems, meetingKind, workList, type WorkStatus } from '../domain/work-list';
import { catalogue, format, formatDay } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { choiceInput, dateInput, heading, textInput, toggleInput } from './inputs';
import { stepShortLabel } from './labels';
import { caseSubmit, showView, type Verb } from './payloads';
import { renderCard } from './render';
import type { ActionData, CardButton } from './templates';
import { caseLine, drafted, refOf, type CaseCardContext } from './uro';

/**
 * The cards of the work on a case between the moves of the ladder: the step's work list (drawn
 * from the ladder's data), and one small form per kind of record — the minutes of a meeting and
 * their signatures, a goal, an action (done, or changed), the child's voice, a new date, closing
 * and reopening. Each form is one decision, carries the case's ETag, and is drawn again holding
 * what was typed when it cannot be saved.
 */

type WorkContext = Pick<CaseCardContext, 'locale' | 'case' | 'ladder'>;

export type WorkLine = { text: string; done: boolean; gate: boolean; button: string; data: ActionData | null };

/** The button that records what a work item still lacks: the form for its kind of record, or the signatures of minutes that lack them. */
export function workButton(ctx: WorkContext, status: WorkStatus): CardButton {
  const t = catalogue(ctx.locale).work;
  const c = ctx.case;
  const record = status.item.record;
  if (status.unsigned) return { title: t.buttons.sign, data: showView(c, 'sign-meeting', status.unsigned.id) };
  switch (record.kind) {
    case 'meeting':
      return { title: t.buttons.meeting, data: showView(c, 'meeting', record.meeting) };
    case 'goal':
      return { title: t.buttons.goal, data: showView(c, 'goal') };
    case 'action':
      return { title: t.buttons.action, data: showView(c, 'action') };
    case 'child-voice':
      return { title: t.buttons['child-voice'], data: showView(c, 'voice') };
  }
}

/** The current step's work list as lines: done, or missing with the button that records it. */
export function workLines(ctx: WorkContext, only: (status: WorkStatus) => boolean = () => true): WorkLine[] {
  const t = catalogue(ctx.locale).work;
  return workList(ctx.case, ctx.ladder)
    .filter(only)
    .map((status) => {
      const label = status.item.labels[ctx.locale];
      const counted = status.item.min > 1 ? format(t.count, { label, done: status.done, min: status.item.min }) : label;
      const unsigned = status.unsigned
        ? ` ${format(status.unsigned.signatures.some((s) => s.kind === 'staff') ? t.unsignedParents : t.unsignedOwner, {
            date: formatDay(status.unsigned.heldOn, ctx.locale),
          })}`
        : '';
      const button = status.complete ? null : workButton(ctx, status);
      return {
        text: `${format(status.complete ? t.done : t.missing, { label: counted })}${unsigned}`,
        done: status.complete,
        gate: status.item.beforeEvaluation,
        button: button?.title ?? '',
        data: button?.data ?? null,
      };
    });
}

function form(
  ctx: CaseCardContext,
  content: {
    title: string;
    intro?: string[];
    note?: string;
    inputs: object[];
    submitTitle: string;
    verb: Verb;
    extraData?: Record<string, string>;
    destructive?: boolean;
    extra?: CardButton[];
  },
): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  return renderCard('case-form', {
    title: content.title,
    caseLine: caseLine(ctx),
    intro: content.intro ?? [],
    note: content.note ?? '',
    inputs: content.inputs,
    submitTitle: content.submitTitle,
    submitStyle: content.destructive ? 'destructive' : 'positive',
    submit: { ...caseSubmit(content.verb, refOf(ctx)), ...(content.extraData ?? {}) },
    extra: [...(content.extra ?? []), { title: t.common.back, data: showView(ctx.case, 'case') }],
  });
}

/** Who can do an action: the owner, the parents, the child, a colleague, or a service the consent in force covers. */
function whoChoices(ctx: CaseCardContext): { title: string; value: string }[] {
  const t = catalogue(ctx.locale);
  const covered = [...new Set(consentsInForce(ctx.case.consents, ctx.now).flatMap((consent) => consent.services))];
  return [
    ...(['me', 'parents', 'child', 'colleague'] as const).map((who) => ({ title: t.uro.who[who], value: who })),
    ...covered.map((id) => ({
      title: format(t.work.serviceWho, { service: ctx.ladder.services.find((s) => s.id === id)?.labels[ctx.locale] ?? id }),
      value: `service:${id}`,
    })),
  ];
}

/** The latest day the current step's period allows (its maximum from the day the period began). */
function latestOnStep(c: Case, ladder: Ladder): string | null {
  const step = c.currentStep ? findStep(ladder, c.currentStep.stepId) : undefined;
  if (!step?.period || !c.currentStep) return null;
  return addDays(c.currentStep.periodStartedOn, step.period.maxDays);
}

/** The minutes of a meeting the ladder names, with what the step asks of them (both parents, services, signatures). */
export function meetingCard(ctx: CaseCardContext, kindId: string): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  const kind = meetingKind(ctx.ladder, kindId);
  const step = ctx.case.currentStep ? findStep(ctx.ladder, ctx.case.currentStep.stepId) : undefined;
  const asks = meetingItems(step, kindId);
  const item = step?.work.find((i) => i.record.kind === 'meeting' && i.record.meeting === kindId);
  const wantsServices = asks.some((r) => r.minServices !== undefined) || (step?.sharesWithServices ?? null) !== null;
  const wantsParentsSignature = asks.some((r) => r.signedBy.includes('parents'));
  const latest = latestOnStep(ctx.case, ctx.ladder);
  const d = (id: string, stored?: string) => drafted(ctx, id, stored);
  const covered = [...new Set(consentsInForce(ctx.case.consents, ctx.now).flatMap((consent) => consent.services))];
  const inputs: object[] = [
    dateInput({
      id: 'heldOn',
      label: w.heldOnLabel,
      required: true,
      max: ctx.today,
      error: t.inputErrors.dateUntilToday,
      value: d('heldOn', ctx.today),
    }),
    choiceInput({
      id: 'parents',
      label: w.parentsLabel,
      required: true,
      error: w.parentsError,
      expanded: true,
      choices: (['both', 'one', 'none'] as const).map((value) => ({ title: w.parents[value], value })),
      value: d('parents', asks.some((r) => r.parents === 'both') || asks.some((r) => r.parents === 'any') ? 'both' : ''),
    }),
    ...(wantsServices
      ? [
          choiceInput({
            id: 'services',
            label: w.servicesLabel,
            multi: true,
            choices: ctx.ladder.services.map((s) => ({ title: s.labels[ctx.locale], value: s.id })),
            value: d('services', (ctx.case.currentStep?.services ?? covered).join(',')),
          }),
        ]
      : []),
    toggleInput({ id: 'leaderPresent', label: w.leaderPresentLabel, title: w.leaderPresentLabel, value: d('leaderPresent', 'false') }),
    toggleInput({ id: 'childPresent', label: w.childPresentLabel, title: w.childPresentLabel, value: d('childPresent', 'false') }),
    textInput({
      id: 'conclusions',
      label: w.conclusionsLabel,
      required: true,
      error: w.conclusionsError,
      multiline: true,
      maxLength: 2000,
      value: d('conclusions'),
    }),
    heading(w.agreedWhatLabel),
    textInput({ id: 'actionWhat', label: w.actionWhatLabel, maxLength: 300, value: d('actionWhat') }),
    choiceInput({ id: 'actionWho', label: w.agreedWhoLabel, choices: whoChoices(ctx), value: d('actionWho', 'me') }),
    dateInput({ id: 'actionDue', label: w.agreedDueLabel, min: ctx.today, error: w.agreedDueError, value: d('actionDue') }),
    ...(latest
      ? [
          dateInput({
            id: 'nextEvaluationOn',
            label: format(w.nextEvaluationLabel, { latest: formatDay(latest, ctx.locale) }),
            min: ctx.today,
            max: latest,
            error: format(t.inputErrors.evaluationDate, { latest: formatDay(latest, ctx.locale) }),
            value: d('nextEvaluationOn'),
          }),
        ]
      : []),
    toggleInput({ id: 'sign', label: w.signLabel, title: w.signTitle, value: d('sign', 'false') }),
    ...(wantsParentsSignature ? parentsSignatureInputs(ctx) : []),
  ];
  return form(ctx, {
    title: kind?.labels[ctx.locale] ?? kindId,
    intro: [w.meetingIntro, ...(item ? [format(w.asks, { label: item.labels[ctx.locale] })] : [])],
    note: wantsParentsSignature ? w.paperNote : '',
    inputs,
    submitTitle: w.saveMeeting,
    verb: 'case.meeting',
    extraData: { meeting: kindId },
  });
}

function parentsSignatureInputs(ctx: CaseCardContext): object[] {
  const t = catalogue(ctx.locale);
  const w = t.work;
  const d = (id: string, stored?: string) => drafted(ctx, id, stored);
  return [
    dateInput({
      id: 'parentsSignedOn',
      label: w.parentsSignedOnLabel,
      max: ctx.today,
      error: t.inputErrors.dateUntilToday,
      value: d('parentsSignedOn'),
    }),
    textInput({ id: 'archivedAt', label: w.archivedAtLabel, placeholder: w.archivedAtPlaceholder, maxLength: 200, value: d('archivedAt') }),
    dateInput({ id: 'archivedOn', label: w.archivedOnLabel, max: ctx.today, error: t.inputErrors.dateUntilToday, value: d('archivedOn') }),
  ];
}

/** Signatures added to minutes after the meeting: the owner's, and the parents' on paper with where it is archived. */
export function signMeetingCard(ctx: CaseCardContext, meetingId: string): AdaptiveCardJson {
  const w = catalogue(ctx.locale).work;
  const meeting = ctx.case.meetings.find((m) => m.id === meetingId);
  const kind = meeting ? meetingKind(ctx.ladder, meeting.kind) : undefined;
  const ownerSigned = meeting?.signatures.some((s) => s.kind === 'staff') ?? false;
  return form(ctx, {
    title: format(w.signTitleCard, {
      meeting: kind?.labels[ctx.locale] ?? '',
      date: meeting ? formatDay(meeting.heldOn, ctx.locale) : '',
    }),
    note: w.paperNote,
    inputs: [
      ...(ownerSigned ? [] : [toggleInput({ id: 'sign', label: w.signLabel, title: w.signTitle, value: drafted(ctx, 'sign', 'false') })]),
      ...parentsSignatureInputs(ctx),
    ],
    submitTitle: w.saveSignatures,
    verb: 'case.sign-meeting',
    extraData: { meetingId },
  });
}

export function goalCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  const latest = latestOnStep(ctx.case, ctx.ladder);
  return form(ctx, {
    title: w.goalTitle,
    inputs: [
      textInput({
        id: 'text',
        label: w.goalTextLabel,
        placeholder: w.goalTextPlaceholder,
        required: true,
        error: w.goalTextError,
        maxLength: 300,
        value: drafted(ctx, 'text', undefined),
      }),
      dateInput({
        id: 'targetOn',
        label: w.goalDateLabel,
        required: true,
        min: ctx.today,
        error: t.inputErrors.dateFromToday,
        value: drafted(ctx, 'targetOn', latest ?? addDays(ctx.today, 28)),
      }),
    ],
    submitTitle: w.saveGoal,
    verb: 'case.goal',
  });
}

export function actionCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  return form(ctx, {
    title: w.actionTitle,
    inputs: [
      textInput({
        id: 'what',
        label: w.actionWhatLabel,
        required: true,
        error: w.actionWhatError,
        maxLength: 300,
        value: drafted(ctx, 'what', undefined),
      }),
      choiceInput({
        id: 'who',
        label: w.actionWhoLabel,
        required: true,
        error: w.actionWhoLabel,
        choices: whoChoices(ctx),
        value: drafted(ctx, 'who', 'me'),
      }),
      dateInput({
        id: 'dueOn',
        label: w.actionDueLabel,
        required: true,
        min: ctx.today,
        error: t.inputErrors.dateFromToday,
        value: drafted(ctx, 'dueOn', latestOnStep(ctx.case, ctx.ladder) ?? addDays(ctx.today, 14)),
      }),
    ],
    submitTitle: w.saveAction,
    verb: 'case.action',
  });
}

export function actionDoneCard(ctx: CaseCardContext, actionId: string): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const action = ctx.case.actions.find((a) => a.id === actionId);
  return form(ctx, {
    title: format(t.work.actionDoneTitle, { what: action?.what ?? '' }),
    inputs: [
      dateInput({
        id: 'doneOn',
        label: t.work.doneOnLabel,
        required: true,
        max: ctx.today,
        error: t.inputErrors.dateUntilToday,
        value: drafted(ctx, 'doneOn', ctx.today),
      }),
    ],
    submitTitle: t.work.markDone,
    verb: 'case.action-done',
    extraData: { actionId },
  });
}

export function actionEditCard(ctx: CaseCardContext, actionId: string): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const action = ctx.case.actions.find((a) => a.id === actionId);
  const who = action?.who;
  const current =
    who?.kind === 'staff'
      ? who.person.id === ctx.case.owner.id
        ? 'me'
        : 'colleague'
      : who?.kind === 'service'
        ? `service:${who.serviceId}`
        : (who?.kind ?? 'me');
  return form(ctx, {
    title: format(t.work.actionEditTitle, { what: action?.what ?? '' }),
    inputs: [
      choiceInput({
        id: 'who',
        label: t.work.actionWhoLabel,
        required: true,
        error: t.work.actionWhoLabel,
        choices: whoChoices(ctx),
        value: drafted(ctx, 'who', current === 'other' ? 'colleague' : current),
      }),
      dateInput({
        id: 'dueOn',
        label: t.work.actionDueLabel,
        required: true,
        min: ctx.today,
        error: t.inputErrors.dateFromToday,
        value: drafted(ctx, 'dueOn', action?.dueOn),
      }),
    ],
    submitTitle: t.work.saveEdit,
    verb: 'case.action-edit',
    extraData: { actionId },
  });
}

export function voiceCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  return form(ctx, {
    title: w.voiceTitle,
    intro: [w.voiceIntro],
    inputs: [
      textInput({
        id: 'text',
        label: w.voiceTextLabel,
        required: true,
        error: w.voiceTextError,
        multiline: true,
        maxLength: 2000,
        value: drafted(ctx, 'text', undefined),
      }),
      dateInput({
        id: 'heardOn',
        label: w.heardOnLabel,
        required: true,
        max: ctx.today,
        error: t.inputErrors.dateUntilToday,
        value: drafted(ctx, 'heardOn', ctx.today),
      }),
      choiceInput({
        id: 'how',
        label: w.howLabel,
        required: true,
        error: w.howLabel,
        expanded: true,
        choices: (['said', 'conversation', 'drawing-or-play', 'other'] as const).map((value) => ({ title: w.how[value], value })),
        value: drafted(ctx, 'how', 'said'),
      }),
    ],
    submitTitle: w.saveVoice,
    verb: 'case.voice',
  });
}

/** A new evaluation or check-in date, within the step's maximum (the input's max and its error say the latest day). */
export function rescheduleCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  const kind = ctx.case.nextDates.checkInOn !== null ? 'check-in' : 'evaluation';
  const latest = latestOnStep(ctx.case, ctx.ladder) ?? ctx.today;
  const latestText = formatDay(latest, ctx.locale);
  return form(ctx, {
    title: format(w.rescheduleTitle, { what: w.rescheduleWhat[kind] }),
    inputs: [
      dateInput({
        id: 'on',
        label: format(w.rescheduleOnLabel, { latest: latestText }),
        required: true,
        min: ctx.today,
        max: latest,
        error: format(t.inputErrors.evaluationDate, { latest: latestText }),
        value: drafted(ctx, 'on', (kind === 'check-in' ? ctx.case.nextDates.checkInOn : ctx.case.nextDates.evaluationOn) ?? undefined),
      }),
      textInput({
        id: 'reason',
        label: w.rescheduleReasonLabel,
        required: true,
        error: w.rescheduleReasonError,
        maxLength: 300,
        value: drafted(ctx, 'reason', undefined),
      }),
    ],
    submitTitle: w.saveDate,
    verb: 'case.reschedule',
  });
}

/** When a closed case is deleted: the retention period after it was closed. */
export function deletionDay(c: Case, ctx: Pick<CaseCardContext, 'municipality'>, timeZone: string): string | null {
  return c.closed ? dayOf(addMonths(c.closed.at, ctx.municipality.retentionMonthsAfterClosure), timeZone) : null;
}

/** Closing: the reason from the short list, with the export offered first and the day the case will be deleted. */
export function closeCard(ctx: CaseCardContext, timeZone: string): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  const deleteOn = dayOf(addMonths(ctx.now.toISOString(), ctx.municipality.retentionMonthsAfterClosure), timeZone);
  return form(ctx, {
    title: w.closeTitle,
    intro: [format(w.closeIntro, { date: formatDay(deleteOn, ctx.locale) })],
    inputs: [
      choiceInput({
        id: 'reason',
        label: w.closeReasonLabel,
        required: true,
        error: w.closeReasonError,
        expanded: true,
        choices: (['resolved', 'moved-away', 'taken-over', 'reported', 'other'] as const).map((value) => ({
          title: w.closeReasons[value],
          value,
        })),
        value: drafted(ctx, 'reason', ''),
      }),
    ],
    submitTitle: w.closeButton,
    verb: 'case.close',
    destructive: true,
    extra: [{ title: t.export.button, data: { verb: 'case.export', caseId: ctx.case.id, unitId: ctx.case.unitId } }],
  });
}

export function reopenCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const w = t.work;
  const step = ctx.case.currentStep ? findStep(ctx.ladder, ctx.case.currentStep.stepId) : undefined;
  const latest = step?.period ? addDays(ctx.today, step.period.maxDays) : null;
  return form(ctx, {
    title: w.reopenTitle,
    intro: step ? [format(w.reopenIntro, { step: stepShortLabel(ctx.ladder, step.id, ctx.locale) })] : [],
    inputs:
      latest && step?.period
        ? [
            dateInput({
              id: 'evaluationOn',
              label: format(w.reopenDateLabel, { latest: formatDay(latest, ctx.locale) }),
              required: true,
              min: ctx.today,
              max: latest,
              error: format(t.inputErrors.evaluationDate, { latest: formatDay(latest, ctx.locale) }),
              value: drafted(ctx, 'evaluationOn', addDays(ctx.today, step.period.defaultDays)),
            }),
          ]
        : [],
    submitTitle: w.reopen,
    verb: 'case.reopen',
  });
}

/** Deleting an abandoned draft, confirmed on its own card: what goes, and that it cannot be undone. */
export function deleteDraftCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  return form(ctx, {
    title: format(t.uro.deleteDraftTitle, { code: ctx.case.id }),
    intro: [t.uro.deleteDraftText],
    inputs: [],
    submitTitle: t.uro.deleteDraft,
    verb: 'uro.delete-draft',
    destructive: true,
  });
}
