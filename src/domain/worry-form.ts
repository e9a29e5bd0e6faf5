import { z } from 'zod';
import { boundedText, IsoDateSchema, LocalizedTextSchema, MAX_FREE_TEXT, SlugSchema } from './primitives';
import questionData from './worry-form-questions.json';

/**
 * The worry form (uroskjema) of the URO method, in three parts:
 * A – concretise the worry; B – prepare the conversation with the parents; C – after the conversation.
 *
 * The schemas are the question keys. The nb/en question labels live as data in
 * `worry-form-questions.json` (the questions are part of the method, and a municipality may reword
 * them), checked against the schemas by a test; the i18n layer may use or override them.
 * Free text is bounded: answers at most 2000 characters, short answers at most 300.
 */

const answer = boundedText(MAX_FREE_TEXT);
const shortAnswer = boundedText(300);

export const WorryFormPartASchema = z.object({
  seenOrHeard: answer,
  childSaidOrDid: answer.optional(),
  situations: answer.optional(),
  sinceWhen: shortAnswer.optional(),
  howOften: shortAnswer.optional(),
  whatWorriesMe: answer,
  copesWellWhere: answer.optional(),
});

const ConversationPartnerSchema = z.enum(['both-parents', 'one-parent', 'guardian', 'other']);

export const WorryFormPartBSchema = z.object({
  talkWith: ConversationPartnerSchema,
  whyNotBoth: shortAnswer.optional(),
  othersAttending: shortAnswer.optional(),
  noteTaker: shortAnswer.optional(),
  opening: answer,
  hopeFor: answer.optional(),
  fear: answer.optional(),
  helpWeCanOffer: answer.optional(),
  askOfParents: answer.optional(),
  /** The day of the conversation; Laget reminds the owner to fill in part C then. */
  plannedOn: IsoDateSchema.optional(),
});

export const WorryFormPartCSchema = z.object({
  heldOn: IsoDateSchema,
  howItWent: answer,
  whatTheySaid: answer.optional(),
  whatWasAgreed: answer.optional(),
  feelingNow: answer.optional(),
  worryNowZoneId: SlugSchema.optional(),
});

export type WorryFormPart = 'A' | 'B' | 'C';

export const WORRY_FORM_PART_SCHEMAS = {
  A: WorryFormPartASchema,
  B: WorryFormPartBSchema,
  C: WorryFormPartCSchema,
} as const;

const QuestionLabelsSchema = z.object({
  A: z.array(z.object({ key: z.string(), labels: LocalizedTextSchema })),
  B: z.array(z.object({ key: z.string(), labels: LocalizedTextSchema })),
  C: z.array(z.object({ key: z.string(), labels: LocalizedTextSchema })),
});

export type WorryFormQuestion = {
  part: WorryFormPart;
  key: string;
  required: boolean;
  labels: { nb: string; en: string };
};

/** The questions of each part, in the order the card asks them. */
export const WORRY_FORM_QUESTIONS: Readonly<Record<WorryFormPart, readonly WorryFormQuestion[]>> = buildQuestions();

function buildQuestions(): Record<WorryFormPart, WorryFormQuestion[]> {
  const labels = QuestionLabelsSchema.parse(questionData);
  const build = (part: WorryFormPart): WorryFormQuestion[] => {
    const shape = WORRY_FORM_PART_SCHEMAS[part].shape as Record<string, z.ZodTypeAny>;
    return labels[part].map(({ key, labels: text }) => {
      const field = shape[key];
      if (!field) throw new Error(`worry-form-questions.json: part ${part} has no question ${key}`);
      return { part, key, required: !field.isOptional(), labels: text };
    });
  };
  return { A: build('A'), B: build('B'), C: build('C') };
}
