import { z } from 'zod';
import { CASE_SCHEMA_VERSION, CaseSchema, type Case } from '../domain/case';
import { FALLBACK_TEAM_QUESTION } from '../domain/team-questions';
import { upgradeDocument, type RawDocument } from './schema-upgrades';

/**
 * The stored shape of a case: the domain's Case plus the Cosmos `ttl` that retention sets once
 * the case is closed. Reading upgrades documents written by older versions of Laget, step by
 * step, so every reader sees the current schema.
 */

type Raw = RawDocument;

/**
 * Version 0 is the prototype's shape, written before `schemaVersion` existed: one flat
 * `nextEvaluationOn` instead of `nextDates`, and no `childVoice` or `teamItems` lists.
 */
function fromVersion0(doc: Raw): Raw {
  const { nextEvaluationOn, ...rest } = doc;
  return {
    ...rest,
    schemaVersion: 1,
    childVoice: doc.childVoice ?? [],
    teamItems: doc.teamItems ?? [],
    nextDates: doc.nextDates ?? { evaluationOn: nextEvaluationOn ?? null, checkInOn: null, conversationOn: null },
  };
}

/**
 * Version 1 kept a free-text `question` on each team item, and that text could reach a channel.
 * Version 2 asks the team a question from the fixed neutral list: an old item becomes "other –
 * raised orally in the meeting", and its text the owner's private note (it stays with the case).
 */
function fromVersion1(doc: Raw): Raw {
  const items = Array.isArray(doc.teamItems) ? (doc.teamItems as Raw[]) : [];
  return {
    ...doc,
    schemaVersion: 2,
    teamItems: items.map(({ question, ...item }) => ({
      ...item,
      questionId: item.questionId ?? FALLBACK_TEAM_QUESTION,
      note: item.note ?? (typeof question === 'string' && question.trim() !== '' ? question.trim().slice(0, 300) : null),
    })),
  };
}

/** Version 3 keeps the minutes of meetings and moved dates as records of their own: older cases have none. */
function fromVersion2(doc: Raw): Raw {
  return { ...doc, schemaVersion: 3, meetings: doc.meetings ?? [], dateChanges: doc.dateChanges ?? [] };
}

const UPGRADES: Record<number, (doc: Raw) => Raw> = { 0: fromVersion0, 1: fromVersion1, 2: fromVersion2 };

function upgradeCaseDocument(input: unknown): unknown {
  return upgradeDocument(input, 'case', CASE_SCHEMA_VERSION, UPGRADES, 0);
}

export const StoredCaseSchema = z.preprocess(
  upgradeCaseDocument,
  CaseSchema.extend({
    /** Seconds Cosmos keeps the document after its last write; set when the case is closed. */
    ttl: z.number().int().positive().optional(),
  }),
);
export type StoredCase = Case & { ttl?: number };
