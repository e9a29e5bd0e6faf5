import { meetingsOf, scheduledRhythm, type Meeting, type MeetingSeries, type RhythmKind } from '../domain/meeting-series';
import type { ChannelAddress, PersonalAddress } from '../store/conversation-address';
import type { SourceSpec } from './job';
import { jobId } from './job-id';

/** The job kind (and so the composer) of each step of a meeting's rhythm. */
export const MEETING_JOB_KINDS: Readonly<Record<RhythmKind, string>> = {
  'call-for-cases': 'team.call-for-cases',
  'owner-reminders': 'team.owner-reminder',
  agenda: 'team.agenda',
  minutes: 'team.minutes',
};

export type MeetingJobsInput = {
  teamId: string;
  series: MeetingSeries;
  channel: ChannelAddress;
  /** The owners of items on a meeting's agenda, each reminded in personal chat. */
  ownersOf?: (meeting: Meeting) => { personId: string; address: PersonalAddress }[];
  now: Date;
  /** How far ahead to create jobs; a job exists before it is due, so downtime cannot skip it. */
  horizonMs: number;
  /**
   * Also name, as move-only specs, the steps of meetings starting within this long that are due
   * beyond the horizon: a job created under the series' old offsets may exist for them, and must
   * move to the new time rather than post at the old one. Default: none.
   */
  moveHorizonMs?: number;
};

/** Long enough to reach every job that could exist: the creation horizon plus the largest offset (60 days, 2 more for a weekend). */
export const MOVE_HORIZON_EXTRA_MS = 63 * 24 * 3600 * 1000;

/**
 * The jobs of a series' rhythm that are due within the horizon and not yet stale, with ids
 * that depend only on the team, series, meeting and step (`team:<teamId>:<seriesId>:<meetingId>:agenda`),
 * so every instance asking at any time names the same jobs. Params carry ids only: the composer
 * reads the current items at send time.
 */
export function meetingJobSpecs(input: MeetingJobsInput): SourceSpec[] {
  const { teamId, series, channel, now } = input;
  const nowIso = now.toISOString();
  const horizon = new Date(now.getTime() + input.horizonMs).toISOString();
  const moveHorizon = input.moveHorizonMs === undefined ? undefined : new Date(now.getTime() + input.moveHorizonMs).toISOString();
  const specs: SourceSpec[] = [];
  for (const meeting of meetingsOf(series)) {
    // Steps the series skips (already too late when their meeting was added) are never scheduled.
    for (const step of scheduledRhythm(series, meeting)) {
      if (step.staleAfter <= nowIso) continue;
      const moveOnly = step.dueAt > horizon;
      if (moveOnly && (moveHorizon === undefined || meeting.startsAt > moveHorizon)) continue;
      const params = { teamId, seriesId: series.id, meetingId: meeting.id };
      const common = {
        kind: MEETING_JOB_KINDS[step.kind],
        dueAt: step.dueAt,
        staleAfter: step.staleAfter,
        ...(moveOnly ? { moveOnly } : {}),
      };
      if (step.kind !== 'owner-reminders') {
        specs.push({ id: jobId('team', teamId, series.id, meeting.id, step.kind), ...common, address: channel, params });
        continue;
      }
      for (const owner of input.ownersOf?.(meeting) ?? []) {
        specs.push({
          id: jobId('team', teamId, series.id, meeting.id, 'owner-reminder', owner.personId),
          ...common,
          address: owner.address,
          params: { ...params, personId: owner.personId },
        });
      }
    }
  }
  return specs;
}
