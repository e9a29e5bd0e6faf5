import { z } from 'zod';
import { CaseCodeSchema } from './case-code';
import { ConsentGiverSchema } from './consent';
import { StepIdSchema } from './ladder';
import { MeetingIdSchema } from './meeting-series';
import { boundedText, IsoDateSchema, IsoDateTimeSchema, PersonRefSchema, RecordIdSchema, SlugSchema } from './primitives';
import { CloseReasonSchema } from './case';
import {
  ActionAssigneeSchema,
  ActionInputSchema,
  AttestationsSchema,
  GoalInputSchema,
  ParentsPresentSchema,
  SafetyAnswersSchema,
} from './records';
import { TeamQuestionIdSchema } from './team-questions';
import { WorryFormPartASchema, WorryFormPartBSchema, WorryFormPartCSchema } from './worry-form';

/**
 * Everything a person can ask the domain to do to a case. The edges parse card submits into
 * these with `CommandSchema`; `decide` assumes a parsed command and checks everything that
 * depends on the case, the ladder, the actor and the time.
 *
 * Text fields are bounded here but not checked for national identity numbers: `decide` does that
 * for every text field and answers `national-id-not-allowed`, so the person gets the reason.
 */

const command = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ type: z.literal(type), ...shape });

/** What entering a step (directly or through the leader) needs: services/teams it shares with, date, confirmations. */
const stepEntry = {
  stepId: StepIdSchema,
  services: z.array(SlugSchema).max(12).optional(),
  teams: z.array(SlugSchema).max(6).optional(),
  evaluationOn: IsoDateSchema.optional(),
  attestations: AttestationsSchema.optional(),
  coordinator: PersonRefSchema.optional(),
};

const CommandSchema = z.discriminatedUnion('type', [
  // the URO flow
  command('create-case', {
    /** A fresh code from `generateCaseCode`; the store refuses a duplicate and the edge draws again. */
    caseId: CaseCodeSchema,
    unitId: SlugSchema,
    nearestLeader: PersonRefSchema,
    alias: boundedText(40).nullable().optional(),
    safety: SafetyAnswersSchema,
  }),
  command('record-safety-answers', { safety: SafetyAnswersSchema }),
  command('set-alias', { alias: boundedText(40).nullable() }),
  command('place-in-zone', { zoneId: SlugSchema }),
  command('record-part-a', { answers: WorryFormPartASchema }),
  command('record-part-b', { answers: WorryFormPartBSchema }),
  command('record-part-c', { answers: WorryFormPartCSchema }),
  // the ladder
  command('start-ladder', {
    goals: z.array(GoalInputSchema).max(10),
    actions: z.array(ActionInputSchema).max(20),
    evaluationOn: IsoDateSchema.optional(),
    /** Aurskog-Høland 1b: the note of the conversation with the parents; the domain signs it for the owner. */
    parentNote: z.object({ heldOn: IsoDateSchema, text: boundedText() }).optional(),
  }),
  command('record-evaluation', {
    outcome: z.enum(['a', 'b']),
    comment: boundedText().optional(),
    /** For "a": the check-in date (default: the step's default period). */
    nextOn: IsoDateSchema.optional(),
    /** On a step that asks the parents (3b), their "no" is outcome b: who gave it (only what the owner says is recorded). */
    refusedBy: z.array(ConsentGiverSchema).min(1).optional(),
    /** Evaluating on the day the step started: the owner says why. */
    sameDayReason: boundedText(300).optional(),
  }),
  /** A new evaluation or check-in date, within the step's maximum period; the reason is kept in the history. */
  command('reschedule', { on: IsoDateSchema, reason: boundedText(300).optional() }),
  command('enter-step', stepEntry),
  command('request-escalation', { ...stepEntry, justification: boundedText(500).optional() }),
  command('decide-escalation', {
    escalationId: RecordIdSchema,
    decision: z.enum(['approve', 'reject']),
    /** Required when rejecting; an optional comment when approving. */
    reason: z.string().max(500).optional(),
  }),
  command('withdraw-escalation', { escalationId: RecordIdSchema }),
  // the work on the case
  command('add-goal', { goal: GoalInputSchema }),
  command('add-action', { action: ActionInputSchema }),
  /** An action done: on this day (default today). */
  command('complete-action', { actionId: RecordIdSchema, doneOn: IsoDateSchema.optional() }),
  /** Another owner or deadline for an open action. */
  command('update-action', { actionId: RecordIdSchema, who: ActionAssigneeSchema.optional(), dueOn: IsoDateSchema.optional() }),
  /**
   * The minutes of a meeting the ladder names. Agreed actions become actions of the case; a next
   * evaluation date moves the step's evaluation (within its maximum period).
   */
  command('record-meeting', {
    meeting: SlugSchema,
    heldOn: IsoDateSchema,
    parents: ParentsPresentSchema,
    services: z.array(SlugSchema).max(12).optional(),
    leaderPresent: z.boolean().optional(),
    childPresent: z.boolean().optional(),
    conclusions: boundedText(),
    actions: z.array(ActionInputSchema).max(5).optional(),
    nextEvaluationOn: IsoDateSchema.optional(),
    signByOwner: z.boolean(),
    /** The parents signed the minutes on paper on this day … */
    parentsSignedOn: IsoDateSchema.optional(),
    /** … and the signed minutes are archived here (required with the parents' signature: Laget keeps no scan). */
    archivedAt: boundedText(200).optional(),
    archivedOn: IsoDateSchema.optional(),
  }),
  /** Signatures added to minutes after the meeting (the parents signed later; the owner signs now). */
  command('sign-meeting', {
    meetingId: RecordIdSchema,
    signByOwner: z.boolean(),
    parentsSignedOn: IsoDateSchema.optional(),
    archivedAt: boundedText(200).optional(),
    archivedOn: IsoDateSchema.optional(),
  }),
  /** A note: the 1b start of the cooperation, a conversation, an observation. Meetings the ladder names are `record-meeting`. */
  command('add-note', {
    kind: z.enum(['cooperation-start', 'parent-conversation', 'observation', 'internal']),
    text: boundedText(),
    heldOn: IsoDateSchema,
    /** Services present (a cooperation meeting): must be covered by consent. */
    services: z.array(SlugSchema).max(12).optional(),
    parentsPresent: z.boolean().optional(),
    /** The owner signs with name and time. */
    signByOwner: z.boolean(),
    /** The parents signed the minutes on paper, on this day. */
    parentsSignedOn: IsoDateSchema.optional(),
  }),
  command('record-child-voice', {
    text: boundedText(),
    heardOn: IsoDateSchema,
    how: z.enum(['said', 'conversation', 'drawing-or-play', 'other']),
  }),
  // consent
  command('record-consent', {
    givenBy: z.array(ConsentGiverSchema).min(1),
    services: z.array(SlugSchema).max(12),
    teams: z.array(SlugSchema).max(6),
    purpose: boundedText(500),
    givenOn: IsoDateSchema,
    validUntil: IsoDateSchema,
    signedFormArchivedAt: boundedText(200).optional(),
    /** The child has reached the municipality's consent age (15 or 16): their own consent is then required too. */
    childHasConsentAge: z.boolean().optional(),
  }),
  command('record-consent-refusal', {
    refusedBy: z.array(ConsentGiverSchema).min(1),
    services: z.array(SlugSchema).max(12),
    teams: z.array(SlugSchema).max(6),
    refusedOn: IsoDateSchema,
  }),
  command('withdraw-consent', { consentId: RecordIdSchema, by: z.array(ConsentGiverSchema) }),
  // the duty to report: from any state, by the owner, never waiting for anyone
  // `cardDrawnAt`: when the card pressed was drawn. The same card pressed again (a double press, a
  // resent request) finds the report it already made and records nothing twice.
  command('report-to-child-welfare', {
    reportedOn: IsoDateSchema.optional(),
    leaderInvolved: z.boolean(),
    cardDrawnAt: IsoDateTimeSchema.optional(),
  }),
  command('mark-acute-danger', {
    contacted: z.array(z.enum(['police', 'child-welfare-emergency-service'])),
    cardDrawnAt: IsoDateTimeSchema.optional(),
  }),
  // the baton
  command('hand-over', { to: PersonRefSchema, unitId: SlugSchema.optional(), nearestLeader: PersonRefSchema.optional() }),
  command('accept-handover', {}),
  command('decline-handover', {}),
  command('withdraw-handover', {}),
  command('reassign-owner', { to: PersonRefSchema }),
  command('change-nearest-leader', { to: PersonRefSchema }),
  // the directory (src/directory's sync, never a card): the unit's leaders changed, the owner left
  command('directory-change-leader', { to: PersonRefSchema }),
  command('record-owner-departure', { reason: z.enum(['left-unit', 'account-disabled']) }),
  // teams
  command('bring-to-team', {
    teamId: SlugSchema,
    mode: z.enum(['anonymous', 'named']),
    /** What the team is asked, from the fixed neutral list: the only thing about the case a channel sees. */
    questionId: TeamQuestionIdSchema,
    /** The owner's own note; it stays with the case and is never posted to a channel. */
    note: boundedText(300).optional(),
    meetingOn: IsoDateSchema.optional(),
    /** The meeting on the team's agenda: bringing the same case to the same meeting again changes the one reference. */
    meetingId: MeetingIdSchema.optional(),
  }),
  command('withdraw-from-team', { teamId: SlugSchema, meetingId: MeetingIdSchema }),
  command('close-case', { reason: CloseReasonSchema }),
  /** A closed case opened again while it is still kept (within the retention period). */
  command('reopen-case', { evaluationOn: IsoDateSchema.optional() }),
]);
export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command['type'];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

export const COMMAND_TYPES = CommandSchema.options.map<CommandType>((option) => option.shape.type.value);
