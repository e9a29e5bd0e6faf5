import { z } from 'zod';
import { LocalizedTextSchema } from './primitives';
import questionData from './team-questions.json';

/**
 * What a case is brought to an interdisciplinary team for, chosen from a fixed, neutral list.
 * A channel sees only this choice (domain rule 7: free text is never posted to a channel); the
 * owner may keep a free-text note of their own, which stays with the case. The list is data
 * (`team-questions.json`, with bokmål and English labels), so a municipality can reword it.
 */

const TEAM_QUESTION_IDS = ['further-measures', 'other-services', 'before-parent-conversation', 'report-grounds', 'other'] as const;
export const TeamQuestionIdSchema = z.enum(TEAM_QUESTION_IDS);
export type TeamQuestionId = z.infer<typeof TeamQuestionIdSchema>;

/** What an item brought before the question was a choice becomes: the neutral "raised orally". */
export const FALLBACK_TEAM_QUESTION: TeamQuestionId = 'other';

export type TeamQuestion = { id: TeamQuestionId; labels: { nb: string; en: string } };

const TeamQuestionsSchema = z
  .array(z.object({ id: TeamQuestionIdSchema, labels: LocalizedTextSchema }).strict())
  .superRefine((questions, ctx) => {
    const missing = TEAM_QUESTION_IDS.filter((id) => !questions.some((q) => q.id === id));
    if (missing.length > 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `team-questions.json lacks ${missing.join(', ')}` });
    if (new Set(questions.map((q) => q.id)).size !== questions.length)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'a question is listed twice' });
  });

/** The questions in the order a card offers them. */
export const TEAM_QUESTIONS: readonly TeamQuestion[] = TeamQuestionsSchema.parse(questionData);

export function teamQuestionLabel(id: TeamQuestionId, locale: 'nb' | 'en'): string {
  return TEAM_QUESTIONS.find((question) => question.id === id)!.labels[locale];
}
