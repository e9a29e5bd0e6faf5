import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { refusalCard } from '../cards/common';
import { Payloads, type PayloadOf, type UroView } from '../cards/payloads';
import { uroStartCard } from '../cards/uro';
import { findUnit } from '../domain/municipality';
import type { ActionInput, GoalInput } from '../domain/records';
import { catalogue, format, refusalText } from '../i18n';
import type { CaseCommand } from '../workflow/case-service';
import { CaseViews, toRef, type OnCase } from './case-views';
import { commandOf } from './commands';
import { localeOf, sendCard } from './replies';
import { personOf, todayIn, turnOf, type Services } from './services';
import { onSubmit } from './submit';

/**
 * The URO conversation in personal chat: from "I am worried about a child" to a documented
 * first step on the ladder. Each submit is parsed by its schema (src/cards/payloads), decided by
 * the domain through the case service, and answered with the next card. Where the person is
 * comes from the case itself, so the flow resumes anywhere, also after a restart.
 */
export function registerUroFlow(app: Application<TurnState>, services: Services): void {
  const flow = new UroFlow(services);

  app.message(async (context) => commandOf(context.activity.text) === 'newCase', (context) => flow.start(context));
  app.message(async (context) => commandOf(context.activity.text) === 'resume', (context) => flow.resume(context));
  app.message(async (context) => commandOf(context.activity.text) === 'cancel', (context) => flow.cancel(context));

  onSubmit(app, 'uro.new', Payloads['uro.new'], (context) => flow.start(context));
  onSubmit(app, 'flow.cancel', Payloads['flow.cancel'], (context) => flow.cancel(context));
  onSubmit(app, 'uro.start', Payloads['uro.start'], (context, data) => flow.create(context, data));
  onSubmit(app, 'uro.show', Payloads['uro.show'], (context, data) => flow.show(context, data, data.view));
  onSubmit(app, 'uro.report', Payloads['uro.report'], (context, data) => flow.report(context, data));
  onSubmit(app, 'uro.zone', Payloads['uro.zone'], (context, data) =>
    flow.change(context, data, { type: 'place-in-zone', zoneId: data.zoneId }),
  );
  onSubmit(app, 'uro.close', Payloads['uro.close'], (context, data) => flow.closeDraft(context, data));
  onSubmit(app, 'uro.part-a', Payloads['uro.part-a'], (context, data) => flow.partA(context, data));
  onSubmit(app, 'uro.part-b', Payloads['uro.part-b'], (context, data) => {
    const { verb: _verb, caseId: _caseId, unitId: _unitId, rev: _rev, ...answers } = data;
    return flow.change(context, data, { type: 'record-part-b', answers });
  });
  onSubmit(app, 'uro.part-c', Payloads['uro.part-c'], (context, data) => {
    const { verb: _verb, caseId: _caseId, unitId: _unitId, rev: _rev, ...answers } = data;
    return flow.change(context, data, { type: 'record-part-c', answers });
  });
  onSubmit(app, 'uro.stage-1', Payloads['uro.stage-1'], (context, data) => flow.stage1(context, data));
  onSubmit(app, 'case.evaluation', Payloads['case.evaluation'], (context, data) => flow.evaluation(context, data));
}

class UroFlow {
  private readonly views: CaseViews;

  constructor(private readonly services: Services) {
    this.views = new CaseViews(services);
  }

  /** Card 1, always: danger now? violence or abuse suspected? (and the unit, when there is a choice). */
  async start(context: BotTurnContext): Promise<void> {
    const person = await this.services.people.read(personOf(context).id);
    await sendCard(
      context,
      uroStartCard({ locale: localeOf(context), municipality: this.services.municipality, unitId: person?.doc.unitIds[0] }),
    );
  }

  async create(context: BotTurnContext, data: PayloadOf<'uro.start'>): Promise<void> {
    const locale = localeOf(context);
    const { municipality } = this.services;
    const unit = findUnit(municipality, data.unitId ?? '') ?? (municipality.units.length === 1 ? municipality.units[0] : undefined);
    if (!unit) {
      await sendCard(context, refusalCard(locale, catalogue(locale).uro.unitLabel));
      return;
    }
    const leader = unit.leaders.find((l) => l.id === data.leaderId) ?? unit.leaders[0]!;
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
  async show(context: BotTurnContext, ref: { caseId: string; unitId: string }, view: UroView): Promise<void> {
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(ref));
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    if (opened.basis !== 'owner') {
      // Leaders and teams see their own views of a case (the ladder flow); the URO cards are the owner's.
      await sendCard(context, refusalCard(localeOf(context), refusalText(localeOf(context), 'operation-not-permitted')));
      return;
    }
    await this.views.remember(context, opened.case, opened.case.unitId);
    await sendCard(context, await this.views.cardFor(this.views.cardContext(context, opened.case, opened.etag), view));
  }

  async resume(context: BotTurnContext): Promise<void> {
    const person = await this.services.people.read(personOf(context).id);
    const active = person?.doc.activeCase;
    if (!active) {
      await context.sendActivity(catalogue(localeOf(context)).uro.nothingToCancel);
      return;
    }
    await this.show(context, active, 'next');
  }

  /** "avbryt": leaves the card flow; everything saved stays saved and is found under "mine saker". */
  async cancel(context: BotTurnContext): Promise<void> {
    const t = catalogue(localeOf(context));
    const me = personOf(context);
    const person = await this.services.people.read(me.id);
    const active = person?.doc.activeCase;
    if (!active) {
      await context.sendActivity(t.uro.nothingToCancel);
      return;
    }
    await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({ ...p, activeCase: null }));
    await context.sendActivity(format(t.uro.cancelled, { code: active.caseId }));
  }

  async report(context: BotTurnContext, data: PayloadOf<'uro.report'>): Promise<void> {
    const commands: CaseCommand[] = [];
    if (data.done.includes('police') || data.done.includes('emergency')) {
      commands.push({
        type: 'mark-acute-danger',
        contacted: [
          ...(data.done.includes('police') ? (['police'] as const) : []),
          ...(data.done.includes('emergency') ? (['child-welfare-emergency-service'] as const) : []),
        ],
      });
    }
    if (data.done.includes('reported')) {
      commands.push({ type: 'report-to-child-welfare', leaderInvolved: data.leaderInvolved === 'true' });
    }
    // No ETag check: a report is never refused for being made from an older card.
    const outcome = await this.services.cases.execute(turnOf(context, this.services), toRef(data), commands);
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const t = catalogue(localeOf(context));
    const template = data.done.includes('reported') ? t.uro.recordedReport : t.uro.recordedAcute;
    await context.sendActivity(format(template, { code: outcome.case.id, leader: outcome.case.nearestLeader.name }));
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
    };
    let outcome = await this.services.cases.execute(turn, toRef(data), evaluation, { expectedEtag: data.rev });
    if (outcome.kind === 'refused' && outcome.reason === 'consent-refusal-required' && outcome.current?.doc.currentStep) {
      // On a step that asks the parents (3b), "b" is their no: recorded as a refusal of the step's services.
      const step = outcome.current.doc.currentStep;
      outcome = await this.services.cases.execute(
        turn,
        toRef(data),
        { type: 'record-consent-refusal', refusedBy: ['parent'], services: step.services, teams: step.teams, refusedOn: todayIn(this.services) },
        { expectedEtag: data.rev },
      );
    }
    if (outcome.kind === 'refused') await this.views.refused(context, outcome);
    else await this.views.showDone(context, outcome);
  }

  async closeDraft(context: BotTurnContext, data: PayloadOf<'uro.close'>): Promise<void> {
    const outcome = await this.services.cases.execute(turnOf(context, this.services), toRef(data), { type: 'close-case', reason: 'resolved' }, {
      expectedEtag: data.rev,
    });
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const me = personOf(context);
    await this.services.people.update(me.id, me.name, this.services.now(), (p) => ({ ...p, activeCase: null }));
    await context.sendActivity(format(catalogue(localeOf(context)).uro.closedDraft, { code: outcome.case.id }));
  }

  /** Applies what a card submitted, if the card is still current, and shows what comes next. */
  async change(context: BotTurnContext, data: OnCase, command: CaseCommand | CaseCommand[]): Promise<void> {
    await this.views.change(context, data, command);
  }
}
