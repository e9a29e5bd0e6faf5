import { cardMessage } from '../scheduler/conversation-port';
import type { CaseOperation } from '../domain/access';
import type { Case } from '../domain/case';
import type { Ladder } from '../domain/ladder';
import { dayOf } from '../domain/time';
import { actionReminderCard, evaluationCard, reminderCard } from '../cards/case';
import { approvalCard, handoverOfferCard } from '../cards/ladder';
import type { AdaptiveCardJson } from '../cards/guards';
import { codeOnlyCard, escalationDecidedCard, infoCard, ownerDepartedCard, stillWaitingCard } from '../cards/notices';
import { catalogue, format, type Locale } from '../i18n';
import type { PersonalAddress } from '../store/conversation-address';
import type { PeopleRepository } from '../store/people';
import type { Composer, Composition } from '../scheduler/job-runner';
import type { Job } from '../scheduler/job';
import type { CaseService, SystemRead } from './case-service';
import { noticeJobId, type NoticeParams } from './notices';
import { reminderDate, type ActionReminderParams, type ApprovalReminderParams, type ReminderParams } from './reminders';

/**
 * Builds the message of a notice or reminder job at send time, from the case as it is then,
 * in the recipient's language. A message that no longer holds (the case is gone, the date moved,
 * the person lost access) is dropped, not sent. The case is read through the case service
 * (`openForSystem`), once per message; what is shown to the recipient is audited once as their
 * read (`showTo`: the access policy decides), with the job id as the correlation id.
 */
type ComposerDeps = {
  /** The one path to a case; a case is shown by its own ladder (`ladderOf`). */
  cases: Pick<CaseService, 'openForSystem' | 'ladderOf'>;
  people: Pick<PeopleRepository, 'read' | 'mriOf'>;
  timeZone: string;
  /** A unit's name (the municipality's configuration), for the leader's information card. */
  unitName?: (unitId: string) => string | undefined;
  /** Where earlier notices went (the approval card's message, to edit it when the request falls away). */
  jobs?: { read(id: string): Promise<{ doc: Job } | undefined> };
};

/** A card for notices that need more than information (approve/reject, accept/decline). */
export type NoticeCardBuilder = (input: {
  locale: Locale;
  case: Case;
  etag: string;
  params: NoticeParams;
  ladder: Ladder;
  timeZone: string;
  people: Pick<PeopleRepository, 'mriOf'>;
}) => Promise<AdaptiveCardJson>;

abstract class CaseComposer implements Composer {
  constructor(protected readonly deps: ComposerDeps) {}

  abstract compose(job: Job, now: Date): Promise<Composition>;

  /** The case the job is about, read once for this message; nothing is audited until it is shown (SystemRead). */
  protected read(job: Job, caseRef: { caseId: string; unitId: string }, now: Date): Promise<SystemRead | undefined> {
    return this.deps.cases.openForSystem(
      { caseId: caseRef.caseId, unitId: caseRef.unitId },
      { purpose: job.kind, correlationId: job.id, now },
    );
  }

  /** The case as `personId` may see it now (audited once as their read), or nothing when they may not. */
  protected async shownTo(read: SystemRead, personId: string, operation: CaseOperation = 'read') {
    const shown = await read.showTo(personId, operation);
    return shown.kind === 'opened' ? { doc: shown.case, etag: shown.etag } : undefined;
  }

  protected async localeOf(personId: string): Promise<Locale> {
    return (await this.recipient(personId)).locale;
  }

  /** The person's language, and their personal chat as Laget knows it now (for a job made without an address). */
  protected async recipient(personId: string): Promise<{ locale: Locale; to?: PersonalAddress }> {
    const person = (await this.deps.people.read(personId))?.doc;
    return { locale: person?.locale ?? 'nb', ...(person?.personalChat ? { to: person.personalChat } : {}) };
  }
}

export class ReminderComposer extends CaseComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as ReminderParams;
    const loaded = await this.read(job, params, now);
    if (!loaded) return { kind: 'drop', reason: 'case no longer exists' };
    // The baton may have moved and the date may have changed since the reminder was made.
    if (reminderDate(loaded.doc, params.kind) !== params.on) return { kind: 'drop', reason: 'date no longer holds' };
    const owner = loaded.doc.owner.id;
    const readable = await this.shownTo(loaded, owner);
    if (!readable) return { kind: 'drop', reason: 'owner has no access' };
    const { locale, to } = await this.recipient(owner);
    // On the evaluation or check-in date the question itself is the reminder, drawn now with the case's current ETag:
    // on a monitoring step, "is the good development lasting?", with closing the case as an answer too.
    const card =
      params.kind === 'evaluation' || params.kind === 'check-in'
        ? evaluationCard(
            {
              locale,
              case: readable.doc,
              etag: readable.etag,
              ladder: this.deps.cases.ladderOf(readable.doc),
              today: dayOf(now, this.deps.timeZone),
            },
            { reminder: params.kind },
          )
        : reminderCard(locale, readable.doc);
    return { kind: 'post', activity: cardMessage(card), to };
  }
}

export class NoticeComposer extends CaseComposer {
  constructor(
    deps: ComposerDeps,
    /** Cards for notices that need more than information (approve/reject, accept/decline). */
    private readonly special: Partial<Record<string, NoticeCardBuilder>> = SPECIAL_NOTICE_CARDS,
  ) {
    super(deps);
  }

  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as NoticeParams;
    // The colleague offered the baton may see the offer (and answer it), nothing more, until they accept.
    const operation: CaseOperation = params.about === 'handover-offered' ? 'respond-to-handover' : 'read';
    const read = await this.read(job, params, now);
    if (!read) return { kind: 'drop', reason: 'case no longer exists' };
    const loaded = await this.shownTo(read, params.personId, operation);
    if (!loaded) {
      // The previous owner, a colleague whose offer was withdrawn and a replaced leader are told, with the code alone.
      if (CODE_ONLY_TOPICS.includes(params.about)) return codeOnlyNotice(read.doc, params, await this.localeOf(params.personId));
      // Anyone else who lost access to the case since the notice was made is not told about it.
      return { kind: 'drop', reason: 'recipient has no access to the case' };
    }
    const locale = await this.localeOf(params.personId);
    if (params.about === 'escalation-cancelled') return this.approvalFellAway(loaded.doc, params, locale);
    // An approval card whose request fell away before it went out is not sent: nothing waits for the leader.
    if (params.about === 'approval-requested' && loaded.doc.escalations.find((e) => e.id === params.ref)?.status !== 'pending') {
      return { kind: 'drop', reason: 'the request no longer waits' };
    }
    const special = this.special[params.about];
    const ladder = this.deps.cases.ladderOf(loaded.doc);
    const card = special
      ? await special({
          locale,
          case: loaded.doc,
          etag: loaded.etag,
          params,
          ladder,
          timeZone: this.deps.timeZone,
          people: this.deps.people,
        })
      : infoCard(locale, loaded.doc, params, ladder, this.deps.unitName);
    return { kind: 'post', activity: cardMessage(card) };
  }

  /**
   * A request the leader was asked to decide no longer waits (withdrawn by the owner, the case moved
   * on, consent lapsed): the approval card already in the leader's chat is edited once to say so, and
   * loses its buttons. A card that never went out needs no word; one whose message is unknown gets
   * a short notice instead.
   */
  private async approvalFellAway(c: Case, params: NoticeParams, locale: Locale): Promise<Composition> {
    const escalation = c.escalations.find((e) => e.id === params.ref);
    if (!escalation || escalation.status !== 'cancelled') return { kind: 'drop', reason: 'the request is not cancelled' };
    const ladder = this.deps.cases.ladderOf(c);
    const asked = await this.deps.jobs?.read(
      noticeJobId(c.id, { personId: params.personId, about: 'approval-requested', ref: escalation.id }, ''),
    );
    if (asked && asked.doc.state !== 'sent' && asked.doc.state !== 'unknown')
      return { kind: 'drop', reason: 'the approval card was never sent' };
    const card = approvalCard({
      locale,
      case: c,
      escalation,
      ladder,
      timeZone: this.deps.timeZone,
      view: 'status',
      refreshUserIds: await refreshUsers(this.deps.people, c),
    });
    const messageId = asked?.doc.activityId;
    if (messageId) return { kind: 'post', activity: { ...cardMessage(card), updateActivityId: messageId } };
    return { kind: 'post', activity: cardMessage(infoCard(locale, c, params, ladder, this.deps.unitName)) };
  }
}

/** Notices to someone who has lost access to the case: they get its code and who has it now, nothing about the child. */
const CODE_ONLY_TOPICS: readonly string[] = ['handover-accepted', 'handover-withdrawn', 'leader-replaced'];

/**
 * A notice to someone the baton or the leader role has passed by, who may no longer see the case: the previous owner
 * once the new holder accepted, a colleague whose offer was withdrawn. It names the case code and
 * the owner now — nothing about the child. (The refused read is in the audit log already, once.)
 */
function codeOnlyNotice(c: Case, params: NoticeParams, locale: Locale): Composition {
  const concerned =
    params.about === 'handover-accepted'
      ? c.formerOwnerIds.includes(params.personId)
      : params.about === 'leader-replaced'
        ? c.events.some((e) => e.type === 'leader-changed' && e.fromPersonId === params.personId) && c.nearestLeader.id !== params.personId
        : c.events.some((e) => e.type === 'handover-withdrawn' && e.toPersonId === params.personId) &&
          c.pendingHandover?.to.id !== params.personId;
  if (!concerned) return { kind: 'drop', reason: 'recipient has no access to the case' };
  const card = codeOnlyCard(locale, c, params.about);
  return { kind: 'post', activity: cardMessage(card) };
}

/** The Teams user ids (29:…) of the case's leader and owner: the only clients that refresh an approval card. */
export async function refreshUsers(people: Pick<PeopleRepository, 'mriOf'>, c: Case): Promise<string[]> {
  const found = await Promise.all([people.mriOf(c.nearestLeader.id), people.mriOf(c.owner.id)]);
  return found.filter((mri): mri is string => typeof mri === 'string');
}

/**
 * Notices that ask for something: the leader's approval card (with the buttons in its base form —
 * it lives in the leader's own 1:1 chat, and the Agents Playground shows only the base form — and a
 * refresh list of the leader and the owner; the leader's deciding press edits it once to the
 * decided card, see src/bot/approvals.ts), the colleague's handover offer, and the owner's answer
 * from the leader.
 */
const SPECIAL_NOTICE_CARDS: Partial<Record<string, NoticeCardBuilder>> = {
  'approval-requested': async ({ locale, case: c, params, ladder, timeZone, people }) => {
    const escalation = c.escalations.find((e) => e.id === params.ref);
    if (!escalation) return infoCard(locale, c, params, ladder);
    return approvalCard({ locale, case: c, escalation, ladder, timeZone, view: 'leader', refreshUserIds: await refreshUsers(people, c) });
  },
  'handover-offered': async ({ locale, case: c, ladder }) => handoverOfferCard(locale, c, ladder),
  // The owner left the unit or was disabled: the leader offers the case to a colleague from here.
  'owner-departed': async ({ locale, case: c, params, ladder }) =>
    ownerDepartedCard(
      locale,
      c,
      { ...params, about: params.ref === 'account-disabled' ? 'owner-departed-disabled' : 'owner-departed' },
      ladder,
    ),
  // The owner hears they keep the case; the leader who made the offer, that the case still has its old owner.
  'handover-declined': async ({ locale, case: c, params, ladder }) =>
    infoCard(locale, c, c.owner.id === params.personId ? params : { ...params, about: 'handover-declined-leader' }, ladder),
  'escalation-decided': async ({ locale, case: c, params, ladder }) => {
    const e = c.escalations.find((x) => x.id === params.ref);
    if (!e || (e.status !== 'approved' && e.status !== 'rejected')) return infoCard(locale, c, params, ladder);
    return escalationDecidedCard(locale, c, e, ladder);
  },
};

/** An action past its deadline: what it is, with "done" and "new deadline" at hand. Dropped once it is done or has a new deadline. */
export class ActionReminderComposer extends CaseComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as ActionReminderParams;
    const existing = await this.read(job, params, now);
    const action = existing?.doc.actions.find((a) => a.id === params.actionId);
    if (!existing || existing.doc.status === 'closed' || !action || action.done !== null || action.dueOn !== params.dueOn) {
      return { kind: 'drop', reason: 'the action is done, moved or gone' };
    }
    const loaded = await this.shownTo(existing, existing.doc.owner.id);
    if (!loaded) return { kind: 'drop', reason: 'owner has no access' };
    const { locale, to } = await this.recipient(existing.doc.owner.id);
    return { kind: 'post', activity: cardMessage(actionReminderCard(locale, loaded.doc, action)), to };
  }
}

/** A request still waiting: the leader gets the approval card again, then the owner hears it still waits. */
export class ApprovalReminderComposer extends CaseComposer {
  async compose(job: Job, now: Date): Promise<Composition> {
    const params = job.params as ApprovalReminderParams;
    const existing = await this.read(job, params, now);
    const waiting = existing?.doc.escalations.find((e) => e.id === params.escalationId);
    if (!existing || waiting?.status !== 'pending') return { kind: 'drop', reason: 'request no longer pending' };
    const personId = params.to === 'leader' ? existing.doc.nearestLeader.id : existing.doc.owner.id;
    const loaded = await this.shownTo(existing, personId);
    if (!loaded) return { kind: 'drop', reason: 'recipient has no access' };
    const { locale, to } = await this.recipient(personId);
    const t = catalogue(locale);
    const c = loaded.doc;
    if (params.to === 'leader') {
      const card = approvalCard({
        locale,
        case: c,
        escalation: waiting,
        ladder: this.deps.cases.ladderOf(c),
        timeZone: this.deps.timeZone,
        view: 'leader',
        refreshUserIds: await refreshUsers(this.deps.people, c),
        banner: format(t.approval.reminder, { days: params.workingDays }),
      });
      return { kind: 'post', activity: cardMessage(card), to };
    }
    return { kind: 'post', activity: cardMessage(stillWaitingCard(locale, c, waiting, this.deps.cases.ladderOf(c))), to };
  }
}
