import type { Ladder } from '../domain/ladder';
import { findStep } from '../domain/ladder-steps';
import { catalogue, type Locale } from '../i18n';

/** How steps and services are named on cards, in the reader's language. */

export function stepLabel(ladder: Ladder, stepId: string | null, locale: Locale): string {
  if (stepId === null) return catalogue(locale).caseCard.noStep;
  return findStep(ladder, stepId)?.labels[locale] ?? stepId;
}

export function servicesText(ladder: Ladder, ids: readonly string[], locale: Locale): string {
  return ids.length === 0 ? '–' : ids.map((id) => ladder.services.find((service) => service.id === id)?.labels[locale] ?? id).join(', ');
}

/** A step's short name, as a sentence uses it: the part of its label before the colon ("2b", "1a og 1b", "Nivå 1"). */
export function stepShortLabel(ladder: Ladder, stepId: string | null, locale: Locale): string {
  const label = stepLabel(ladder, stepId, locale);
  const colon = label.indexOf(':');
  return colon > 0 ? label.slice(0, colon) : label;
}
