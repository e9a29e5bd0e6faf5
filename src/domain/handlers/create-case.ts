import { CASE_SCHEMA_VERSION, type Case } from '../case';
import type { CommandOf } from '../commands';
import type { Notice } from '../notices';
import { refuse } from '../refusals';
import { change, notice, type Context, type HandlerResult } from './context';

/**
 * A new case, opened by the staff member who worries (they become its owner). The safety
 * question is answered before anything else, so a "yes" leads straight to the direct report path.
 */
export function createCase(command: CommandOf<'create-case'>, ctx: Context): HandlerResult {
  if (command.nearestLeader.id === ctx.actor.id) return refuse('leader-cannot-be-owner');
  const c: Case = {
    schemaVersion: CASE_SCHEMA_VERSION,
    id: command.caseId,
    ladderId: ctx.ladder.id,
    unitId: command.unitId,
    alias: command.alias ?? null,
    owner: ctx.actor,
    pendingHandover: null,
    formerOwnerIds: [],
    nearestLeader: command.nearestLeader,
    status: 'draft',
    safety: { ...command.safety, answeredAt: ctx.at, answeredBy: ctx.actor.id },
    zoneHistory: [],
    worryForm: { partA: null, partB: null, partC: null },
    currentStep: null,
    proposedStepId: null,
    leaderKeptInformed: false,
    nextDates: { evaluationOn: null, checkInOn: null, conversationOn: null },
    goals: [],
    actions: [],
    notes: [],
    meetings: [],
    childVoice: [],
    consents: [],
    evaluations: [],
    escalations: [],
    reports: [],
    teamItems: [],
    dateChanges: [],
    closed: null,
    createdAt: ctx.at,
    updatedAt: ctx.at,
    events: [],
  };
  const notify: Notice[] =
    command.safety.dangerNow || command.safety.suspectedViolenceOrAbuse ? [notice('owner', ctx.actor.id, 'direct-report-guidance')] : [];
  return change(
    c,
    [
      { type: 'case-created', unitId: c.unitId, ladderId: c.ladderId },
      { type: 'safety-answered', ...command.safety },
    ],
    notify,
  );
}
