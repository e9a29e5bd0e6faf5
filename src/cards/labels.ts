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
