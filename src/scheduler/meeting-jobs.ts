import { meetingsOf, scheduledRhythm, type Meeting, type MeetingSeries, type RhythmKind } from '../domain/meeting-series';
import type { ChannelAddress, PersonalAddress } from '../store/conversation-address';
import type { JobSpec } from './job';
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
  /**
   * The owners of items on a meeting's agenda, each reminded in personal chat (without an address:
   * the composer finds the person's chat when the reminder is due).
   */
  ownersOf?: (meeting: Meeting) => readonly { personId: string; address?: PersonalAddress }[];
  now: Date;
};

/**
 * The jobs of a series' rhythm that are not yet stale — the whole series (at most 100 meetings),
 * written as due entries when the team changes — with ids that depend only on the team, series,
 * meeting and step (`team:<teamId>:<seriesId>:<meetingId>:agenda`), so the same team always names
 * the same jobs and a changed offset moves them. Params carry ids only: the composer reads the
 * current items at send time.
 */
export function meetingJobSpecs(input: MeetingJobsInput): JobSpec[] {
  const { teamId, series, channel, now } = input;
  const nowIso = now.toISOString();
  const specs: JobSpec[] = [];
  for (const meeting of meetingsOf(series)) {
    // Steps the series skips (already too late when their meeting was added) are never scheduled.
    for (const step of scheduledRhythm(series, meeting)) {
      if (step.staleAfter <= nowIso) continue;
      const params = { teamId, seriesId: series.id, meetingId: meeting.id };
      const common = { kind: MEETING_JOB_KINDS[step.kind], dueAt: step.dueAt, staleAfter: step.staleAfter };
      if (step.kind !== 'owner-reminders') {
        specs.push({ id: jobId('team', teamId, series.id, meeting.id, step.kind), ...common, address: channel, params });
        continue;
      }
      for (const owner of input.ownersOf?.(meeting) ?? []) {
        specs.push({
          id: jobId('team', teamId, series.id, meeting.id, 'owner-reminder', owner.personId),
          ...common,
          address: owner.address ?? null,
          params: { ...params, personId: owner.personId },
        });
      }
    }
  }
  return specs;
}
