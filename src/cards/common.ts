import { WORRY_FORM_QUESTIONS } from '../domain/worry-form';
import { catalogue, format, labelOf, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import type { CrossFieldCheck, Verb } from './payloads';
import { renderCard, trustedLink } from './render';
import type { ActionData, CardButton } from './templates';

/** A phone number a person can press to call (Adaptive Card markdown, `tel:` without spaces). */
export function phoneLink(number: string): string {
  return trustedLink(number, `tel:${number.replace(/[^\d+]/g, '')}`);
}

/** An address a person can press to open. */
export function urlLink(url: string): string {
  return trustedLink(url, url);
}

/** A button on the welcome card that starts one of the flows Laget offers. */
export type FlowButton = { verb: Verb; title: string };

/** "Where you are": the unfinished case the person can continue, shown on the welcome card. */
export type ResumeHint = { text: string; button: string; data: ActionData };

const NO_RESUME: ResumeHint = { text: '', button: '', data: { verb: 'welcome.show' } };

export function welcomeCard(locale: Locale, flows: readonly FlowButton[], resume?: ResumeHint): AdaptiveCardJson {
  return renderCard('welcome', { t: catalogue(locale), flows, resume: resume ?? NO_RESUME });
}

/**
 * What Laget says where others read along: a team channel (installed, or asked for help) or a
 * group chat. Never a case, a resume hint or a flow about a child — those belong in the 1:1 chat.
 */
export function teamIntroCard(locale: Locale, where: 'channel' | 'group-chat' = 'channel'): AdaptiveCardJson {
  const t = catalogue(locale).team;
  const [title, text] = where === 'channel' ? [t.introTitle, t.intro] : [t.groupIntroTitle, t.groupIntro];
  return renderCard('team-intro', { title, text });
}

/**
 * Refusals that trying again cannot change (who may act, a case that is gone or closed, something
 * decided already): their card says what to do instead and never "try again".
 */
const FINAL_REFUSALS: ReadonlySet<string> = new Set([
  'case-not-found',
  'case-already-exists',
  'ladder-mismatch',
  'case-closed',
  'case-not-closed',
  'not-owner',
  'not-designated-leader',
  'not-handover-recipient',
  'leader-cannot-be-owner',
  'ladder-already-started',
  'worry-form-closed',
  'step-not-reachable',
  'step-has-no-evaluation',
  'talk-to-parents-blocked-by-safety',
  'safety-answer-cannot-be-withdrawn',
  'consent-not-found',
  'consent-already-withdrawn',
  'approval-not-required',
  'escalation-pending',
  'escalation-not-found',
  'already-decided',
  'action-not-found',
  'action-already-done',
  'handover-pending',
  'no-pending-handover',
  'invalid-handover',
  'unknown-meeting',
  'meeting-not-found',
  'operation-not-permitted',
  'former-owner',
  'aggregates-only',
  'no-relation',
  'not-case-leader',
]);

/**
 * A refusal in words: what happened and what to do next. Nothing was changed. The hint under it
 * says "try again" unless the caller knows better (a card follows) or the reason is one that trying
 * again cannot help; `buttons` lead to what helps (record the consent, bring the case anonymously).
 */
export function refusalCard(
  locale: Locale,
  sentence: string,
  options: { title?: string; hint?: string; details?: string[]; reason?: string; buttons?: CardButton[] } = {},
): AdaptiveCardJson {
  const t = catalogue(locale);
  const final = options.reason !== undefined && FINAL_REFUSALS.has(options.reason);
  return renderCard('error', {
    title: options.title ?? t.errors.invalidTitle,
    message: sentence,
    details: options.details ?? [],
    hint: options.hint ?? (final ? '' : t.errors.tryAgain),
    buttons: options.buttons ?? [],
  });
}

export type ErrorKind = 'invalid-payload' | 'store-unavailable' | 'unexpected';

/** What was wrong with a payload beyond its field names, and what the card under the error says. */
export type ErrorDetails = { unknown?: readonly string[]; checks?: readonly CrossFieldCheck[]; hint?: string };

/** The Norwegian (or English) card a person sees when something they sent could not be used. */
export function errorCard(locale: Locale, kind: ErrorKind, fields: readonly string[] = [], details: ErrorDetails = {}): AdaptiveCardJson {
  const t = catalogue(locale);
  const text = {
    'invalid-payload': { title: t.errors.invalidTitle, message: t.errors.invalidPayload },
    'store-unavailable': { title: t.errors.storeUnavailableTitle, message: t.errors.storeUnavailable },
    unexpected: { title: t.errors.invalidTitle, message: t.errors.unexpected },
  }[kind];
  const unknown = new Set(details.unknown ?? []);
  const checks = details.checks ?? [];
  // A field at fault in a cross-field check is told by the check's own sentence only.
  const checked = new Set(checks.map(checkField));
  const sentences = [
    ...checks.map((check) => format(t.errors.checks[check.check], { n: check.n ?? '' })),
    ...fields
      .filter((field) => !checked.has(field))
      .map((field) =>
        unknown.has(field) ? format(t.errors.unknownField, { field }) : format(t.errors.invalidField, { field: fieldLabel(locale, field) }),
      ),
  ];
  return renderCard('error', { ...text, details: [...new Set(sentences)], hint: details.hint ?? t.errors.tryAgain, buttons: [] });
}

/** The field a cross-field check is reported on (see the stage-1 schema). */
function checkField(check: CrossFieldCheck): string {
  switch (check.check) {
    case 'goalNeedsDate':
      return `goal${check.n}Date`;
    case 'goalNeedsText':
      return `goal${check.n}Text`;
    case 'actionNeedsDue':
      return `action${check.n}Due`;
    case 'actionNeedsWhat':
      return `action${check.n}What`;
    case 'noteNeedsSignature':
      return 'sign';
    case 'agreedNeedsDue':
      return 'actionDue';
    case 'agreedNeedsWhat':
      return 'actionWhat';
  }
}

/** A field of the minutes form: item 3's second measure is item3Measure2 (a form from before there were three: item3Measure). */
const TEAM_ITEM_FIELD = /^item(\d+)(Known|Options|GoalOn|Goal|Next|Measure|Who|Due)([1-3])?$/;

/**
 * The label a person saw on the card for a payload key ('goal2Date') or a path in a domain command
 * ('answers.seenOrHeard', 'goals.0.text', 'parentNote.text'), so no error ever names an internal key.
 * An unknown key is returned as it is (it came from no card).
 */
export function fieldLabel(locale: Locale, path: string): string {
  const t = catalogue(locale);
  const parts = path.split('.');
  const [head, second, third] = parts;
  // Domain command paths: part answers, goals and actions by index, the 1b note.
  if (head === 'answers' && second !== undefined) return fieldLabel(locale, second);
  if (head === 'parentNote' && second !== undefined) return fieldLabel(locale, second === 'heldOn' ? 'noteHeldOn' : 'noteText');
  if ((head === 'goals' || head === 'actions') && second !== undefined && /^\d+$/.test(second)) {
    const n = Number(second) + 1;
    if (head === 'goals') return fieldLabel(locale, third === 'targetOn' ? `goal${n}Date` : `goal${n}Text`);
    return fieldLabel(locale, third === 'dueOn' ? `action${n}Due` : third === 'who' ? `action${n}Who` : `action${n}What`);
  }
  if (parts.length > 1) return fieldLabel(locale, parts[parts.length - 1]!);
  const question = (['A', 'B', 'C'] as const).flatMap((part) => WORRY_FORM_QUESTIONS[part]).find((q) => q.key === path);
  if (question) return question.labels[locale];
  const goal = /^goal(\d)(Text|Date)$/.exec(path);
  if (goal) {
    const label = format(t.uro.goalLabel, { n: goal[1]! });
    return goal[2] === 'Text' ? label : `${label}: ${t.uro.goalDateLabel.toLocaleLowerCase(locale === 'nb' ? 'nb' : 'en')}`;
  }
  const action = /^action(\d)(What|Who|Due)$/.exec(path);
  if (action) {
    const label = format(t.uro.actionLabel, { n: action[1]! });
    if (action[2] === 'What') return label;
    return `${label}: ${(action[2] === 'Who' ? t.uro.actionWhoLabel : t.uro.actionDueLabel).toLocaleLowerCase(locale === 'nb' ? 'nb' : 'en')}`;
  }
  const item = TEAM_ITEM_FIELD.exec(path);
  if (item) {
    const n = item[3] ?? '1';
    const measure = format(t.teams.measureLabel, { n });
    const measureOnly = measure.replace(/\s*\(.*\)$/, ''); // 'Tiltak 2 (hva)' -> 'Tiltak 2'
    const labels = {
      Known: t.teams.knownLabel,
      Options: t.teams.optionsLabel,
      Goal: t.teams.goalLabel,
      GoalOn: t.teams.goalOnLabel,
      Next: t.teams.nextEvaluationLabel,
      Measure: measure,
      Who: `${measureOnly}: ${t.teams.measureWhoLabel.toLocaleLowerCase(locale === 'nb' ? 'nb' : 'en')}`,
      Due: `${measureOnly}: ${t.teams.measureDueLabel.toLocaleLowerCase(locale === 'nb' ? 'nb' : 'en')}`,
    };
    return format(t.fields.teamItem, { n: item[1]!, label: labels[item[2] as keyof typeof labels] });
  }
  return labelOf(t.fields, path) ?? path;
}
