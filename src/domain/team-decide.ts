import type { Case } from './case';
import { skippedOnSave, type Meeting, type MeetingSeries, type SkippedStep } from './meeting-series';
import { findNationalId } from './national-id';
import type { PersonRef } from './primitives';
import {
  agendaOrder,
  caseItemId,
  emptyMeeting,
  meetingsOpenForItems,
  meetingOf,
  openForItems,
  TEAM_LIMITS,
  TEAM_SCHEMA_VERSION,
  type AgendaItem,
  type CaseItem,
  type MinutesItem,
  type Team,
  type TeamChannel,
  type TeamKind,
  type TeamMeeting,
  type TopicMinutes,
} from './team';
import type { TeamQuestionId } from './team-questions';

/**
 * What may happen to a team and its meetings: `decideTeam` for the team itself (registering it,
 * setting up or editing its series, moving its channel) and `decideMeeting` for one meeting
 * (topics, cases, removal, the agenda, minutes, marking it held). Each returns the new state or a
 * typed refusal. Who the actor is comes from real sources the edge looked up — the Teams roster
 * of the team, the municipality's leaders, the conversation the turn came from — never from what
 * a card says. Pure: no I/O, the time is given.
 */

const TEAM_REFUSAL_REASONS = [
  /** Not on the Teams roster of the team. */
  'not-a-member',
  /** The roster could not be read now: nothing is decided on a guess. */
  'roster-unavailable',
  /** Only in a channel of the team (set-up) or the team's own channel (topics). */
  'channel-only',
  /** In another channel of the same team than the one the team uses. */
  'other-channel',
  /** Only the team's lead or a leader of its unit may change the team. */
  'not-lead-or-unit-leader',
  /** The unit is chosen only by one of its leaders. */
  'not-unit-leader',
  'unknown-unit',
  'team-not-set-up',
  'team-inactive',
  'meeting-not-found',
  /** The agenda is drawn (or the meeting started): nothing more is added. Detail: the next meeting open for items. */
  'agenda-closed',
  'meeting-full',
  'topic-limit',
  'national-id-not-allowed',
  /** The case belongs to another unit than the team's. */
  'wrong-unit',
  'item-not-found',
  'not-item-owner',
  'meeting-not-started',
  'already-held',
  /** Nothing was written for the meeting yet. */
  'nothing-to-close',
] as const;
export type TeamRefusalReason = (typeof TEAM_REFUSAL_REASONS)[number];

type TeamRefusalDetail = {
  /** The next meeting items can be brought to (`agenda-closed`). */
  nextMeeting?: Meeting;
  /** Whom to ask instead (`not-lead-or-unit-leader`). */
  lead?: PersonRef;
  limit?: number;
  unitId?: string;
  field?: string;
};

export type TeamRefusal = { kind: 'refused'; reason: TeamRefusalReason; detail?: TeamRefusalDetail };

function refuse(reason: TeamRefusalReason, detail?: TeamRefusalDetail): TeamRefusal {
  return detail ? { kind: 'refused', reason, detail } : { kind: 'refused', reason };
}

/** Where the turn came from: the conversation Teams says it is in (never card data). */
export type Place =
  | { kind: 'channel'; teamsTeamId: string; channelId: string }
  | { kind: 'personal' }
  /** A group chat, or anything else. */
  | { kind: 'other' };

/**
 * Who acts, as the edge found out: the person Teams signed, whether the team's roster in Teams
 * has them (`unknown` when it could not be read), and the units the municipality names them a
 * leader of. `system` is Laget itself (the scheduler drawing an agenda).
 */
export type TeamActor = {
  person: PersonRef;
  member: boolean | 'unknown';
  place: Place;
  leaderOf: readonly string[];
};

// ---- the team ----------------------------------------------------------------------------------

export type TeamSetup = {
  type: 'set-up';
  name: string;
  kind: TeamKind;
  unitId: string | null;
  lead: PersonRef;
  roles: string[];
  /** Parsed already (the series' own rules hold); its skipped steps are decided here. */
  series: MeetingSeries;
  /** The known units (municipality configuration). */
  units: readonly string[];
};

type TeamRegistration = {
  type: 'register';
  teamId: string;
  teamsTeamId: string;
  name: string;
  channel: TeamChannel;
};

export type TeamCommand = TeamSetup | TeamRegistration | { type: 'deactivate' };

export type TeamAccepted = {
  kind: 'accepted';
  team: Team;
  /** The set-up moved the team's posts to the channel it was saved in. */
  movedChannel: boolean;
  /** What the new series will not send because it was already due (said on the saved card). */
  skipped: SkippedStep[];
};

/** Who may change the team: anyone on the roster while it has no lead; then its lead or a leader of its unit. */
function mayEditTeam(team: Team, actor: TeamActor): TeamRefusal | null {
  if (actor.member === 'unknown') return refuse('roster-unavailable');
  if (!actor.member) return refuse('not-a-member');
  if (!team.lead || team.lead.id === actor.person.id) return null;
  if (team.unitId !== null && actor.leaderOf.includes(team.unitId)) return null;
  return refuse('not-lead-or-unit-leader', { lead: team.lead });
}

/** Whether the actor may set up or edit the team here: in a channel of the team, and as `mayEditTeam` says. */
export function maySetUp(team: Team, actor: TeamActor): TeamRefusal | null {
  return inChannelOfTeam(team, actor.place) ?? mayEditTeam(team, actor);
}

/** A channel of this Teams team (any of them), or a refusal saying where to go. */
function inChannelOfTeam(team: Team, place: Place): TeamRefusal | null {
  return place.kind === 'channel' && place.teamsTeamId === team.teamsTeamId ? null : refuse('channel-only');
}

/** The team's own channel (where its rhythm is posted). */
function inOwnChannel(team: Team, place: Place): TeamRefusal | null {
  const elsewhere = inChannelOfTeam(team, place);
  if (elsewhere) return elsewhere;
  return place.kind === 'channel' && place.channelId === team.channel.channelId ? null : refuse('other-channel');
}

export function decideTeam(team: Team | null, command: TeamCommand, actor: TeamActor, now: Date): TeamAccepted | TeamRefusal {
  const at = now.toISOString();
  if (command.type === 'register') {
    // The install event: a team is remembered (inactive) where Laget was added; an existing one is left as it is.
    if (team) return { kind: 'accepted', team, movedChannel: false, skipped: [] };
    return {
      kind: 'accepted',
      movedChannel: false,
      skipped: [],
      team: {
        schemaVersion: TEAM_SCHEMA_VERSION,
        id: 'team',
        teamId: command.teamId,
        teamsTeamId: command.teamsTeamId,
        name: command.name,
        kind: 'interdisciplinary',
        unitId: null,
        channel: command.channel,
        active: false,
        lead: null,
        roles: [],
        series: null,
        createdAt: at,
        updatedAt: at,
      },
    };
  }
  if (!team) return refuse('team-not-set-up');
  if (command.type === 'deactivate')
    return { kind: 'accepted', team: { ...team, active: false, updatedAt: at }, movedChannel: false, skipped: [] };

  const denied = maySetUp(team, actor);
  if (denied) return denied;
  if (command.unitId !== null && !command.units.includes(command.unitId)) return refuse('unknown-unit', { unitId: command.unitId });
  // The unit decides whose cases may be brought and whose leaders may edit: only one of its leaders binds the team to it.
  if (command.unitId !== null && command.unitId !== team.unitId && !actor.leaderOf.includes(command.unitId)) {
    return refuse('not-unit-leader', { unitId: command.unitId });
  }
  const place = actor.place as Extract<Place, { kind: 'channel' }>;
  const movedChannel = place.channelId !== team.channel.channelId;
  const skipped = skippedOnSave(team.series, command.series, now);
  return {
    kind: 'accepted',
    movedChannel,
    skipped: skipped.filter((s) => !(team.series?.skipped ?? []).some((k) => k.meetingId === s.meetingId && k.kind === s.kind)),
    team: {
      ...team,
      name: command.name,
      kind: command.kind,
      unitId: command.unitId,
      channel: movedChannel ? { ...team.channel, channelId: place.channelId } : team.channel,
      active: true,
      lead: command.lead,
      roles: command.roles,
      series: { ...command.series, skipped },
      updatedAt: at,
    },
  };
}

// ---- one meeting -------------------------------------------------------------------------------

type AddTopic = {
  type: 'add-topic';
  meetingId: string;
  topic: string;
  /** From the turn: a repeated turn adds nothing twice. */ key: string;
};

/**
 * A case on the agenda, once the case itself has decided that its owner may bring it so
 * (`bring-to-team`, rule 5). `caseUnitId` is the case's unit; `byOwner` that the actor owns it.
 */
type AddCaseItem = {
  type: 'add-case-item';
  meetingId: string;
  caseId: string;
  caseUnitId: string;
  mode: 'anonymous' | 'named';
  questionId: TeamQuestionId;
};

/** A topic, by whoever added it or the lead; a case item only together with its case's reference (`caseWithdrawn`: the case's owner withdrew it). */
type RemoveItem = { type: 'remove-item'; meetingId: string; itemId: string; caseWithdrawn?: boolean };

/** Laget draws the agenda for posting: the items it lists are fixed, and no item is added after it. */
type DrawAgenda = { type: 'draw-agenda'; meetingId: string };

/** Minutes about to be delivered: the items still open among these are claimed, so nothing is delivered twice. */
type ClaimMinutes = { type: 'claim-minutes'; meetingId: string; itemIds: string[] };

/** What happened to each item written; the claimed ones not delivered (`reopen`) are open again. */
type RecordMinutes = {
  type: 'record-minutes';
  meetingId: string;
  present: string[];
  outcomes: { itemId: string; caseId: string | null; outcome: MinutesItem['outcome'] }[];
  topics: TopicMinutes[];
  reopen: string[];
};

type CloseMeeting = { type: 'close-meeting'; meetingId: string };

export type MeetingCommand = AddTopic | AddCaseItem | RemoveItem | DrawAgenda | ClaimMinutes | RecordMinutes | CloseMeeting;

export type MeetingAccepted = {
  kind: 'accepted';
  meeting: TeamMeeting;
  /** False when the command changed nothing (the same topic again, an item already there). */
  changed: boolean;
  /** `claim-minutes`: the items claimed now. `add-*`: the item as it stands, and whether this command created it. */
  claimed?: string[];
  item?: AgendaItem;
  created?: boolean;
};

export type MeetingDecision = MeetingAccepted | TeamRefusal;

/** Why an item can no longer be added, with the next meeting that takes items. */
function closedFor(team: Team, now: Date, recordOf?: (meetingId: string) => Pick<TeamMeeting, 'agenda'> | null): TeamRefusal {
  const next = meetingsOpenForItems(team, now, recordOf, 1)[0];
  return refuse('agenda-closed', next ? { nextMeeting: next } : undefined);
}

/**
 * Decides one command on one meeting. `record` is the meeting's stored record (null: nothing
 * stored yet); the actor is null only for Laget's own commands (drawing the agenda).
 */
export function decideMeeting(
  team: Team,
  record: TeamMeeting | null,
  command: MeetingCommand,
  actor: TeamActor | null,
  now: Date,
): MeetingDecision {
  const at = now.toISOString();
  if (!team.series) return refuse('team-not-set-up');
  const meeting = meetingOf(team, command.meetingId);
  if (!meeting) return refuse('meeting-not-found');
  const current = record ?? emptyMeeting(team.teamId, meeting, now);
  const save = (next: TeamMeeting, extra: Partial<MeetingAccepted> = {}): MeetingAccepted => ({
    kind: 'accepted',
    meeting: { ...next, updatedAt: at },
    changed: true,
    ...extra,
  });
  const unchanged = (extra: Partial<MeetingAccepted> = {}): MeetingAccepted => ({
    kind: 'accepted',
    meeting: current,
    changed: false,
    ...extra,
  });

  switch (command.type) {
    case 'add-topic': {
      if (!actor) return refuse('not-a-member');
      if (!team.active) return refuse('team-inactive');
      const where = inOwnChannel(team, actor.place);
      if (where) return where;
      if (actor.member === 'unknown') return refuse('roster-unavailable');
      if (!actor.member) return refuse('not-a-member');
      const id = `topic-${command.key}`;
      const existing = current.items.find((item) => item.id === id);
      if (existing) return unchanged({ item: existing });
      const topic = command.topic.trim();
      // The same person's same topic again (a second press of the card, a stray space): the one already there.
      const same = current.items.find((item) => item.kind === 'topic' && item.owner.id === actor.person.id && sameTopic(item.topic, topic));
      if (same) return unchanged({ item: same });
      if (findNationalId({ topic }) !== null) return refuse('national-id-not-allowed', { field: 'topic' });
      if (!openForItems(team.series, meeting, record, now)) return closedFor(team, now);
      if (current.items.length >= TEAM_LIMITS.itemsPerMeeting) return refuse('meeting-full', { limit: TEAM_LIMITS.itemsPerMeeting });
      const mine = current.items.filter((item) => item.kind === 'topic' && item.owner.id === actor.person.id).length;
      if (mine >= TEAM_LIMITS.topicsPerPersonPerMeeting) return refuse('topic-limit', { limit: TEAM_LIMITS.topicsPerPersonPerMeeting });
      const item: AgendaItem = { kind: 'topic', id, topic, owner: actor.person, addedAt: at, minutesRecordedAt: null };
      return save({ ...current, items: [...current.items, item] }, { item, created: true });
    }

    case 'add-case-item': {
      if (!actor) return refuse('not-a-member');
      if (!team.active) return refuse('team-inactive');
      if (team.unitId !== null && team.unitId !== command.caseUnitId) return refuse('wrong-unit', { unitId: team.unitId });
      const id = caseItemId(command.caseId);
      const existing = current.items.find((item): item is CaseItem => item.id === id && item.kind === 'case');
      if (!openForItems(team.series, meeting, record, now)) return closedFor(team, now);
      if (existing) {
        // Brought again (a retry, or a changed mind before the agenda): the one item takes the new answers.
        if (existing.mode === command.mode && existing.questionId === command.questionId) return unchanged({ item: existing });
        const item: CaseItem = { ...existing, mode: command.mode, questionId: command.questionId };
        return save({ ...current, items: current.items.map((i) => (i.id === id ? item : i)) }, { item });
      }
      if (current.items.length >= TEAM_LIMITS.itemsPerMeeting) return refuse('meeting-full', { limit: TEAM_LIMITS.itemsPerMeeting });
      const item: CaseItem = {
        kind: 'case',
        id,
        caseId: command.caseId,
        unitId: command.caseUnitId,
        mode: command.mode,
        questionId: command.questionId,
        owner: actor.person,
        addedAt: at,
        minutesRecordedAt: null,
      };
      return save({ ...current, items: [...current.items, item] }, { item, created: true });
    }

    case 'remove-item': {
      if (!actor) return refuse('not-item-owner');
      const item = current.items.find((i) => i.id === command.itemId);
      if (!item) return unchanged();
      // A case item leaves with its case's reference (the case's owner, through the case); a topic by whoever added it or the lead.
      const allowed =
        item.kind === 'case' ? command.caseWithdrawn === true : item.owner.id === actor.person.id || team.lead?.id === actor.person.id;
      if (!allowed) return refuse('not-item-owner');
      if (!openForItems(team.series, meeting, record, now)) return closedFor(team, now);
      return save({ ...current, items: current.items.filter((i) => i.id !== item.id) });
    }

    case 'draw-agenda': {
      if (current.agenda) return unchanged();
      // Every item, in agenda order: what the channel may show of each is decided when it is posted.
      const itemIds = agendaOrder(current.items).map((item) => item.id);
      return save({ ...current, agenda: { itemIds, at } });
    }

    case 'claim-minutes': {
      const claimed = command.itemIds.filter((id) => current.items.some((i) => i.id === id && i.minutesRecordedAt === null));
      if (claimed.length === 0) return unchanged({ claimed });
      return save(
        { ...current, items: current.items.map((i) => (claimed.includes(i.id) ? { ...i, minutesRecordedAt: at } : i)) },
        { claimed },
      );
    }

    case 'record-minutes': {
      const writer = actor?.person;
      if (!writer) return refuse('not-item-owner');
      const open = new Set(command.reopen);
      const recorded: MinutesItem[] = command.outcomes.map((o) => ({ ...o, at, by: writer }));
      const before = current.minutes;
      const keep = <T extends { itemId: string }>(list: readonly T[] | undefined, replaced: readonly { itemId: string }[]) =>
        (list ?? []).filter((entry) => !replaced.some((r) => r.itemId === entry.itemId));
      return save({
        ...current,
        items: current.items.map((i) => (open.has(i.id) ? { ...i, minutesRecordedAt: null } : i)),
        minutes: {
          present: command.present.length > 0 ? [...command.present] : (before?.present ?? []),
          writers: [...(before?.writers ?? []).filter((w) => w.id !== writer.id), writer].slice(-20),
          updatedAt: at,
          items: [...keep(before?.items, recorded), ...recorded].slice(-TEAM_LIMITS.itemsPerMeeting),
          topics: [...keep(before?.topics, command.topics), ...command.topics].slice(-TEAM_LIMITS.itemsPerMeeting),
        },
      });
    }

    case 'close-meeting': {
      if (!actor) return refuse('not-lead-or-unit-leader');
      const leads = team.lead?.id === actor.person.id || (team.unitId !== null && actor.leaderOf.includes(team.unitId));
      if (!leads) return refuse('not-lead-or-unit-leader', team.lead ? { lead: team.lead } : undefined);
      if (current.held) return refuse('already-held');
      if (at < meeting.startsAt) return refuse('meeting-not-started');
      if (!record) return refuse('nothing-to-close');
      // Counted from what the meeting had: the items the agenda listed, and what came onto the minutes forms after it.
      const cases = current.items.filter((i): i is CaseItem => i.kind === 'case');
      return save({
        ...current,
        held: {
          at,
          by: actor.person,
          anonymous: cases.filter((i) => i.mode === 'anonymous').length,
          named: cases.filter((i) => i.mode === 'named').length,
          topics: current.items.length - cases.length,
        },
      });
    }
  }
}

// ---- bringing a case: the two aggregates together ------------------------------------------------

/**
 * The case's reference to its agenda item must name the same team, meeting, mode and question as
 * the item: the case side is decided by the case's own `bring-to-team` (rule 5, owner only), the
 * team side here. The edge saves the team's item first (it is the source of truth), then the case.
 */
export function caseReferencesOf(
  c: Pick<Case, 'id' | 'teamItems'>,
): { caseId: string; teamId: string; meetingId: string; mode: string; questionId: string }[] {
  return c.teamItems
    .filter((ref) => ref.meetingId !== null && ref.withdrawnAt === null)
    .map((ref) => ({ caseId: c.id, teamId: ref.teamId, meetingId: ref.meetingId!, mode: ref.mode, questionId: ref.questionId }));
}

/** The case items of a meeting, in the same shape as `caseReferencesOf`. */
export function agendaReferencesOf(record: Pick<TeamMeeting, 'teamId' | 'meetingId' | 'items'>) {
  return record.items
    .filter((item): item is CaseItem => item.kind === 'case')
    .map((item) => ({
      caseId: item.caseId,
      teamId: record.teamId,
      meetingId: record.meetingId,
      mode: item.mode,
      questionId: item.questionId,
    }));
}

/** Two topics are the same when they differ only in case, spacing or Unicode form. */
function sameTopic(a: string, b: string): boolean {
  const normal = (text: string) => text.normalize('NFKC').toLocaleLowerCase('nb-NO').replace(/\s+/g, ' ').trim();
  return normal(a) === normal(b);
}
