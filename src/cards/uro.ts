import type { Case } from '../domain/case';
import { currentZoneId } from '../domain/case';
import type { Ladder } from '../domain/ladder';
import { findStep } from '../domain/ladder-steps';
import type { Municipality } from '../domain/municipality';
import type { PersonRef } from '../domain/primitives';
import { addDays } from '../domain/time';
import { WORRY_FORM_QUESTIONS, type WorryFormPart } from '../domain/worry-form';
import { uroPosition } from '../domain/uro-progress';
import { zonesByRank } from '../domain/zones';
import { catalogue, format, formatDay, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { phoneLink, urlLink } from './common';
import { dateInput, textInput, toggleInput } from './inputs';
import { caseSubmit, showView } from './payloads';
import { renderCard } from './render';

/**
 * The cards of the URO conversation ("Å ta opp uro"), one decision per card: safety first,
 * then the zone, parts A and B, the conversation guide, part C and stage 1 of the ladder.
 * Every card that changes the case carries the case's ETag, so an old card cannot overwrite
 * newer work.
 */

/** What every case card needs to know about the case it is drawn for. */
export type CaseCardContext = {
  locale: Locale;
  case: Case;
  etag: string;
  ladder: Ladder;
  municipality: Municipality;
  /** The turn's instant: "in force" and "due" are decided at this moment, never at a synthetic noon. */
  now: Date;
  /** Today in the municipality's time zone (YYYY-MM-DD), the day of `now`. */
  today: string;
  /** The municipality's time zone: where "in force until" a day and the times shown are read. */
  timeZone: string;
  /**
   * What the person typed on a card that could not be saved (an old card, a refusal, a bad field):
   * input values by id, shown instead of the stored answers so nothing typed is lost.
   */
  draft?: Readonly<Record<string, string>>;
};

export function caseLine(ctx: Pick<CaseCardContext, 'locale' | 'case'>): string {
  const t = catalogue(ctx.locale);
  const code = format(t.caseCard.title, { code: ctx.case.id });
  return ctx.case.alias ? `${code} · ${ctx.case.alias}` : code;
}

export function refOf(ctx: CaseCardContext) {
  return { caseId: ctx.case.id, unitId: ctx.case.unitId, rev: ctx.etag };
}

/** "Avbryt" on a card of a case: leaves the flow, keeps what is saved. */
function cancelOf(ctx: CaseCardContext) {
  return { verb: 'flow.cancel' as const, caseId: ctx.case.id, unitId: ctx.case.unitId };
}

/** A typed value from the draft, else the stored one. */
export function drafted(ctx: CaseCardContext, id: string, stored: string | undefined): string {
  return ctx.draft?.[id] ?? stored ?? '';
}

export type StartCardInput = {
  locale: Locale;
  /** The units the person works in (the directory), with their leaders: at least one. */
  units: readonly { id: string; name: string; leaders: readonly PersonRef[] }[];
  /** The person's last unit, preselected. */
  unitId?: string;
  /** Who is asking: a leader of the unit is never offered as their own nearest leader. */
  personId?: string;
};

/** Card 1: the safety questions that always come first, and the unit when the person works in several ("Hvor jobber du?"). */
export function uroStartCard(input: StartCardInput): AdaptiveCardJson {
  const units = input.units;
  const preselected = units.find((unit) => unit.id === input.unitId) ?? units[0]!;
  const candidates = preselected.leaders.filter((leader) => leader.id !== input.personId);
  const leaders = candidates.length > 1 ? candidates.map((leader) => ({ ...leader, unitName: preselected.name })) : [];
  return renderCard('uro-start', {
    t: catalogue(input.locale),
    units: units.map((unit) => ({ id: unit.id, name: unit.name })),
    unitId: preselected.id,
    leaders,
    submit: units.length > 1 ? { verb: 'uro.start' } : { verb: 'uro.start', unitId: preselected.id },
  });
}

/**
 * Whether the report path card may offer "I answered wrongly – close the case": the case is on the
 * report path because of how the start questions (or the acute zone) were answered, was just started
 * and nothing has been reported from it.
 */
function answeredWronglyCloses(c: Case, ladder: Ladder): boolean {
  return uroPosition(c, ladder) === 'report-path' && c.reports.length === 0 && c.worryForm.partA === null;
}

/** The direct report path (≤ 2 cards from the start): call for help, report, record what was done. */
export function reportPathCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const cw = ctx.municipality.childWelfare;
  const zone = currentZoneId(ctx.case);
  const emergencyZone = zone !== null && ctx.ladder.zones.zones.find((z) => z.id === zone)?.response === 'emergency';
  const position = uroPosition(ctx.case, ctx.ladder);
  const inFlow = position !== 'report-path' && position !== 'reported' && position !== 'closed';
  return renderCard('uro-report-path', {
    t,
    caseLine: caseLine(ctx),
    dangerNow: ctx.case.safety.dangerNow || emergencyZone,
    violence: ctx.case.safety.suspectedViolenceOrAbuse,
    // Phone numbers and the report page can be pressed: a call now must not need copying a number.
    dangerText: format(t.uro.reportPathDanger, {
      police: phoneLink('112'),
      emergencyName: cw.emergencyName,
      emergencyPhone: phoneLink(cw.emergencyPhone),
    }),
    noAutoReport: format(t.uro.noAutoReport, { name: cw.name, phone: phoneLink(cw.phone), url: urlLink(cw.reportUrl) }),
    reportUrl: cw.reportUrl,
    submit: { ...caseSubmit('uro.report', refOf(ctx)), drawnAt: ctx.now.toISOString() },
    // Rule 2 later: violence or abuse suspected after the start turns every parent card into this one.
    showSuspect: !ctx.case.safety.suspectedViolenceOrAbuse && ctx.case.status !== 'closed',
    suspect: { verb: 'uro.suspect', caseId: ctx.case.id, unitId: ctx.case.unitId },
    showAnsweredWrong: answeredWronglyCloses(ctx.case, ctx.ladder),
    answeredWrong: { ...caseSubmit('uro.close', refOf(ctx)), why: 'answered-wrong' },
    // From a card of the flow (the case is not on the report path itself): back to where the person was.
    showBack: inFlow,
    back: showView(ctx.case, 'next'),
  });
}

export function zoneCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  return renderCard('uro-zone', {
    t,
    caseLine: caseLine(ctx),
    zones: zonesByRank(ctx.ladder.zones).map((zone) => ({
      id: zone.id,
      label: zone.labels[ctx.locale],
      guidance: zone.guidance[ctx.locale][0] ?? '',
    })),
    selected: drafted(ctx, 'zoneId', currentZoneId(ctx.case) ?? undefined),
    submit: caseSubmit('uro.zone', refOf(ctx)),
    report: showView(ctx.case, 'report'),
    cancel: cancelOf(ctx),
  });
}

export function noWorryCard(ctx: CaseCardContext): AdaptiveCardJson {
  return renderCard('uro-no-worry', {
    t: catalogue(ctx.locale),
    caseLine: caseLine(ctx),
    close: caseSubmit('uro.close', refOf(ctx)),
    back: showView(ctx.case, 'zone'),
  });
}

type Question = { key: string; label: string; required: boolean };

/** Required on the card although the stored form allows it empty (older cases have none). */
const REQUIRED_ON_CARD = new Set(['plannedOn']);

/** How many days ahead the planned conversation is suggested: soon, as the method asks (the same weekday next week). */
const CONVERSATION_DEFAULT_DAYS = 7;

/** The short message under a worry-form input that is missing or wrong. */
function inputError(ctx: CaseCardContext, key: string): string {
  const e = catalogue(ctx.locale).inputErrors;
  const byKey: Record<string, string> = {
    seenOrHeard: e.seenOrHeard,
    whatWorriesMe: e.whatWorriesMe,
    talkWith: e.talkWith,
    opening: e.opening,
    howItWent: e.howItWent,
    plannedOn: e.dateFromToday,
    heldOn: e.dateUntilToday,
  };
  return byKey[key] ?? e.required;
}

/** Input elements for a worry-form part, in the method's order, prefilled with earlier answers (or the draft). */
function formInputs(ctx: CaseCardContext, part: WorryFormPart, stored: Record<string, unknown>): object[] {
  const t = catalogue(ctx.locale);
  const questions: Question[] = WORRY_FORM_QUESTIONS[part].map((q) => ({
    key: q.key,
    label: q.labels[ctx.locale],
    required: q.required || REQUIRED_ON_CARD.has(q.key),
  }));
  const answers: Record<string, unknown> = { ...stored, ...(ctx.draft ?? {}) };
  const value = (key: string) => (typeof answers[key] === 'string' && answers[key] !== '' ? answers[key] : undefined);
  return questions.map((q) => {
    const common = {
      id: q.key,
      label: q.label,
      isRequired: q.required,
      errorMessage: inputError(ctx, q.key),
      ...(value(q.key) ? { value: value(q.key) } : {}),
    };
    if (q.key === 'talkWith') {
      return {
        ...common,
        type: 'Input.ChoiceSet',
        value: value(q.key) ?? 'both-parents',
        choices: Object.entries(t.uro.talkWith).map(([id, title]) => ({ title, value: id })),
      };
    }
    if (q.key === 'worryNowZoneId') {
      return {
        ...common,
        type: 'Input.ChoiceSet',
        choices: zonesByRank(ctx.ladder.zones).map((zone) => ({ title: zone.labels[ctx.locale], value: zone.id })),
      };
    }
    if (q.key === 'plannedOn')
      return { ...common, type: 'Input.Date', min: ctx.today, value: value(q.key) ?? addDays(ctx.today, CONVERSATION_DEFAULT_DAYS) };
    if (q.key === 'heldOn') return { ...common, type: 'Input.Date', max: ctx.today, value: value(q.key) ?? ctx.today };
    const short =
      q.key === 'sinceWhen' || q.key === 'howOften' || q.key === 'whyNotBoth' || q.key === 'othersAttending' || q.key === 'noteTaker';
    return { ...common, type: 'Input.Text', isMultiline: !short, maxLength: short ? 300 : 2000 };
  });
}

export function partACard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const zone = ctx.ladder.zones.zones.find((z) => z.id === currentZoneId(ctx.case));
  return renderCard('worry-form', {
    t,
    title: t.uro.partATitle,
    caseLine: caseLine(ctx),
    intro: t.uro.partAIntro,
    guidance: zone ? zone.guidance[ctx.locale] : [],
    showAlias: true,
    alias: drafted(ctx, 'alias', ctx.case.alias ?? undefined),
    inputs: formInputs(ctx, 'A', ctx.case.worryForm.partA?.answers ?? {}),
    submit: caseSubmit('uro.part-a', refOf(ctx)),
    back: showView(ctx.case, 'zone'),
    report: showView(ctx.case, 'report'),
    cancel: cancelOf(ctx),
  });
}

export function partBCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  return renderCard('worry-form', {
    t,
    title: t.uro.partBTitle,
    caseLine: caseLine(ctx),
    intro: t.uro.partBIntro,
    guidance: [],
    showAlias: false,
    alias: '',
    inputs: formInputs(ctx, 'B', ctx.case.worryForm.partB?.answers ?? {}),
    submit: caseSubmit('uro.part-b', refOf(ctx)),
    back: showView(ctx.case, 'part-a'),
    report: showView(ctx.case, 'report'),
    cancel: cancelOf(ctx),
  });
}

export function partCCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  return renderCard('worry-form', {
    t,
    title: t.uro.partCTitle,
    caseLine: caseLine(ctx),
    intro: t.uro.partCIntro,
    guidance: [],
    showAlias: false,
    alias: '',
    inputs: formInputs(ctx, 'C', ctx.case.worryForm.partC?.answers ?? {}),
    submit: caseSubmit('uro.part-c', refOf(ctx)),
    back: showView(ctx.case, 'guide'),
    report: showView(ctx.case, 'report'),
    cancel: cancelOf(ctx),
  });
}

/** The conversation guide, assembled from parts A and B: what to say, in the method's order. */
export function guideCard(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const a = ctx.case.worryForm.partA?.answers;
  const b = ctx.case.worryForm.partB?.answers;
  const sections = [
    [t.uro.guideOpening, b?.opening],
    [t.uro.guideSeen, [a?.seenOrHeard, a?.childSaidOrDid].filter(Boolean).join('\n\n')],
    [t.uro.guideWorry, a?.whatWorriesMe],
    [t.uro.guideCopes, a?.copesWellWhere],
    [t.uro.guideHope, b?.hopeFor],
    [t.uro.guideFear, b?.fear],
    [t.uro.guideHelp, b?.helpWeCanOffer],
    [t.uro.guideAsk, b?.askOfParents],
  ]
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '')
    .map(([heading, text]) => ({ heading, text }));
  const practical = [
    [t.uro.guideWho, b ? t.uro.talkWith[b.talkWith] : undefined],
    [t.uro.guideOthers, b?.othersAttending],
    [t.uro.guideNoteTaker, b?.noteTaker],
    [t.uro.guideWhen, b?.plannedOn ? formatDay(b.plannedOn, ctx.locale) : undefined],
  ]
    .filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '')
    .map(([title, value]) => ({ title, value }));
  return renderCard('uro-guide', {
    t,
    title: format(t.uro.guideTitle, { code: ctx.case.alias ? `${ctx.case.id} (${ctx.case.alias})` : ctx.case.id }),
    sections,
    practical,
    reminder: ctx.case.nextDates.conversationOn
      ? format(t.uro.guideReminder, { date: formatDay(ctx.case.nextDates.conversationOn, ctx.locale) })
      : t.uro.guideNoDate,
    partC: showView(ctx.case, 'part-c'),
    edit: showView(ctx.case, 'part-b'),
    report: showView(ctx.case, 'report'),
  });
}

/** Whether the ladder's first step asks for the signed note of the conversation with the parents, and the case has none yet. */
function needsParentNote(c: Case, ladder: Ladder): boolean {
  const step = findStep(ladder, ladder.startStep);
  const asks = step?.requires.some((requirement) => requirement.kind === 'signed-parent-note') ?? false;
  const has = c.notes.some((n) => n.kind === 'cooperation-start' && n.signatures.some((s) => s.kind === 'staff'));
  return asks && !has;
}

/**
 * Stage 1, one decision per card. Where the ladder asks for it (Aurskog-Høland 1b) the signed note
 * of the conversation with the parents comes first — with 1b's points, prefilled from part C —
 * then the goals and the evaluation date with 1a's points; actions are added on the case after.
 */
export function stage1Card(ctx: CaseCardContext): AdaptiveCardJson {
  const t = catalogue(ctx.locale);
  const step = findStep(ctx.ladder, ctx.ladder.startStep)!;
  const period = step.period ?? { defaultDays: 28, maxDays: 84 };
  const c = ctx.case.worryForm.partC?.answers;
  const note = needsParentNote(ctx.case, ctx.ladder);
  // The seed's points of each part: 1b with the note, 1a with the goals (a step without parts: its description).
  const partPoints = (talksToParents: boolean) =>
    step.parts.length > 0
      ? step.parts
          .filter((part) => part.talksToParents === talksToParents)
          .map((part) => ({ label: part.labels[ctx.locale], points: part.description[ctx.locale] }))
      : [{ label: step.labels[ctx.locale], points: step.description[ctx.locale] }];
  const common = {
    t,
    caseLine: caseLine(ctx),
    back: showView(ctx.case, 'part-c'),
    report: showView(ctx.case, 'report'),
    cancel: cancelOf(ctx),
  };
  if (note) {
    return renderCard('uro-stage-1', {
      ...common,
      title: t.uro.stage1NoteTitle,
      intro: t.uro.stage1NoteIntro,
      parts: partPoints(true),
      inputs: [
        dateInput({
          id: 'noteHeldOn',
          label: t.uro.noteHeldOnLabel,
          required: true,
          max: ctx.today,
          error: t.inputErrors.dateUntilToday,
          value: drafted(ctx, 'noteHeldOn', c?.heldOn ?? ctx.today),
        }),
        textInput({
          id: 'noteText',
          label: t.uro.noteTextLabel,
          required: true,
          error: t.inputErrors.note,
          multiline: true,
          maxLength: 2000,
          value: drafted(ctx, 'noteText', [c?.whatWasAgreed, c?.howItWent].filter(Boolean).join('\n\n')),
        }),
        toggleInput({
          id: 'sign',
          label: t.uro.signatureLabel,
          title: t.uro.signLabel,
          required: true,
          error: t.inputErrors.sign,
          value: ctx.draft?.sign === 'true' ? 'true' : 'false',
        }),
      ],
      submitTitle: t.uro.saveNote,
      submit: caseSubmit('uro.stage-1-note', refOf(ctx)),
    });
  }
  const latestEvaluation = addDays(ctx.today, period.maxDays);
  const latest = formatDay(latestEvaluation, ctx.locale);
  const goalInputs = [1, 2].flatMap((n) => [
    n === 1
      ? textInput({
          id: 'goal1Text',
          label: format(t.uro.goalLabel, { n }),
          maxLength: 300,
          required: true,
          error: t.inputErrors.goal,
          placeholder: t.uro.goalPlaceholder,
          value: drafted(ctx, 'goal1Text', ''),
        })
      : textInput({ id: `goal${n}Text`, label: format(t.uro.goalLabel, { n }), maxLength: 300, value: drafted(ctx, `goal${n}Text`, '') }),
    dateInput({
      id: `goal${n}Date`,
      label: `${format(t.uro.goalLabel, { n })}: ${t.uro.goalDateLabel.toLocaleLowerCase(ctx.locale === 'nb' ? 'nb' : 'en')}`,
      required: n === 1,
      min: ctx.today,
      error: t.inputErrors.dateFromToday,
      value: drafted(ctx, `goal${n}Date`, n === 1 ? addDays(ctx.today, period.defaultDays) : ''),
    }),
  ]);
  return renderCard('uro-stage-1', {
    ...common,
    title: t.uro.stage1Title,
    intro: t.uro.stage1Intro,
    parts: partPoints(false),
    inputs: [
      ...goalInputs,
      dateInput({
        id: 'evaluationOn',
        label: t.uro.evaluationLabel,
        required: true,
        min: ctx.today,
        max: latestEvaluation,
        error: format(t.inputErrors.evaluationDate, { latest }),
        value: drafted(ctx, 'evaluationOn', addDays(ctx.today, period.defaultDays)),
      }),
    ],
    submitTitle: t.uro.startStage1,
    submit: caseSubmit('uro.stage-1', refOf(ctx)),
  });
}

/** The card flow left ("avbryt"): the case is kept, with the way back to it — and, for a draft started by mistake, deleting it. */
export function cancelledCard(locale: Locale, ref: Pick<Case, 'id' | 'unitId'>, deletableDraft: boolean): AdaptiveCardJson {
  const t = catalogue(locale);
  return renderCard('notice', {
    title: format(t.uro.cancelled, { code: ref.id }),
    paragraphs: [],
    facts: [],
    buttons: [
      { title: format(t.resume.continue, { code: ref.id }), data: showView(ref, 'next') },
      ...(deletableDraft ? [{ title: t.uro.deleteDraft, data: showView(ref, 'delete-draft') }] : []),
    ],
  });
}
