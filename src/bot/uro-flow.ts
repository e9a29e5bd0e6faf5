import type { TurnContext as BotTurnContext } from 'botbuilder';
import { phoneLink, refusalCard, urlLink } from '../cards/common';
import type { PayloadOf, PayloadProblems, UroView } from '../cards/payloads';
import { cancelledCard, uroStartCard } from '../cards/uro';
import type { Case } from '../domain/case';
import { findUnit } from '../domain/municipality';
import type { PersonRef } from '../domain/primitives';
import type { ActionInput, GoalInput } from '../domain/records';
import { dayOf } from '../domain/time';
import { deletableDraft, uroPosition, type UroPosition } from '../domain/uro-progress';
import { catalogue, format, formatDay } from '../i18n';
import type { CaseCommand } from '../workflow/case-service';
import { CaseViews, toRef, type CaseViewsNeeds, type OnCase } from './case-views';
import { directoryEntryOf, unitsWithOwnCases } from './directory-entry';
import { localeOf, sendCard } from './replies';
import { personOf, turnOf } from './services';
import { invalidPayloadCard } from './submit';

/** What this flow reaches (src/bot/services.ts): what its case views reach, nothing more. */
export type UroFlowNeeds = CaseViewsNeeds;

/** Where the URO conversation is not finished yet: what "fortsett" picks up after "avbryt". */
const UNFINISHED: readonly UroPosition[] = ['report-path', 'zone', 'no-worry', 'part-a', 'part-b', 'conversation', 'stage-1'];

/**
 * The URO conversation in personal chat: from "I am worried about a child" to a documented
 * first step on the ladder. Each submit is parsed by its schema (src/cards/payloads), decided by
 * the domain through the case service, and answered with the next card. Where the person is
 * comes from the case itself, so the flow resumes anywhere, also after a restart. Its routes are
 * in the route table (src/bot/routes.ts).
 */
export class UroFlow {
  private readonly views: CaseViews;

  constructor(private readonly services: UroFlowNeeds) {
    this.views = new CaseViews(services);
  }

  /**
   * Card 1, always: danger now? violence or abuse suspected? (and the unit, when there is a choice).
   * A new case leaves the flow of the one before: "avbryt" now saves nothing, "fortsett" finds it.
   */
  async start(context: BotTurnContext): Promise<void> {
    await this.sendStartCard(context, { leaveActiveCase: true });
  }

  /**
   * The start card offers the units the person works in, as the directory says — "Hvor jobber du?"
   * only when there are several. Someone in no unit is told whom to ask, and where to report.
   */
  private async sendStartCard(context: BotTurnContext, options: { leaveActiveCase: boolean }): Promise<void> {
    const me = personOf(context);
    const person = await this.services.people.read(me.id);
    if (options.leaveActiveCase && person?.doc.activeCase) {
      await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({ ...p, activeCase: null }));
    }
    const units = this.myUnits(context);
    if (units.length === 0) {
      await sendCard(context, this.noUnitCard(context));
      return;
    }
    await sendCard(
      context,
      uroStartCard({
        locale: localeOf(context),
        units,
        unitId: person?.doc.unitIds.find((id) => units.some((u) => u.id === id)),
        personId: me.id,
      }),
    );
  }

  /** The units the person works in (the directory), named as the municipality names them. */
  private myUnits(context: BotTurnContext): { id: string; name: string; leaders: PersonRef[] }[] {
    return (directoryEntryOf(context)?.units ?? []).flatMap((mine) => {
      const unit = findUnit(this.services.municipality, mine.unitId);
      return unit ? [{ id: unit.id, name: unit.name, leaders: mine.leaders }] : [];
    });
  }

  async create(context: BotTurnContext, data: PayloadOf<'uro.start'>): Promise<void> {
    const locale = localeOf(context);
    const units = this.myUnits(context);
    if (units.length === 0) {
      await sendCard(context, this.noUnitCard(context));
      return;
    }
    // Only a unit the person works in: a card from before they moved, or a forged one, opens nothing.
    const unit = data.unitId === undefined && units.length === 1 ? units[0] : units.find((u) => u.id === data.unitId);
    if (!unit) {
      await sendCard(context, refusalCard(locale, catalogue(locale).uro.notYourUnit));
      await this.sendStartCard(context, { leaveActiveCase: false });
      return;
    }
    // A leader who raises a worry needs another leader of the unit; with none, trying again cannot help.
    const candidates = unit.leaders.filter((l) => l.id !== personOf(context).id);
    const leader = candidates.find((l) => l.id === data.leaderId) ?? candidates[0];
    if (!leader) {
      await sendCard(context, this.onlyLeaderCard(context, unit));
      return;
    }
    const turn = turnOf(context, this.services);
    const outcome = await this.services.cases.create(turn, {
      type: 'create-case',
      unitId: unit.id,
      nearestLeader: leader,
      safety: { dangerNow: data.dangerNow === 'yes', suspectedViolenceOrAbuse: data.suspectedViolenceOrAbuse === 'yes' },
    });
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    await this.views.remember(context, outcome.case, unit.id);
    await this.views.showDone(context, outcome);
  }

  /** Opens a view of a case: the next step of the flow, or one asked for (back, continue, a reminder). */
  async show(context: BotTurnContext, ref: { caseId: string; unitId: string }, view: UroView, item?: string): Promise<void> {
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(ref));
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    if (opened.basis !== 'owner') {
      // The URO cards are the owner's; a leader or a team sees their own view of the case.
      await this.views.showAs(context, opened);
      return;
    }
    await this.views.remember(context, opened.case, opened.case.unitId);
    await sendCard(context, await this.views.cardFor(this.views.cardContext(context, opened.case, opened.etag), view, item));
  }

  /**
   * "fortsett": the case the person is in; after "avbryt", the unfinished case of theirs that was
   * changed last (said which), or that there is none.
   */
  async resume(context: BotTurnContext): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    const me = personOf(context);
    const person = await this.services.people.read(me.id);
    const active = person?.doc.activeCase;
    if (active) {
      await this.show(context, active, 'next');
      return;
    }
    // The unfinished case changed last: the one row of this list, shown (and audited) as it was read.
    const latestUnfinished = (cases: readonly Case[]) =>
      cases
        .filter((c) => c.owner.id === me.id && UNFINISHED.includes(uroPosition(c, this.services.cases.ladderOf(c))))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
    const unitIds = unitsWithOwnCases(context, person?.doc.unitIds);
    const shown = await this.services.cases.listOwned(turnOf(context, this.services), unitIds, {
      order: latestUnfinished,
      page: 1,
      size: 1,
    });
    const latest = shown.rows[0];
    if (!latest) {
      await context.sendActivity(t.uro.nothingToResume);
      return;
    }
    const changed = formatDay(dayOf(new Date(latest.doc.updatedAt), this.services.config.timeZone), locale);
    await context.sendActivity(
      format(t.uro.resuming, { code: latest.doc.alias ? `${latest.doc.id} (${latest.doc.alias})` : latest.doc.id, date: changed }),
    );
    await this.views.remember(context, latest.doc, latest.doc.unitId);
    await sendCard(context, await this.views.cardFor(this.views.cardContext(context, latest.doc, latest.etag), 'next'));
  }

  /**
   * "avbryt": leaves the card flow; everything saved stays saved and is found under "mine saker".
   * The button on a case's card names the case; the start card's (no case yet) names none.
   */
  async cancel(context: BotTurnContext, fromCard?: PayloadOf<'flow.cancel'>): Promise<void> {
    const t = catalogue(localeOf(context));
    const me = personOf(context);
    const person = await this.services.people.read(me.id);
    const active = person?.doc.activeCase;
    const code = fromCard ? fromCard.caseId : active?.caseId;
    if (active) await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({ ...p, activeCase: null }));
    const unitId = fromCard?.unitId ?? active?.unitId;
    if (!code || !unitId) {
      await context.sendActivity(code ? format(t.uro.cancelled, { code }) : t.uro.cancelledNothingSaved);
      return;
    }
    // An unfinished draft can be picked up again — or deleted, when it was started by mistake.
    const opened = await this.services.cases.open(turnOf(context, this.services), { caseId: code, unitId });
    const draft = opened.kind === 'opened' && opened.basis === 'owner' && deletableDraft(opened.case);
    await sendCard(context, cancelledCard(localeOf(context), { id: code, unitId }, draft));
  }

  /** An abandoned draft deleted by its owner (confirmed on its own card). */
  async deleteDraft(context: BotTurnContext, data: PayloadOf<'uro.delete-draft'>): Promise<void> {
    const outcome = await this.services.cases.deleteDraft(turnOf(context, this.services), toRef(data), data.rev);
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const me = personOf(context);
    await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({
      ...p,
      activeCase: p.activeCase?.caseId === data.caseId ? null : p.activeCase,
    }));
    await context.sendActivity(format(catalogue(localeOf(context)).uro.draftDeleted, { code: data.caseId }));
  }

  /** The 1b conversation's note, on its own card after stage 1's goals and actions. */
  async stage1Note(context: BotTurnContext, data: PayloadOf<'uro.stage-1-note'>): Promise<void> {
    await this.change(context, data, {
      type: 'add-note',
      kind: 'cooperation-start',
      heldOn: data.noteHeldOn,
      text: data.noteText,
      signByOwner: true,
    });
  }

  /** "Violence or sexual abuse is now suspected", from the report path card: rule 2 from here on. */
  async suspect(context: BotTurnContext, data: PayloadOf<'uro.suspect'>): Promise<void> {
    const turn = turnOf(context, this.services);
    const opened = await this.services.cases.open(turn, toRef(data));
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    // No ETag check: a safety answer only ever raises, and the report path must never wait.
    const outcome = await this.services.cases.execute(turn, toRef(data), {
      type: 'record-safety-answers',
      safety: { dangerNow: opened.case.safety.dangerNow, suspectedViolenceOrAbuse: true },
    });
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const ctx = this.views.cardContext(context, outcome.case, outcome.etag);
    await context.sendActivity(format(catalogue(ctx.locale).uro.suspectRecorded, { code: outcome.case.id }));
    await sendCard(context, await this.views.cardFor(ctx, 'report'));
  }

  /**
   * A payload its schema refused, on a card of the flow: the error naming the fields by their
   * labels, then the card to carry on with — the same form holding what was typed when the case
   * still has it, else the case as it is now. Nothing is changed.
   */
  readonly invalid = async (context: BotTurnContext, value: unknown, problems: PayloadProblems, verb: string): Promise<void> => {
    if (verb === 'uro.start') {
      await sendCard(context, invalidPayloadCard(context, problems));
      await this.sendStartCard(context, { leaveActiveCase: false }); // an invalid payload changes nothing
      return;
    }
    await this.views.invalidOnCase(context, verb, value, problems);
  };

  /** A leader of the unit who is its only leader: whom to ask, and the duty to report, which never waits. */
  private onlyLeaderCard(context: BotTurnContext, unit: { name: string }) {
    const t = catalogue(localeOf(context));
    return this.cannotOpenCard(context, t.uro.onlyLeaderTitle, format(t.uro.onlyLeader, { unit: unit.name }));
  }

  /** Someone in no unit: whom to ask to be added — and the duty to report, which never waits for a case. */
  private noUnitCard(context: BotTurnContext) {
    const t = catalogue(localeOf(context));
    return this.cannotOpenCard(context, t.uro.noUnitTitle, t.uro.noUnit);
  }

  private cannotOpenCard(context: BotTurnContext, title: string, sentence: string) {
    const locale = localeOf(context);
    const cw = this.services.municipality.childWelfare;
    return refusalCard(locale, sentence, {
      title,
      details: [
        format(catalogue(locale).uro.onlyLeaderReport, {
          name: cw.name,
          police: phoneLink('112'),
          phone: phoneLink(cw.phone),
          url: urlLink(cw.reportUrl),
          emergencyName: cw.emergencyName,
          emergencyPhone: phoneLink(cw.emergencyPhone),
        }),
      ],
      hint: '',
    });
  }

  async report(context: BotTurnContext, data: PayloadOf<'uro.report'>): Promise<void> {
    const commands: CaseCommand[] = [];
    const fromCard = data.drawnAt ? { cardDrawnAt: data.drawnAt } : {};
    if (data.done.includes('police') || data.done.includes('emergency')) {
      commands.push({
        type: 'mark-acute-danger',
        contacted: [
          ...(data.done.includes('police') ? (['police'] as const) : []),
          ...(data.done.includes('emergency') ? (['child-welfare-emergency-service'] as const) : []),
        ],
        ...fromCard,
      });
    }
    if (data.done.includes('reported')) {
      commands.push({ type: 'report-to-child-welfare', leaderInvolved: data.leaderInvolved === 'true', ...fromCard });
    }
    // No ETag check: a report is never refused for being made from an older card. The same card
    // pressed twice finds the report it made (cardDrawnAt) and records nothing twice.
    const outcome = await this.services.cases.execute(turnOf(context, this.services), toRef(data), commands);
    if (outcome.kind === 'refused' && outcome.reason === 'report-already-recorded') {
      await context.sendActivity(this.views.sentence(localeOf(context), outcome));
      return;
    }
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const t = catalogue(localeOf(context));
    // "The leader is informed" only when the notice can reach the leader now; otherwise that it waits.
    const leaderWaits = outcome.waitingFor?.some((p) => p.id === outcome.case.nearestLeader.id) ?? false;
    const reported = data.done.includes('reported');
    const template = leaderWaits
      ? reported
        ? t.uro.recordedReportWaiting
        : t.uro.recordedAcuteWaiting
      : reported
        ? t.uro.recordedReport
        : t.uro.recordedAcute;
    await context.sendActivity(format(template, { code: outcome.case.id, leader: outcome.case.nearestLeader.name }));
    await this.views.tellWaiting(context, outcome);
  }

  async zone(context: BotTurnContext, data: PayloadOf<'uro.zone'>): Promise<void> {
    await this.change(context, data, { type: 'place-in-zone', zoneId: data.zoneId });
  }

  async partB(context: BotTurnContext, data: PayloadOf<'uro.part-b'>): Promise<void> {
    const { verb: _verb, caseId: _caseId, unitId: _unitId, rev: _rev, ...answers } = data;
    await this.change(context, data, { type: 'record-part-b', answers });
  }

  async partC(context: BotTurnContext, data: PayloadOf<'uro.part-c'>): Promise<void> {
    const { verb: _verb, caseId: _caseId, unitId: _unitId, rev: _rev, ...answers } = data;
    await this.change(context, data, { type: 'record-part-c', answers });
  }

  async partA(context: BotTurnContext, data: PayloadOf<'uro.part-a'>): Promise<void> {
    const { verb: _verb, caseId: _caseId, unitId: _unitId, rev: _rev, alias, ...answers } = data;
    await this.change(context, data, [
      { type: 'set-alias', alias: alias ?? null },
      { type: 'record-part-a', answers },
    ]);
  }

  async stage1(context: BotTurnContext, data: PayloadOf<'uro.stage-1'>): Promise<void> {
    const me = personOf(context);
    const t = catalogue(localeOf(context));
    const goals: GoalInput[] = ([1, 2, 3] as const).flatMap((n) => {
      const text = data[`goal${n}Text`];
      const targetOn = data[`goal${n}Date`];
      return text && targetOn ? [{ text, targetOn }] : [];
    });
    const actions: ActionInput[] = ([1, 2, 3] as const).flatMap((n) => {
      const what = data[`action${n}What`];
      const dueOn = data[`action${n}Due`];
      if (!what || !dueOn) return [];
      const who = data[`action${n}Who`] ?? 'me';
      const assignee: ActionInput['who'] =
        who === 'me'
          ? { kind: 'staff', person: me }
          : who === 'parents'
            ? { kind: 'parents' }
            : who === 'child'
              ? { kind: 'child' }
              : { kind: 'other', label: t.uro.colleague };
      return [{ what, who: assignee, dueOn }];
    });
    await this.change(context, data, {
      type: 'start-ladder',
      goals,
      actions,
      evaluationOn: data.evaluationOn,
      ...(data.noteText && data.noteHeldOn ? { parentNote: { heldOn: data.noteHeldOn, text: data.noteText } } : {}),
    });
  }

  async evaluation(context: BotTurnContext, data: PayloadOf<'case.evaluation'>): Promise<void> {
    const turn = turnOf(context, this.services);
    const evaluation: CaseCommand = {
      type: 'record-evaluation',
      outcome: data.outcome,
      ...(data.comment ? { comment: data.comment } : {}),
      ...(data.nextOn ? { nextOn: data.nextOn } : {}),
      // On a step that asks the parents (3b), "b" is their no, by whom the owner says: nothing is assumed.
      ...(data.answeredBy && data.answeredBy.length > 0 ? { refusedBy: data.answeredBy } : {}),
      ...(data.sameDayReason ? { sameDayReason: data.sameDayReason } : {}),
    };
    const outcome = await this.services.cases.execute(turn, toRef(data), evaluation, { expectedEtag: data.rev });
    if (outcome.kind === 'refused') await this.views.refused(context, outcome, { verb: data.verb, values: data });
    else await this.views.showDone(context, outcome);
  }

  /**
   * Closes a case still in the URO conversation: "no worry", or "I answered wrongly" on the report
   * path of a case just started (the card offers it only then, and its ETag holds it to that state).
   */
  async close(context: BotTurnContext, data: PayloadOf<'uro.close'>): Promise<void> {
    const answeredWrong = data.why === 'answered-wrong';
    const outcome = await this.services.cases.execute(
      turnOf(context, this.services),
      toRef(data),
      { type: 'close-case', reason: answeredWrong ? 'other' : 'resolved' },
      { expectedEtag: data.rev },
    );
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const me = personOf(context);
    await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({ ...p, activeCase: null }));
    const t = catalogue(localeOf(context));
    await context.sendActivity(format(answeredWrong ? t.uro.answeredWrongClosed : t.uro.closedDraft, { code: outcome.case.id }));
  }

  /** Applies what a card submitted, if the card is still current, and shows what comes next. */
  async change(context: BotTurnContext, data: OnCase & { verb: string }, command: CaseCommand | CaseCommand[]): Promise<void> {
    await this.views.change(context, data, command, undefined, { verb: data.verb, values: data });
  }
}
