import type { Case } from './case';
import type { Ladder, MeetingKind, Step, WorkItem, WorkRecord } from './ladder';
import { findStep } from './ladder-steps';
import type { Meeting } from './records';

/**
 * The step's work list: what the ladder asks to be done while the case stands on a step, what of
 * it is done and what is missing. It reads the ladder's data only — a work item names a kind of
 * record (minutes of a meeting, a goal, an action, the child's voice) and its conditions — so a
 * requirement added to a ladder file shows up here, on the case card, and in the evaluation's
 * gate without new code.
 */

export type WorkStatus = {
  item: WorkItem;
  /** Records on this step that satisfy the item. */
  done: number;
  complete: boolean;
  /**
   * Minutes of the item's meeting that would count but for a signature or the archive: the owner
   * can sign them, or record the parents' signature, instead of recording the meeting again.
   */
  unsigned: Meeting | null;
};

/** Whether a record was made on the step the case stands on now (since it was entered). */
function onCurrentStep(c: Case, recordedAt: string, stepId?: string | null): boolean {
  const current = c.currentStep;
  if (current === null) return false;
  if (stepId !== undefined && stepId !== current.stepId) return false;
  return recordedAt >= current.enteredAt;
}

/** What a meeting lacks for a work item's conditions: nothing (it counts), or only signatures, or more. */
function meetingFit(m: Meeting, record: Extract<WorkRecord, { kind: 'meeting' }>): 'fits' | 'unsigned' | 'other' {
  if (m.kind !== record.meeting) return 'other';
  if (record.parents === 'both' && m.parents !== 'both') return 'other';
  if (record.parents === 'any' && m.parents === 'none') return 'other';
  if (record.minServices !== undefined && m.services.length < record.minServices) return 'other';
  const signedByOwner = m.signatures.some((s) => s.kind === 'staff');
  const signedByParents = m.signatures.some((s) => s.kind === 'parents') && m.archived !== null;
  if (record.signedBy.includes('owner') && !signedByOwner) return 'unsigned';
  if (record.signedBy.includes('parents') && !signedByParents) return 'unsigned';
  return 'fits';
}

function statusOf(c: Case, item: WorkItem): WorkStatus {
  const record = item.record;
  let done = 0;
  let unsigned: Meeting | null = null;
  switch (record.kind) {
    case 'meeting':
      for (const m of c.meetings) {
        if (!onCurrentStep(c, m.recordedAt, m.stepId)) continue;
        const fit = meetingFit(m, record);
        if (fit === 'fits') done += 1;
        else if (fit === 'unsigned') unsigned = m;
      }
      break;
    case 'goal':
      done = c.goals.filter((g) => onCurrentStep(c, g.setAt)).length;
      break;
    case 'action':
      done = c.actions.filter((a) => onCurrentStep(c, a.addedAt)).length;
      break;
    case 'child-voice':
      done = c.childVoice.filter((v) => onCurrentStep(c, v.recordedAt)).length;
      break;
  }
  const complete = done >= item.min;
  return { item, done, complete, unsigned: complete ? null : unsigned };
}

/** The work list of the case's current step (empty before the ladder, or on a step that asks for nothing). */
export function workList(c: Case, ladder: Ladder): WorkStatus[] {
  const step = c.currentStep ? findStep(ladder, c.currentStep.stepId) : undefined;
  return step ? step.work.map((item) => statusOf(c, item)) : [];
}

/** What must be done before the current step can be evaluated, and is not yet. */
export function missingBeforeEvaluation(c: Case, ladder: Ladder): WorkStatus[] {
  return workList(c, ladder).filter((status) => status.item.beforeEvaluation && !status.complete);
}

/** Whether the child's voice has been recorded since the current step began (rule 6: the evaluation reminds). */
export function childHeardOnStep(c: Case): boolean {
  return c.childVoice.some((v) => onCurrentStep(c, v.recordedAt));
}

export function meetingKind(ladder: Ladder, id: string): MeetingKind | undefined {
  return ladder.meetings.find((m) => m.id === id);
}

/** The work items of a step that a meeting of this kind could satisfy (to draw the minutes card for what the step asks). */
export function meetingItems(step: Step | undefined, kindId: string): Extract<WorkRecord, { kind: 'meeting' }>[] {
  return (step?.work ?? []).flatMap((item) => (item.record.kind === 'meeting' && item.record.meeting === kindId ? [item.record] : []));
}

/** Actions not done whose deadline has passed (`today` in the municipality's time zone), oldest first. */
export function overdueActions(c: Case, today: string) {
  return c.actions.filter((a) => a.done === null && a.dueOn < today).sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1));
}
