import type { Team } from '../domain/team';
import type { Logger } from '../log';

/**
 * Who is in a team, from the team's roster in Teams (the Bot Connector's paged members list,
 * read through the port src/bot/team-roster.ts implements), kept for a short while so that a
 * busy channel does not ask Teams on every turn. A person missing from a roster older than a few
 * seconds is looked up again (someone just added to the team is let in at once); a roster that
 * cannot be read gives `unknown`, and nothing is decided on a guess.
 */

export type RosterMember = { id: string; aadObjectId?: string };

/** Reads the whole roster of a Teams team (all pages). */
export interface RosterSource {
  members(team: Pick<Team, 'teamsTeamId' | 'channel'>): Promise<RosterMember[]>;
}

export type Membership = boolean | 'unknown';

type Entry = { ids: ReadonlySet<string>; fetchedAt: number };

export class TeamRoster {
  private readonly cache = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();
  private readonly ttlMs: number;
  private readonly recheckMissAfterMs: number;

  constructor(
    private readonly source: RosterSource,
    private readonly options: { log: Logger; ttlMs?: number; recheckMissAfterMs?: number; maxTeams?: number },
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.recheckMissAfterMs = options.recheckMissAfterMs ?? 15_000;
  }

  async isMember(team: Pick<Team, 'teamsTeamId' | 'channel' | 'teamId'>, personId: string, now: Date): Promise<Membership> {
    const at = now.getTime();
    let entry = this.cache.get(team.teamsTeamId);
    const fresh = entry && at - entry.fetchedAt < this.ttlMs && entry.fetchedAt <= at;
    const recheck = entry && !entry.ids.has(personId) && at - entry.fetchedAt >= this.recheckMissAfterMs;
    if (!entry || !fresh || recheck) {
      try {
        entry = await this.fetch(team, at);
      } catch (error) {
        this.options.log.warn({ err: error, teamId: team.teamId }, 'the team roster could not be read from Teams');
        return 'unknown';
      }
    }
    return entry.ids.has(personId);
  }

  /** Forgets a team's roster (Laget was removed from the team, or a test changed it). */
  forget(teamsTeamId: string): void {
    this.cache.delete(teamsTeamId);
  }

  private fetch(team: Pick<Team, 'teamsTeamId' | 'channel'>, at: number): Promise<Entry> {
    const running = this.pending.get(team.teamsTeamId);
    if (running) return running;
    const promise = this.source
      .members(team)
      .then((members) => {
        const entry: Entry = { ids: new Set(members.flatMap((m) => [m.id, ...(m.aadObjectId ? [m.aadObjectId] : [])])), fetchedAt: at };
        if (this.cache.size >= (this.options.maxTeams ?? 5_000)) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(team.teamsTeamId, entry);
        return entry;
      })
      .finally(() => this.pending.delete(team.teamsTeamId));
    this.pending.set(team.teamsTeamId, promise);
    return promise;
  }
}
