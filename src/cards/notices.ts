import type { Case } from '../domain/case';
import { nextDate } from '../domain/case';
import type { Ladder } from '../domain/ladder';
import type { Escalation } from '../domain/records';
import { caseSummary } from '../domain/views';
import { catalogue, format, formatDay, type Catalogue, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { stepLabel } from './labels';
import { showView } from './payloads';
import { renderCard } from './render';
import { factsOf, type CardButton } from './templates';

/**
 * The notices the scheduler posts to a person's chat about a case (src/workflow/composers.ts
 * decides whether and to whom; these only draw). Each says what happened in a sentence.
 */

/** What a notice is about, and who gets it (the owner and the leader each get their own way into the case). */
export type NoticeAbout = { about: string; personId: string };

const NOT_TOPICS = ['title', 'facts', 'open', 'waiting'] as const;
type Topic = Exclude<keyof Catalogue['notices'], (typeof NOT_TOPICS)[number]>;

function isTopic(sentences: Catalogue['notices'], about: string): about is Topic {
  return about in sentences && !(NOT_TOPICS as readonly string[]).includes(about);
}

/** The notice's sentence: its topic's text with the names filled in; an unknown topic is shown as itself. */
function noticeSentence(locale: Locale, about: string, names: { owner: string; leader: string }): string {
  const sentences = catalogue(locale).notices;
  return isTopic(sentences, about) ? format(sentences[about], names) : about;
}

/**
 * An information card: what happened, and the case's code, alias, step and next date — never the
 * owner's notes, worry form or the child's voice (the summary projection leaves them out).
 */
export function infoCard(
  locale: Locale,
  c: Case,
  notice: NoticeAbout,
  ladder: Ladder,
  unitName: (unitId: string) => string | undefined = () => undefined,
  /** Buttons instead of "open the case" (the leader's baton offer when an owner has left). */
  buttons?: CardButton[],
): AdaptiveCardJson {
  const t = catalogue(locale);
  const summary = caseSummary(c);
  const next = nextDate(c);
  const unit = unitName(c.unitId);
  const facts = factsOf([
    [t.notices.facts.code, summary.caseId],
    [t.notices.facts.alias, summary.alias ?? '–'],
    [t.notices.facts.step, stepLabel(ladder, summary.stepId, locale)],
    [t.notices.facts.nextDate, next ? formatDay(next, locale) : '–'],
    [t.notices.facts.owner, c.owner.name],
    ...(unit ? [[t.notices.facts.unit, unit] as const] : []),
  ]);
  // Both the owner and the leader can open the case from the card: each sees their own view of it.
  const button =
    c.owner.id === notice.personId
      ? { title: t.notices.open, data: showView(c, 'next') }
      : c.nearestLeader.id === notice.personId
        ? { title: t.notices.open, data: { verb: 'leader.case' as const, caseId: c.id, unitId: c.unitId } }
        : undefined;
  return renderCard('notice', {
    title: format(t.notices.title, { code: summary.caseId }),
    paragraphs: [noticeSentence(locale, notice.about, { owner: c.owner.name, leader: c.nearestLeader.name })],
    facts,
    buttons: buttons ?? (button ? [button] : []),
  });
}

/** The leader hears the owner has left (or their account is disabled), with the way to offer the case to a colleague. */
export function ownerDepartedCard(locale: Locale, c: Case, notice: NoticeAbout, ladder: Ladder): AdaptiveCardJson {
  const reassign = {
    title: catalogue(locale).baton.reassign,
    data: { verb: 'leader.reassign-form' as const, caseId: c.id, unitId: c.unitId },
  };
  return infoCard(locale, c, notice, ladder, undefined, [reassign]);
}

/**
 * A notice to someone the baton or the leader role has passed by, who may no longer see the case:
 * the case's code and who has it now — nothing about the child.
 */
export function codeOnlyCard(locale: Locale, c: Pick<Case, 'id' | 'owner' | 'nearestLeader'>, about: string): AdaptiveCardJson {
  const t = catalogue(locale);
  return renderCard('notice', {
    title: format(t.notices.title, { code: c.id }),
    paragraphs: [noticeSentence(locale, about, { owner: c.owner.name, leader: c.nearestLeader.name })],
    facts: [],
    buttons: [],
  });
}

/** The owner's answer from the leader: approved or rejected (with the leader's reason), and the way into the case. */
export function escalationDecidedCard(
  locale: Locale,
  c: Case,
  e: Extract<Escalation, { status: 'approved' | 'rejected' }>,
  ladder: Ladder,
): AdaptiveCardJson {
  const t = catalogue(locale);
  const step = stepLabel(ladder, e.toStepId, locale);
  const text =
    e.status === 'approved'
      ? format(t.approval.decidedApproved, { leader: e.decidedBy.name, step, code: c.id })
      : format(t.approval.decidedRejected, { leader: e.decidedBy.name, step, code: c.id, reason: e.reason });
  return renderCard('notice', {
    title: format(t.notices.title, { code: c.id }),
    paragraphs: [text],
    facts: [],
    buttons: [{ title: t.notices.open, data: showView(c, 'next') }],
  });
}

/** The owner hears that their request still waits for the leader (the leader got the approval card again). */
export function stillWaitingCard(locale: Locale, c: Case, waiting: Escalation, ladder: Ladder): AdaptiveCardJson {
  const t = catalogue(locale);
  const text = format(t.approval.stillWaiting, {
    step: stepLabel(ladder, waiting.toStepId, locale),
    leader: c.nearestLeader.name,
    at: formatDay(waiting.requestedAt.slice(0, 10), locale),
  });
  return renderCard('notice', { title: format(t.notices.title, { code: c.id }), paragraphs: [text], facts: [], buttons: [] });
}
