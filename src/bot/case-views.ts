import type { TurnContext as BotTurnContext } from 'botbuilder';
import { caseOverviewCard, evaluationCard, nextStepCard, type OverviewNotice } from '../cards/case';
import { fieldLabel, refusalCard } from '../cards/common';
import { CardCheckFailed, type AdaptiveCardJson } from '../cards/guards';
import { consentCard, handoverCard, handoverOfferCard, leaderCaseCard, stepEntryCard, teamCaseCard } from '../cards/ladder';
import { bringToTeamCard, type TeamChoice } from '../cards/teams';
import type { UroView } from '../cards/payloads';
import {
  guideCard,
  noWorryCard,
  partACard,
  partBCard,
  partCCard,
  reportPathCard,
  stage1Card,
  zoneCard,
  type CaseCardContext,
} from '../cards/uro';
import { teamWithConsent, type AccessBasis } from '../domain/access';
import { currentZoneId, type Case } from '../domain/case';
import { teamView } from '../domain/views';
import { findStep } from '../domain/ladder-steps';
import type { Ladder } from '../domain/ladder';
import { hasElevenDigitRun } from '../domain/national-id';
import type { PersonRef } from '../domain/primitives';
import { parentTalkBlocked } from '../domain/rules';
import { uroPosition, type UroPosition } from '../domain/uro-progress';
import { WORRY_FORM_QUESTIONS, type WorryFormPart } from '../domain/worry-form';
import { catalogue, format, formatDay, refusalText, type Locale } from '../i18n';
import type { CaseRef } from '../store/case-repository';
import type { Versioned } from '../store/documents';
import type { CaseCommand, Done, Opened, Refused } from '../workflow/case-service';
import { localeOf, sendCard } from './replies';
import { personOf, turnOf, type Services } from './services';
import { dayOf } from '../domain/time';

export type OnCase = { caseId: string; unitId: string; rev: string };

/** The views that prepare or record a conversation with the parents. */
const PARENT_VIEWS: readonly UroView[] = ['part-b', 'guide', 'part-c', 'stage-1'];

/** The view of the case each submit verb of the URO flow was drawn for. */
const VIEW_OF_VERB: Readonly<Record<string, UroView>> = {
  'uro.zone': 'zone',
  'uro.part-a': 'part-a',
  'uro.part-b': 'part-b',
  'uro.part-c': 'part-c',
  'uro.stage-1': 'stage-1',
  'case.evaluation': 'evaluation',
  'uro.report': 'report',
};

/** The view a submit verb of the URO flow was drawn for, if it is one. */
export function viewOfVerb(verb: string): UroView | undefined {
  return Object.hasOwn(VIEW_OF_VERB, verb) ? VIEW_OF_VERB[verb] : undefined;
}

/** A card the person sent that could not be used: its verb and the values on it. */
export type Submitted = { verb: string; values: unknown };

/** Keys of a payload that are not inputs a person typed in. */
const NOT_TYPED = new Set(['verb', 'caseId', 'unitId', 'rev', 'view', 'msteams']);

/**
 * What the person typed on a card, as input values by id, to show on the card again: strings only,
 * bounded, and never a value shaped like a national identity number (that one they type again).
 */
export function draftOf(values: unknown): Record<string, string> {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return {};
  const draft: Record<string, string> = {};
  for (const [key, value] of Object.entries(values as Record<string, unknown>).slice(0, 60)) {
    if (NOT_TYPED.has(key) || !/^[A-Za-z][A-Za-z0-9]{0,39}$/.test(key) || typeof value !== 'string') continue;
    if (hasElevenDigitRun(value)) continue;
    draft[key] = value.slice(0, 2000);
  }
  return draft;
}

/** A typed value as the domain stores it: trimmed, and nothing for an empty input. */
function normalised(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Whether what an old card of `view` sent is exactly what the case holds now (nothing would change). */
export function alreadySaved(c: Case, view: UroView, values: unknown): boolean {
  if (!values || typeof values !== 'object') return false;
  const sent = values as Record<string, unknown>;
  const same = (stored: Record<string, unknown> | undefined, part: WorryFormPart) =>
    stored !== undefined && WORRY_FORM_QUESTIONS[part].every((q) => normalised(sent[q.key]) === normalised(stored[q.key]));
  switch (view) {
    case 'zone':
      return normalised(sent.zoneId) === (currentZoneId(c) ?? undefined);
    case 'part-a':
      return normalised(sent.alias) === (c.alias ?? undefined) && same(c.worryForm.partA?.answers, 'A');
    case 'part-b':
      return same(c.worryForm.partB?.answers, 'B');
    case 'part-c':
      return same(c.worryForm.partC?.answers, 'C');
    default:
      return false;
  }
}

/**
 * Whether a form of the URO flow can still be filled in for the case as it is now, so that what was
 * typed on an older or refused copy of it can be offered again. Never a parent card under rule 2.
 */
export function formViewOpen(c: Case, ladder: Ladder, view: UroView): boolean {
  if (c.status === 'closed') return false;
  if (parentTalkBlocked(c) && PARENT_VIEWS.includes(view)) return false;
  const position = uroPosition(c, ladder);
  const inConversation: readonly UroPosition[] = ['zone', 'no-worry', 'part-a', 'part-b', 'conversation', 'stage-1'];
  switch (view) {
    case 'zone':
      return inConversation.includes(position);
    case 'part-a':
      return inConversation.slice(2).includes(position);
    case 'part-b':
      return inConversation.slice(3).includes(position);
    case 'part-c':
      return inConversation.slice(4).includes(position);
    case 'stage-1':
      return position === 'stage-1';
    case 'evaluation': {
      const step = c.currentStep ? findStep(ladder, c.currentStep.stepId) : undefined;
      const waiting = c.escalations.some((e) => e.status === 'pending');
      return position === 'on-ladder' && step?.outcomes !== undefined && c.proposedStepId === null && !waiting;
    }
    default:
      return false;
  }
}

/**
 * What the owner's flows share: which card shows a case at a given point, what follows a change,
 * and how a refusal is told. Flows stay thin: parse, call the case service, hand the outcome here.
 */
export class CaseViews {
  constructor(private readonly services: Services) {}

  cardContext(context: BotTurnContext, c: Case, etag: string): CaseCardContext {
    const now = this.services.now();
    return {
      locale: localeOf(context),
      case: c,
      etag,
      ladder: this.services.cases.ladderOf(c),
      municipality: this.services.municipality,
      now,
      today: dayOf(now, this.services.config.timeZone),
      timeZone: this.services.config.timeZone,
    };
  }

  /**
   * The case as this viewer may see it, decided by the basis the access policy gave them — never
   * by the flow: the owner's card for the owner, the leader's view for the leader, the plan for a
   * team a consent covers, the offer for the colleague it is offered to; nothing for anyone else.
   */
  async viewerCard(
    context: BotTurnContext,
    current: Versioned<Case>,
    basis: AccessBasis | undefined,
  ): Promise<AdaptiveCardJson | undefined> {
    const c = current.doc;
    const locale = localeOf(context);
    const ladder = this.services.cases.ladderOf(c);
    const now = this.services.now();
    const me = personOf(context).id;
    switch (basis) {
      case 'owner':
        return c.owner.id === me ? this.cardFor(this.cardContext(context, c, current.etag), 'next') : undefined;
      case 'leader':
        return c.nearestLeader.id === me
          ? leaderCaseCard({ locale, case: c, ladder, now, timeZone: this.services.config.timeZone })
          : undefined;
      case 'team-consent': {
        const teamId = teamWithConsent(c, turnOf(context, this.services).teamIds ?? [], now, this.services.config.timeZone);
        const view = teamId ? teamView(c, teamId, now, this.services.config.timeZone) : null;
        return view ? teamCaseCard({ locale, view, ladder }) : undefined;
      }
      case 'handover-offer':
        return c.pendingHandover?.to.id === me ? handoverOfferCard(locale, c, ladder) : undefined;
      default:
        return undefined;
    }
  }

  /** Shows a case someone opened, as their basis lets them see it (or tells them it is not theirs to see). */
  async showAs(context: BotTurnContext, opened: Opened): Promise<void> {
    const card = await this.viewerCard(context, { doc: opened.case, etag: opened.etag }, opened.basis);
    if (card) await sendCard(context, card);
    else await this.refused(context, { kind: 'refused', reason: 'operation-not-permitted' });
  }

  /** The card for a view of the case; rule 2 turns any view of the parent conversation into the report path. */
  async cardFor(ctx: CaseCardContext, requested: UroView): Promise<AdaptiveCardJson> {
    const blocked = parentTalkBlocked(ctx.case) && PARENT_VIEWS.includes(requested);
    const view = requested === 'next' || blocked ? viewOfPosition(uroPosition(ctx.case, ctx.ladder)) : requested;
    switch (view) {
      case 'report':
        return reportPathCard(ctx);
      case 'zone':
        return uroPosition(ctx.case, ctx.ladder) === 'no-worry' ? noWorryCard(ctx) : zoneCard(ctx);
      case 'part-a':
        return partACard(ctx);
      case 'part-b':
        return partBCard(ctx);
      case 'guide':
        return guideCard(ctx);
      case 'part-c':
        return partCCard(ctx);
      case 'stage-1':
        return stage1Card(ctx);
      case 'evaluation':
        return evaluationCard(ctx);
      case 'next-step': {
        const step = ctx.case.proposedStepId ? findStep(ctx.ladder, ctx.case.proposedStepId) : undefined;
        return step ? stepEntryCard(ctx, step, await this.colleagues(ctx.case)) : caseOverviewCard(ctx);
      }
      case 'consent':
        return consentCard(ctx, this.services.municipality.childConsentAge, await this.services.teams.ofUnit(ctx.case.unitId));
      case 'handover':
        return handoverCard(ctx, await this.colleagues(ctx.case), 'offer');
      case 'team':
        return bringToTeamCard(ctx.locale, ctx.case, ctx.etag, await this.teamChoices(ctx.case));
      case 'case':
        return caseOverviewCard(ctx);
    }
  }

  /** The active teams of the case's unit (and those across units), each with the meetings still taking items. */
  private async teamChoices(c: Case): Promise<TeamChoice[]> {
    return this.services.teams.bringChoices(c, this.services.now());
  }

  /** Colleagues in the case's unit who could take it over: not the owner, not the leader. */
  async colleagues(c: Case): Promise<PersonRef[]> {
    const roster = await this.services.people.roster(c.unitId);
    return roster.filter((person) => person.id !== c.owner.id && person.id !== c.nearestLeader.id);
  }

  /**
   * Applies what a card submitted, if the card is still current, and shows what comes next. With
   * `typed` (the URO flow's forms), a refusal or an old card is answered with the card to carry on
   * with, holding what the person typed.
   */
  async change(
    context: BotTurnContext,
    data: OnCase,
    command: CaseCommand | CaseCommand[],
    notice?: (done: Done) => OverviewNotice | undefined,
    typed?: Submitted,
  ): Promise<Done | undefined> {
    const outcome = await this.services.cases.execute(turnOf(context, this.services), toRef(data), command, { expectedEtag: data.rev });
    if (outcome.kind === 'refused') {
      await this.refused(context, outcome, typed);
      return undefined;
    }
    await this.showDone(context, outcome, notice?.(outcome));
    return outcome;
  }

  /** After a change: the card that follows, with a word about what just happened where it helps. */
  async showDone(context: BotTurnContext, done: Done, given?: OverviewNotice): Promise<void> {
    const ctx = this.cardContext(context, done.case, done.etag);
    const t = catalogue(ctx.locale);
    const evaluation = done.events.find((event) => event.type === 'evaluation-recorded');
    if (evaluation && 'outcome' in evaluation && evaluation.outcome === 'b' && done.case.proposedStepId) {
      const step = findStep(ctx.ladder, done.case.proposedStepId);
      if (step) {
        await context.sendActivity(format(t.evaluation.savedNotBetter, { code: done.case.id }));
        await sendCard(context, nextStepCard(ctx, step));
        return;
      }
    }
    let notice = given ?? selfNotice(ctx, done);
    const entered = done.events.find((event) => event.type === 'step-entered');
    if (!notice && evaluation && done.case.nextDates.checkInOn) {
      notice = {
        style: 'good',
        text: format(t.evaluation.savedBetter, {
          code: done.case.id,
          step: stepName(ctx, done.case.currentStep?.stepId),
          date: formatDay(done.case.nextDates.checkInOn, ctx.locale),
        }),
      };
    } else if (!notice && entered && done.case.currentStep?.stepId === ctx.ladder.startStep && done.case.nextDates.evaluationOn) {
      notice = {
        style: 'good',
        text: format(t.uro.stage1Started, { code: done.case.id, date: formatDay(done.case.nextDates.evaluationOn, ctx.locale) }),
      };
    } else if (!notice && entered) {
      notice = {
        style: 'good',
        text: format(t.ladder.entered, { code: done.case.id, step: stepName(ctx, done.case.currentStep?.stepId) }),
      };
    }
    const position = uroPosition(done.case, ctx.ladder);
    await sendCard(context, position === 'on-ladder' ? caseOverviewCard(ctx, notice) : await this.cardFor(ctx, 'next'));
  }

  /**
   * Tells a refusal, and shows the case as it is now so the person can go on from there: after an
   * old card always; after any refusal of a form of the URO flow (`typed`) too. When the form the
   * person sent can still be filled in, it comes back with what they typed and the case's fresh ETag.
   */
  async refused(context: BotTurnContext, refused: Refused, typed?: Submitted): Promise<void> {
    const locale: Locale = localeOf(context);
    const t = catalogue(locale);
    const current = refused.current;
    const mine = current !== undefined && refused.basis === 'owner' && current.doc.owner.id === personOf(context).id;
    if (current && !mine) {
      await this.refusedElse(context, refused, current);
      return;
    }
    const view = typed ? viewOfVerb(typed.verb) : undefined;
    const again =
      mine && view !== undefined && formViewOpen(current.doc, this.services.cases.ladderOf(current.doc), view) ? view : undefined;
    if (refused.reason === 'stale-card' && current && again) {
      // The same answers pressed twice (a double click, a retried request): the first press saved them.
      if (alreadySaved(current.doc, again, typed!.values)) {
        await context.sendActivity(t.uro.alreadySaved);
        await sendCard(context, await this.cardFor(this.cardContext(context, current.doc, current.etag), 'next'));
        return;
      }
      await context.sendActivity(t.uro.staleKept);
      await sendCard(context, await this.cardWithDraft(context, current, again, typed!.values));
      return;
    }
    const stale = refused.reason === 'stale-card';
    const carryOn = current !== undefined && (stale || (mine && typed !== undefined));
    // The stale-card sentence already says what follows; other refusals say which card comes next.
    const hint = again ? t.errors.fixBelow : stale ? '' : carryOn ? t.errors.carryOn : undefined;
    await sendCard(context, refusalCard(locale, this.sentence(locale, refused), hint === undefined ? {} : { hint }));
    if (!current || !carryOn) return;
    await sendCard(
      context,
      again
        ? await this.cardWithDraft(context, current, again, typed!.values)
        : await this.cardFor(this.cardContext(context, current.doc, current.etag), 'next'),
    );
  }

  /**
   * A refusal for anyone but the owner: the sentence, and after an old card the case as it is now,
   * drawn for their basis (the leader's view for the leader); nothing of the case for anyone else.
   */
  private async refusedElse(context: BotTurnContext, refused: Refused, current: Versioned<Case>): Promise<void> {
    const locale = localeOf(context);
    const card = refused.reason === 'stale-card' ? await this.viewerCard(context, current, refused.basis) : undefined;
    await sendCard(context, refusalCard(locale, this.sentence(locale, refused), card ? { hint: '' } : {}));
    if (card) await sendCard(context, card);
  }

  /**
   * The card for `view`, drawn with the case's current ETag and holding what the person typed. A
   * card that would break Teams' limits with it (very long answers) is drawn as stored instead.
   */
  async cardWithDraft(context: BotTurnContext, current: Versioned<Case>, view: UroView, values: unknown): Promise<AdaptiveCardJson> {
    const ctx = this.cardContext(context, current.doc, current.etag);
    try {
      return await this.cardFor({ ...ctx, draft: draftOf(values) }, view);
    } catch (error) {
      if (!(error instanceof CardCheckFailed)) throw error;
      return this.cardFor(ctx, view);
    }
  }

  sentence(locale: Locale, refused: Refused): string {
    const detail = refused.detail;
    return refusalText(
      locale,
      refused.reason,
      {
        // The label the person saw on the card, never an internal key or path.
        field: detail?.field === undefined ? undefined : fieldLabel(locale, detail.field),
        latestAllowed: detail?.latestAllowed,
        decidedBy: detail?.decidedBy,
        decidedAt: detail?.decidedAt,
        requirement: detail?.requirement,
        missingServices: detail?.missingServices?.map(
          (id) =>
            (refused.current ? this.services.cases.ladderOf(refused.current.doc) : this.services.ladder).services.find((s) => s.id === id)
              ?.labels[locale] ?? id,
        ),
        missingTeams: detail?.missingTeams,
      },
      this.services.config.timeZone,
    );
  }

  /** The person's unit and the case they are in, so "fortsett" and "hjelp" know where they are. */
  async remember(context: BotTurnContext, c: Case, unitId: string): Promise<void> {
    const me = personOf(context);
    const person = await this.services.people.read(me.id);
    const active = person?.doc.activeCase;
    if (active?.caseId === c.id && person?.doc.unitIds.includes(unitId)) return;
    if (!person?.doc.unitIds.includes(unitId)) await this.services.people.joinUnit(unitId, me);
    await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({
      ...p,
      unitIds: p.unitIds.includes(unitId) ? p.unitIds : [unitId, ...p.unitIds],
      activeCase: { caseId: c.id, unitId: c.unitId },
    }));
  }
}

/**
 * What the domain asks to tell the person acting, shown on the card that follows: the parents'
 * right to say no and the owner's own duty to report, what a withdrawal stopped.
 */
function selfNotice(ctx: CaseCardContext, done: Done): OverviewNotice | undefined {
  const t = catalogue(ctx.locale);
  const topics = new Set(done.notify.filter((n) => n.personId === ctx.case.owner.id).map((n) => n.about));
  if (topics.has('consent-refused')) return { style: 'attention', text: `${t.consent.refusedSaved} ${t.consent.refusalDuty}` };
  if (topics.has('consent-withdrawn')) {
    // What the withdrawal stopped on the current step is said too, not only that it was recorded.
    const blocked = topics.has('sharing-blocked') ? ` ${t.notices['sharing-blocked']}` : '';
    return { style: 'attention', text: `${t.consent.withdrawn}${blocked}` };
  }
  if (topics.has('sharing-blocked')) return { style: 'attention', text: t.notices['sharing-blocked'] };
  if (topics.has('ladder-ended')) return { style: 'attention', text: t.notices['ladder-ended'] };
  return undefined;
}

function stepName(ctx: CaseCardContext, stepId: string | undefined): string {
  return (stepId ? findStep(ctx.ladder, stepId)?.labels[ctx.locale] : undefined) ?? '';
}

function viewOfPosition(position: UroPosition): Exclude<UroView, 'next'> {
  switch (position) {
    case 'report-path':
      return 'report';
    case 'reported':
    case 'on-ladder':
    case 'closed':
      return 'case';
    case 'zone':
    case 'no-worry':
      return 'zone';
    case 'part-a':
      return 'part-a';
    case 'part-b':
      return 'part-b';
    case 'conversation':
      return 'guide';
    case 'stage-1':
      return 'stage-1';
  }
}

export function toRef(data: { caseId: string; unitId: string }): CaseRef {
  return { caseId: data.caseId, unitId: data.unitId };
}
