import type { Case } from './case';
import { intakeClosesAt, type Meeting, type MeetingSeries } from './meeting-series';
import type { IsoDateTime } from './primitives';
import { canBringToTeam } from './rules';
import { agendaOrder, type AgendaItem, type Team, type TeamMeeting } from './team';
import type { TeamQuestionId } from './team-questions';
import { DEFAULT_TIME_ZONE } from './time';

/**
 * What a team's channel may show — the only function that decides it, used by the composers of
 * the call for cases, the agenda and the minutes post, and by the tests. A channel sees the
 * meeting, case codes, the question each case was brought with (from the fixed neutral list),
 * topics members typed in the channel, time slots, who brings each item (staff) and whether it is
 * anonymous or named. Never an alias, initials, a name, a birth date, a class or the owner's note
 * (the projection is never given them: an agenda item holds none). A case item is checked at
 * posting time: a closed case, or a named item whose consent no longer covers the team, is
 * "taken off the list" by its code only.
 */

export type ChannelLine =
  | {
      kind: 'case';
      n: number;
      itemId: string;
      caseId: string;
      minutes: number;
      owner: string;
      mode: 'anonymous' | 'named';
      questionId: TeamQuestionId;
    }
  | { kind: 'withheld'; n: number; itemId: string; caseId: string; reason: 'consent-missing' | 'case-closed' }
  | { kind: 'topic'; n: number; itemId: string; minutes: number; owner: string; topic: string };

/** The case behind an item as it is now (undefined: it no longer exists). */
export type CaseLookup = (caseId: string) => Case | undefined;

/** Minutes of time per item: the meeting's length shared out, in steps of five minutes, at least five. */
function slotMinutes(meeting: Pick<Meeting, 'startsAt' | 'endsAt'>, items: number): number {
  const length = (Date.parse(meeting.endsAt) - Date.parse(meeting.startsAt)) / 60_000;
  return Math.max(5, Math.floor(length / Math.max(1, items) / 5) * 5);
}

/** Whether a case item may be shown by its question and mode now: open, and for a named item a consent covering the team. */
function itemStanding(
  item: Extract<AgendaItem, { kind: 'case' }>,
  c: Case | undefined,
  teamId: string,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): 'allowed' | 'case-closed' | 'consent-missing' {
  if (!c || c.status === 'closed') return 'case-closed';
  return canBringToTeam(c, teamId, item.mode, now, timeZone).kind === 'allowed' ? 'allowed' : 'consent-missing';
}

/** The items as the channel may show them, numbered in the order given. */
export function channelLines(
  team: Pick<Team, 'teamId'>,
  meeting: Pick<Meeting, 'startsAt' | 'endsAt'>,
  items: readonly AgendaItem[],
  caseOf: CaseLookup,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): ChannelLine[] {
  const minutes = slotMinutes(meeting, items.length);
  return items.map((item, index): ChannelLine => {
    const n = index + 1;
    // Typed in the team's channel by a member (checked for identity numbers then): shown as typed.
    if (item.kind === 'topic') return { kind: 'topic', n, itemId: item.id, minutes, owner: item.owner.name, topic: item.topic };
    const standing = itemStanding(item, caseOf(item.caseId), team.teamId, now, timeZone);
    if (standing !== 'allowed') return { kind: 'withheld', n, itemId: item.id, caseId: item.caseId, reason: standing };
    return {
      kind: 'case',
      n,
      itemId: item.id,
      caseId: item.caseId,
      minutes,
      owner: item.owner.name,
      mode: item.mode,
      questionId: item.questionId,
    };
  });
}

/** The agenda post: every item of the meeting in agenda order (the record's drawn agenda, when it was drawn). */
export function channelAgenda(
  team: Pick<Team, 'teamId'>,
  meeting: Meeting,
  record: Pick<TeamMeeting, 'items' | 'agenda'> | null,
  caseOf: CaseLookup,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): ChannelLine[] {
  const items = record?.agenda ? listed(record, record.agenda.itemIds) : agendaOrder(record?.items ?? []);
  return channelLines(team, meeting, items, caseOf, now, timeZone);
}

/**
 * The minutes post shows what the agenda showed — the items it listed when drawn, in its
 * numbering, each checked again now — or nothing (`no-agenda`) when no agenda was drawn: items
 * that came later are on the writers' forms only, never in the channel.
 */
export function channelMinutes(
  team: Pick<Team, 'teamId'>,
  meeting: Meeting,
  record: Pick<TeamMeeting, 'items' | 'agenda'> | null,
  caseOf: CaseLookup,
  now: Date,
  timeZone: string = DEFAULT_TIME_ZONE,
): { kind: 'lines'; lines: ChannelLine[] } | { kind: 'no-agenda' } | { kind: 'nothing' } {
  if (!record || record.items.length === 0) return { kind: 'nothing' };
  if (!record.agenda) return { kind: 'no-agenda' };
  return { kind: 'lines', lines: channelLines(team, meeting, listed(record, record.agenda.itemIds), caseOf, now, timeZone) };
}

/** The call for cases: the meeting, and the deadline — the moment the agenda is drawn (items after it go to a later meeting). */
export function channelCallForCases(series: MeetingSeries, meeting: Meeting): { meeting: Meeting; deadline: IsoDateTime } {
  return { meeting, deadline: intakeClosesAt(series, meeting) };
}

function listed(record: Pick<TeamMeeting, 'items'>, itemIds: readonly string[]): AgendaItem[] {
  return itemIds.flatMap((id) => record.items.find((item) => item.id === id) ?? []);
}
