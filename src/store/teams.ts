import { createHash } from 'node:crypto';
import type { Container, ItemDefinition } from '@azure/cosmos';
import { z } from 'zod';
import { meetingDocId, TeamMeetingSchema, TeamSchema, type Team, type TeamMeeting } from '../domain/team';
import { AlreadyExists, ConcurrencyConflict, Documents, StoreUnavailable, type Versioned } from './documents';
import { isLegacyTeamDocument, LegacyTeamDocumentSchema, splitLegacyTeam } from './team-legacy';

/**
 * The `teams` container (partition `/teamId`): per team, one `team` document (channel, lead,
 * unit, series) and one `meeting:<meetingId>` document per meeting that has anything in it
 * (agenda items, what the agenda listed, where the minutes went, whether it was held), so no
 * team fills up: a meeting holds at most its own limit of items, and meetings past the retention
 * window are deleted by `MeetingRetention`. Beside them, one `unit:<unitId>` index per unit lists
 * its active teams, so a case owner finds them with one point read.
 *
 * Every change is a read → decide → replace with the ETag read; a concurrent change is decided
 * again after a short, growing, random wait (many people adding items at once do not fail in step).
 */

/** A change decided on the current document: what to write (none: leave it as it is) and what to answer. */
export type Decided<T, R> = { write: T | null; result: R };

export type BackoffOptions = {
  attempts: number;
  baseMs: number;
  capMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
};

const DEFAULT_BACKOFF: BackoffOptions = {
  attempts: 10,
  baseMs: 10,
  capMs: 400,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Exponential back-off with full jitter: the n-th wait is uniform in [0, min(cap, base·2ⁿ)). */
function backoffMs(attempt: number, options: Pick<BackoffOptions, 'baseMs' | 'capMs' | 'random'>): number {
  return Math.floor(options.random() * Math.min(options.capMs, options.baseMs * 2 ** attempt));
}

/** The teams of one unit, so a case owner can choose one with a single point read. */
const UnitTeamsSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.literal('team'),
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
  private readonly meetings: Documents<TeamMeeting>;
  private readonly unitIndex: Documents<UnitTeams>;
  private readonly backoff: BackoffOptions;

  constructor(
    private readonly container: Container,
    backoff: Partial<BackoffOptions> = {},
  ) {
    this.teams = new Documents<Team>(container, TeamSchema, (team) => team.teamId);
    this.meetings = new Documents<TeamMeeting>(container, TeamMeetingSchema, (meeting) => meeting.teamId);
    this.unitIndex = new Documents<UnitTeams>(container, UnitTeamsSchema, (index) => index.teamId);
    this.backoff = { ...DEFAULT_BACKOFF, ...backoff };
  }

  /** The team, its older document split into team and meetings on first read. */
  async read(teamId: string): Promise<Versioned<Team> | undefined> {
    const raw = await this.readRaw(teamId);
    if (!raw) return undefined;
    if (isLegacyTeamDocument(raw.resource)) return this.migrate(teamId, raw.resource, raw.etag);
    return { doc: TeamSchema.parse(raw.resource), etag: raw.etag };
  }

  /** Creates the team (on install), or leaves one that exists as it is. */
  async create(team: Team): Promise<Team> {
    try {
      const saved = (await this.teams.create(team)).doc;
      await this.index(undefined, saved);
      return saved;
    } catch (error) {
      if (!(error instanceof AlreadyExists)) throw error;
      return (await this.read(team.teamId))!.doc;
    }
  }

  /** Reads the team, lets `decide` change it, and replaces it with the ETag read (again on a concurrent change). */
  async change<R>(teamId: string, decide: (current: Team | undefined) => Decided<Team, R>): Promise<{ result: R; team: Team | undefined }> {
    return this.retrying(teamId, async () => {
      const current = await this.read(teamId);
      const decided = decide(current?.doc);
      if (!decided.write) return { result: decided.result, team: current?.doc };
      const saved = current ? (await this.teams.replace(decided.write, current.etag)).doc : (await this.teams.create(decided.write)).doc;
      await this.index(current?.doc, saved);
      return { result: decided.result, team: saved };
    });
  }

  async readMeeting(teamId: string, meetingId: string): Promise<Versioned<TeamMeeting> | undefined> {
    return this.meetings.read(meetingDocId(meetingId), teamId);
  }

  /**
   * The records of these meetings of a team (missing ones are left out): one query of the team's
   * partition, whatever the number of meetings — a series has up to 100, and only set-ups ask.
   */
  async readMeetings(teamId: string, meetingIds: readonly string[]): Promise<Map<string, TeamMeeting>> {
    const wanted = new Set(meetingIds);
    const found = await this.meetings.query(
      "SELECT * FROM c WHERE c.teamId = @teamId AND STARTSWITH(c.id, 'meeting:')",
      [{ name: '@teamId', value: teamId }],
      { partitionKey: teamId },
    );
    return new Map(found.flatMap(({ doc }) => (wanted.has(doc.meetingId) ? [[doc.meetingId, doc] as const] : [])));
  }

  /** Reads one meeting's record (null: none yet), lets `decide` change it, and writes it with the ETag read. */
  async changeMeeting<R>(
    teamId: string,
    meetingId: string,
    decide: (current: TeamMeeting | null) => Decided<TeamMeeting, R>,
  ): Promise<{ result: R; meeting: TeamMeeting | null }> {
    return this.retrying(`${teamId}/${meetingId}`, async () => {
      const current = await this.readMeeting(teamId, meetingId);
      const decided = decide(current?.doc ?? null);
      if (!decided.write) return { result: decided.result, meeting: current?.doc ?? null };
      const saved = current ? await this.meetings.replace(decided.write, current.etag) : await this.meetings.create(decided.write);
      return { result: decided.result, meeting: saved.doc };
    });
  }

  /** The active teams of a unit and the forums across units (for "bring to the team" and consent). */
  async ofUnit(unitId: string): Promise<{ id: string; name: string }[]> {
    const [own, across] = await Promise.all([this.unitIndex.read(TEAM_DOC, unitKey(unitId)), this.unitIndex.read(TEAM_DOC, unitKey(null))]);
    return [...(own?.doc.teams ?? []), ...(across?.doc.teams ?? [])];
  }

  /** Every active team with a series: the scheduler's background query (it spans teams). */
  async active(): Promise<Team[]> {
    const found = await this.teams.query(
      'SELECT * FROM c WHERE c.id = @doc AND c.active = true AND c.schemaVersion = @version AND IS_DEFINED(c.series) AND NOT IS_NULL(c.series)',
      [
        { name: '@doc', value: TEAM_DOC },
        { name: '@version', value: TeamSchema.shape.schemaVersion.value },
      ],
    );
    const legacy = await this.legacyActive();
    return [...found.map((versioned) => versioned.doc), ...legacy];
  }

  /** Active teams still in an older document: split on the way (once), so the scheduler sees them too. */
  private async legacyActive(): Promise<Team[]> {
    let ids: { teamId: string }[];
    try {
      ({ resources: ids } = await this.container.items
        .query<{ teamId: string }>({
          query:
            'SELECT c.teamId FROM c WHERE c.id = @doc AND c.active = true AND (NOT IS_DEFINED(c.schemaVersion) OR c.schemaVersion < @version)',
          parameters: [
            { name: '@doc', value: TEAM_DOC },
            { name: '@version', value: TeamSchema.shape.schemaVersion.value },
          ],
        })
        .fetchAll());
    } catch (error) {
      throw new StoreUnavailable('query', error);
    }
    const teams = await Promise.all(ids.map(({ teamId }) => this.read(teamId)));
    return teams.flatMap((team) => (team?.doc.active && team.doc.series ? [team.doc] : []));
  }

  /** Deletes the records of meetings held before `beforeDay` (their team's history is summed up elsewhere). Returns how many. */
  async deleteMeetingsBefore(beforeDay: string): Promise<number> {
    let found: { id: string; teamId: string }[];
    try {
      ({ resources: found } = await this.container.items
        .query<{ id: string; teamId: string }>({
          query: 'SELECT c.id, c.teamId FROM c WHERE STARTSWITH(c.id, "meeting:") AND c.date < @day',
          parameters: [{ name: '@day', value: beforeDay }],
        })
        .fetchAll());
    } catch (error) {
      throw new StoreUnavailable('query', error);
    }
    let deleted = 0;
    for (const { id, teamId } of found) if (await this.meetings.delete(id, teamId)) deleted += 1;
    return deleted;
  }

  private async readRaw(teamId: string): Promise<{ resource: ItemDefinition; etag: string } | undefined> {
    try {
      const response = await this.container.item(TEAM_DOC, teamId).read<ItemDefinition>();
      if (response.statusCode === 404 || !response.resource) return undefined;
      return { resource: response.resource, etag: response.etag };
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return undefined;
      throw new StoreUnavailable('read', error);
    }
  }

  /** An older team document: its meetings get documents of their own, then the team is replaced by version 3 (ETag). */
  private async migrate(teamId: string, raw: ItemDefinition, etag: string): Promise<Versioned<Team>> {
    const { team, meetings } = splitLegacyTeam(LegacyTeamDocumentSchema.parse(raw), new Date());
    for (const meeting of meetings) {
      try {
        await this.meetings.create(meeting);
      } catch (error) {
        if (!(error instanceof AlreadyExists)) throw error; // a concurrent reader split it first
      }
    }
    try {
      return await this.teams.replace(team, etag);
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
      const now = await this.read(teamId);
      if (!now) throw error;
      return now;
    }
  }

  /** Runs `attempt` again after a concurrent change, with back-off and jitter; gives up with ConcurrencyConflict. */
  private async retrying<T>(id: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n += 1) {
      try {
        return await attempt();
      } catch (error) {
        const conflict = error instanceof ConcurrencyConflict || error instanceof AlreadyExists;
        if (!conflict) throw error;
        if (n + 1 >= this.backoff.attempts) throw new ConcurrencyConflict(id);
        await this.backoff.sleep(backoffMs(n, this.backoff));
      }
    }
  }

  /** Keeps the units' lists of teams in step with the team (listed while active). */
  private async index(before: Team | undefined, after: Team): Promise<void> {
    const listed = (team: Team | undefined) => (team ? { unit: team.unitId, active: team.active, name: team.name } : undefined);
    const [was, is] = [listed(before), listed(after)];
    if (was && was.unit === is!.unit && was.active === is!.active && was.name === is!.name) return;
    if (was && was.unit !== is!.unit) await this.list(was.unit, after.teamId, null);
    await this.list(after.unitId, after.teamId, after.active ? after.name : null);
  }

  /** Lists the team under the unit by name, or takes it off (null). */
  private async list(unitId: string | null, teamId: string, name: string | null): Promise<void> {
    const key = unitKey(unitId);
    await this.retrying(key, async () => {
      const current = await this.unitIndex.read(TEAM_DOC, key);
      const others = (current?.doc.teams ?? []).filter((t) => t.id !== teamId);
      const teams = name === null ? others : [...others, { id: teamId, name }];
      if (current) await this.unitIndex.replace({ ...current.doc, teams }, current.etag);
      else await this.unitIndex.create({ schemaVersion: 1, id: TEAM_DOC, teamId: key, teams });
    });
  }
}

/** A forum across units is listed under `unit:*` (a unit id is a slug, so it can never be `*`). */
function unitKey(unitId: string | null): string {
  return `unit:${unitId ?? '*'}`;
}

/** Meeting records are kept this many months after the meeting (the coordinators report per tertial; a year back is enough). */
export class MeetingRetention {
  private lastRunDay: string | undefined;

  constructor(
    private readonly options: {
      teams: Pick<TeamRepository, 'deleteMeetingsBefore'>;
      monthsAfterMeeting: number;
      log: { info(o: object, m: string): void; error(o: object, m: string): void };
    },
  ) {}

  async runIfDue(now: Date): Promise<number | undefined> {
    const day = now.toISOString().slice(0, 10);
    if (this.lastRunDay === day) return undefined;
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - this.options.monthsAfterMeeting);
    try {
      const deleted = await this.options.teams.deleteMeetingsBefore(cutoff.toISOString().slice(0, 10));
      this.lastRunDay = day;
      if (deleted > 0) this.options.log.info({ deleted }, 'meeting records past retention deleted');
      return deleted;
    } catch (error) {
      this.options.log.error({ err: error }, 'meeting retention failed; trying again at the next poll');
      return undefined;
    }
  }
}
