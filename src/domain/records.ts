import { z } from 'zod';
import { StepIdSchema } from './ladder';
import { MeetingIdSchema } from './meeting-series';
import { boundedText, IsoDateSchema, IsoDateTimeSchema, PersonIdSchema, PersonRefSchema, RecordIdSchema, SlugSchema } from './primitives';
import { TeamQuestionIdSchema } from './team-questions';
import { WorryFormPartASchema, WorryFormPartBSchema, WorryFormPartCSchema } from './worry-form';

/** The records a case keeps. Each is JSON; ids are assigned by the domain (`goal-1`, `esc-2` …). */

/** The first question of every case: is anyone in danger now, is violence or sexual abuse suspected? */
export const SafetyAnswersSchema = z.object({
  dangerNow: z.boolean(),
  suspectedViolenceOrAbuse: z.boolean(),
});

export const SafetyRecordSchema = SafetyAnswersSchema.extend({
  answeredAt: IsoDateTimeSchema,
  answeredBy: PersonIdSchema,
});

export const ZonePlacementSchema = z.object({ zoneId: SlugSchema, placedAt: IsoDateTimeSchema, placedBy: PersonIdSchema });

const recorded = { recordedAt: IsoDateTimeSchema, recordedBy: PersonIdSchema };
export const WorryFormSchema = z.object({
  partA: z.object({ answers: WorryFormPartASchema, ...recorded }).nullable(),
  partB: z.object({ answers: WorryFormPartBSchema, ...recorded }).nullable(),
  partC: z.object({ answers: WorryFormPartCSchema, ...recorded }).nullable(),
});

/** A simple, measurable goal with a date ("joins circle time 3 of 5 days within 4 weeks"). */
export const GoalInputSchema = z.object({ text: boundedText(300), targetOn: IsoDateSchema });
export type GoalInput = z.infer<typeof GoalInputSchema>;
export const GoalSchema = GoalInputSchema.extend({ id: RecordIdSchema, setAt: IsoDateTimeSchema, setBy: PersonIdSchema });
export type Goal = z.infer<typeof GoalSchema>;

/** Who does an action. A service outside the unit only with a consent that covers it. */
export const ActionAssigneeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), person: PersonRefSchema }),
  z.object({ kind: z.literal('parents') }),
  z.object({ kind: z.literal('child') }),
  z.object({ kind: z.literal('service'), serviceId: SlugSchema }),
  z.object({ kind: z.literal('other'), label: boundedText(100) }),
]);
export type ActionAssignee = z.infer<typeof ActionAssigneeSchema>;

export const ActionInputSchema = z.object({ what: boundedText(300), who: ActionAssigneeSchema, dueOn: IsoDateSchema });
export type ActionInput = z.infer<typeof ActionInputSchema>;
export const ActionSchema = ActionInputSchema.extend({
  id: RecordIdSchema,
  addedAt: IsoDateTimeSchema,
  addedBy: PersonIdSchema,
  /** `on`: the day it was done, as the owner says (older records: the day of `at`). */
  done: z.object({ at: IsoDateTimeSchema, by: PersonIdSchema, on: IsoDateSchema.optional() }).nullable(),
  /** The meeting where it was agreed, if any ("who does what by when" in the minutes). */
  meetingId: RecordIdSchema.optional(),
});
export type Action = z.infer<typeof ActionSchema>;

/** Notes that record talking with the parents: refused while violence or abuse is suspected. */
export const PARENT_CONVERSATION_NOTE_KINDS = [
  'cooperation-start',
  'parent-conversation',
  'open-dialogue',
  'follow-up-conversation',
  'cooperation-meeting',
] as const;
const NoteKindSchema = z.enum([...PARENT_CONVERSATION_NOTE_KINDS, 'observation', 'internal']);

const SignatureSchema = z.discriminatedUnion('kind', [
  /** A staff member signed in Laget: name and time. */
  z.object({ kind: z.literal('staff'), person: PersonRefSchema, signedAt: IsoDateTimeSchema }),
  /** The parents signed on paper; the owner records that they did, and when. */
  z.object({ kind: z.literal('parents'), signedOn: IsoDateSchema, recordedBy: PersonIdSchema }),
]);
export type Signature = z.infer<typeof SignatureSchema>;

/** A note is the owner's: private to the owner, never shown to the leader or posted to a channel. */
export const NoteSchema = z.object({
  id: RecordIdSchema,
  kind: NoteKindSchema,
  text: boundedText(),
  heldOn: IsoDateSchema,
  author: PersonRefSchema,
  writtenAt: IsoDateTimeSchema,
  /** Services present at a cooperation meeting (covered by consent when written). */
  services: z.array(SlugSchema),
  parentsPresent: z.boolean().nullable(),
  signatures: z.array(SignatureSchema),
});
export type Note = z.infer<typeof NoteSchema>;

/** Who of the parents took part in a meeting. */
export const ParentsPresentSchema = z.enum(['both', 'one', 'none']);

/**
 * The minutes of a meeting the ladder names (the open dialogue, a follow-up conversation, the
 * cooperation meeting …), as a typed record so meetings can be counted: when, on which step, who
 * took part, what was concluded, who signed and where the signed minutes are archived (Laget keeps
 * no scans). The conclusions are the owner's own text: never shown to the leader or a channel.
 */
export const MeetingSchema = z.object({
  id: RecordIdSchema,
  /** The ladder's meeting kind. */
  kind: SlugSchema,
  /** The step the case stood on when it was recorded. */
  stepId: StepIdSchema.nullable(),
  heldOn: IsoDateSchema,
  parents: ParentsPresentSchema,
  /** Services present (covered by consent when recorded). */
  services: z.array(SlugSchema),
  leaderPresent: z.boolean(),
  childPresent: z.boolean(),
  conclusions: boundedText(),
  /** The step's next evaluation, when the meeting set it. */
  nextEvaluationOn: IsoDateSchema.nullable(),
  signatures: z.array(SignatureSchema),
  /** Where the signed minutes are archived, and when (a paper signature is archived, never scanned into Laget). */
  archived: z.object({ where: boundedText(200), on: IsoDateSchema }).nullable(),
  recordedAt: IsoDateTimeSchema,
  recordedBy: PersonIdSchema,
});
export type Meeting = z.infer<typeof MeetingSchema>;

/** A date moved: which, from when to when, and why (the history keeps the reason). */
export const DateChangeSchema = z.object({
  id: RecordIdSchema,
  kind: z.enum(['evaluation', 'check-in']),
  from: IsoDateSchema.nullable(),
  to: IsoDateSchema,
  /** Null when the date was moved without one (the team's minutes, an older card). */
  reason: boundedText(300).nullable(),
  changedAt: IsoDateTimeSchema,
  changedBy: PersonIdSchema,
});
export type DateChange = z.infer<typeof DateChangeSchema>;

/** The child's own voice: what the child says and wants. */
export const ChildVoiceSchema = z.object({
  id: RecordIdSchema,
  text: boundedText(),
  heardOn: IsoDateSchema,
  how: z.enum(['said', 'conversation', 'drawing-or-play', 'other']),
  recordedAt: IsoDateTimeSchema,
  recordedBy: PersonIdSchema,
});

export const EvaluationSchema = z.object({
  id: RecordIdSchema,
  stepId: StepIdSchema,
  outcome: z.enum(['a', 'b']),
  basis: z.enum(['evaluation', 'parents-consent']),
  comment: boundedText().nullable(),
  /** Why the step was evaluated on the day it started (the owner confirms it). */
  earlyReason: boundedText(300).optional(),
  /** Where the outcome leads: the step entered (a) or proposed (b); null when the ladder ends. */
  leadsTo: StepIdSchema.nullable(),
  recordedAt: IsoDateTimeSchema,
  recordedBy: PersonIdSchema,
});
export type Evaluation = z.infer<typeof EvaluationSchema>;

/** What the owner confirms when entering a step (see the step's requirements). */
export const AttestationsSchema = z.object({
  bothParentsInvited: z.boolean().optional(),
  parentsParticipate: z.boolean().optional(),
});
export type Attestations = z.infer<typeof AttestationsSchema>;

const EscalationBaseSchema = z.object({
  id: RecordIdSchema,
  fromStepId: StepIdSchema,
  toStepId: StepIdSchema,
  services: z.array(SlugSchema),
  teams: z.array(SlugSchema),
  evaluationOn: IsoDateSchema.nullable(),
  attestations: AttestationsSchema,
  coordinator: PersonRefSchema.nullable(),
  /** A short, neutral reason for the leader (shown on the approval card). */
  justification: boundedText(500).nullable(),
  requestedBy: PersonRefSchema,
  requestedAt: IsoDateTimeSchema,
});

/** A request to move to a step that the ladder lets only the designated leader approve. */
export const EscalationSchema = z.discriminatedUnion('status', [
  EscalationBaseSchema.extend({ status: z.literal('pending') }),
  EscalationBaseSchema.extend({
    status: z.literal('approved'),
    decidedBy: PersonRefSchema,
    decidedAt: IsoDateTimeSchema,
    comment: boundedText(500).nullable(),
  }),
  EscalationBaseSchema.extend({
    status: z.literal('rejected'),
    decidedBy: PersonRefSchema,
    decidedAt: IsoDateTimeSchema,
    reason: boundedText(500),
  }),
  EscalationBaseSchema.extend({
    status: z.literal('cancelled'),
    cancelledAt: IsoDateTimeSchema,
    cause: z.enum(['withdrawn-by-owner', 'case-moved', 'consent-withdrawn', 'consent-refused', 'case-closed']),
  }),
]);
export type Escalation = z.infer<typeof EscalationSchema>;

/** A report to child welfare (bekymringsmelding), or the acute path (police / barnevernvakt). */
export const ReportSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('child-welfare'),
    id: RecordIdSchema,
    reportedOn: IsoDateSchema,
    reportedBy: PersonRefSchema,
    leaderInvolved: z.boolean(),
    recordedAt: IsoDateTimeSchema,
  }),
  z.object({
    kind: z.literal('acute'),
    id: RecordIdSchema,
    contacted: z.array(z.enum(['police', 'child-welfare-emergency-service'])),
    reportedBy: PersonRefSchema,
    recordedAt: IsoDateTimeSchema,
  }),
]);
export type Report = z.infer<typeof ReportSchema>;

/**
 * A case brought to an interdisciplinary team: anonymously (code and a question from the fixed,
 * neutral list) or by name. `note` is the owner's own free text about it: it stays with the case
 * and is never posted to a channel.
 */
export const TeamItemSchema = z.object({
  id: RecordIdSchema,
  teamId: SlugSchema,
  /**
   * The meeting whose agenda holds the item (the team's agenda item is the source of truth; this is
   * the case's reference to it, one per team and meeting). Null on records from before meetings were
   * named here.
   */
  meetingId: MeetingIdSchema.nullable().default(null),
  mode: z.enum(['anonymous', 'named']),
  questionId: TeamQuestionIdSchema,
  note: boundedText(300).nullable(),
  meetingOn: IsoDateSchema.nullable(),
  consentIds: z.array(RecordIdSchema),
  requestedAt: IsoDateTimeSchema,
  requestedBy: PersonIdSchema,
  /** Taken off the meeting's agenda by the owner (the agenda item went with it). */
  withdrawnAt: IsoDateTimeSchema.nullable().default(null),
});
export type TeamItem = z.infer<typeof TeamItemSchema>;

export const PendingHandoverSchema = z.object({
  to: PersonRefSchema,
  offeredBy: PersonRefSchema,
  offeredAt: IsoDateTimeSchema,
  /** When the new holder belongs to another unit, with another nearest leader. */
  unitId: SlugSchema.nullable(),
  nearestLeader: PersonRefSchema.nullable(),
});

/** Where the case stands on the ladder. */
export const CurrentStepSchema = z.object({
  stepId: StepIdSchema,
  enteredAt: IsoDateTimeSchema,
  /** The day the current period started (entry, or the last "better" evaluation); the maximum period counts from here. */
  periodStartedOn: IsoDateSchema,
  services: z.array(SlugSchema),
  teams: z.array(SlugSchema),
  coordinator: PersonRefSchema.nullable(),
  /** The consents that covered the step when it was entered. */
  consentIds: z.array(RecordIdSchema),
});
