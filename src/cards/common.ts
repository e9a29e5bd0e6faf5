import { catalogue, format, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { renderCard } from './render';

/** A button on the welcome card that starts one of the flows Laget offers. */
export type FlowButton = { verb: string; title: string };

export function welcomeCard(locale: Locale, flows: readonly FlowButton[]): AdaptiveCardJson {
  return renderCard('welcome', { t: catalogue(locale), flows });
}

export function teamIntroCard(locale: Locale): AdaptiveCardJson {
  return renderCard('team-intro', { t: catalogue(locale) });
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
    details: fields.map((field) => format(t.errors.invalidField, { field })),
    hint: t.errors.tryAgain,
  });
}
