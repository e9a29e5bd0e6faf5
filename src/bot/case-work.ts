import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { OverviewNotice } from '../cards/case';
import { stepShortLabel } from '../cards/labels';
import type { PayloadOf, PayloadProblems, Verb } from '../cards/payloads';
import { deletionDay } from '../cards/work';
import type { ActionAssignee } from '../domain/records';
import { catalogue, format, formatDay } from '../i18n';
import type { CaseCommand, Done } from '../workflow/case-service';
import { CaseViews, type CaseViewsNeeds, type OnCase } from './case-views';
import { localeOf } from './replies';
import { personOf } from './services';

/** What this flow reaches (src/bot/services.ts): what its case views reach, nothing more. */
export type CaseWorkNeeds = CaseViewsNeeds;

type Notice<V extends Verb> = (
  t: ReturnType<typeof catalogue>,
  done: Done,
  locale: ReturnType<typeof localeOf>,
  data: PayloadOf<V>,
) => string | undefined;

/** The signatures a form gives: the parents' on paper, with where and when the signed minutes are archived. */
function signing(d: { parentsSignedOn?: string; archivedAt?: string; archivedOn?: string }) {
  return {
    ...(d.parentsSignedOn ? { parentsSignedOn: d.parentsSignedOn } : {}),
    ...(d.archivedAt ? { archivedAt: d.archivedAt } : {}),
    ...(d.archivedOn ? { archivedOn: d.archivedOn } : {}),
  };
}

/** What each verb of the work cards does: the command it sends, and the sentence shown once it is saved. */
type Work = { [V in WorkVerb]: { command: (context: BotTurnContext, data: PayloadOf<V>) => CaseCommand; notice: Notice<V> } };

export type WorkVerb =
  | 'case.meeting'
  | 'case.sign-meeting'
  | 'case.goal'
  | 'case.action'
  | 'case.action-done'
  | 'case.action-edit'
  | 'case.voice'
  | 'case.reschedule'
  | 'case.withdraw-request'
  | 'case.close'
  | 'case.reopen';

/**
 * The work on a case between the moves of the ladder, from the owner's cards: the minutes of the
 * meetings the ladder names and their signatures, goals, actions (done, or changed), the child's
 * voice, a new date with its reason, withdrawing a request for approval, closing and reopening.
 * Each card is one command through the case service; a refusal or an old card is answered with the
 * same form holding what was typed, or the case as it is now. Its routes are in the route table
 * (src/bot/routes.ts): `handle(verb)` is the handler of each verb.
 */
export class CaseWork {
  private readonly views: CaseViews;
  private readonly work: Work;

  constructor(private readonly services: CaseWorkNeeds) {
    this.views = new CaseViews(services);
    this.work = this.declare();
  }

  /** The handler of a work card's verb: its command through the case service, answered with the case and a sentence. */
  handle<V extends WorkVerb>(verb: V): (context: BotTurnContext, data: PayloadOf<V>) => Promise<void> {
    const { command, notice } = this.work[verb];
    return (context, data) => this.apply(context, data, command(context, data), notice);
  }

  /** A payload its schema refused: the error naming the fields, and the same form holding what was typed. */
  readonly invalid = async (context: BotTurnContext, value: unknown, problems: PayloadProblems, verb: string): Promise<void> => {
    await this.views.invalidOnCase(context, verb, value, problems);
  };

  /** Who does an action, from the card's choice: the owner (the person acting), the parents, the child, a colleague, a service. */
  assignee(context: BotTurnContext, who: string | undefined): ActionAssignee {
    const t = catalogue(localeOf(context));
    if (who?.startsWith('service:')) return { kind: 'service', serviceId: who.slice('service:'.length) };
    switch (who) {
      case 'parents':
        return { kind: 'parents' };
      case 'child':
        return { kind: 'child' };
      case 'colleague':
        return { kind: 'other', label: t.uro.colleague };
      default:
        return { kind: 'staff', person: personOf(context) };
    }
  }

  private async apply<V extends Verb>(
    context: BotTurnContext,
    data: PayloadOf<V> & OnCase & { verb: string },
    command: CaseCommand,
    notice: Notice<V>,
  ): Promise<void> {
    const locale = localeOf(context);
    const t = catalogue(locale);
    await this.views.change(
      context,
      data,
      command,
      (done): OverviewNotice | undefined => {
        const text = notice(t, done, locale, data);
        return text ? { style: 'good', text } : undefined;
      },
      { verb: data.verb, values: data },
    );
  }

  private declare(): Work {
    const { services } = this;
    return {
      'case.meeting': {
        command: (context, d) => ({
          type: 'record-meeting',
          meeting: d.meeting,
          heldOn: d.heldOn,
          parents: d.parents,
          services: d.services ?? [],
          leaderPresent: d.leaderPresent === 'true',
          childPresent: d.childPresent === 'true',
          conclusions: d.conclusions,
          ...(d.actionWhat && d.actionDue
            ? { actions: [{ what: d.actionWhat, who: this.assignee(context, d.actionWho), dueOn: d.actionDue }] }
            : {}),
          ...(d.nextEvaluationOn ? { nextEvaluationOn: d.nextEvaluationOn } : {}),
          signByOwner: d.sign === 'true',
          ...signing(d),
        }),
        notice: (t) => t.work.meetingSaved,
      },
      'case.sign-meeting': {
        command: (_context, d) => ({ type: 'sign-meeting', meetingId: d.meetingId, signByOwner: d.sign === 'true', ...signing(d) }),
        notice: (t) => t.work.signaturesSaved,
      },
      'case.goal': {
        command: (_context, d) => ({ type: 'add-goal', goal: { text: d.text, targetOn: d.targetOn } }),
        notice: (t) => t.work.goalSaved,
      },
      'case.action': {
        command: (context, d) => ({ type: 'add-action', action: { what: d.what, who: this.assignee(context, d.who), dueOn: d.dueOn } }),
        notice: (t) => t.work.actionSaved,
      },
      'case.action-done': {
        command: (_context, d) => ({ type: 'complete-action', actionId: d.actionId, doneOn: d.doneOn }),
        notice: (t) => t.work.actionDone,
      },
      'case.action-edit': {
        command: (context, d) => ({
          type: 'update-action',
          actionId: d.actionId,
          ...(d.who ? { who: this.assignee(context, d.who) } : {}),
          ...(d.dueOn ? { dueOn: d.dueOn } : {}),
        }),
        notice: (t) => t.work.actionEdited,
      },
      'case.voice': {
        command: (_context, d) => ({ type: 'record-child-voice', text: d.text, heardOn: d.heardOn, how: d.how }),
        notice: (t) => t.work.voiceSaved,
      },
      'case.reschedule': {
        command: (_context, d) => ({ type: 'reschedule', on: d.on, reason: d.reason }),
        notice: (t, done, locale) => {
          const day = done.case.nextDates.checkInOn ?? done.case.nextDates.evaluationOn;
          return day ? format(t.work.rescheduled, { date: formatDay(day, locale) }) : undefined;
        },
      },
      'case.withdraw-request': {
        command: (_context, d) => ({ type: 'withdraw-escalation', escalationId: d.escalationId }),
        notice: (t, done) => format(t.work.requestWithdrawn, { leader: done.case.nearestLeader.name }),
      },
      'case.close': {
        command: (_context, d) => ({ type: 'close-case', reason: d.reason }),
        notice: (t, done, locale) => {
          const day = deletionDay(done.case, services, services.config.timeZone);
          return format(t.work.closedNotice, { code: done.case.id, date: day ? formatDay(day, locale) : '' });
        },
      },
      'case.reopen': {
        command: (_context, d) => ({ type: 'reopen-case', ...(d.evaluationOn ? { evaluationOn: d.evaluationOn } : {}) }),
        notice: (t, done, locale) =>
          format(t.work.reopened, {
            code: done.case.id,
            step: stepShortLabel(services.cases.ladderOf(done.case), done.case.currentStep?.stepId ?? null, locale),
          }),
      },
    };
  }
}
