import { catalogue, format, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { renderCard } from './render';

/** A button on the welcome card that starts one of the flows Laget offers. */
export type FlowButton = { verb: string; title: string };

/** "Where you are": the unfinished case the person can continue, shown on the welcome card. */
export type ResumeHint = { text: string; button: string; data: object };

const NO_RESUME = { text: '', button: '', data: { verb: 'welcome.show' } };

export function welcomeCard(locale: Locale, flows: readonly FlowButton[], resume?: ResumeHint): AdaptiveCardJson {
  return renderCard('welcome', { t: catalogue(locale), flows, resume: resume ?? NO_RESUME });
}

export function teamIntroCard(locale: Locale): AdaptiveCardJson {
  return renderCard('team-intro', { t: catalogue(locale) });
}

/** A refusal in words: what happened and what to do next. Nothing was changed. */
export function refusalCard(locale: Locale, sentence: string): AdaptiveCardJson {
  const t = catalogue(locale);
  return renderCard('error', { title: t.errors.invalidTitle, message: sentence, details: [], hint: t.errors.tryAgain });
}

export type ErrorKind = 'invalid-payload' | 'store-unavailable' | 'unexpected';

/** The Norwegian (or English) card a person sees when something they sent could not be used. */
export function errorCard(locale: Locale, kind: ErrorKind, fields: readonly string[] = []): AdaptiveCardJson {
  const t = catalogue(locale);
  const text = {
    'invalid-payload': { title: t.errors.invalidTitle, message: t.errors.invalidPayload },
    'store-unavailable': { title: t.errors.storeUnavailableTitle, message: t.errors.storeUnavailable },
    unexpected: { title: t.errors.invalidTitle, message: t.errors.unexpected },
  }[kind];
  return renderCard('error', {
    ...text,
    details: fields.map((field) => format(t.errors.invalidField, { field: (t.fields as Record<string, string>)[field] ?? field })),
    hint: t.errors.tryAgain,
  });
}
