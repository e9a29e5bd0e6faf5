import { CardFactory, type TurnContext as BotTurnContext } from 'botbuilder';
import { refusalCard } from '../cards/common';
import type { AdaptiveCardJson } from '../cards/guards';
import { approvalCard, approvalNoAccessCard, leaderApprovalsCard, leaderUnitsCard, type ApprovalView } from '../cards/ladder';
import type { PayloadOf } from '../cards/payloads';
import type { Case } from '../domain/case';
import { approvalsOrder, leaderWorkOrder, PAGE_SIZE, type Page, type WorkOrder } from '../domain/worklist';
import { catalogue, format, refusalText } from '../i18n';
import { refreshUsers } from '../workflow/composers';
import { CaseViews, toRef, type CaseViewsNeeds } from './case-views';
import { directoryEntryOf, unitMembers, unitsLedIn } from './directory-entry';
import { localeOf, sendCard } from './replies';
import { personOf, turnOf, type Needs } from './services';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type ApprovalsNeeds = Needs<'log'> & CaseViewsNeeds;

type EscalationRef = { caseId: string; unitId: string; escalationId: string };

/**
 * The nearest leader's side: the approval card (Universal Actions), "til godkjenning",
 * "mine enheter", and reassigning a case when its owner has left. Routes: src/bot/routes.ts.
 *
 * Universal Actions done right: the decision is taken from the invoke's own identity, checked by
 * the domain against the case's designated leader at that moment; a replayed invoke gets the same
 * answer and changes nothing; two decisions at once leave exactly one (the ETag); and every invoke,
 * including the automatic refresh, is answered with a card. The message itself is edited exactly
 * once: after the leader's own press decided the request, the pressed message becomes the decided
 * card, so every device (and the Agents Playground, which has no per-user refresh) shows the
 * outcome. A refresh never edits the message, so there is no refresh loop.
 */
export class Approvals {
  private readonly views: CaseViews;

  constructor(private readonly services: ApprovalsNeeds) {
    this.views = new CaseViews(services);
  }

  async decide(context: BotTurnContext, data: PayloadOf<'approval.decide'>): Promise<AdaptiveCardJson> {
    const locale = localeOf(context);
    const me = personOf(context);
    const outcome = await this.services.cases.execute(turnOf(context, this.services), toRef(data), {
      type: 'decide-escalation',
      escalationId: data.escalationId,
      decision: data.decision,
      ...(data.comment ? { reason: data.comment } : {}),
    });
    if (outcome.kind === 'done') {
      const decided = await this.card(context, outcome.case, data, 'status');
      await this.showDecisionOnMessage(context, decided);
      return decided;
    }
    const current = outcome.current?.doc;
    switch (outcome.reason) {
      case 'already-decided': {
        const e = current?.escalations.find((x) => x.id === data.escalationId);
        // Teams may send the same invoke again: the one who decided gets the same card back.
        const same =
          e && 'decidedBy' in e && e.decidedBy.id === me.id && e.status === (data.decision === 'approve' ? 'approved' : 'rejected');
        const banner = same ? undefined : this.views.sentence(locale, outcome);
        return current
          ? this.card(context, current, data, 'status', banner)
          : refusalCard(locale, this.views.sentence(locale, outcome), { reason: outcome.reason });
      }
      case 'reason-required':
        return current
          ? this.card(context, current, data, 'leader', this.views.sentence(locale, outcome))
          : refusalCard(locale, this.views.sentence(locale, outcome), { reason: outcome.reason });
      case 'not-designated-leader':
      case 'not-case-leader':
      case 'no-relation':
      case 'operation-not-permitted':
      case 'former-owner':
      case 'aggregates-only':
      case 'case-not-found':
        return refusalCard(locale, this.views.sentence(locale, outcome), { reason: outcome.reason });
      default:
        // The request can no longer be granted as it stands (consent withdrawn, the case moved): say why.
        return current
          ? this.card(context, current, data, 'status', this.views.sentence(locale, outcome))
          : refusalCard(locale, this.views.sentence(locale, outcome), { reason: outcome.reason });
    }
  }

  /** Each viewer's own card: the leader sees the buttons while it is pending, the owner the status, others nothing. */
  async refresh(context: BotTurnContext, data: PayloadOf<'approval.refresh'>): Promise<AdaptiveCardJson> {
    const locale = localeOf(context);
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data));
    if (opened.kind === 'refused' || (opened.basis !== 'leader' && opened.basis !== 'owner')) return approvalNoAccessCard(locale);
    const view: ApprovalView = opened.basis === 'leader' ? 'leader' : 'status';
    return this.card(context, opened.case, data, view);
  }

  /** A page of the open cases in the units this person leads, in `order`; undefined (and told so) when they lead none. */
  private async ledCases(context: BotTurnContext, order: WorkOrder, page: number): Promise<Page<Case> | undefined> {
    const units = unitsLedIn(directoryEntryOf(context));
    if (units.length === 0) {
      await context.sendActivity(catalogue(localeOf(context)).leader.notLeader);
      return undefined;
    }
    const shown = await this.services.cases.listLed(turnOf(context, this.services), units, { order, page });
    return { ...shown, rows: shown.rows.map(({ doc }) => doc) };
  }

  /** "til godkjenning": requests waiting for this leader, oldest first, a page at a time. */
  async listApprovals(context: BotTurnContext, page = 1): Promise<void> {
    const locale = localeOf(context);
    const shown = await this.ledCases(context, approvalsOrder(personOf(context).id), page);
    if (!shown) return;
    await sendCard(
      context,
      leaderApprovalsCard(locale, shown.rows, (c) => this.services.cases.ladderOf(c), this.services.config.timeZone, {
        ...shown,
        size: PAGE_SIZE,
        next: (n) => ({ verb: 'leader.approvals', page: n }),
      }),
    );
  }

  /** "mine enheter": the open cases in the leader's units, what needs action first, a page at a time — codes and aliases only. */
  async listUnits(context: BotTurnContext, page = 1): Promise<void> {
    const order = leaderWorkOrder(personOf(context).id, this.services.now(), this.services.config.timeZone);
    const shown = await this.ledCases(context, order, page);
    if (!shown) return;
    await sendCard(
      context,
      leaderUnitsCard(localeOf(context), shown.rows, (c) => this.services.cases.ladderOf(c), {
        ...shown,
        size: PAGE_SIZE,
        next: (n) => ({ verb: 'leader.units', page: n }),
      }),
    );
  }

  /** The request as the leader decides it; the owner sees its status; anyone else who may read the case, their own view. */
  async open(context: BotTurnContext, data: PayloadOf<'leader.open'>): Promise<void> {
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data));
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    if (opened.basis !== 'leader' && opened.basis !== 'owner') {
      await this.views.showAs(context, opened);
      return;
    }
    await sendCard(context, await this.card(context, opened.case, data, opened.basis === 'leader' ? 'leader' : 'status'));
  }

  /** The leader's view of a case (anyone else who may read it gets their own view). */
  async leaderCase(context: BotTurnContext, data: PayloadOf<'leader.case'>): Promise<void> {
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data));
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    await this.views.showAs(context, opened);
  }

  async reassignForm(context: BotTurnContext, data: PayloadOf<'leader.reassign-form'>): Promise<void> {
    const opened = await this.services.cases.open(turnOf(context, this.services), toRef(data), 'reassign');
    if (opened.kind === 'refused') {
      await this.views.refused(context, opened);
      return;
    }
    await sendCard(context, await this.views.batonCard(this.views.cardContext(context, opened.case, opened.etag), 'reassign'));
  }

  async reassign(context: BotTurnContext, data: PayloadOf<'baton.reassign'>): Promise<void> {
    const locale = localeOf(context);
    const to = (await unitMembers(this.services, data.unitId)).find((person) => person.id === data.to);
    if (!to) {
      await this.views.refused(context, { kind: 'refused', reason: 'invalid-handover' });
      return;
    }
    const outcome = await this.services.cases.execute(
      turnOf(context, this.services),
      toRef(data),
      { type: 'reassign-owner', to: { id: to.id, name: to.name } },
      { expectedEtag: data.rev },
    );
    if (outcome.kind === 'refused') {
      await this.views.refused(context, outcome);
      return;
    }
    // An offer: the baton moves when the colleague accepts it (the handover card in their chat).
    await context.sendActivity(
      format(catalogue(locale).baton.reassignOffered, { name: to.name, code: outcome.case.id, owner: outcome.case.owner.name }),
    );
    await this.views.tellWaiting(context, outcome);
  }

  /**
   * The decision this press just made, on the message that was pressed (the invoke's `replyToId`):
   * one edit, only for the press that decided — a replay, a losing concurrent press or a refresh
   * edits nothing. The decision is saved already; a failed edit is logged, not shown as a failure.
   */
  private async showDecisionOnMessage(context: BotTurnContext, card: AdaptiveCardJson): Promise<void> {
    const { replyToId } = context.activity;
    const value: unknown = context.activity.value;
    if (!replyToId || (value as { trigger?: unknown } | undefined)?.trigger === 'automatic') return;
    try {
      await context.updateActivity({ type: 'message', id: replyToId, attachments: [CardFactory.adaptiveCard(card)] });
    } catch (error) {
      this.services.log.warn(
        { err: error, activityId: context.activity.id },
        'the approval card could not be updated after the decision; the decision stands',
      );
    }
  }

  /** The approval card for one viewer, with the leader's and the owner's MRIs in its refresh list. */
  private async card(context: BotTurnContext, c: Case, ref: EscalationRef, view: ApprovalView, banner?: string): Promise<AdaptiveCardJson> {
    const locale = localeOf(context);
    const escalation = c.escalations.find((e) => e.id === ref.escalationId);
    if (!escalation) return refusalCard(locale, refusalText(locale, 'escalation-not-found'), { reason: 'escalation-not-found' });
    return approvalCard({
      locale,
      case: c,
      escalation,
      ladder: this.services.cases.ladderOf(c),
      timeZone: this.services.config.timeZone,
      view,
      refreshUserIds: await refreshUsers(this.services.people, c),
      ...(banner ? { banner } : {}),
    });
  }
}
