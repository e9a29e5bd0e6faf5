import { z } from 'zod';
import type { Case } from '../case';
import { pendingEscalation } from '../case';
import type { CaseEvent } from '../events';
import type { Ladder } from '../ladder';
import { findStep } from '../ladder-steps';
import type { Team, TeamMeeting } from '../team';
import { addDays, dayOf, DEFAULT_TIME_ZONE } from '../time';
import { monthOf, type Month } from './period';

/**
 * What the report counts, as counters that a case change adds to (src/store/report-counters.ts
 * keeps them per unit and month). Two kinds:
 *
 * - **flows**: things that happened, counted from the case's events in the month they happened
 *   (a new case, a move up the ladder, an outcome, a consent, a report to child welfare …);
 * - **state**: what the unit's open cases are like now — per step, and the dates that turn into
 *   deviations when they pass (an evaluation date, a request waiting since, a period's maximum
 *   end, a handover offered on, a consent's last day). A case adds its state when it changes and
 *   takes its old state away, so the counters always hold the sum over the open cases without
 *   anyone reading them all. A date counter becomes a deviation at read time, by comparison with
 *   the day the report is read for (figures.ts).
 *
 * Keys are flat strings (`outcome.2b.b`, `evaluation-due.2026-03-12`): no child data, only step
 * ids, reasons and dates. Team meetings add flows too (`heldMeetingChange`).
 */
export type Counts = Record<string, number>;

export const CountsSchema = z.record(z.string().max(80), z.number().int());

export function addCounts(into: Counts, from: Counts, factor = 1): Counts {
  for (const [key, value] of Object.entries(from)) {
    const next = (into[key] ?? 0) + factor * value;
    if (next === 0) delete into[key];
    else into[key] = next;
  }
  return into;
}

/** Where a case stands for the report: its step, or its status before and beside the ladder. */
function positionOf(c: Case): string {
  return c.currentStep?.stepId ?? c.status;
}

/** The state one case adds to its unit's counters (nothing once it is closed or deleted). */
export function stateOf(c: Case | null, ladder: Ladder, timeZone: string = DEFAULT_TIME_ZONE): Counts {
  if (c === null || c.status === 'closed') return {};
  const counts: Counts = { [`open.${positionOf(c)}`]: 1 };
  const add = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  if (c.currentStep !== null) {
    if (c.nextDates.evaluationOn !== null) add(`evaluation-due.${c.nextDates.evaluationOn}`);
    const period = findStep(ladder, c.currentStep.stepId)?.period;
    if (period) add(`period-ends.${addDays(c.currentStep.periodStartedOn, period.maxDays)}`);
    if (c.childVoice.length === 0) add('no-child-voice');
  }
  const waiting = pendingEscalation(c);
  if (waiting) add(`approval-since.${dayOf(waiting.requestedAt, timeZone)}`);
  if (c.pendingHandover !== null) add(`handover-since.${dayOf(c.pendingHandover.offeredAt, timeZone)}`);
  c.consents.forEach((consent, index) => {
    // Valid through validUntil: it lapses the day after, unless withdrawn, or refused later, first.
    const refusedLater = c.consents.slice(index + 1).some((r) => r.kind === 'refused');
    if (consent.kind === 'given' && consent.withdrawn === null && !refusedLater) add(`consent-expires.${addDays(consent.validUntil, 1)}`);
  });
  return counts;
}

/**
 * The flows of a case's events after `afterSeq`, per month in the time zone. The events before
 * it are the context (the step a case stood on when it was reported).
 */
export function flowsOf(
  events: readonly CaseEvent[],
  ladder: Ladder,
  afterSeq: number,
  timeZone: string = DEFAULT_TIME_ZONE,
): Map<Month, Counts> {
  const months = new Map<Month, Counts>();
  let step: string | null = null;
  const stageIndex = (stepId: string) => ladder.stages.findIndex((stage) => stage.id === findStep(ladder, stepId)?.stage);
  for (const e of events) {
    const key = e.seq > afterSeq ? flowKey(e, step, stageIndex, ladder) : null;
    if (key !== null) {
      const month = monthOf(e.at, timeZone);
      const counts = months.get(month) ?? {};
      counts[key] = (counts[key] ?? 0) + 1;
      months.set(month, counts);
    }
    if (e.type === 'step-entered') step = e.stepId;
  }
  return months;
}

function flowKey(e: CaseEvent, step: string | null, stageIndex: (stepId: string) => number, ladder: Ladder): string | null {
  switch (e.type) {
    case 'case-created':
      return 'new';
    case 'step-entered': {
      if (e.fromStepId === null) return null;
      const from = stageIndex(e.fromStepId);
      const to = stageIndex(e.stepId);
      return to > from ? 'move.up' : to < from ? 'move.down' : null;
    }
    case 'evaluation-recorded':
      return `outcome.${e.stepId}.${e.outcome}`;
    case 'case-closed':
      return `closed.${e.reason}`;
    case 'reported-to-child-welfare':
      return `report.from.${step ?? 'none'}`;
    case 'consent-recorded':
      return 'consent.given';
    case 'consent-refused':
      return 'consent.refused';
    case 'consent-withdrawn':
      return 'consent.withdrawn';
    case 'brought-to-team':
      return `team-item.${e.mode}`;
    case 'meeting-recorded':
      return e.stepId !== null && isCooperationMeeting(ladder, e.stepId, e.meetingKind) ? 'cooperation-meeting.held' : null;
    case 'note-added':
      // Before meetings were records of their own (case documents of version 2), a note of this kind was the minutes.
      return e.noteKind === 'cooperation-meeting' ? 'cooperation-meeting.held' : null;
    default:
      return null;
  }
}

/**
 * The minutes of a cooperation meeting (3b's samarbeidsmøte): a meeting the work list of a step that
 * works with other services asks for with services present. Read from the ladder data, so every
 * ladder's own name for it counts.
 */
function isCooperationMeeting(ladder: Ladder, stepId: string, meetingKind: string): boolean {
  if (!isCooperationStep(ladder, stepId)) return false;
  return (findStep(ladder, stepId)?.work ?? []).some(
    (item) => item.record.kind === 'meeting' && item.record.meeting === meetingKind && item.record.minServices !== undefined,
  );
}

/** Evaluations of a step that works with other services (3b): the cooperation evaluated. */
export function isCooperationStep(ladder: Ladder, stepId: string): boolean {
  return (findStep(ladder, stepId)?.sharesWithServices ?? null) !== null;
}

/**
 * What one saved change adds to its unit's counters: the flows of its new events (by month) and
 * the difference between the case's state after and before.
 */
export type CounterChange = {
  unitId: string;
  /** Unique per change: the case and the sequence number of its last event (a held meeting: `team:<team>@<meeting>`). Applying it twice does nothing. */
  key: string;
  flows: Map<Month, Counts>;
  state: Counts;
  /** The month the change happened in (its state belongs to that month's end). */
  month: Month;
};

export function counterChange(
  before: Case | null,
  after: Case,
  ladder: Ladder,
  timeZone: string = DEFAULT_TIME_ZONE,
): CounterChange | null {
  const afterSeq = before?.events.length ?? 0;
  const last = after.events.at(-1);
  if (!last || last.seq <= afterSeq) return null;
  const state = addCounts(stateOf(after, ladder, timeZone), stateOf(before, ladder, timeZone), -1);
  const flows = flowsOf(after.events, ladder, afterSeq, timeZone);
  if (flows.size === 0 && Object.keys(state).length === 0) return null;
  return { unitId: after.unitId, key: `${after.id}@${last.seq}`, flows, state, month: monthOf(last.at, timeZone) };
}

/**
 * Where the counters of a team across units go (a forum with no unit of its own): a row of their
 * own, which only the municipality's report shows — never a unit's. Not a slug, so never a unit id.
 */
export const ACROSS_UNITS = '*';

const TEAM_MEETING_FLOW = 'team-meeting.';
const TEAM_CHANGE_KEY = 'team:';

/** The flows a team meeting added, which a count from the cases cannot make again. */
export function notFromCases(flows: Counts): Counts {
  return Object.fromEntries(Object.entries(flows).filter(([key]) => key.startsWith(TEAM_MEETING_FLOW)));
}

export function isTeamChangeKey(key: string): boolean {
  return key.startsWith(TEAM_CHANGE_KEY);
}

/**
 * What a team meeting marked held adds to the report: the meeting and the case items it discussed
 * (anonymous and named), as flows of the team's unit in the month of the meeting's day. Keyed by
 * team and meeting: a meeting is marked held once (the team domain refuses it again, and its counts
 * are never corrected afterwards), so applying the change again — a double press, a retry after a
 * lost answer — adds nothing.
 */
export function heldMeetingChange(
  team: Pick<Team, 'teamId' | 'unitId'>,
  meeting: Pick<TeamMeeting, 'meetingId' | 'date' | 'held'>,
): CounterChange | null {
  if (meeting.held === null) return null;
  const month = meeting.date.slice(0, 7);
  const flows = addCounts(
    {},
    {
      [`${TEAM_MEETING_FLOW}held`]: 1,
      [`${TEAM_MEETING_FLOW}items.anonymous`]: meeting.held.anonymous,
      [`${TEAM_MEETING_FLOW}items.named`]: meeting.held.named,
    },
  );
  return {
    unitId: team.unitId ?? ACROSS_UNITS,
    key: `${TEAM_CHANGE_KEY}${team.teamId}@${meeting.meetingId}`,
    flows: new Map([[month, flows]]),
    state: {},
    month,
  };
}
