import { z } from 'zod';
import { CaseCodeSchema } from './case-code';
import {
  findMeeting,
  intakeClosesAt,
  MeetingIdSchema,
  meetingsOf,
  MeetingSeriesSchema,
  type Meeting,
  type MeetingSeries,
} from './meeting-series';

import { IsoDateSchema, IsoDateTimeSchema, PersonRefSchema, SlugSchema, type PersonRef } from './primitives';
import { TeamQuestionIdSchema } from './team-questions';

/**
 * An interdisciplinary team (or any recurring forum) that Laget serves in a Teams channel, as the
 * domain knows it: the team (its channel, lead, unit, roles and meeting series) and one record per
 * meeting (its agenda items, what the agenda showed, the minutes' outcomes, whether it was held).
 * Items hold a case code and a question from the fixed neutral list, or a topic a member typed in
 * the team's channel — never a name, an alias or free text about a child. The case keeps the
 * consent that allows naming it, and the owner's own note. Pure data: no I/O.
 *
 * Stored as one `team` document and one `meeting:<meetingId>` document per meeting that has
 * anything in it, all in the team's partition (`src/store/teams.ts`).
 */

export const TEAM_SCHEMA_VERSION = 3;
export const MEETING_SCHEMA_VERSION = 1;

/** How much one meeting and one person may put on an agenda: a 90-minute meeting has room for about 18 items of five minutes. */
export const TEAM_LIMITS = {
  itemsPerMeeting: 30,
  topicsPerPersonPerMeeting: 3,
  /** Longest topic a member may type in the channel. */
  topicLength: 300,
} as const;

/** The team's key (partition key, consent scope): a slug derived from the Teams team id. */
const TeamKeySchema = SlugSchema;

/** Where the rhythm is posted: a new thread in this channel for each message (plain address data, kept from the install). */
const TeamChannelSchema = z.object({
  channelId: z.string().min(1).max(512),
  /** The Bot Connector base URL of the team's region. */
  serviceUrl: z.string().url(),
  tenantId: z.string().min(1).max(128).optional(),
  /** The bot's own id in the team (`28:…`). */
  botId: z.string().min(1).max(256).optional(),
});
export type TeamChannel = z.infer<typeof TeamChannelSchema>;

const TEAM_KINDS = ['interdisciplinary', 'forum'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];

export const TeamSchema = z.object({
  schemaVersion: z.literal(TEAM_SCHEMA_VERSION),
  id: z.literal('team'),
  teamId: TeamKeySchema,
  /** The Teams team id (19:…@thread.tacv2) the key was made from: the roster is asked for it. */
  teamsTeamId: z.string().min(1).max(512),
  name: z.string().trim().min(1).max(120),
  kind: z.enum(TEAM_KINDS),
  /** Null: a forum across units (an oppvekstforum); every unit's cases may be brought to it. */
  unitId: SlugSchema.nullable(),
  channel: TeamChannelSchema,
  /** False until a series is set up, and again once Laget has been removed from the team. */
  active: z.boolean(),
  lead: PersonRefSchema.nullable(),
  roles: z.array(z.string().max(60)).max(20),
  series: MeetingSeriesSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type Team = z.infer<typeof TeamSchema>;

const itemBase = {
  /** Who put it on the agenda (staff, by name: shown in the channel). */
  owner: PersonRefSchema,
  addedAt: IsoDateTimeSchema,
  /** Set while or once the item's minutes are delivered (to the case, to its owner, or kept here for a topic). */
  minutesRecordedAt: IsoDateTimeSchema.nullable(),
};

/** A case on the agenda: its code and the question from the fixed list. The case holds a reference to it, and the owner's note. */
const CaseItemSchema = z.object({
  kind: z.literal('case'),
  /** `case-<code>`: one item per case and meeting, however often it is brought. */
  id: z.string().regex(/^case-UR-[0-9A-Z]{4,8}$/),
  caseId: CaseCodeSchema,
  unitId: SlugSchema,
  mode: z.enum(['anonymous', 'named']),
  questionId: TeamQuestionIdSchema,
  ...itemBase,
});
export type CaseItem = z.infer<typeof CaseItemSchema>;

/** A general topic, typed by a member in the team's channel (checked for identity numbers). */
const TopicItemSchema = z.object({
  kind: z.literal('topic'),
  /** `topic-<key>`, the key derived from the turn that added it: a repeated turn adds nothing twice. */
  id: z.string().regex(/^topic-[a-z0-9]{1,40}$/),
  topic: z.string().trim().min(1).max(TEAM_LIMITS.topicLength),
  ...itemBase,
});

const AgendaItemSchema = z.discriminatedUnion('kind', [CaseItemSchema, TopicItemSchema]);
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

const MeasureSchema = z.object({ what: z.string().min(1).max(300), who: z.string().min(1).max(100), dueOn: IsoDateSchema });

const MINUTES_OUTCOMES = ['recorded-on-case', 'sent-to-owner', 'kept-here', 'not-delivered'] as const;

/** Where the minutes of one item went. Codes and outcomes only: the content went to the case or its owner. */
const MinutesItemSchema = z.object({
  itemId: z.string(),
  caseId: CaseCodeSchema.nullable(),
  outcome: z.enum(MINUTES_OUTCOMES),
  at: IsoDateTimeSchema,
  by: PersonRefSchema,
});
export type MinutesItem = z.infer<typeof MinutesItemSchema>;

/** The minutes of a general topic (no child in it): kept with the team. */
const TopicMinutesSchema = z.object({
  itemId: z.string(),
  known: z.string().max(2000).nullable(),
  options: z.string().max(2000).nullable(),
  goal: z.object({ text: z.string().min(1).max(300), targetOn: IsoDateSchema }).nullable(),
  measures: z.array(MeasureSchema).max(3),
  nextOn: IsoDateSchema.nullable(),
});
export type TopicMinutes = z.infer<typeof TopicMinutesSchema>;

const MinutesRecordSchema = z.object({
  /** Roles present (codes such as `ppt`), as the writer ticked them. */
  present: z.array(z.string().max(40)).max(20),
  writers: z.array(PersonRefSchema).max(20),
  updatedAt: IsoDateTimeSchema,
  items: z.array(MinutesItemSchema).max(TEAM_LIMITS.itemsPerMeeting),
  topics: z.array(TopicMinutesSchema).max(TEAM_LIMITS.itemsPerMeeting),
});
export type MinutesRecord = z.infer<typeof MinutesRecordSchema>;

/** A meeting marked as held: typed counts for the coordinators' tertial report (items discussed, anonymous and named). */
const HeldSchema = z.object({
  at: IsoDateTimeSchema,
  by: PersonRefSchema,
  anonymous: z.number().int().min(0),
  named: z.number().int().min(0),
  topics: z.number().int().min(0),
});

/** Everything about one meeting of a team's series. */
export const TeamMeetingSchema = z.object({
  schemaVersion: z.literal(MEETING_SCHEMA_VERSION),
  /** `meeting:<meetingId>`. */
  id: z.string().regex(/^meeting:\d{4}-\d{2}-\d{2}-\d{4}$/),
  teamId: TeamKeySchema,
  meetingId: MeetingIdSchema,
  /** The meeting's day (local), for retention. */
  date: IsoDateSchema,
  items: z.array(AgendaItemSchema).max(TEAM_LIMITS.itemsPerMeeting),
  /** Set when the agenda is drawn for posting: the items it lists, in its order. No item is added after it. */
  agenda: z.object({ itemIds: z.array(z.string()).max(TEAM_LIMITS.itemsPerMeeting), at: IsoDateTimeSchema }).nullable(),
  minutes: MinutesRecordSchema.nullable(),
  held: HeldSchema.nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type TeamMeeting = z.infer<typeof TeamMeetingSchema>;

export function meetingDocId(meetingId: string): string {
  return `meeting:${meetingId}`;
}

/** The empty record of a meeting nothing has happened in yet. */
export function emptyMeeting(teamId: string, meeting: Pick<Meeting, 'id' | 'date'>, now: Date): TeamMeeting {
  const at = now.toISOString();
  return {
    schemaVersion: MEETING_SCHEMA_VERSION,
    id: meetingDocId(meeting.id),
    teamId,
    meetingId: meeting.id,
    date: meeting.date,
    items: [],
    agenda: null,
    minutes: null,
    held: null,
    createdAt: at,
    updatedAt: at,
  };
}

export function caseItemId(caseId: string): string {
  return `case-${caseId}`;
}

/** The meeting of the team's current series, if it still has it. */
export function meetingOf(team: Pick<Team, 'series'>, meetingId: string): Meeting | undefined {
  return team.series ? findMeeting(team.series, meetingId) : undefined;
}

/**
 * Whether items can still be added to a meeting: until its agenda is drawn (the agenda's due time,
 * or earlier if it was drawn already), and never once the meeting has started.
 */
export function openForItems(series: MeetingSeries, meeting: Meeting, record: Pick<TeamMeeting, 'agenda'> | null, now: Date): boolean {
  const nowIso = now.toISOString();
  return record?.agenda == null && nowIso < intakeClosesAt(series, meeting) && nowIso < meeting.startsAt;
}

/** The meetings items can still be brought to, soonest first (records of meetings with a drawn agenda, where known). */
export function meetingsOpenForItems(
  team: Pick<Team, 'series'>,
  now: Date,
  recordOf: (meetingId: string) => Pick<TeamMeeting, 'agenda'> | null = () => null,
  limit = 6,
): Meeting[] {
  if (!team.series) return [];
  const series = team.series;
  return meetingsOf(series)
    .filter((meeting) => openForItems(series, meeting, recordOf(meeting.id), now))
    .slice(0, limit);
}

/** The meetings of the series still ahead (for the saved card). */
export function upcomingMeetings(series: MeetingSeries | null, now: Date, limit = 6): Meeting[] {
  if (!series) return [];
  const nowIso = now.toISOString();
  return meetingsOf(series)
    .filter((meeting) => meeting.startsAt > nowIso)
    .slice(0, limit);
}

/** The lead writes minutes for every item; anyone else for the items they brought. */
export function itemsWrittenBy(team: Pick<Team, 'lead'>, record: Pick<TeamMeeting, 'items'> | null, writer: PersonRef): AgendaItem[] {
  const items = record?.items ?? [];
  return team.lead?.id === writer.id ? items : items.filter((item) => item.owner.id === writer.id);
}

/** The meeting's items in agenda order: cases as they were brought, then topics. */
export function agendaOrder(items: readonly AgendaItem[]): AgendaItem[] {
  return [...items].sort((a, b) => (a.kind === b.kind ? a.addedAt.localeCompare(b.addedAt) : a.kind === 'case' ? -1 : 1));
}
