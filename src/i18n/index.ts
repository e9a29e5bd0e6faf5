import { en } from './en';
import { nb, type Catalogue, type Sentence, type Template } from './nb';

export type Locale = 'nb' | 'en';
export type { Catalogue, Sentence, Template };

/**
 * Both languages as code reads them: each sentence typed with bokmål's placeholders. English was
 * checked against bokmål where it is declared (`Translation`); the placeholder names exist only in
 * types, so this one cast adds them to the plain strings.
 */
const catalogues = { nb, en } as unknown as Record<Locale, Catalogue>;

/** Bokmål unless the client asks for English; nynorsk and other Norwegian variants get bokmål. */
export function localeFrom(clientLocale: string | undefined): Locale {
  return clientLocale?.toLowerCase().startsWith('en') ? 'en' : 'nb';
}

export function catalogue(locale: Locale): Catalogue {
  return catalogues[locale];
}

/**
 * Fills a catalogue sentence's `{name}` placeholders. The names come from the bokmål sentence's type:
 * a value missing, misspelt or extra fails to compile. (A sentence that may or may not have
 * placeholders, such as one of several refusals, is taken too; a plain one comes back as it is.)
 */
export function format<P extends string = never>(
  sentence: string | Template<P>,
  values: { readonly [K in NoInfer<P>]: string | number },
): string {
  return (sentence as unknown as string).replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String((values as Record<string, string | number>)[name]) : whole,
  );
}

/**
 * A label looked up by a key known only at run time (a report column, a payload field): the
 * catalogue's own entry if it is plain text, otherwise undefined (the caller shows the key).
 */
export function labelOf(labels: object, key: string): string | undefined {
  const found: unknown = Object.hasOwn(labels, key) ? (labels as Record<string, unknown>)[key] : undefined;
  return typeof found === 'string' && !/\{\w+\}/.test(found) ? found : undefined;
}

/** A calendar day (YYYY-MM-DD) as people read it: «1. desember 2026» / «1 December 2026». */
export function formatDay(day: string, locale: Locale): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return formatter(locale, 'UTC', false).format(date);
}

/** An instant shown in the municipality's time zone: «1. desember 2026 kl. 09:30». */
export function formatInstant(instant: string, locale: Locale, timeZone: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return formatter(locale, timeZone, true).format(date);
}

/** Building an Intl.DateTimeFormat costs far more than using one: one per locale, zone and kind. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${withTime}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale === 'nb' ? 'nb-NO' : 'en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
      timeZone,
    });
    formatters.set(key, found);
  }
  return found;
}

/** The reasons a person can be told no, each with a sentence in every language. */
export type RefusalKey = keyof Catalogue['refusals'];

export type RefusalFacts = {
  field?: string;
  latestAllowed?: string;
  decidedBy?: { name: string };
  decidedAt?: string;
  requirement?: string;
  missingServices?: string[];
  missingTeams?: string[];
  /** The step's short name (`work-not-done`, `evaluation-same-day`). */
  step?: string;
  /** The work item's label (`work-not-done`). */
  work?: string;
  expiredOn?: string;
  leader?: { name: string };
};

/** One sentence that says what happened and what to do next. */
export function refusalText(locale: Locale, reason: RefusalKey, facts: RefusalFacts = {}, timeZone = 'Europe/Oslo'): string {
  const t = catalogue(locale);
  const requirementKinds = t.nextStep.requirementKinds as Record<string, string>;
  return format(t.refusals[reason], {
    field: facts.field ?? '',
    latest: facts.latestAllowed ? formatDay(facts.latestAllowed, locale) : '',
    by: facts.decidedBy?.name ?? '',
    at: facts.decidedAt ? formatInstant(facts.decidedAt, locale, timeZone) : '',
    requirement: facts.requirement ? (requirementKinds[facts.requirement] ?? facts.requirement) : '',
    missing: [...(facts.missingServices ?? []), ...(facts.missingTeams ?? [])].join(', '),
    step: facts.step ?? '',
    work: facts.work ?? '',
    expired: facts.expiredOn ? formatDay(facts.expiredOn, locale) : '',
    leader: facts.leader?.name ?? '',
  });
}
