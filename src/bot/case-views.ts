import type { TurnContext as BotTurnContext } from 'botbuilder';
import { caseOverviewCard, evaluationCard, movedOnText, nextStepCard, type OverviewNotice } from '../cards/case';
import { fieldLabel, refusalCard } from '../cards/common';
import { stepShortLabel } from '../cards/labels';
import { CardCheckFailed, type AdaptiveCardJson } from '../cards/guards';
import type { CardButton } from '../cards/templates';
import { consentCard, handoverCard, handoverOfferCard, leaderCaseCard, stepEntryCard, teamCaseCard } from '../cards/ladder';
import { bringToTeamCard, type TeamChoice } from '../cards/teams';
import { showView } from '../cards/payloads';
import {
  actionCard,
  actionDoneCard,
  actionEditCard,
  closeCard,
  deleteDraftCard,
  goalCard,
  meetingCard,
  reopenCard,
  rescheduleCard,
  signMeetingCard,
  voiceCard,
} from '../cards/work';
import type { PayloadProblems, UroView } from '../cards/payloads';
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
import { deletableDraft, uroPosition, type UroPosition } from '../domain/uro-progress';
import { WORRY_FORM_QUESTIONS, type WorryFormPart } from '../domain/worry-form';
import { catalogue, format, formatDay, refusalText, type Locale } from '../i18n';
import type { CaseCommand, CaseRef, Done, Opened, Refused, Versioned } from '../workflow/case-service';
import { colleagueDataset, SEARCH_FROM } from './colleague-search';
import { unitMembers, type DirectoryNeeds } from './directory-entry';
import { localeOf, sendCard } from './replies';
import { invalidPayloadCard } from './submit';
import { personOf, turnOf, type Needs } from './services';
import { dayOf } from '../domain/time';

/** What drawing a case for its viewer reaches (src/bot/services.ts): nothing else compiles. */
export type CaseViewsNeeds = Needs<'cases' | 'config' | 'ladder' | 'now' | 'people' | 'teams'> & DirectoryNeeds;

export type OnCase = { caseId: string; unitId: string; rev: string };

/** The views that prepare or record a conversation with the parents. */
const PARENT_VIEWS: readonly UroView[] = ['part-b', 'guide', 'part-c', 'stage-1'];

/** The views of the URO conversation: once the case has left it, an old button to them shows the case. */
const CONVERSATION_VIEWS: readonly UroView[] = ['zone', 'part-a', 'part-b', 'guide', 'part-c', 'stage-1'];

/** The views of the work on a case: a closed case shows itself instead (with "reopen"). */
const WORK_VIEWS: readonly UroView[] = [
  'evaluation',
  'next-step',
  'consent',
  'handover',
  'team',
  'meeting',
  'sign-meeting',
  'goal',
  'action',
  'action-done',
  'action-edit',
  'voice',
  'reschedule',
];

/** The view of the case each submit verb of the URO flow was drawn for. */
const VIEW_OF_VERB: Readonly<Record<string, UroView>> = {
  'uro.zone': 'zone',
  'uro.part-a': 'part-a',
  'uro.part-b': 'part-b',
  'uro.part-c': 'part-c',
  'uro.stage-1': 'stage-1',
  'uro.stage-1-note': 'stage-1',
  'case.evaluation': 'evaluation',
  'uro.report': 'report',
  'case.meeting': 'meeting',
  'case.sign-meeting': 'sign-meeting',
  'case.goal': 'goal',
  'case.action': 'action',
  'case.action-done': 'action-done',
  'case.action-edit': 'action-edit',
  'case.voice': 'voice',
  'case.reschedule': 'reschedule',
  'case.close': 'close',
  'case.reopen': 'close',
};

/** The record a form was about (the meeting kind, the minutes, the action), from what it sent. */
function itemOf(view: UroView, values: unknown): string | undefined {
  const sent = (values ?? {}) as Record<string, unknown>;
  const key = view === 'meeting' ? 'meeting' : view === 'sign-meeting' ? 'meetingId' : view.startsWith('action-') ? 'actionId' : undefined;
  const item = key === undefined ? undefined : sent[key];
  return typeof item === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(item) ? item : undefined;
}

/** The view a submit verb of the URO flow was drawn for, if it is one. */
function viewOfVerb(verb: string): UroView | undefined {
  return Object.hasOwn(VIEW_OF_VERB, verb) ? VIEW_OF_VERB[verb] : undefined;
}

/** A card the person sent that could not be used: its verb and the values on it. */
export type Submitted = { verb: string; values: unknown };

/** Keys of a payload that are not inputs a person typed in. */
const NOT_TYPED = new Set([
  'verb',
  'caseId',
  'unitId',
  'rev',
  'view',
  'msteams',
  'stepId',
  'since',
  'meeting',
  'meetingId',
  'actionId',
  'escalationId',
]);

/**
 * What the person typed on a card, as input values by id, to show on the card again: strings only,
 * bounded, and never a value shaped like a national identity number (that one they type again).
 */
function draftOf(values: unknown): Record<string, string> {
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
function alreadySaved(c: Case, view: UroView, values: unknown): boolean {
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
    // The records of the work on a case: the same record already there means the first press saved it.
    case 'goal':
      return c.goals.some((g) => g.text === normalised(sent.text) && g.targetOn === sent.targetOn);
    case 'action':
      return c.actions.some((a) => a.what === normalised(sent.what) && a.dueOn === sent.dueOn);
    case 'voice':
      return c.childVoice.some((v) => v.text === normalised(sent.text) && v.heardOn === sent.heardOn);
    case 'meeting':
      return c.meetings.some((m) => m.kind === sent.meeting && m.heldOn === sent.heldOn && m.conclusions === normalised(sent.conclusions));
    case 'reschedule':
      return (c.nextDates.checkInOn ?? c.nextDates.evaluationOn) === sent.on;
    default:
      return false;
  }
}

/**
 * Whether a form of the URO flow can still be filled in for the case as it is now, so that what was
 * typed on an older or refused copy of it can be offered again. Never a parent card under rule 2.
 */
function formViewOpen(c: Case, ladder: Ladder, view: UroView, item?: string): boolean {
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
    case 'action-done':
    case 'action-edit':
      // A form about one action: only while it is not done.
      return c.actions.some((a) => a.id === item && a.done === null);
    case 'sign-meeting':
      return c.meetings.some((m) => m.id === item);
    case 'meeting':
      return c.currentStep !== null && ladder.meetings.some((m) => m.id === item);
    case 'goal':
    case 'action':
    case 'reschedule':
      return c.currentStep !== null;
    case 'voice':
    case 'close':
      // The work on a case (an open one: formViewOpen is false for a closed case above).
      return true;
    default:
      return false;
  }
}

/**
 * What the owner's flows share: which card shows a case at a given point, what follows a change,
 * and how a refusal is told. Flows stay thin: parse, call the case service, hand the outcome here.
 */
export class CaseViews {
  constructor(private readonly services: CaseViewsNeeds) {}

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

  /**
   * The card for a view of the case; rule 2 turns any view of the parent conversation into the report
   * path, and a view of the URO conversation opened once the case has left it (an old card's button,
   * a reminder) shows the case as it is now. `item` names the record a view is about.
   */
  async cardFor(ctx: CaseCardContext, requested: UroView, item?: string): Promise<AdaptiveCardJson> {
    const position = uroPosition(ctx.case, ctx.ladder);
    const blocked = parentTalkBlocked(ctx.case) && PARENT_VIEWS.includes(requested);
    const left =
      CONVERSATION_VIEWS.includes(requested) && !['zone', 'no-worry', 'part-a', 'part-b', 'conversation', 'stage-1'].includes(position);
    const closed = ctx.case.status === 'closed' && WORK_VIEWS.includes(requested);
    const view = requested === 'next' || blocked || left || closed ? viewOfPosition(position) : requested;
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
        return this.batonCard(ctx, 'offer');
      case 'team':
        return bringToTeamCard(ctx.locale, ctx.case, ctx.etag, await this.teamChoices(ctx.case));
      case 'case':
        return caseOverviewCard(ctx);
      case 'meeting':
        return meetingCard(ctx, item ?? '');
      case 'sign-meeting':
        return ctx.case.meetings.some((m) => m.id === item) ? signMeetingCard(ctx, item!) : caseOverviewCard(ctx);
      case 'goal':
        return goalCard(ctx);
      case 'action':
        return actionCard(ctx);
      case 'action-done':
      case 'action-edit': {
        const action = ctx.case.actions.find((a) => a.id === item);
        if (!action || action.done !== null) return caseOverviewCard(ctx);
        return view === 'action-done' ? actionDoneCard(ctx, action.id) : actionEditCard(ctx, action.id);
      }
      case 'voice':
        return voiceCard(ctx);
      case 'reschedule':
        return rescheduleCard(ctx);
      case 'close':
        return ctx.case.status === 'closed' ? reopenCard(ctx) : closeCard(ctx, this.services.config.timeZone);
      case 'delete-draft':
        return deletableDraft(ctx.case) ? deleteDraftCard(ctx) : this.cardFor(ctx, 'next');
    }
  }

  /** The active teams of the case's unit (and those across units), each with the meetings still taking items. */
  private async teamChoices(c: Case): Promise<TeamChoice[]> {
    return this.services.teams.bringChoices(c, this.services.now());
  }

  /** Colleagues in the case's unit (the directory) who could take it over: not the owner, not the leader. */
  async colleagues(c: Case): Promise<PersonRef[]> {
    const members = await unitMembers(this.services, c.unitId);
    return members.filter((m) => m.id !== c.owner.id && m.id !== c.nearestLeader.id).map((m) => ({ id: m.id, name: m.name }));
  }

  /**
   * The baton picker for the case's unit: the owner's offer or the leader's. A large unit gets a
   * search field where Teams has one (not in the local Agents Playground, which lacks Data.Query).
   */
  async batonCard(ctx: CaseCardContext, mode: 'offer' | 'reassign'): Promise<AdaptiveCardJson> {
    const colleagues = await this.colleagues(ctx.case);
    const searchable = this.services.config.environment !== 'local' && colleagues.length > SEARCH_FROM;
    return handoverCard(ctx, colleagues, mode, searchable ? { dataset: colleagueDataset(ctx.case.unitId), first: SEARCH_FROM } : undefined);
  }

  /**
   * Says plainly whose notice waits because they have not opened Laget (and Laget could not
   * install itself for them): they get it the first time they open Laget.
   */
  async tellWaiting(context: BotTurnContext, done: Done): Promise<void> {
    const t = catalogue(localeOf(context));
    for (const person of done.waitingFor ?? []) await context.sendActivity(format(t.notices.waiting, { name: person.name }));
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
    await this.tellWaiting(context, done);
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
    const onCase = position === 'on-ladder' || position === 'closed';
    await sendCard(context, onCase ? caseOverviewCard(ctx, notice) : await this.cardFor(ctx, 'next'));
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
      mine && view !== undefined && formViewOpen(current.doc, this.services.cases.ladderOf(current.doc), view, itemOf(view, typed!.values))
        ? view
        : undefined;
    if (refused.reason === 'stale-card' && current && mine && view === 'evaluation' && this.movedOn(current.doc, typed!.values)) {
      // An evaluation drawn for a step the case has left (or a period since evaluated): say what happened, offer nothing from it.
      const ctx = this.cardContext(context, current.doc, current.etag);
      const stepId = (typed!.values as { stepId?: unknown }).stepId;
      await context.sendActivity(movedOnText(ctx, this.services.config.timeZone, typeof stepId === 'string' ? stepId : undefined));
      await sendCard(context, caseOverviewCard(ctx));
      return;
    }
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
    await sendCard(
      context,
      refusalCard(locale, this.sentence(locale, refused), {
        ...(hint === undefined ? {} : { hint }),
        reason: refused.reason,
        buttons: mine ? leadsOn(locale, refused, current.doc, current.etag, typed) : [],
      }),
    );
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
   * Whether an evaluation card was drawn for another step or period than the case stands on now:
   * its answer belongs to a question the case no longer asks. A card without the step it was drawn
   * for (from before Laget said) counts as moved on: nothing of it is carried over.
   */
  private movedOn(c: Case, values: unknown): boolean {
    const sent = (values ?? {}) as { stepId?: unknown; since?: unknown };
    const current = c.currentStep;
    if (typeof sent.stepId !== 'string') return true;
    return current === null || c.status === 'closed' || current.stepId !== sent.stepId || current.periodStartedOn !== sent.since;
  }

  /**
   * The card for `view`, drawn with the case's current ETag and holding what the person typed. A
   * card that would break Teams' limits with it (very long answers) is drawn as stored instead.
   */
  async cardWithDraft(context: BotTurnContext, current: Versioned<Case>, view: UroView, values: unknown): Promise<AdaptiveCardJson> {
    const ctx = this.cardContext(context, current.doc, current.etag);
    const item = itemOf(view, values);
    try {
      return await this.cardFor({ ...ctx, draft: draftOf(values) }, view, item);
    } catch (error) {
      if (!(error instanceof CardCheckFailed)) throw error;
      return this.cardFor(ctx, view, item);
    }
  }

  /**
   * A payload its schema refused, on a card of a case: the error naming the fields by their
   * labels, then the card to carry on with — the same form holding what was typed when the case
   * still has it, else the case as it is now. Nothing is changed.
   */
  async invalidOnCase(context: BotTurnContext, verb: string, value: unknown, problems: PayloadProblems): Promise<void> {
    const t = catalogue(localeOf(context));
    const ref = caseRefIn(value);
    const opened = ref ? await this.services.cases.open(turnOf(context, this.services), ref) : undefined;
    if (opened?.kind !== 'opened' || opened.basis !== 'owner' || opened.case.owner.id !== personOf(context).id) {
      await sendCard(context, invalidPayloadCard(context, problems));
      return;
    }
    const view = viewOfVerb(verb);
    const again =
      view !== undefined && formViewOpen(opened.case, this.services.cases.ladderOf(opened.case), view, itemOf(view, value))
        ? view
        : undefined;
    await sendCard(context, invalidPayloadCard(context, problems, again ? t.errors.fixBelow : t.errors.carryOn));
    const current = { doc: opened.case, etag: opened.etag };
    await sendCard(
      context,
      again
        ? await this.cardWithDraft(context, current, again, value)
        : await this.cardFor(this.cardContext(context, opened.case, opened.etag), 'next'),
    );
  }

  sentence(locale: Locale, refused: Refused): string {
    const detail = refused.detail;
    const ladder = refused.current ? this.services.cases.ladderOf(refused.current.doc) : this.services.ladder;
    const step = detail?.stepId ? findStep(ladder, detail.stepId) : undefined;
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
        missingServices: detail?.missingServices?.map((id) => ladder.services.find((s) => s.id === id)?.labels[locale] ?? id),
        missingTeams: detail?.missingTeams,
        step: step ? stepShortLabel(ladder, step.id, locale) : undefined,
        work: step?.work.find((item) => item.id === detail?.workItemId)?.labels[locale],
        expiredOn: detail?.expiredOn,
        leader: detail?.leader,
      },
      this.services.config.timeZone,
    );
  }

  /**
   * The case the person is in, and its unit among the units where they have cases, so "fortsett",
   * "hjelp" and "mine saker" find it. Their own profile only: who works in a unit is the directory's.
   */
  async remember(context: BotTurnContext, c: Case, unitId: string): Promise<void> {
    const me = personOf(context);
    const person = await this.services.people.read(me.id);
    const active = person?.doc.activeCase;
    if (active?.caseId === c.id && person?.doc.unitIds.includes(unitId)) return;
    await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({
      ...p,
      unitIds: p.unitIds.includes(unitId) ? p.unitIds : [unitId, ...p.unitIds],
      activeCase: { caseId: c.id, unitId: c.unitId },
    }));
  }
}

/**
 * Where a refusal leads: a missing or expired consent to the consent card; a case that may not be
 * named in a team (no consent covers it) to bringing it anonymously instead, at once.
 */
function leadsOn(locale: Locale, refused: Refused, c: Case, etag: string, typed?: Submitted): CardButton[] {
  const t = catalogue(locale);
  const consent = ['consent-missing', 'consent-expired', 'signed-consent-missing'].includes(refused.reason);
  if (!consent) return [];
  const buttons: CardButton[] = [];
  const sent = (typed?.values ?? {}) as Record<string, unknown>;
  if ((refused.detail?.missingTeams?.length ?? 0) > 0 && typed?.verb === 'team.bring' && sent.mode === 'named') {
    const keep = ['verb', 'caseId', 'unitId', 'meeting', 'questionId', 'note'] as const;
    const again = Object.fromEntries(keep.filter((key) => typeof sent[key] === 'string').map((key) => [key, sent[key]]));
    buttons.push({ title: t.teams.bringAnonymously, data: { ...again, verb: 'team.bring', mode: 'anonymous', rev: etag } });
  }
  if ((refused.detail?.missingServices?.length ?? 0) > 0 || buttons.length === 0) {
    buttons.push({ title: t.consent.record, data: showView(c, 'consent') });
  }
  return buttons;
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

/** A case code and unit as a card carries them (checked like the payload schemas do). */
function caseRefIn(value: unknown): { caseId: string; unitId: string } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { caseId, unitId } = value as Record<string, unknown>;
  if (typeof caseId !== 'string' || !/^UR-[0-9A-Z]{4,8}$/.test(caseId)) return undefined;
  if (typeof unitId !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(unitId)) return undefined;
  return { caseId, unitId };
}

export function toRef(data: { caseId: string; unitId: string }): CaseRef {
  return { caseId: data.caseId, unitId: data.unitId };
}
