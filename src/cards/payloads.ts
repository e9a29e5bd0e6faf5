import { z } from 'zod';
import { IsoDateTimeSchema } from '../domain/primitives';
import { TeamQuestionIdSchema } from '../domain/team-questions';

/**
 * The zod schema of every card submit (Action.Submit data plus input values) and Action.Execute
 * data, by verb. Schemas are strict: an unexpected field is refused, so a forged or stale card
 * cannot smuggle data into a case. Values arrive as Teams sends them: strings, with "" for an
 * input left empty and "true"/"false" for toggles.
 */

/** An input left empty arrives as "" (or not at all): both mean "not given". */
const optionalInput = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema.optional());

const text = (max: number) => z.string().trim().min(1).max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const yesNo = z.enum(['yes', 'no']);
const toggle = z.enum(['true', 'false']);
const caseCode = z.string().regex(/^UR-[0-9A-Z]{4,8}$/);
const unitId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

/** Every card that acts on a case carries where the case is and the ETag the card was drawn from. */
const onCase = { caseId: caseCode, unitId, rev: z.string().min(1).max(200) };
const verb = <V extends string>(name: V) => ({ verb: z.literal(name) });
/** A multi-select arrives as one comma-separated string ("" when nothing is chosen). */
const multi = <T extends z.ZodTypeAny>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(item).max(20));
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);
/** The page of a list a "Vis flere" button asks for (the card's own data: a number). */
const listPage = z.number().int().min(1).max(10_000).optional();
const personId = z.string().min(1).max(128);
const escalationId = z.string().regex(/^[a-z]+-\d+$/);
const meetingId = z.string().regex(/^\d{4}-\d{2}-\d{2}-\d{4}$/);
const giver = z.enum(['mother', 'father', 'parent', 'guardian', 'child']);
const recordId = z.string().regex(/^[a-z]+-\d+$/);
/** Who does an action, as the card offers it: the owner, the parents, the child, a colleague, or a service (service:ppt). */
const who = z.string().regex(/^(me|parents|child|colleague|service:[a-z0-9][a-z0-9-]{0,63})$/);
const stepIdInput = z.string().regex(/^[0-9a-z][0-9a-z-]{0,15}$/);
const stepEntry = {
  ...onCase,
  stepId: stepIdInput,
  services: optionalInput(multi(slug)),
  bothParentsInvited: optionalInput(toggle),
  parentsParticipate: optionalInput(toggle),
  coordinatorId: optionalInput(personId),
  evaluationOn: optionalInput(day),
};

const URO_VIEWS = [
  'next',
  'zone',
  'part-a',
  'part-b',
  'guide',
  'part-c',
  'stage-1',
  'case',
  'evaluation',
  'report',
  'next-step',
  'consent',
  'handover',
  'team',
  // the work on a case (issue 13): the card that records each kind of record, dates, closing
  'meeting',
  'sign-meeting',
  'goal',
  'action',
  'action-done',
  'action-edit',
  'voice',
  'reschedule',
  'close',
  'delete-draft',
] as const;
export type UroView = (typeof URO_VIEWS)[number];

/** Data the card itself carries as a JSON string (what the team agreed), parsed as strictly as any input. */
function jsonText<T extends z.ZodTypeAny>(maxLength: number, schema: T) {
  return z
    .string()
    .max(maxLength)
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

export const Payloads = {
  'welcome.show': z.object(verb('welcome.show')).strict(),
  /** "Avbryt" on a card: with the case it belongs to, or none (the start card, before there is a case). */
  'flow.cancel': z.object({ ...verb('flow.cancel'), caseId: optionalInput(caseCode), unitId: optionalInput(unitId) }).strict(),
  'cases.mine': z.object({ ...verb('cases.mine'), page: listPage }).strict(),
  'cases.closed': z.object({ ...verb('cases.closed'), page: listPage }).strict(),
  'uro.new': z.object(verb('uro.new')).strict(),
  'uro.start': z
    .object({
      ...verb('uro.start'),
      dangerNow: yesNo,
      suspectedViolenceOrAbuse: yesNo,
      unitId: optionalInput(unitId),
      leaderId: optionalInput(z.string().min(1).max(128)),
    })
    .strict(),
  /**
   * Opens a view of a case (navigation: continue, back, a reminder's button). Reads only. `item`
   * says which record the view is about: the meeting kind to record, the minutes to sign, the action.
   */
  'uro.show': z.object({ ...verb('uro.show'), caseId: caseCode, unitId, view: z.enum(URO_VIEWS), item: optionalInput(slug) }).strict(),
  'ladder.request': z.object({ ...verb('ladder.request'), ...stepEntry, justification: optionalInput(text(500)) }).strict(),
  'ladder.enter': z.object({ ...verb('ladder.enter'), ...stepEntry }).strict(),
  /** One form, two buttons: the parents' yes (record) or no (refuse) for the services named. */
  'consent.record': z
    .object({
      ...verb('consent.record'),
      ...onCase,
      givenBy: multi(giver).pipe(z.array(giver).min(1)),
      services: optionalInput(multi(slug)),
      teams: optionalInput(multi(slug)),
      purpose: text(500),
      givenOn: day,
      validUntil: day,
      archivedAt: optionalInput(text(200)),
      /** The owner must say whether the child has reached the consent age: no default answer. */
      childOfAge: yesNo,
    })
    .strict(),
  'consent.refuse': z
    .object({
      ...verb('consent.refuse'),
      ...onCase,
      givenBy: multi(giver).pipe(z.array(giver).min(1)),
      services: optionalInput(multi(slug)),
      teams: optionalInput(multi(slug)),
      purpose: optionalInput(text(500)),
      givenOn: day,
      validUntil: optionalInput(day),
      archivedAt: optionalInput(text(200)),
      /** The same form's answer about the child; a refusal is recorded whatever it says. */
      childOfAge: optionalInput(yesNo),
    })
    .strict(),
  'consent.withdraw-form': z.object({ ...verb('consent.withdraw-form'), caseId: caseCode, unitId, consentId: escalationId }).strict(),
  'consent.withdraw': z
    .object({ ...verb('consent.withdraw'), ...onCase, consentId: escalationId, by: multi(giver).pipe(z.array(giver).min(1)) })
    .strict(),
  'baton.offer': z.object({ ...verb('baton.offer'), ...onCase, to: personId }).strict(),
  'baton.reassign': z.object({ ...verb('baton.reassign'), ...onCase, to: personId }).strict(),
  'baton.withdraw': z.object({ ...verb('baton.withdraw'), ...onCase }).strict(),
  'baton.accept': z.object({ ...verb('baton.accept'), caseId: caseCode, unitId }).strict(),
  'baton.decline': z.object({ ...verb('baton.decline'), caseId: caseCode, unitId }).strict(),
  'baton.view': z.object({ ...verb('baton.view'), caseId: caseCode, unitId }).strict(),
  /** Without `scheduleKind`: the first set-up card (the kind of rhythm); with it: the second (that rhythm's fields). */
  'team.setup-form': z
    .object({ ...verb('team.setup-form'), teamId: slug, scheduleKind: optionalInput(z.enum(['cadence', 'monthly', 'dates'])) })
    .strict(),
  'team.setup-cancel': z.object({ ...verb('team.setup-cancel'), teamId: slug }).strict(),
  'team.setup': z
    .object({
      ...verb('team.setup'),
      teamId: slug,
      name: text(120),
      kind: z.enum(['interdisciplinary', 'forum']),
      unitId: z.union([slug, z.literal('none')]),
      scheduleKind: z.enum(['cadence', 'monthly', 'dates']),
      everyWeeks: optionalInput(z.coerce.number().int().min(1).max(52)),
      week: optionalInput(z.enum(['1', '2', '3', '4', '-1']).transform((value) => Number(value) as 1 | 2 | 3 | 4 | -1)),
      weekday: optionalInput(z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])),
      start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
      end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
      from: optionalInput(day),
      until: optionalInput(day),
      dates: optionalInput(multi(day).pipe(z.array(day).min(1).max(100))),
      leadId: optionalInput(personId),
      roles: optionalInput(multi(z.string().max(40))),
      callDays: optionalInput(z.coerce.number().int().min(1).max(30)),
      ownerDays: optionalInput(z.coerce.number().int().min(1).max(30)),
      agendaDays: optionalInput(z.coerce.number().int().min(1).max(14)),
    })
    .strict(),
  'team.topic-form': z.object({ ...verb('team.topic-form'), teamId: slug }).strict(),
  'team.topic': z.object({ ...verb('team.topic'), teamId: slug, meetingId, topic: text(300) }).strict(),
  'team.bring': z
    .object({
      ...verb('team.bring'),
      ...onCase,
      meeting: z.string().regex(/^[a-z0-9-]+\|\d{4}-\d{2}-\d{2}-\d{4}$/),
      mode: z.enum(['anonymous', 'named']),
      questionId: TeamQuestionIdSchema,
      note: optionalInput(text(300)),
    })
    .strict(),
  'team.remove-topic': z
    .object({ ...verb('team.remove-topic'), teamId: slug, meetingId, itemId: z.string().regex(/^topic-[a-z0-9]{1,40}$/) })
    .strict(),
  /** "Skriv referat" on a minutes post made before the button became an Action.Execute. */
  'team.minutes-form': z.object({ ...verb('team.minutes-form'), teamId: slug, meetingId }).strict(),
  'team.withdraw': z.object({ ...verb('team.withdraw'), caseId: caseCode, unitId, teamId: slug, meetingId }).strict(),
  'team.close-meeting': z.object({ ...verb('team.close-meeting'), teamId: slug, meetingId }).strict(),
  /**
   * One block of fields per agenda item (item1Known … item20Next, up to three measures each);
   * nothing else is accepted. `item1Measure` without a number is a form sent before there were three.
   */
  'team.minutes': z
    .object({
      ...verb('team.minutes'),
      teamId: slug,
      meetingId,
      items: z.string().max(1000),
      present: optionalInput(multi(z.string().max(40))),
    })
    .catchall(z.string().max(2000))
    .superRefine((value, ctx) => {
      const fixed = new Set(['verb', 'teamId', 'meetingId', 'items', 'present']);
      for (const key of Object.keys(value)) {
        if (!fixed.has(key) && !/^item([1-9]|1\d|20)(Known|Options|Goal|GoalOn|Next|(Measure|Who|Due)[1-3]?)$/.test(key)) {
          ctx.addIssue({ code: z.ZodIssueCode.unrecognized_keys, keys: [key], path: [] });
        }
      }
    }),
  'team.add-measures': z
    .object({
      ...verb('team.add-measures'),
      caseId: caseCode,
      unitId,
      measures: jsonText(4000, z.array(z.object({ what: text(300), who: text(100), dueOn: day }).strict()).max(20)),
      goal: optionalInput(jsonText(1000, z.object({ text: text(300), targetOn: day }).strict())),
    })
    .strict()
    .refine((value) => value.measures.length > 0 || value.goal !== undefined, { message: 'nothing to add', path: ['measures'] }),
  'case.export': z.object({ ...verb('case.export'), caseId: caseCode, unitId }).strict(),
  'leader.approvals': z.object({ ...verb('leader.approvals'), page: listPage }).strict(),
  'leader.units': z.object({ ...verb('leader.units'), page: listPage }).strict(),
  /** The report for a tertial (default: the one now) or a run of months. */
  'report.show': z
    .object({
      ...verb('report.show'),
      tertial: z
        .string()
        .regex(/^\d{4}-T[1-3]$/)
        .optional(),
      from: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .optional(),
      to: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .optional(),
    })
    .strict(),
  'report.xlsx': z
    .object({
      ...verb('report.xlsx'),
      tertial: z
        .string()
        .regex(/^\d{4}-T[1-3]$/)
        .optional(),
      from: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .optional(),
      to: z
        .string()
        .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
        .optional(),
    })
    .strict(),
  'leader.open': z.object({ ...verb('leader.open'), caseId: caseCode, unitId, escalationId }).strict(),
  'leader.case': z.object({ ...verb('leader.case'), caseId: caseCode, unitId }).strict(),
  'leader.reassign-form': z.object({ ...verb('leader.reassign-form'), caseId: caseCode, unitId }).strict(),
  'uro.report': z
    .object({
      ...verb('uro.report'),
      ...onCase,
      /** A multi-select arrives as one comma-separated string. */
      done: z
        .string()
        .transform((value) => value.split(',').filter((part) => part !== ''))
        .pipe(z.array(z.enum(['reported', 'police', 'emergency'])).min(1)),
      leaderInvolved: optionalInput(toggle),
      /** When the card was drawn: the same card pressed twice records one report. */
      drawnAt: optionalInput(IsoDateTimeSchema),
    })
    .strict(),
  'uro.zone': z.object({ ...verb('uro.zone'), ...onCase, zoneId: z.string().min(1).max(64) }).strict(),
  /** Deletes an abandoned draft (confirmed on its own card, with the ETag it was drawn from). */
  'uro.delete-draft': z.object({ ...verb('uro.delete-draft'), ...onCase }).strict(),
  /** Closes a case still in the URO conversation: "no worry", or a safety answer given by mistake. */
  'uro.close': z.object({ ...verb('uro.close'), ...onCase, why: optionalInput(z.enum(['no-worry', 'answered-wrong'])) }).strict(),
  /** "Violence or sexual abuse is now suspected", answered later from the report path card. */
  'uro.suspect': z.object({ ...verb('uro.suspect'), caseId: caseCode, unitId }).strict(),
  'uro.part-a': z
    .object({
      ...verb('uro.part-a'),
      ...onCase,
      alias: optionalInput(text(40)),
      seenOrHeard: text(2000),
      childSaidOrDid: optionalInput(text(2000)),
      situations: optionalInput(text(2000)),
      sinceWhen: optionalInput(text(300)),
      howOften: optionalInput(text(300)),
      whatWorriesMe: text(2000),
      copesWellWhere: optionalInput(text(2000)),
    })
    .strict(),
  'uro.part-b': z
    .object({
      ...verb('uro.part-b'),
      ...onCase,
      talkWith: z.enum(['both-parents', 'one-parent', 'guardian', 'other']),
      whyNotBoth: optionalInput(text(300)),
      othersAttending: optionalInput(text(300)),
      noteTaker: optionalInput(text(300)),
      opening: text(2000),
      hopeFor: optionalInput(text(2000)),
      fear: optionalInput(text(2000)),
      helpWeCanOffer: optionalInput(text(2000)),
      askOfParents: optionalInput(text(2000)),
      /** Required on the card (with a default a week out), so the part C reminder always has a day. */
      plannedOn: day,
    })
    .strict(),
  'uro.part-c': z
    .object({
      ...verb('uro.part-c'),
      ...onCase,
      heldOn: day,
      howItWent: text(2000),
      whatTheySaid: optionalInput(text(2000)),
      whatWasAgreed: optionalInput(text(2000)),
      feelingNow: optionalInput(text(2000)),
      worryNowZoneId: optionalInput(z.string().min(1).max(64)),
    })
    .strict(),
  'uro.stage-1': z
    .object({
      ...verb('uro.stage-1'),
      ...onCase,
      goal1Text: text(300),
      goal1Date: day,
      goal2Text: optionalInput(text(300)),
      goal2Date: optionalInput(day),
      goal3Text: optionalInput(text(300)),
      goal3Date: optionalInput(day),
      action1What: optionalInput(text(300)),
      action1Who: optionalInput(z.enum(['me', 'parents', 'child', 'colleague'])),
      action1Due: optionalInput(day),
      action2What: optionalInput(text(300)),
      action2Who: optionalInput(z.enum(['me', 'parents', 'child', 'colleague'])),
      action2Due: optionalInput(day),
      action3What: optionalInput(text(300)),
      action3Who: optionalInput(z.enum(['me', 'parents', 'child', 'colleague'])),
      action3Due: optionalInput(day),
      evaluationOn: day,
      noteHeldOn: optionalInput(day),
      noteText: optionalInput(text(2000)),
      sign: optionalInput(toggle),
    })
    .strict()
    .superRefine((value, ctx) => {
      // A goal or an action is all or nothing: half a row is a mistake the person should see, in its own sentence.
      for (const n of [2, 3] as const) {
        const hasText = value[`goal${n}Text`] !== undefined;
        const hasDate = value[`goal${n}Date`] !== undefined;
        if (hasText && !hasDate) crossFieldIssue(ctx, `goal${n}Date`, { check: 'goalNeedsDate', n });
        if (hasDate && !hasText) crossFieldIssue(ctx, `goal${n}Text`, { check: 'goalNeedsText', n });
      }
      for (const n of [1, 2, 3] as const) {
        const hasWhat = value[`action${n}What`] !== undefined;
        const hasDue = value[`action${n}Due`] !== undefined;
        if (hasWhat && !hasDue) crossFieldIssue(ctx, `action${n}Due`, { check: 'actionNeedsDue', n });
        if (hasDue && !hasWhat) crossFieldIssue(ctx, `action${n}What`, { check: 'actionNeedsWhat', n });
      }
      if (value.noteText !== undefined && value.sign !== 'true') crossFieldIssue(ctx, 'sign', { check: 'noteNeedsSignature' });
    }),
  /** Aurskog-Høland 1b: the signed note of the conversation with the parents, before the goals. */
  'uro.stage-1-note': z
    .object({ ...verb('uro.stage-1-note'), ...onCase, noteHeldOn: day, noteText: text(2000), sign: z.literal('true') })
    .strict(),
  'case.evaluation': z
    .object({
      ...verb('case.evaluation'),
      ...onCase,
      /** The step the card asked about, and the day its period began: a card from another step is told apart. */
      stepId: optionalInput(stepIdInput),
      since: optionalInput(day),
      outcome: z.enum(['a', 'b']),
      comment: optionalInput(text(2000)),
      nextOn: optionalInput(day),
      /** On a step that asks the parents: who said no. */
      answeredBy: optionalInput(multi(giver)),
      sameDayReason: optionalInput(text(300)),
    })
    .strict(),
  // The work on a case between the moves of the ladder (src/bot/case-work.ts).
  'case.meeting': z
    .object({
      ...verb('case.meeting'),
      ...onCase,
      meeting: slug,
      heldOn: day,
      parents: z.enum(['both', 'one', 'none']),
      services: optionalInput(multi(slug)),
      leaderPresent: optionalInput(toggle),
      childPresent: optionalInput(toggle),
      conclusions: text(2000),
      actionWhat: optionalInput(text(300)),
      actionWho: optionalInput(who),
      actionDue: optionalInput(day),
      nextEvaluationOn: optionalInput(day),
      sign: optionalInput(toggle),
      parentsSignedOn: optionalInput(day),
      archivedAt: optionalInput(text(200)),
      archivedOn: optionalInput(day),
    })
    .strict()
    .superRefine((value, ctx) => {
      // What was agreed is an action: what and by when, or neither.
      if (value.actionWhat !== undefined && value.actionDue === undefined) crossFieldIssue(ctx, 'actionDue', { check: 'agreedNeedsDue' });
      if (value.actionDue !== undefined && value.actionWhat === undefined) crossFieldIssue(ctx, 'actionWhat', { check: 'agreedNeedsWhat' });
    }),
  'case.sign-meeting': z
    .object({
      ...verb('case.sign-meeting'),
      ...onCase,
      meetingId: recordId,
      sign: optionalInput(toggle),
      parentsSignedOn: optionalInput(day),
      archivedAt: optionalInput(text(200)),
      archivedOn: optionalInput(day),
    })
    .strict(),
  'case.goal': z.object({ ...verb('case.goal'), ...onCase, text: text(300), targetOn: day }).strict(),
  'case.action': z.object({ ...verb('case.action'), ...onCase, what: text(300), who, dueOn: day }).strict(),
  'case.action-done': z.object({ ...verb('case.action-done'), ...onCase, actionId: recordId, doneOn: day }).strict(),
  'case.action-edit': z
    .object({ ...verb('case.action-edit'), ...onCase, actionId: recordId, who: optionalInput(who), dueOn: optionalInput(day) })
    .strict(),
  'case.voice': z
    .object({
      ...verb('case.voice'),
      ...onCase,
      text: text(2000),
      heardOn: day,
      how: z.enum(['said', 'conversation', 'drawing-or-play', 'other']),
    })
    .strict(),
  'case.reschedule': z.object({ ...verb('case.reschedule'), ...onCase, on: day, reason: text(300) }).strict(),
  'case.withdraw-request': z.object({ ...verb('case.withdraw-request'), ...onCase, escalationId: recordId }).strict(),
  'case.close': z
    .object({ ...verb('case.close'), ...onCase, reason: z.enum(['resolved', 'moved-away', 'taken-over', 'reported', 'other']) })
    .strict(),
  'case.reopen': z.object({ ...verb('case.reopen'), ...onCase, evaluationOn: optionalInput(day) }).strict(),
} as const satisfies Record<string, z.ZodTypeAny>;

/**
 * The data of Action.Execute (Universal Actions) verbs. Identity never comes from here: the
 * decision is taken by the invoke's `from.aadObjectId`.
 */
export const ExecutePayloads = {
  'approval.decide': z
    .object({
      caseId: caseCode,
      unitId,
      escalationId,
      decision: z.enum(['approve', 'reject']),
      comment: optionalInput(z.string().trim().max(500)),
    })
    .strict(),
  'approval.refresh': z.object({ caseId: caseCode, unitId, escalationId }).strict(),
  /** "Skriv referat" on the minutes post in the channel: the form goes to the presser's own chat; the answer is theirs alone. */
  'team.minutes-form': z.object({ teamId: slug, meetingId }).strict(),
} as const satisfies Record<string, z.ZodTypeAny>;

export type Verb = keyof typeof Payloads;
export type ExecuteVerb = keyof typeof ExecutePayloads;
export type PayloadOf<V extends Verb | ExecuteVerb> = V extends Verb
  ? z.infer<(typeof Payloads)[V]>
  : V extends ExecuteVerb
    ? z.infer<(typeof ExecutePayloads)[V]>
    : never;

/** A check across fields (half a goal, an unsigned note), told in its own sentence rather than as a field. */
export type CrossFieldCheck = {
  check:
    'goalNeedsDate' | 'goalNeedsText' | 'actionNeedsDue' | 'actionNeedsWhat' | 'noteNeedsSignature' | 'agreedNeedsDue' | 'agreedNeedsWhat';
  n?: number;
};

function crossFieldIssue(ctx: z.RefinementCtx, field: string, check: CrossFieldCheck): void {
  ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message: check.check, params: check });
}

/**
 * Why a payload was refused: `fields` names every field at fault (as before); of those, `unknown`
 * are keys no card has, and `checks` the cross-field checks that have a sentence of their own.
 */
export type PayloadProblems = { fields: string[]; unknown: string[]; checks: CrossFieldCheck[] };
export type ParsedPayload<T> = { ok: true; data: T } | ({ ok: false } & PayloadProblems);

/** Fields that Teams clients add to every submit on their own; they carry no user input. */
const CLIENT_FIELDS = ['msteams'];

export function parsePayload<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown): ParsedPayload<T> {
  const input =
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([key]) => !CLIENT_FIELDS.includes(key)))
      : value;
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.join('.') || 'data'],
  );
  const unknown = result.error.issues.flatMap((issue) => (issue.code === 'unrecognized_keys' ? issue.keys : []));
  const checks = result.error.issues.flatMap((issue) =>
    issue.code === 'custom' && typeof issue.params?.check === 'string' ? [issue.params as CrossFieldCheck] : [],
  );
  return { ok: false, fields: [...new Set(fields)], unknown: [...new Set(unknown)], checks };
}

/** The data of a button that submits `verb` for a case (its inputs are added by the client). */
export function caseSubmit(verbName: Verb, c: { caseId: string; unitId: string; rev: string }) {
  return { verb: verbName, caseId: c.caseId, unitId: c.unitId, rev: c.rev };
}

/** The data of a button that opens a view of a case (a case as the domain holds it: `id` is its code). */
export function showView(c: { id: string; unitId: string }, view: UroView, item?: string) {
  return { verb: 'uro.show' as const, caseId: c.id, unitId: c.unitId, view, ...(item === undefined ? {} : { item }) };
}
