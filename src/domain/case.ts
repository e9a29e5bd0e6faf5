import { z } from 'zod';
import { CaseCodeSchema } from './case-code';
import { ConsentRecordSchema } from './consent';
import { CaseEventSchema } from './events';
import { StepIdSchema } from './ladder';
import { hasElevenDigitRun } from './national-id';
import { boundedText, IsoDateSchema, IsoDateTimeSchema, PersonIdSchema, PersonRefSchema, SlugSchema } from './primitives';
import {
  ActionSchema,
  ChildVoiceSchema,
  CurrentStepSchema,
  DateChangeSchema,
  EscalationSchema,
  EvaluationSchema,
  GoalSchema,
  MeetingSchema,
  NoteSchema,
  PendingHandoverSchema,
  ReportSchema,
  SafetyRecordSchema,
  TeamItemSchema,
  WorryFormSchema,
  ZonePlacementSchema,
} from './records';

/**
 * The case: what Laget stores about one child a staff member worries about. It holds the
 * workflow, not the journal — a random code, at most an alias, the step, dates, goals, actions,
 * consent status — and it is plain JSON (ISO date strings, no Date objects, no classes), so it is
 * what the store writes and reads back with this schema.
 */

export const CASE_SCHEMA_VERSION = 3;

/** An alias or initials ("E.H."): short, and never anything shaped like a national identity number. */
export const AliasSchema = boundedText(40).refine((alias) => !hasElevenDigitRun(alias), {
  message: 'an alias must not contain a national identity number',
});

/**
 * Why a case was closed (a short list, counted in the tertial report): the child is better, moved
 * away, taken over by another service, reported and followed up by child welfare, or other.
 */
const CLOSE_REASONS = ['resolved', 'moved-away', 'taken-over', 'reported', 'other'] as const;
export const CloseReasonSchema = z.enum(CLOSE_REASONS);
export type CloseReason = z.infer<typeof CloseReasonSchema>;

const CaseStatusSchema = z.enum(['draft', 'open', 'monitoring', 'reported', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

export const CaseSchema = z.object({
  schemaVersion: z.literal(CASE_SCHEMA_VERSION),
  /** The case code, e.g. UR-7K4Q; also the document id. */
  id: CaseCodeSchema,
  ladderId: SlugSchema,
  unitId: SlugSchema,
  alias: AliasSchema.nullable(),
  /** The one owner (stafettholder) at any time. */
  owner: PersonRefSchema,
  /** A handover offered but not yet accepted: the owner above keeps the case until then. */
  pendingHandover: PendingHandoverSchema.nullable(),
  /** Everyone who held the case before; they lose access when the baton moves. */
  formerOwnerIds: z.array(PersonIdSchema),
  nearestLeader: PersonRefSchema,
  status: CaseStatusSchema,
  safety: SafetyRecordSchema,
  zoneHistory: z.array(ZonePlacementSchema),
  worryForm: WorryFormSchema,
  currentStep: CurrentStepSchema.nullable(),
  /** The step an outcome "b" proposes; the owner enters it or asks the leader to approve it. */
  proposedStepId: StepIdSchema.nullable(),
  /** Set once the case reaches a step that informs the leader; from then on the leader hears of every step change. */
  leaderKeptInformed: z.boolean(),
  nextDates: z.object({
    evaluationOn: IsoDateSchema.nullable(),
    checkInOn: IsoDateSchema.nullable(),
    /** The planned conversation with the parents (from part B): the day to ask for part C. */
    conversationOn: IsoDateSchema.nullable(),
  }),
  goals: z.array(GoalSchema),
  actions: z.array(ActionSchema),
  notes: z.array(NoteSchema),
  /** Minutes of the meetings the ladder names (open dialogue, cooperation meeting …). */
  meetings: z.array(MeetingSchema),
  childVoice: z.array(ChildVoiceSchema),
  consents: z.array(ConsentRecordSchema),
  evaluations: z.array(EvaluationSchema),
  escalations: z.array(EscalationSchema),
  reports: z.array(ReportSchema),
  teamItems: z.array(TeamItemSchema),
  /** Evaluation and check-in dates moved, with the reason. */
  dateChanges: z.array(DateChangeSchema),
  closed: z.object({ at: IsoDateTimeSchema, by: PersonIdSchema, reason: CloseReasonSchema }).nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
  events: z.array(CaseEventSchema),
});
export type Case = z.infer<typeof CaseSchema>;

/** The latest worry zone the owner placed the worry in, if any. */
export function currentZoneId(c: Case): string | null {
  return c.zoneHistory.at(-1)?.zoneId ?? null;
}

/** The escalation waiting for the leader, if any (there is never more than one). */
export function pendingEscalation(c: Case) {
  return c.escalations.find((e) => e.status === 'pending');
}

/** The next date the owner must act on (evaluation, check-in or the planned parent conversation). */
export function nextDate(c: Case): string | null {
  return c.nextDates.evaluationOn ?? c.nextDates.checkInOn ?? c.nextDates.conversationOn;
}
