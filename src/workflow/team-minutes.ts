import { measuresCard, meetingText, type ProposedGoal, type ProposedMeasure } from '../cards/teams';
import type { AdaptiveCardJson } from '../cards/guards';
import type { Meeting } from '../domain/meeting-series';
import type { AgendaItem, CaseItem, Team, TopicMinutes } from '../domain/team';
import { decideMeeting, type TeamActor } from '../domain/team-decide';
import { catalogue, type Locale } from '../i18n';
import type { Logger } from '../log';
import { cardMessage, type ConversationPort } from '../scheduler/conversation-port';
import type { PersonalAddress } from '../store/conversation-address';
import type { PeopleRepository } from '../store/people';
import type { TeamRepository } from '../store/teams';
import type { CaseCommand, CaseService, Refused } from './case-service';

/**
 * Where the minutes of a team meeting go, item by item, once the lead or an owner has written
 * them in their own chat (never the channel):
 *  - a named item: into the case through the CaseService (goal, measures, a note, the next
 *    evaluation) when the writer may change the case — its owner; anyone else the access
 *    policy refuses, and then it goes to the owner as for an anonymous item;
 *  - an anonymous item: to the case's owner, in their own chat, as a card with the measures
 *    to add ("Legg til i saken");
 *  - a general topic: kept in the team's minutes record.
 * An item that cannot be delivered is reported back and stays open, so it can be written again.
 * The meeting's record keeps the minutes record: roles present, writers, and per item only its
 * code and where it went — no child data. Claiming and recording go through the domain
 * (`claim-minutes`, `record-minutes` in src/domain/team-decide.ts).
 */

type MinutesMeasure = { what?: string; who?: string; dueOn?: string };

/** What the writer entered for one item (text already trimmed; empty fields left out). */
export type ItemMinutesInput = {
  itemId: string;
  known?: string;
  options?: string;
  goal?: string;
  goalOn?: string;
  measures: MinutesMeasure[];
  nextOn?: string;
};

type NotDelivered =
  'owner-has-no-chat' | 'case-not-found' | 'case-closed' | 'post-failed' | 'store-unavailable' | 'incomplete-measure' | 'goal-without-date';

export type ItemOutcome =
  | { itemId: string; caseId: string | null; kind: 'recorded-on-case'; nextEvaluation?: Refused }
  | { itemId: string; caseId: string | null; kind: 'sent-to-owner' }
  | { itemId: string; caseId: string | null; kind: 'kept-here' }
  /** Nothing was written for it: left for later. */
  | { itemId: string; caseId: string | null; kind: 'empty' }
  /** Its minutes were delivered before (a second press, another writer). */
  | { itemId: string; caseId: string | null; kind: 'already-recorded' }
  | { itemId: string; caseId: string | null; kind: 'not-delivered'; reason: NotDelivered }
  | { itemId: string; caseId: string | null; kind: 'refused'; refusal: Refused };

export type MinutesSubmission = {
  team: Team;
  meeting: Meeting;
  actor: TeamActor;
  /** The writer's items on the form (the lead's: all of the meeting; an owner's: their own). */
  items: readonly AgendaItem[];
  entries: readonly ItemMinutesInput[];
  present: readonly string[];
  correlationId: string;
  now: Date;
};

export type MinutesDeps = {
  cases: Pick<CaseService, 'execute' | 'openForSystem'>;
  people: Pick<PeopleRepository, 'read'>;
  teams: Pick<TeamRepository, 'changeMeeting'>;
  /** Posts a card to a person's own chat at once. */
  direct: ConversationPort;
  log: Logger;
};

type Parsed = { goal?: ProposedGoal; measures: ProposedMeasure[]; known?: string; options?: string; nextOn?: string };

export class TeamMinutes {
  constructor(private readonly deps: MinutesDeps) {}

  async save(input: MinutesSubmission): Promise<ItemOutcome[]> {
    const { team, meeting, now } = input;
    const byId = new Map(input.items.map((item) => [item.id, item]));
    const wanted = input.entries.filter((entry) => byId.has(entry.itemId));
    const outcomes: ItemOutcome[] = [];
    const toDeliver: { item: AgendaItem; parsed: Parsed }[] = [];
    for (const entry of wanted) {
      const item = byId.get(entry.itemId)!;
      const parsed = parse(entry);
      const caseId = item.kind === 'case' ? item.caseId : null;
      if (parsed === 'empty') outcomes.push({ itemId: item.id, caseId, kind: 'empty' });
      else if (typeof parsed === 'string') outcomes.push({ itemId: item.id, caseId, kind: 'not-delivered', reason: parsed });
      else toDeliver.push({ item, parsed });
    }

    // Claim the items first (ETag-guarded, through the domain): a second press or another writer delivers nothing twice.
    const claim = await this.deps.teams.changeMeeting(team.teamId, meeting.id, (current) => {
      const decided = decideMeeting(
        team,
        current,
        { type: 'claim-minutes', meetingId: meeting.id, itemIds: toDeliver.map(({ item }) => item.id) },
        input.actor,
        now,
      );
      return { write: decided.kind === 'accepted' && decided.changed ? decided.meeting : null, result: decided };
    });
    const claimed = new Set(claim.result.kind === 'accepted' ? (claim.result.claimed ?? []) : []);

    const topics: TopicMinutes[] = [];
    for (const { item, parsed } of toDeliver) {
      const caseId = item.kind === 'case' ? item.caseId : null;
      if (!claimed.has(item.id)) {
        outcomes.push({ itemId: item.id, caseId, kind: 'already-recorded' });
        continue;
      }
      if (item.kind === 'topic') {
        topics.push({
          itemId: item.id,
          known: parsed.known ?? null,
          options: parsed.options ?? null,
          goal: parsed.goal ?? null,
          measures: parsed.measures,
          nextOn: parsed.nextOn ?? null,
        });
        outcomes.push({ itemId: item.id, caseId: null, kind: 'kept-here' });
        continue;
      }
      try {
        outcomes.push(await this.deliverCase(input, item, parsed));
      } catch (error) {
        // The item was claimed above: it must open again below, or its minutes would be lost.
        this.deps.log.warn({ err: error, caseId }, 'team minutes could not be delivered; the item stays open');
        outcomes.push({ itemId: item.id, caseId, kind: 'not-delivered', reason: 'store-unavailable' });
      }
    }

    // Record what happened (codes and outcomes only); an item not delivered is open again.
    const recorded = outcomes.flatMap((o) =>
      claimed.has(o.itemId) && o.kind !== 'already-recorded' && o.kind !== 'empty'
        ? [{ itemId: o.itemId, caseId: o.caseId, outcome: o.kind === 'refused' ? ('not-delivered' as const) : o.kind }]
        : [],
    );
    const failed = outcomes.filter((o) => !claimed.has(o.itemId) && o.kind === 'not-delivered');
    const reopen = outcomes
      .filter((o) => claimed.has(o.itemId) && (o.kind === 'not-delivered' || o.kind === 'refused'))
      .map((o) => o.itemId);
    await this.deps.teams.changeMeeting(team.teamId, meeting.id, (current) => {
      const decided = decideMeeting(
        team,
        current,
        {
          type: 'record-minutes',
          meetingId: meeting.id,
          present: [...input.present],
          outcomes: [...recorded, ...failed.map((o) => ({ itemId: o.itemId, caseId: o.caseId, outcome: 'not-delivered' as const }))],
          topics,
          reopen,
        },
        input.actor,
        now,
      );
      return { write: decided.kind === 'accepted' ? decided.meeting : null, result: undefined };
    });
    return outcomes;
  }

  /** A case item: into the case when the writer may change it (named), otherwise to its owner. */
  private async deliverCase(input: MinutesSubmission, item: CaseItem, parsed: Parsed): Promise<ItemOutcome> {
    const base = { itemId: item.id, caseId: item.caseId };
    const ref = { caseId: item.caseId, unitId: item.unitId };
    const turn = {
      actor: input.actor.person,
      correlationId: `${input.correlationId}:${item.id}`,
      now: input.now,
      // The lead acts as a member of the team; the access policy decides what that allows.
      teamIds: input.team.lead?.id === input.actor.person.id ? [input.team.teamId] : [],
    };
    if (item.mode === 'named') {
      const commands = caseCommands(parsed, input.team, input.meeting);
      const nextOn = parsed.nextOn;
      const reschedule = (on: string) =>
        this.deps.cases.execute({ ...turn, correlationId: `${turn.correlationId}:next` }, ref, { type: 'reschedule', on });
      if (commands.length > 0) {
        const done = await this.deps.cases.execute(turn, ref, commands);
        if (done.kind === 'done') {
          const next = nextOn ? await reschedule(nextOn) : undefined;
          return { ...base, kind: 'recorded-on-case', ...(next?.kind === 'refused' ? { nextEvaluation: next } : {}) };
        }
        if (!isAccessDenial(done)) return refusedOutcome(base, done);
      } else if (nextOn) {
        const next = await reschedule(nextOn);
        if (next.kind === 'done') return { ...base, kind: 'recorded-on-case' };
        if (!isAccessDenial(next)) return refusedOutcome(base, next);
      }
      // The writer may not change the case (the lead, under today's access policy): its owner records it.
    }
    return this.toOwner(input, item, parsed);
  }

  /** The measures to the case's current owner, in their own chat, to add with one press. */
  private async toOwner(input: MinutesSubmission, item: CaseItem, parsed: Parsed): Promise<ItemOutcome> {
    const base = { itemId: item.id, caseId: item.caseId };
    const ref = { caseId: item.caseId, unitId: item.unitId };
    // Laget reads the case only to know who holds it now: a routing read. What it shows (the case's code,
    // to its owner, with the writer's measures) is audited once as the system's read, on the writer's behalf.
    const found = await this.deps.cases.openForSystem(ref, {
      purpose: 'team-minutes-route',
      correlationId: `${input.correlationId}:${item.id}:route`,
      now: input.now,
      actorId: input.actor.person.id,
    });
    if (!found) return { ...base, kind: 'not-delivered', reason: 'case-not-found' };
    if (found.doc.status === 'closed') return { ...base, kind: 'not-delivered', reason: 'case-closed' };
    const owner = (await this.deps.people.read(found.doc.owner.id))?.doc;
    if (!owner?.personalChat) return { ...base, kind: 'not-delivered', reason: 'owner-has-no-chat' };
    await found.shownAsSystem();
    const locale: Locale = owner.locale ?? 'nb';
    const card = measuresCard(
      locale,
      { id: found.doc.id, unitId: found.doc.unitId },
      meetingText(locale, input.meeting),
      { known: parsed.known, options: parsed.options, nextOn: parsed.nextOn },
      parsed.measures,
      parsed.goal,
    );
    try {
      await this.post(owner.personalChat, card);
    } catch (error) {
      this.deps.log.warn({ err: error, caseId: ref.caseId }, 'team minutes could not be sent to the owner');
      return { ...base, kind: 'not-delivered', reason: 'post-failed' };
    }
    return { ...base, kind: 'sent-to-owner' };
  }

  private async post(address: PersonalAddress, card: AdaptiveCardJson): Promise<void> {
    await this.deps.direct.post(address, cardMessage(card), AbortSignal.timeout(10_000));
  }
}

const ACCESS_DENIALS = new Set(['operation-not-permitted', 'former-owner', 'aggregates-only', 'no-relation']);

function isAccessDenial(refused: Refused): boolean {
  return ACCESS_DENIALS.has(refused.reason);
}

function refusedOutcome(base: { itemId: string; caseId: string | null }, refused: Refused): ItemOutcome {
  if (refused.reason === 'case-not-found' || refused.reason === 'case-closed')
    return { ...base, kind: 'not-delivered', reason: refused.reason };
  return { ...base, kind: 'refused', refusal: refused };
}

/** A measure needs what and a date; a goal needs a date (the next evaluation if none is given). */
function parse(entry: ItemMinutesInput): Parsed | 'empty' | NotDelivered {
  const measures: ProposedMeasure[] = [];
  for (const m of entry.measures) {
    if (!m.what && !m.dueOn && !m.who) continue;
    if (!m.what || !m.dueOn) return 'incomplete-measure';
    measures.push({ what: m.what, who: m.who ?? '–', dueOn: m.dueOn });
  }
  let goal: ProposedGoal | undefined;
  if (entry.goal) {
    const targetOn = entry.goalOn ?? entry.nextOn;
    if (!targetOn) return 'goal-without-date';
    goal = { text: entry.goal, targetOn };
  }
  const parsed: Parsed = { measures, goal, known: entry.known, options: entry.options, nextOn: entry.nextOn };
  const empty = !parsed.known && !parsed.options && !goal && measures.length === 0 && !parsed.nextOn;
  return empty ? 'empty' : parsed;
}

/** Goal, measures and a note of what the team knows and sees as options, as commands on the case. */
function caseCommands(parsed: Parsed, team: Team, meeting: Meeting): CaseCommand[] {
  const t = catalogue('nb');
  const commands: CaseCommand[] = [];
  if (parsed.goal) commands.push({ type: 'add-goal', goal: parsed.goal });
  for (const m of parsed.measures) {
    commands.push({ type: 'add-action', action: { what: m.what, who: { kind: 'other', label: m.who }, dueOn: m.dueOn } });
  }
  const text = [parsed.known && `${t.teams.knownLabel} ${parsed.known}`, parsed.options && `${t.teams.optionsLabel}: ${parsed.options}`]
    .filter(Boolean)
    .join('\n');
  if (text) {
    commands.push({
      type: 'add-note',
      kind: 'internal',
      text: `${team.name}, ${meeting.date}:\n${text}`.slice(0, 2000),
      heldOn: meeting.date,
      signByOwner: false,
    });
  }
  return commands;
}
