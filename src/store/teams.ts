import { createHash } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { MeetingSeriesSchema } from '../domain/meeting-series';
import { PersonRefSchema } from '../domain/primitives';
import { ChannelAddressSchema } from './conversation-address';
import { AlreadyExists, ConcurrencyConflict, Documents, type Versioned } from './documents';

/**
 * An interdisciplinary team (or any recurring forum) that Laget serves in a Teams channel: where
 * to post, who leads it, its meeting series and the items on each meeting's agenda. Items hold a
 * case code or a topic and a short neutral question — never a name, alias or anything else that
 * identifies a child; the case itself keeps the consent that allows naming it in the meeting.
 */

/** One thing to talk about at a meeting: a case (by code) or a general topic. */
export const AgendaItemSchema = z.object({
  id: z.string(),
  meetingId: z.string(),
  kind: z.enum(['case', 'topic']),
  caseId: z.string().nullable(),
  unitId: z.string().nullable(),
  mode: z.enum(['anonymous', 'named']).nullable(),
  /** The neutral question (case) or the topic, as it may appear in the channel. */
  question: z.string().min(1).max(300),
  owner: PersonRefSchema,
  addedAt: z.string(),
  /** Set when the minutes for this item were written (their content goes to the owner, not here). */
  minutesRecordedAt: z.string().nullable(),
});
export type AgendaItem = z.infer<typeof AgendaItemSchema>;

export const TeamSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  /** The team's own key (also the partition key): a slug derived from the Teams team id. */
  teamId: z.string(),
  /** The Teams team id (19:…@thread.tacv2) the slug was made from. */
  teamsTeamId: z.string(),
  name: z.string().min(1).max(120),
  kind: z.enum(['interdisciplinary', 'forum']),
  unitId: z.string().nullable(),
  /** Where the rhythm is posted: a new thread in this channel for each message. */
  channel: ChannelAddressSchema,
  active: z.boolean(),
  lead: PersonRefSchema.nullable(),
  roles: z.array(z.string().max(60)).max(20),
  series: MeetingSeriesSchema.nullable(),
  items: z.array(AgendaItemSchema).max(500),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof TeamSchema>;

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
    this.teams = new Documents<Team>(container, TeamSchema, (team) => team.teamId);
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
          if (before.unitId && before.unitId !== saved.unitId) await this.index({ ...before, active: false });
          if (saved.unitId) await this.index(saved);
        }
        return saved;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflict) || attempt >= 4) throw error;
      }
    }
  }

  /** The active teams of a unit (for "bring to the team" and consent). */
  async ofUnit(unitId: string): Promise<{ id: string; name: string }[]> {
    return (await this.unitIndex.read(TEAM_DOC, unitKey(unitId)))?.doc.teams ?? [];
  }

  /** Every active team with a series: the scheduler's background query (it spans teams). */
  async active(): Promise<Team[]> {
    const found = await this.teams.query('SELECT * FROM c WHERE c.id = @doc AND c.active = true AND IS_DEFINED(c.series) AND NOT IS_NULL(c.series)', [
      { name: '@doc', value: TEAM_DOC },
    ]);
    return found.map((versioned) => versioned.doc);
  }

  /** Keeps the unit's list of teams in step with the team (listed while active). */
  private async index(team: Team): Promise<void> {
    const key = unitKey(team.unitId!);
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

function unitKey(unitId: string): string {
  return `unit:${unitId}`;
}
