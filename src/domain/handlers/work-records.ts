import type { Case } from '../case';
import type { CommandOf } from '../commands';
import { sharingPermission } from '../rules';
import type { Action, ActionAssignee, ActionInput, Goal, GoalInput, Note, Signature } from '../records';
import { refuse, type Refusal } from '../refusals';
import { change, isRefusal, nextId, type Context, type HandlerResult } from './context';
import { notInFuture, notInPast } from './dates';

/** The work on a case: goals, actions, notes, the child's own voice. */

/** An action given to a service outside the unit shares information with it: consent must cover it. */
function checkAssignee(c: Case, who: ActionAssignee, ctx: Context): Refusal | null {
  if (who.kind !== 'service') return null;
  if (!ctx.ladder.services.some((s) => s.id === who.serviceId)) return refuse('unknown-service', { missingServices: [who.serviceId] });
  const permission = sharingPermission(c, { services: [who.serviceId], teams: [] }, ctx.now, ctx.timeZone);
  return isRefusal(permission) ? permission : null;
}

/** Services named by a record (a note, a meeting): known to the ladder, and covered by consent. */
export function checkServices(c: Case, services: readonly string[], ctx: Context): Refusal | null {
  if (services.length === 0) return null;
  const unknown = services.find((id) => !ctx.ladder.services.some((s) => s.id === id));
  if (unknown) return refuse('unknown-service', { missingServices: [unknown] });
  const permission = sharingPermission(c, { services, teams: [] }, ctx.now, ctx.timeZone);
  return isRefusal(permission) ? permission : null;
}

export function checkGoals(goals: readonly GoalInput[], ctx: Context): Refusal | null {
  for (const goal of goals) {
    const past = notInPast(goal.targetOn, ctx.today);
    if (past) return past;
  }
  return null;
}

export function checkActions(c: Case, actions: readonly ActionInput[], ctx: Context): Refusal | null {
  for (const action of actions) {
    const problem = notInPast(action.dueOn, ctx.today) ?? checkAssignee(c, action.who, ctx);
    if (problem) return problem;
  }
  return null;
}

export function withGoals(c: Case, inputs: readonly GoalInput[], ctx: Context): { case: Case; ids: string[] } {
  const goals: Goal[] = [...c.goals];
  for (const input of inputs) goals.push({ ...input, id: nextId('goal', goals), setAt: ctx.at, setBy: ctx.actor.id });
  return { case: { ...c, goals }, ids: goals.slice(c.goals.length).map((g) => g.id) };
}

export function withActions(c: Case, inputs: readonly ActionInput[], ctx: Context, meetingId?: string): { case: Case; ids: string[] } {
  const actions: Action[] = [...c.actions];
  for (const input of inputs) {
    actions.push({
      ...input,
      id: nextId('action', actions),
      addedAt: ctx.at,
      addedBy: ctx.actor.id,
      done: null,
      ...(meetingId ? { meetingId } : {}),
    });
  }
  return { case: { ...c, actions }, ids: actions.slice(c.actions.length).map((a) => a.id) };
}

export function ownerSignature(ctx: Context): Signature {
  return { kind: 'staff', person: ctx.actor, signedAt: ctx.at };
}

export function addGoal(c: Case, command: CommandOf<'add-goal'>, ctx: Context): HandlerResult {
  const problem = checkGoals([command.goal], ctx);
  if (problem) return problem;
  const added = withGoals(c, [command.goal], ctx);
  return change(
    added.case,
    added.ids.map((goalId) => ({ type: 'goal-added' as const, goalId })),
  );
}

export function addAction(c: Case, command: CommandOf<'add-action'>, ctx: Context): HandlerResult {
  const problem = checkActions(c, [command.action], ctx);
  if (problem) return problem;
  const added = withActions(c, [command.action], ctx);
  return change(
    added.case,
    added.ids.map((actionId) => ({ type: 'action-added' as const, actionId })),
  );
}

export function completeAction(c: Case, command: CommandOf<'complete-action'>, ctx: Context): HandlerResult {
  const action = c.actions.find((a) => a.id === command.actionId);
  if (!action) return refuse('action-not-found');
  if (action.done !== null) return refuse('action-already-done');
  const on = command.doneOn ?? ctx.today;
  const future = notInFuture(on, ctx.today);
  if (future) return future;
  const actions = c.actions.map((a) => (a.id === action.id ? { ...a, done: { at: ctx.at, by: ctx.actor.id, on } } : a));
  return change({ ...c, actions }, [{ type: 'action-completed', actionId: action.id }]);
}

/** Another owner or a new deadline for an action not yet done. */
export function updateAction(c: Case, command: CommandOf<'update-action'>, ctx: Context): HandlerResult {
  const action = c.actions.find((a) => a.id === command.actionId);
  if (!action) return refuse('action-not-found');
  if (action.done !== null) return refuse('action-already-done');
  const problem =
    (command.dueOn !== undefined ? notInPast(command.dueOn, ctx.today) : null) ?? (command.who ? checkAssignee(c, command.who, ctx) : null);
  if (problem) return problem;
  const updated = { ...action, ...(command.who ? { who: command.who } : {}), ...(command.dueOn ? { dueOn: command.dueOn } : {}) };
  if (updated.dueOn === action.dueOn && JSON.stringify(updated.who) === JSON.stringify(action.who)) return change(c);
  const actions = c.actions.map((a) => (a.id === action.id ? updated : a));
  return change({ ...c, actions }, [{ type: 'action-updated', actionId: action.id }]);
}

export function addNote(c: Case, command: CommandOf<'add-note'>, ctx: Context): HandlerResult {
  const future =
    notInFuture(command.heldOn, ctx.today) ?? (command.parentsSignedOn ? notInFuture(command.parentsSignedOn, ctx.today) : null);
  if (future) return future;
  const services = [...new Set(command.services ?? [])];
  const unshared = checkServices(c, services, ctx);
  if (unshared) return unshared;
  const signatures: Signature[] = [];
  if (command.signByOwner) signatures.push(ownerSignature(ctx));
  if (command.parentsSignedOn) signatures.push({ kind: 'parents', signedOn: command.parentsSignedOn, recordedBy: ctx.actor.id });
  const note: Note = {
    id: nextId('note', c.notes),
    kind: command.kind,
    text: command.text,
    heldOn: command.heldOn,
    author: ctx.actor,
    writtenAt: ctx.at,
    services,
    parentsPresent: command.parentsPresent ?? null,
    signatures,
  };
  return change({ ...c, notes: [...c.notes, note] }, [{ type: 'note-added', noteId: note.id, noteKind: note.kind }]);
}

export function recordChildVoice(c: Case, command: CommandOf<'record-child-voice'>, ctx: Context): HandlerResult {
  const future = notInFuture(command.heardOn, ctx.today);
  if (future) return future;
  const entry = {
    id: nextId('voice', c.childVoice),
    text: command.text,
    heardOn: command.heardOn,
    how: command.how,
    recordedAt: ctx.at,
    recordedBy: ctx.actor.id,
  };
  return change({ ...c, childVoice: [...c.childVoice, entry] }, [{ type: 'child-voice-recorded', entryId: entry.id }]);
}
