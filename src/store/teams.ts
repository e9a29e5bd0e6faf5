import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { MeetingSeriesSchema } from '../domain/meeting-series';
import { IsoDateSchema, PersonRefSchema } from '../domain/primitives';
import { FALLBACK_TEAM_QUESTION, TeamQuestionIdSchema } from '../domain/team-questions';
import { ChannelAddressSchema } from './conversation-address';
import { AlreadyExists, ConcurrencyConflict, Documents, type Versioned } from './documents';
import { upgradeDocument, type RawDocument } from './schema-upgrades';

/**
 * An interdisciplinary team (or any recurring forum) that Laget serves in a Teams channel: where
 * to post, who leads it, its meeting series, the items on each meeting's agenda and a record per
 * meeting (what the agenda showed, who was present, where each item's minutes went). Items hold a
 * case code and a question from the fixed neutral list, or a topic staff typed in the channel —
 * never a name, alias, free text about a child or anything else that identifies one; the case
 * itself keeps the consent that allows naming it, and the owner's own note.
 */

export const TEAM_SCHEMA_VERSION = 2;

/** One thing to talk about at a meeting: a case (by code) or a general topic. */
export const AgendaItemSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  kind: z.enum(['case', 'topic']),
  caseId: z.string().nullable(),
  unitId: z.string().nullable(),
  mode: z.enum(['anonymous', 'named']).nullable(),
  /** A case item's question, chosen from the fixed neutral list: all a channel sees besides the code. */
  questionId: TeamQuestionIdSchema.nullable(),
  /** A topic item's text, typed in the channel by staff (so visible there anyway; no identity numbers). */
  topic: z.string().min(1).max(300).nullable(),
  owner: PersonRefSchema,
  addedAt: z.string(),
  /** Set when the minutes for this item were delivered (to the case, to its owner, or kept here for a topic). */
  minutesRecordedAt: z.string().nullable(),
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

const MeasureSchema = z.object({ what: z.string().min(1).max(300), who: z.string().min(1).max(100), dueOn: IsoDateSchema });
export type Measure = z.infer<typeof MeasureSchema>;

/** Where the minutes of one item went. Codes and outcomes only: the content went to the case or its owner. */
export const MinutesItemSchema = z.object({
  itemId: z.string(),
  caseId: z.string().nullable(),
  outcome: z.enum(['recorded-on-case', 'sent-to-owner', 'kept-here', 'not-delivered']),
  at: z.string(),
  by: PersonRefSchema,
});
export type MinutesItem = z.infer<typeof MinutesItemSchema>;

/** The minutes of a general topic (no child in it): kept with the team. */
export const TopicMinutesSchema = z.object({
  itemId: z.string(),
  known: z.string().max(2000).nullable(),
  options: z.string().max(2000).nullable(),
  goal: z.object({ text: z.string().min(1).max(300), targetOn: IsoDateSchema }).nullable(),
  measures: z.array(MeasureSchema).max(3),
  nextOn: IsoDateSchema.nullable(),
});
export type TopicMinutes = z.infer<typeof TopicMinutesSchema>;

/** What is known about one meeting once its agenda went out and its minutes were written. */
export const MeetingRecordSchema = z.object({
  meetingId: z.string(),
  /** The items the agenda listed, in its order, when it was composed for posting; the minutes post shows no more. */
  agenda: z.object({ itemIds: z.array(z.string()).max(100), at: z.string() }).nullable(),
  minutes: z
    .object({
      /** Roles present (codes such as `ppt`), as the writer ticked them. */
      present: z.array(z.string().max(40)).max(20),
      writers: z.array(PersonRefSchema).max(20),
      updatedAt: z.string(),
      items: z.array(MinutesItemSchema).max(100),
      topics: z.array(TopicMinutesSchema).max(100),
    })
    .nullable(),
});
export type MeetingRecord = z.infer<typeof MeetingRecordSchema>;
const MAX_MEETING_RECORDS = 200;

export const TeamSchema = z.object({
  schemaVersion: z.literal(TEAM_SCHEMA_VERSION),
  id: z.string(),
  /** The team's own key (also the partition key): a slug derived from the Teams team id. */
  teamId: z.string(),
  /** The Teams team id (19:…@thread.tacv2) the slug was made from. */
  teamsTeamId: z.string(),
  name: z.string().min(1).max(120),
  kind: z.enum(['interdisciplinary', 'forum']),
  /** Null: a forum across units (an oppvekstforum); every unit's cases may be brought to it. */
  unitId: z.string().nullable(),
  /** Where the rhythm is posted: a new thread in this channel for each message. */
  channel: ChannelAddressSchema,
  active: z.boolean(),
  lead: PersonRefSchema.nullable(),
  roles: z.array(z.string().max(60)).max(20),
  series: MeetingSeriesSchema.nullable(),
  items: z.array(AgendaItemSchema).max(500),
  meetings: z.array(MeetingRecordSchema).max(MAX_MEETING_RECORDS),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof TeamSchema>;

type Raw = RawDocument;

/**
 * Version 1 kept a free-text `question` on every item, and a case item's text could be posted to
 * the channel. Version 2: a case item gets the neutral "other – raised orally in the meeting" and
 * its old text is dropped (the case keeps it as the owner's note); a topic keeps its text as
 * `topic`. Meeting records start empty.
 */
function teamFromVersion1(doc: Raw): Raw {
  const items = Array.isArray(doc.items) ? (doc.items as Raw[]) : [];
  return {
    ...doc,
    schemaVersion: 2,
    items: items.map(({ question, ...item }) =>
      item.kind === 'topic'
        ? { ...item, questionId: null, topic: item.topic ?? question ?? '–' }
        : { ...item, questionId: item.questionId ?? FALLBACK_TEAM_QUESTION, topic: null },
    ),
    meetings: doc.meetings ?? [],
  };
}

const TEAM_UPGRADES: Record<number, (doc: Raw) => Raw> = { 1: teamFromVersion1 };

/** Upgrades a team document written by an older Laget, step by step; other documents pass through. */
export function upgradeTeamDocument(input: unknown): unknown {
  return upgradeDocument(input, 'team', TEAM_SCHEMA_VERSION, TEAM_UPGRADES, 1);
}

export const StoredTeamSchema = z.preprocess(upgradeTeamDocument, TeamSchema);

/** The meeting's record, changed by `change` (created empty first); the oldest records go beyond the limit. */
export function withMeetingRecord(team: Team, meetingId: string, change: (record: MeetingRecord) => MeetingRecord): Team {
  const current = team.meetings.find((record) => record.meetingId === meetingId) ?? { meetingId, agenda: null, minutes: null };
  const others = team.meetings.filter((record) => record.meetingId !== meetingId);
  const meetings = [...others, change(current)].sort((a, b) => a.meetingId.localeCompare(b.meetingId)).slice(-MAX_MEETING_RECORDS);
  return { ...team, meetings };
}

export function meetingRecord(team: Team, meetingId: string): MeetingRecord | undefined {
  return team.meetings.find((record) => record.meetingId === meetingId);
}

/** The teams of one unit, so a case owner can choose one with a single point read. */
const UnitTeamsSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  teamId: z.string(),
  teams: z.array(z.object({ id: z.string(), name: z.string() })),
});
type UnitTeams = z.infer<typeof UnitTeamsSchema>;

const TEAM_DOC = 'team';

/** The key of a team from its Teams id: short, lower-case, stable, and safe as a Cosmos id and a consent scope. */
export function teamKeyOf(teamsTeamId: string): string {
  return `t-${createHash('sha256').update(teamsTeamId).digest('hex').slice(0, 12)}`;
}

export class TeamRepository {
  private readonly teams: Documents<Team>;
  private readonly unitIndex: Documents<UnitTeams>;

  constructor(container: Container) {
    this.teams = new Documents<Team>(container, StoredTeamSchema, (team) => team.teamId);
    this.unitIndex = new Documents<UnitTeams>(container, UnitTeamsSchema, (index) => index.teamId);
  }

  async read(teamId: string): Promise<Versioned<Team> | undefined> {
    return this.teams.read(TEAM_DOC, teamId);
  }

  /** Creates the team on install, or returns it as it is (an install may be repeated). */
  async ensure(team: Team): Promise<Team> {
    try {
      return (await this.teams.create(team)).doc;
    } catch (error) {
      if (!(error instanceof AlreadyExists)) throw error;
      return (await this.read(team.teamId))!.doc;
    }
  }

  /** Reads, changes and writes the team with its ETag, again on a concurrent change. */
  async update(teamId: string, now: Date, change: (team: Team) => Team): Promise<Team> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.read(teamId);
      if (!current) throw new Error(`team ${teamId} is not registered`);
      const next = { ...change(current.doc), updatedAt: now.toISOString() };
      try {
        const saved = (await this.teams.replace(next, current.etag)).doc;
        const before = current.doc;
        if (before.unitId !== saved.unitId || before.active !== saved.active || before.name !== saved.name) {
          if (before.unitId !== saved.unitId) await this.index({ ...before, active: false });
          await this.index(saved);
        }
        return saved;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict) || attempt >= 4) throw error;
      }
    }
  }

  /** The active teams of a unit and the forums across units (for "bring to the team" and consent). */
  async ofUnit(unitId: string): Promise<{ id: string; name: string }[]> {
    const [own, across] = await Promise.all([this.unitIndex.read(TEAM_DOC, unitKey(unitId)), this.unitIndex.read(TEAM_DOC, unitKey(null))]);
    return [...(own?.doc.teams ?? []), ...(across?.doc.teams ?? [])];
  }

  /** Every active team with a series: the scheduler's background query (it spans teams). */
  async active(): Promise<Team[]> {
    const found = await this.teams.query(
      'SELECT * FROM c WHERE c.id = @doc AND c.active = true AND IS_DEFINED(c.series) AND NOT IS_NULL(c.series)',
      [{ name: '@doc', value: TEAM_DOC }],
    );
    return found.map((versioned) => versioned.doc);
  }

  /** Keeps the unit's list of teams in step with the team (listed while active). */
  private async index(team: Team): Promise<void> {
    const key = unitKey(team.unitId);
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.unitIndex.read(TEAM_DOC, key);
      const others = (current?.doc.teams ?? []).filter((t) => t.id !== team.teamId);
      const teams = team.active ? [...others, { id: team.teamId, name: team.name }] : others;
      try {
        if (current) await this.unitIndex.replace({ ...current.doc, teams }, current.etag);
        else await this.unitIndex.create({ schemaVersion: 1, id: TEAM_DOC, teamId: key, teams });
        return;
      } catch (error) {
        const retry = error instanceof ConcurrencyConflict || error instanceof AlreadyExists;
        if (!retry || attempt >= 4) throw error;
      }
    }
  }
}

/** A forum across units is listed under `unit:*` (a unit id is a slug, so it can never be `*`). */
function unitKey(unitId: string | null): string {
  return `unit:${unitId ?? '*'}`;
}
