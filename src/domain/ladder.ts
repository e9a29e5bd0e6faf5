import { z } from 'zod';
import { LocalizedListSchema, LocalizedTextSchema, SlugSchema } from './primitives';
import { DEFAULT_ZONE_SET, ZoneSetSchema } from './zones';
import aurskogHoland from './ladders/aurskog-holand.json';
import asnesSamhandlingstrappa from './ladders/asnes-samhandlingstrappa.json';
import bti from './ladders/bti.json';

/**
 * A ladder definition is municipal configuration: the steps a case moves along, what each step
 * requires before it can start, who must be told, how long its period may run, and where each
 * outcome leads. Adding a municipality's ladder is a JSON file, not code.
 *
 * Model:
 * - A **stage** groups steps (Aurskog-Høland stage 2 = 2a and 2b).
 * - A **step** is a place a case can stand on. Steps that the method always does together
 *   (Aurskog-Høland 1a + 1b) are one step with **parts**, so a case is on exactly one step.
 * - Each step's **outcomes** say where the case goes: `a` (better, or the parents consent) and
 *   `b` (not better, or the parents refuse). `basis` says which question the outcome answers.
 *   An `a` outcome moves the case at once (into monitoring); a `b` outcome proposes the next
 *   step, which the owner then enters, or asks the leader to approve.
 * - **requires** lists what must hold before a step can start; a step that **sharesWithServices**
 *   must also require `consent` (the rule: sharing identifying information needs consent).
 */

export const StepIdSchema = z.string().regex(/^[0-9a-z][0-9a-z-]{0,15}$/, 'expected a short step id such as 2b');

/** What a step requires before it can start. */
const RequirementSchema = z.discriminatedUnion('kind', [
  /** Part A of the worry form is recorded (the worry is put into words). */
  z.object({ kind: z.literal('worry-form-part-a') }),
  /** At least one measurable goal with a date. */
  z.object({ kind: z.literal('goals') }),
  /** A note of the conversation with the parents, with date and the owner's signature (Aurskog-Høland 1b). */
  z.object({ kind: z.literal('signed-parent-note') }),
  /** The owner confirms that both parents are invited (Aurskog-Høland 2b: no meeting until both can come). */
  z.object({ kind: z.literal('both-parents-invited') }),
  /** The owner confirms that the parents take part in the cooperation meeting (Aurskog-Høland 3b). */
  z.object({ kind: z.literal('parents-participate') }),
  /** A coordinator is named (BTI level 3, individual plan). */
  z.object({ kind: z.literal('coordinator-named') }),
  /**
   * A valid consent covers every service (and team) the step shares with. `signed`: the consent
   * must also have a signed form on record (Laget records that it exists and where it is
   * archived, never the scan) — Aurskog-Høland 3b's common consent form, BTI's written consent.
   */
  z.object({ kind: z.literal('consent'), signed: z.boolean().optional() }),
  /** The designated nearest leader approves the escalation. */
  z.object({ kind: z.literal('leader-approval') }),
]);
type Requirement = z.infer<typeof RequirementSchema>;
export type RequirementKind = Requirement['kind'];

const PeriodSchema = z.object({
  /** Evaluation (or check-in) date proposed when the owner names none. */
  defaultDays: z.number().int().min(1).max(366),
  /** A date further out than this from the start of the period is refused (`evaluation-too-late`). */
  maxDays: z.number().int().min(1).max(366),
});
export type Period = z.infer<typeof PeriodSchema>;

/** The question a step's evaluation asks and its two answers, in the ladder's own words (the evaluation card asks exactly this). */
const OutcomeLabelsSchema = z.object({ question: LocalizedTextSchema, a: LocalizedTextSchema, b: LocalizedTextSchema });

const OutcomesSchema = z.object({
  /** `evaluation`: a = the child is better, b = not better. `parents-consent`: a = they consent, b = they refuse. */
  basis: z.enum(['evaluation', 'parents-consent']),
  a: StepIdSchema.nullable(),
  b: StepIdSchema.nullable(),
  /** Without labels the card asks the basis' general question (Laget's catalogue). */
  labels: OutcomeLabelsSchema.optional(),
});
export type Outcome = 'a' | 'b';

/**
 * A kind of meeting the ladder names (the open dialogue, a follow-up conversation, the cooperation
 * meeting …): what its minutes are recorded as, and counted as. `talksToParents`: it is a
 * conversation with the parents, so it is refused while violence or abuse is suspected (rule 2).
 */
const MeetingKindSchema = z.object({
  id: SlugSchema,
  labels: LocalizedTextSchema,
  talksToParents: z.boolean(),
});
export type MeetingKind = z.infer<typeof MeetingKindSchema>;

/**
 * What counts as one piece of a step's work: a record of a kind Laget keeps, with the conditions
 * the method sets. The record kinds are the vocabulary (minutes of a meeting, a goal, an action,
 * the child's voice); a ladder combines them into its own requirements, so a new requirement in a
 * ladder file (a focus meeting signed by the owner, the child heard before the evaluation) needs
 * no code.
 */
const WorkRecordSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('meeting'),
      /** The meeting kind (the ladder's `meetings`). */
      meeting: SlugSchema,
      /** Which of the parents must have taken part: both (2b's open dialogue) or at least one. */
      parents: z.enum(['both', 'any']).optional(),
      /** At least this many services present (covered by consent when recorded). */
      minServices: z.number().int().min(1).optional(),
      /** Who must have signed the minutes: the owner (name and time in Laget), the parents (on paper, archived). */
      signedBy: z.array(z.enum(['owner', 'parents'])).default([]),
    })
    .strict(),
  /** A measurable goal with a date, set on this step. */
  z.object({ kind: z.literal('goal') }).strict(),
  /** An action with who does it and by when, agreed on this step. */
  z.object({ kind: z.literal('action') }).strict(),
  /** What the child said or wants, heard and recorded on this step (rule 6). */
  z.object({ kind: z.literal('child-voice') }).strict(),
]);
export type WorkRecord = z.infer<typeof WorkRecordSchema>;

const WorkItemSchema = z.object({
  id: SlugSchema,
  /** What the work list shows ("Undringssamtale med begge foreldrene, med referat"). */
  labels: LocalizedTextSchema,
  record: WorkRecordSchema,
  /** How many such records the step asks for (one or more follow-up conversations: 1). */
  min: z.number().int().min(1).max(10).default(1),
  /** The step is not evaluated before this is done (2b: the open dialogue's written record). */
  beforeEvaluation: z.boolean().default(false),
});
export type WorkItem = z.infer<typeof WorkItemSchema>;

const StepPartSchema = z.object({
  id: StepIdSchema,
  labels: LocalizedTextSchema,
  description: LocalizedListSchema,
  talksToParents: z.boolean(),
});

const StepSchema = z.object({
  id: StepIdSchema,
  stage: SlugSchema,
  labels: LocalizedTextSchema,
  /** What the step is about and asks for, as short points. */
  description: LocalizedListSchema,
  /** `work`: an evaluation date; `monitoring`: keep contact, with a check-in date. */
  kind: z.enum(['work', 'monitoring']),
  parts: z.array(StepPartSchema).default([]),
  /** The step involves a conversation with the parents (refused when violence or abuse is suspected). */
  talksToParents: z.boolean(),
  /** The step shares identifying information with other services; at least this many must be named. */
  sharesWithServices: z.object({ minServices: z.number().int().min(1) }).nullable(),
  requires: z.array(RequirementSchema),
  /** What the step asks to be done while the case is on it: the work list on the case card. */
  work: z.array(WorkItemSchema).default([]),
  /** Entering this step informs the nearest leader, who is then kept informed of every later step change. */
  informLeader: z.boolean(),
  /** How the method names the owner on this step (BTI and Åsnes: stafettholder). Display only. */
  ownerRole: z.enum(['case-owner', 'stafettholder']),
  period: PeriodSchema.nullable(),
  /** null: the ladder ends here (the owner reports or closes). */
  outcomes: OutcomesSchema.nullable(),
});
export type Step = z.infer<typeof StepSchema>;

const StageSchema = z.object({ id: SlugSchema, labels: LocalizedTextSchema });

const ServiceSchema = z.object({ id: SlugSchema, labels: LocalizedTextSchema });

const LadderObjectSchema = z.object({
  id: SlugSchema,
  version: z.number().int().min(1),
  labels: LocalizedTextSchema,
  description: LocalizedListSchema,
  /** Where the definition comes from (the municipal document), and what had to be interpreted. */
  source: z.string().min(1),
  startStep: StepIdSchema,
  stages: z.array(StageSchema).min(1),
  steps: z.array(StepSchema).min(1),
  /** The services a consent can name and a step can share with. */
  services: z.array(ServiceSchema).min(1),
  /** The meetings the ladder names; their minutes are the records its work lists ask for. */
  meetings: z.array(MeetingKindSchema).default([]),
  zones: ZoneSetSchema.default(DEFAULT_ZONE_SET),
});

export const LadderDefinitionSchema = LadderObjectSchema.superRefine((ladder, ctx) => {
  for (const issue of ladderIssues(ladder)) ctx.addIssue({ code: 'custom', ...issue });
});
type LadderDefinition = z.infer<typeof LadderDefinitionSchema>;
/** A validated ladder definition, as the domain uses it. */
export type Ladder = LadderDefinition;

type Issue = { path: (string | number)[]; message: string };

/** Requirements that depend on the case's state, not on a person: an "a" outcome can enter a step that has them. */
const STATE_REQUIREMENTS: readonly RequirementKind[] = ['consent', 'goals', 'worry-form-part-a'];

/** Everything wrong with a definition whose fields each parsed: dangling references, unreachable steps, unsafe transitions. */
function ladderIssues(ladder: z.infer<typeof LadderObjectSchema>): Issue[] {
  const issues: Issue[] = [];
  const stepIds = new Set(ladder.steps.map((step) => step.id));
  const stageIds = new Set(ladder.stages.map((stage) => stage.id));
  const duplicate = (ids: string[]) => ids.find((id, index) => ids.indexOf(id) !== index);

  const dupStep = duplicate(ladder.steps.map((s) => s.id));
  if (dupStep) issues.push({ path: ['steps'], message: `step id ${dupStep} is used twice` });
  const dupStage = duplicate(ladder.stages.map((s) => s.id));
  if (dupStage) issues.push({ path: ['stages'], message: `stage id ${dupStage} is used twice` });
  const dupService = duplicate(ladder.services.map((s) => s.id));
  if (dupService) issues.push({ path: ['services'], message: `service id ${dupService} is used twice` });
  const dupMeeting = duplicate(ladder.meetings.map((m) => m.id));
  if (dupMeeting) issues.push({ path: ['meetings'], message: `meeting kind ${dupMeeting} is used twice` });
  const meetingIds = new Set(ladder.meetings.map((m) => m.id));
  if (!stepIds.has(ladder.startStep))
    issues.push({ path: ['startStep'], message: `start step ${ladder.startStep} is not a step of the ladder` });

  ladder.steps.forEach((step, index) => {
    const at = (field: string): (string | number)[] => ['steps', index, field];
    const kinds = step.requires.map((r) => r.kind);
    if (!stageIds.has(step.stage)) issues.push({ path: at('stage'), message: `step ${step.id} names unknown stage ${step.stage}` });
    const dupPart = duplicate(step.parts.map((p) => p.id));
    if (dupPart) issues.push({ path: at('parts'), message: `step ${step.id} has part ${dupPart} twice` });
    if (step.parts.some((p) => p.talksToParents) && !step.talksToParents) {
      issues.push({ path: at('talksToParents'), message: `step ${step.id} has a part that talks to the parents, so the step does` });
    }
    if (kinds.includes('signed-parent-note') && !step.talksToParents) {
      issues.push({ path: at('requires'), message: `step ${step.id} requires a parent note but does not talk to the parents` });
    }
    if ((step.sharesWithServices !== null) !== kinds.includes('consent')) {
      issues.push({
        path: at('requires'),
        message: `step ${step.id}: a step that shares with services must require consent, and only such a step`,
      });
    }
    const dupWork = duplicate(step.work.map((w) => w.id));
    if (dupWork) issues.push({ path: at('work'), message: `step ${step.id} has work item ${dupWork} twice` });
    step.work.forEach((item, w) => {
      if (item.record.kind === 'meeting' && !meetingIds.has(item.record.meeting)) {
        issues.push({
          path: ['steps', index, 'work', w],
          message: `step ${step.id} work ${item.id} names unknown meeting ${item.record.meeting}`,
        });
      }
      if (item.beforeEvaluation && step.outcomes === null) {
        issues.push({
          path: ['steps', index, 'work', w],
          message: `step ${step.id} has no evaluation, so work ${item.id} cannot come before it`,
        });
      }
    });
    if (step.outcomes !== null && step.period === null) {
      issues.push({ path: at('period'), message: `step ${step.id} has outcomes, so it needs an evaluation period` });
    }
    if (step.period !== null && step.period.defaultDays > step.period.maxDays) {
      issues.push({ path: at('period'), message: `step ${step.id}: the default period is longer than the maximum` });
    }
    if (step.outcomes !== null) {
      for (const outcome of ['a', 'b'] as const) {
        const target = step.outcomes[outcome];
        if (target !== null && !stepIds.has(target)) {
          issues.push({
            path: ['steps', index, 'outcomes', outcome],
            message: `step ${step.id} outcome ${outcome} leads to unknown step ${target}`,
          });
        }
      }
      if (step.outcomes.basis === 'evaluation' && step.outcomes.a === null) {
        issues.push({
          path: ['steps', index, 'outcomes', 'a'],
          message: `step ${step.id}: "better" must lead somewhere (at least back to the step itself)`,
        });
      }
      if (step.outcomes.basis === 'parents-consent' && step.sharesWithServices === null) {
        issues.push({
          path: ['steps', index, 'outcomes'],
          message: `step ${step.id} asks for the parents' consent but shares with no service`,
        });
      }
    }
  });

  // An "a" outcome moves the case at once, so its target cannot wait for a person (staying on the step is no move).
  for (const step of ladder.steps) {
    const target = step.outcomes?.a;
    const targetStep = target === step.id ? undefined : ladder.steps.find((s) => s.id === target);
    if (!targetStep) continue;
    const blocking = targetStep.requires.map((r) => r.kind).filter((kind) => !STATE_REQUIREMENTS.includes(kind));
    if (blocking.length > 0) {
      issues.push({
        path: ['steps'],
        message: `outcome a of ${step.id} enters ${targetStep.id} at once, which cannot require ${blocking.join(', ')}`,
      });
    }
  }
  const start = ladder.steps.find((s) => s.id === ladder.startStep);
  if (start?.requires.some((r) => r.kind === 'leader-approval')) {
    issues.push({ path: ['startStep'], message: 'the start step cannot require leader approval' });
  }

  // Every step must be reachable from the start step.
  const reached = new Set<string>([ladder.startStep]);
  const queue = [ladder.startStep];
  while (queue.length > 0) {
    const id = queue.shift();
    const step = ladder.steps.find((s) => s.id === id);
    for (const next of [step?.outcomes?.a, step?.outcomes?.b]) {
      if (next && stepIds.has(next) && !reached.has(next)) {
        reached.add(next);
        queue.push(next);
      }
    }
  }
  for (const step of ladder.steps) {
    if (!reached.has(step.id)) issues.push({ path: ['steps'], message: `step ${step.id} cannot be reached from the start step` });
  }
  return issues;
}

/** A definition supplied by a municipality: parsed, or the readable list of what is wrong. */
export function parseLadderDefinition(input: unknown): { ok: true; ladder: Ladder } | { ok: false; problems: string[] } {
  const parsed = LadderDefinitionSchema.safeParse(input);
  if (parsed.success) return { ok: true, ladder: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'ladder'}: ${issue.message}`) };
}

/** The ladder a municipality gets when its configuration names none. */
export const DEFAULT_LADDER_ID = 'aurskog-holand';

const BUNDLED: Record<string, unknown> = {
  'aurskog-holand': aurskogHoland,
  bti,
  'asnes-samhandlingstrappa': asnesSamhandlingstrappa,
};

function parseBundled(): ReadonlyMap<string, Ladder> {
  const ladders = new Map<string, Ladder>();
  for (const [id, json] of Object.entries(BUNDLED)) {
    const result = parseLadderDefinition(json);
    if (!result.ok) throw new Error(`bundled ladder ${id} is invalid:\n${result.problems.join('\n')}`);
    if (result.ladder.id !== id) throw new Error(`bundled ladder file for ${id} declares id ${result.ladder.id}`);
    ladders.set(id, result.ladder);
  }
  return ladders;
}

/** The ladders shipped with Laget, validated once when the module loads. */
export const BUNDLED_LADDERS: ReadonlyMap<string, Ladder> = parseBundled();

export class UnknownLadderError extends Error {
  constructor(readonly ladderId: string) {
    super(`no ladder named ${ladderId}; known: ${[...BUNDLED_LADDERS.keys()].join(', ')}`);
    this.name = 'UnknownLadderError';
  }
}

/** A bundled ladder by id (the default when none is named); throws UnknownLadderError for a misconfiguration. */
export function loadLadder(id: string = DEFAULT_LADDER_ID): Ladder {
  const ladder = BUNDLED_LADDERS.get(id);
  if (!ladder) throw new UnknownLadderError(id);
  return ladder;
}

/**
 * The ladder a case is on. A case keeps the ladder it was opened on for life (`ladderId`), so a
 * municipality that changes its configured ladder keeps working its older cases by their own
 * ladder; only new cases get the configured one. `fallback` is used when Laget no longer bundles
 * the case's ladder: `decide` then refuses ladder work (`ladder-mismatch`) but never a report.
 */
export function ladderOfCase(c: { ladderId: string }, fallback: Ladder): Ladder {
  return BUNDLED_LADDERS.get(c.ladderId) ?? fallback;
}
