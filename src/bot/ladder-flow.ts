import type { TurnContext as BotTurnContext } from 'botbuilder';
import { caseOverviewCard } from '../cards/case';
import { approvalCard, consentWithdrawCard, handoverOfferCard, stepEntryCard } from '../cards/ladder';
import { findStep } from '../domain/ladder-steps';
import type { PayloadOf } from '../cards/payloads';
import { pendingEscalation } from '../domain/case';
import { catalogue, format } from '../i18n';
import type { CaseCommand } from '../workflow/case-service';
import { refreshUsers } from '../workflow/composers';
import { CaseViews, toRef, type CaseViewsNeeds } from './case-views';
import { unitMembers } from './directory-entry';
import { localeOf, sendCard } from './replies';
import { turnOf } from './services';

/** What this flow reaches (src/bot/services.ts): what its case views reach, nothing more. */
export type LadderFlowNeeds = CaseViewsNeeds;

/**
 * The owner's side of the ladder: entering the proposed step, or asking the nearest leader where
 * the ladder says so; recording the parents' consent, their no, or its withdrawal; handing the
 * baton to a colleague (who must accept before anything moves). Routes: src/bot/routes.ts.
 */
type StepEntryData = PayloadOf<'ladder.enter'> | PayloadOf<'ladder.request'>;

export class LadderFlow {
  readonly views: CaseViews;

  constructor(private readonly services: LadderFlowNeeds) {
    this.views = new CaseViews(services);
  }

  async enter(context: BotTurnContext, data: PayloadOf<'ladder.enter'>): Promise<void> {
    await this.views.change(context, data, { type: 'enter-step', ...(await this.entry(data)) });
  }

  /** Asks the leader: the owner sees the request's live status card; the leader gets the approval card. */
  async request(context: BotTurnContext, data: PayloadOf<'ladder.request'>): Promise<void> {
    const outcome = await this.services.cases.execute(
      turnOf(context, this.services),
      toRef(data),
      { type: 'request-escalation', ...(await this.entry(data)), ...(data.justification ? { justification: data.justification } : {}) },
      { expectedEtag: data.rev },
    );
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    const locale = localeOf(context);
    const escalation = pendingEscalation(outcome.case);
    await context.sendActivity(format(catalogue(locale).ladder.requestSent, { leader: outcome.case.nearestLeader.name }));
    await this.views.tellWaiting(context, outcome);
    if (escalation) {
      await sendCard(
        context,
        approvalCard({
          locale,
          case: outcome.case,
          escalation,
          ladder: this.services.cases.ladderOf(outcome.case),
          timeZone: this.services.config.timeZone,
          view: 'owner',
          refreshUserIds: await refreshUsers(this.services.people, outcome.case),
        }),
      );
    }
  }

  private async entry(data: StepEntryData) {
    const found = data.coordinatorId
      ? (await unitMembers(this.services, data.unitId)).find((person) => person.id === data.coordinatorId)
      : undefined;
    const coordinator = found ? { id: found.id, name: found.name } : undefined;
    return {
      stepId: data.stepId,
      services: data.services ?? [],
      ...(data.evaluationOn ? { evaluationOn: data.evaluationOn } : {}),
      attestations: {
        ...(data.bothParentsInvited ? { bothParentsInvited: data.bothParentsInvited === 'true' } : {}),
        ...(data.parentsParticipate ? { parentsParticipate: data.parentsParticipate === 'true' } : {}),
      },
      ...(coordinator ? { coordinator } : {}),
    };
  }

  async recordConsent(context: BotTurnContext, data: PayloadOf<'consent.record'>): Promise<void> {
    const t = catalogue(localeOf(context));
    const outcome = await this.services.cases.execute(
      turnOf(context, this.services),
      toRef(data),
      {
        type: 'record-consent',
        givenBy: data.givenBy,
        services: data.services ?? [],
        teams: data.teams ?? [],
        purpose: data.purpose,
        givenOn: data.givenOn,
        validUntil: data.validUntil,
        ...(data.archivedAt ? { signedFormArchivedAt: data.archivedAt } : {}),
        childHasConsentAge: data.childOfAge === 'yes',
      },
      { expectedEtag: data.rev },
    );
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome, { verb: data.verb, values: data });
      return;
    }
    // Back to the request the consent was needed for: the proposed step that shares with services, if one waits.
    const ctx = this.views.cardContext(context, outcome.case, outcome.etag);
    const proposed = outcome.case.proposedStepId ? findStep(ctx.ladder, outcome.case.proposedStepId) : undefined;
    if (proposed?.sharesWithServices && !pendingEscalation(outcome.case)) {
      await sendCard(context, stepEntryCard(ctx, proposed, await this.views.colleagues(outcome.case), t.consent.recorded));
      return;
    }
    await this.views.showDone(context, outcome, { style: 'good', text: t.consent.recorded });
  }

  async refuseConsent(context: BotTurnContext, data: PayloadOf<'consent.refuse'>): Promise<void> {
    await this.views.change(context, data, {
      type: 'record-consent-refusal',
      refusedBy: data.givenBy,
      services: data.services ?? [],
      teams: data.teams ?? [],
      refusedOn: data.givenOn,
    });
  }

  async withdrawForm(context: BotTurnContext, data: PayloadOf<'consent.withdraw-form'>): Promise<void> {
    // The form is for a change: anyone but the owner is told no (and shown nothing of the case).
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data), 'change');
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    await sendCard(context, consentWithdrawCard(this.views.cardContext(context, opened.case, opened.etag), data.consentId));
  }

  async withdrawHandover(context: BotTurnContext, data: PayloadOf<'baton.withdraw'>): Promise<void> {
    await this.views.change(context, data, { type: 'withdraw-handover' });
  }

  async withdrawConsent(context: BotTurnContext, data: PayloadOf<'consent.withdraw'>): Promise<void> {
    await this.views.change(context, data, { type: 'withdraw-consent', consentId: data.consentId, by: data.by });
  }

  /** Offers the case to a colleague in the unit (the directory); the owner keeps it until they accept. */
  async offer(context: BotTurnContext, data: PayloadOf<'baton.offer'>): Promise<void> {
    const member = (await unitMembers(this.services, data.unitId)).find((person) => person.id === data.to);
    const to = member ? { id: member.id, name: member.name } : undefined;
    if (!to) {
      await this.views.refused(context, { kind: 'refused', reason: 'invalid-handover' });
      return;
    }
    const t = catalogue(localeOf(context));
    await this.views.change(context, data, { type: 'hand-over', to }, () => ({
      style: 'emphasis',
      text: format(t.baton.offered, { name: to.name }),
    }));
  }

  /** The offer again, from "mine saker": the person offered the case may answer it, nothing more. */
  async showOffer(context: BotTurnContext, data: PayloadOf<'baton.view'>): Promise<void> {
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data), 'respond-to-handover');
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    await sendCard(context, handoverOfferCard(localeOf(context), opened.case, this.services.cases.ladderOf(opened.case)));
  }

  /** The colleague's answer to the offer: from their own chat, with their own identity. */
  async answerOffer(
    context: BotTurnContext,
    data: { caseId: string; unitId: string },
    type: 'accept-handover' | 'decline-handover',
  ): Promise<void> {
    const t = catalogue(localeOf(context));
    const command: CaseCommand = { type };
    const outcome = await this.services.cases.execute(turnOf(context, this.services), toRef(data), command);
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    if (type === 'decline-handover') {
      await context.sendActivity(format(t.baton.declined, { owner: outcome.case.owner.name }));
      return;
    }
    await this.views.remember(context, outcome.case, outcome.case.unitId);
    const ctx = this.views.cardContext(context, outcome.case, outcome.etag);
    await sendCard(context, caseOverviewCard(ctx, { style: 'good', text: format(t.baton.accepted, { code: outcome.case.id }) }));
  }
}
