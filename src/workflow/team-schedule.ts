import { meetingsOf } from '../domain/meeting-series';
import type { Team, TeamMeeting } from '../domain/team';
import type { JobSpec } from '../scheduler/job';
import type { JobStore } from '../scheduler/job-store';
import { syncJobs } from '../scheduler/job-sync';
import { MEETING_JOB_KINDS, meetingJobSpecs } from '../scheduler/meeting-jobs';
import type { ChannelAddress } from '../store/conversation-address';
import type { TeamRepository } from '../store/teams';

/**
 * A team's meeting rhythm as due entries: the call for cases, the agenda and the minutes of each
 * meeting of its series (in its channel), and a reminder to each person with an item on a meeting
 * (in their own chat). Written right after each saved change of the team or of a meeting's record,
 * like a case's jobs (`CaseSchedule`): the jobs the team called for before and calls for now are
 * compared (`syncJobs`) — a new meeting's jobs are made, a changed offset moves them, a meeting
 * taken out of the series (or a team Laget no longer serves) takes them back. The composers still
 * check the team and meeting when a job is due.
 */

/** Where a team's rhythm is posted: a new thread in its channel. */
export function channelAddressOf(team: Pick<Team, 'teamsTeamId' | 'channel'>): ChannelAddress {
  return {
    kind: 'channel',
    serviceUrl: team.channel.serviceUrl,
    conversationId: team.channel.channelId,
    channelId: team.channel.channelId,
    teamId: team.teamsTeamId,
    ...(team.channel.tenantId ? { tenantId: team.channel.tenantId } : {}),
    ...(team.channel.botId ? { botId: team.channel.botId } : {}),
    newThread: true,
  };
}

/** Who has items on which meeting (the owners' reminders). */
export type MeetingOwners = ReadonlyMap<string, readonly string[]>;

export function ownersOf(record: Pick<TeamMeeting, 'items'> | null | undefined): string[] {
  return [...new Set((record?.items ?? []).map((item) => item.owner.id))];
}

/** Every job the team's rhythm calls for as it stands (none for a team without a series or one Laget no longer serves). */
export function teamJobSpecs(team: Team, owners: MeetingOwners, now: Date): JobSpec[] {
  if (!team.active || !team.series) return [];
  return meetingJobSpecs({
    teamId: team.teamId,
    series: team.series,
    channel: channelAddressOf(team),
    ownersOf: (meeting) => (owners.get(meeting.id) ?? []).map((personId) => ({ personId })),
    now,
  });
}

export class TeamSchedule {
  constructor(
    private readonly deps: {
      jobs: Pick<JobStore, 'ensure' | 'move' | 'cancel'>;
      teams: Pick<TeamRepository, 'readMeetings'>;
      now: () => Date;
    },
  ) {}

  /**
   * After a saved change of the team (its series, lead, whether Laget serves it): from `before`
   * (null: a new team) to `after` (null: gone). With `repair` (after a failed attempt) every job
   * `after` calls for is made sure of; with `onlyMissing` (a team set up before its jobs were kept
   * this way) the missing ones are made. The owners of the meetings still ahead are read once.
   */
  async sync(
    before: Team | null,
    after: Team | null,
    options: { now?: Date; repair?: boolean; onlyMissing?: boolean } = {},
  ): Promise<void> {
    const now = options.now ?? this.deps.now();
    const owners = await this.owners(after ?? before, [before, after], now);
    const was = before ? teamJobSpecs(before, owners, now) : [];
    const is = after ? teamJobSpecs(after, owners, now) : [];
    await syncJobs(this.deps.jobs, was, is, now, options);
  }

  /** After a saved change of one meeting's record: its owners' reminders follow who has items on it now. */
  async syncMeeting(
    team: Team,
    meetingId: string,
    before: Pick<TeamMeeting, 'items'> | null,
    after: Pick<TeamMeeting, 'items'> | null,
    options: { now?: Date; repair?: boolean } = {},
  ): Promise<void> {
    const now = options.now ?? this.deps.now();
    const reminders = (record: Pick<TeamMeeting, 'items'> | null) =>
      teamJobSpecs(team, new Map([[meetingId, ownersOf(record)]]), now).filter(
        (spec) => spec.kind === MEETING_JOB_KINDS['owner-reminders'] && spec.params.meetingId === meetingId,
      );
    await syncJobs(this.deps.jobs, reminders(before), reminders(after), now, options);
  }

  /** The owners of the meetings of these teams' series that have not started yet (their records, point reads). */
  private async owners(team: Team | null, teams: readonly (Team | null)[], now: Date): Promise<MeetingOwners> {
    if (!team) return new Map();
    const nowIso = now.toISOString();
    const ids = new Set(
      teams.flatMap((one) =>
        one?.active && one.series
          ? meetingsOf(one.series)
              .filter((m) => m.startsAt > nowIso)
              .map((m) => m.id)
          : [],
      ),
    );
    if (ids.size === 0) return new Map();
    const records = await this.deps.teams.readMeetings(team.teamId, [...ids]);
    return new Map([...records].map(([id, record]) => [id, ownersOf(record)]));
  }
}
