import type { Case } from '../case';
import type { CommandOf } from '../commands';
import type { Notice } from '../notices';
import { refuse } from '../refusals';
import { findZone } from '../zones';
import { change, toOwner, type Context, type HandlerResult } from './context';
import { notInPast } from './dates';

/** The URO flow before (and beside) the ladder: safety answers, alias, zone, worry form A/B/C. */

export function recordSafetyAnswers(c: Case, command: CommandOf<'record-safety-answers'>, ctx: Context): HandlerResult {
  const { dangerNow, suspectedViolenceOrAbuse } = command.safety;
  // A "yes" is never taken back in Laget: the direct report path, not the ladder, decides what follows.
  if ((c.safety.dangerNow && !dangerNow) || (c.safety.suspectedViolenceOrAbuse && !suspectedViolenceOrAbuse)) {
    return refuse('safety-answer-cannot-be-withdrawn');
  }
  const raised = (dangerNow && !c.safety.dangerNow) || (suspectedViolenceOrAbuse && !c.safety.suspectedViolenceOrAbuse);
  const next: Case = { ...c, safety: { dangerNow, suspectedViolenceOrAbuse, answeredAt: ctx.at, answeredBy: ctx.actor.id } };
  return change(
    next,
    [{ type: 'safety-answered', dangerNow, suspectedViolenceOrAbuse }],
    raised ? [toOwner(c, 'direct-report-guidance')] : [],
  );
}

export function setAlias(c: Case, command: CommandOf<'set-alias'>): HandlerResult {
  return change({ ...c, alias: command.alias }, [{ type: 'alias-set', hasAlias: command.alias !== null }]);
}

export function placeInZone(c: Case, command: CommandOf<'place-in-zone'>, ctx: Context): HandlerResult {
  const zone = findZone(ctx.ladder.zones, command.zoneId);
  if (!zone) return refuse('unknown-zone');
  const notify: Notice[] = [];
  if (zone.response === 'emergency') notify.push(toOwner(c, 'acute-guidance'));
  if (zone.response === 'act-now') notify.push(toOwner(c, 'zone-guidance'));
  return change(
    { ...c, zoneHistory: [...c.zoneHistory, { zoneId: zone.id, placedAt: ctx.at, placedBy: ctx.actor.id }] },
    [{ type: 'zone-placed', zoneId: zone.id }],
    notify,
  );
}

export function recordPartA(c: Case, command: CommandOf<'record-part-a'>, ctx: Context): HandlerResult {
  const partA = { answers: command.answers, recordedAt: ctx.at, recordedBy: ctx.actor.id };
  return change({ ...c, worryForm: { ...c.worryForm, partA } }, [{ type: 'worry-form-recorded', part: 'A' }]);
}

export function recordPartB(c: Case, command: CommandOf<'record-part-b'>, ctx: Context): HandlerResult {
  const plannedOn = command.answers.plannedOn;
  if (plannedOn !== undefined) {
    const past = notInPast(plannedOn, ctx.today);
    if (past) return past;
  }
  const partB = { answers: command.answers, recordedAt: ctx.at, recordedBy: ctx.actor.id };
  return change(
    { ...c, worryForm: { ...c.worryForm, partB }, nextDates: { ...c.nextDates, conversationOn: plannedOn ?? c.nextDates.conversationOn } },
    [{ type: 'worry-form-recorded', part: 'B' }],
  );
}

export function recordPartC(c: Case, command: CommandOf<'record-part-c'>, ctx: Context): HandlerResult {
  // Part C documents the conversation that led to stage 1: once the case is on the ladder, an old card cannot write it again.
  if (c.currentStep !== null) return refuse('worry-form-closed');
  if (command.answers.heldOn > ctx.today) return refuse('date-in-future');
  const zoneId = command.answers.worryNowZoneId;
  if (zoneId !== undefined && !findZone(ctx.ladder.zones, zoneId)) return refuse('unknown-zone');
  const partC = { answers: command.answers, recordedAt: ctx.at, recordedBy: ctx.actor.id };
  const zoneHistory = zoneId === undefined ? c.zoneHistory : [...c.zoneHistory, { zoneId, placedAt: ctx.at, placedBy: ctx.actor.id }];
  return change({ ...c, worryForm: { ...c.worryForm, partC }, zoneHistory, nextDates: { ...c.nextDates, conversationOn: null } }, [
    { type: 'worry-form-recorded', part: 'C' },
    ...(zoneId === undefined ? [] : [{ type: 'zone-placed' as const, zoneId }]),
  ]);
}
