import { z } from 'zod';
import { StepIdSchema } from './ladder';
import { IsoDateTimeSchema, PersonIdSchema, RecordIdSchema, SlugSchema } from './primitives';

/**
 * The case's history: who did what, when. Events carry ids, steps and outcomes — never free
 * text, aliases or answers — so that the history can be shown, counted and audited without
 * exposing anything about the child.
 */

const base = { seq: z.number().int().min(1), at: IsoDateTimeSchema, actorId: PersonIdSchema };
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) => z.object({ ...base, type: z.literal(type), ...shape });

export const STEP_ENTRY_PATHS = ['start', 'direct', 'approval', 'evaluation', 'consent-refusal'] as const;

export const CaseEventSchema = z.discriminatedUnion('type', [
  event('case-created', { unitId: SlugSchema, ladderId: SlugSchema }),
  event('safety-answered', { dangerNow: z.boolean(), suspectedViolenceOrAbuse: z.boolean() }),
  event('alias-set', { hasAlias: z.boolean() }),
  event('zone-placed', { zoneId: SlugSchema }),
  event('worry-form-recorded', { part: z.enum(['A', 'B', 'C']) }),
  event('step-entered', {
    stepId: StepIdSchema,
    fromStepId: StepIdSchema.nullable(),
    via: z.enum(STEP_ENTRY_PATHS),
    consentIds: z.array(RecordIdSchema),
    escalationId: RecordIdSchema.nullable(),
  }),
  /** `changeId`: the date change (with its reason) when an existing date was moved. */
  event('next-date-set', { kind: z.enum(['evaluation', 'check-in']), changeId: RecordIdSchema.optional() }),
  event('goal-added', { goalId: RecordIdSchema }),
  event('action-added', { actionId: RecordIdSchema }),
  event('action-completed', { actionId: RecordIdSchema }),
  event('action-updated', { actionId: RecordIdSchema }),
  event('meeting-recorded', { meetingId: RecordIdSchema, meetingKind: SlugSchema, stepId: StepIdSchema.nullable() }),
  event('meeting-signed', { meetingId: RecordIdSchema }),
  event('note-added', { noteId: RecordIdSchema, noteKind: z.string() }),
  event('child-voice-recorded', { entryId: RecordIdSchema }),
  event('evaluation-recorded', {
    evaluationId: RecordIdSchema,
    stepId: StepIdSchema,
    outcome: z.enum(['a', 'b']),
    leadsTo: StepIdSchema.nullable(),
  }),
  event('escalation-requested', { escalationId: RecordIdSchema, toStepId: StepIdSchema }),
  event('escalation-decided', { escalationId: RecordIdSchema, decision: z.enum(['approved', 'rejected']) }),
  event('escalation-cancelled', { escalationId: RecordIdSchema, cause: z.string() }),
  event('consent-recorded', { consentId: RecordIdSchema }),
  event('consent-refused', { consentId: RecordIdSchema }),
  event('consent-withdrawn', { consentId: RecordIdSchema }),
  event('reported-to-child-welfare', { reportId: RecordIdSchema, leaderInvolved: z.boolean() }),
  event('acute-danger-marked', { reportId: RecordIdSchema }),
  /** `byLeader`: the nearest leader made the offer (reassign-owner), not the owner. */
  event('handover-offered', { toPersonId: PersonIdSchema, byLeader: z.boolean().optional() }),
  event('handover-accepted', { fromPersonId: PersonIdSchema, toPersonId: PersonIdSchema }),
  event('handover-declined', { toPersonId: PersonIdSchema }),
  event('handover-withdrawn', { toPersonId: PersonIdSchema }),
  /** Written by versions before the leader's reassignment became an offer; kept so their cases still parse. */
  event('owner-reassigned', { fromPersonId: PersonIdSchema, toPersonId: PersonIdSchema }),
  /** `byDirectory`: the unit's leaders changed in the directory (no person chose it). */
  event('leader-changed', { fromPersonId: PersonIdSchema, toPersonId: PersonIdSchema, byDirectory: z.boolean().optional() }),
  /** The owner left the case's unit or their account was disabled (the directory): the leader is offered the baton. */
  event('owner-departed', { personId: PersonIdSchema, reason: z.enum(['left-unit', 'account-disabled']) }),
  event('brought-to-team', { itemId: RecordIdSchema, teamId: SlugSchema, mode: z.enum(['anonymous', 'named']) }),
  /** The same case brought to the same meeting again with other answers: the one reference changed (not brought twice). */
  event('team-item-changed', { itemId: RecordIdSchema, teamId: SlugSchema, mode: z.enum(['anonymous', 'named']) }),
  event('withdrawn-from-team', { itemId: RecordIdSchema, teamId: SlugSchema }),
  event('case-closed', { reason: z.string() }),
  event('case-reopened', {}),
]);
export type CaseEvent = z.infer<typeof CaseEventSchema>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** An event as a handler describes it; `decide` stamps the sequence number, the time and the actor. */
export type EventDraft = DistributiveOmit<CaseEvent, 'seq' | 'at' | 'actorId'>;
