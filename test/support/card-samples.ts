import { errorCard, teamIntroCard, welcomeCard } from '../../src/cards/common';
import type { AdaptiveCardJson } from '../../src/cards/guards';

/**
 * Every card template with the data a user would plausibly see, rendered through the same
 * builder functions the bot uses. Each template in cards/ must appear here at least once
 * (a test enforces it), so a new card cannot skip the checks and the browser rendering.
 */
export type CardSample = { name: string; template: string; card: () => AdaptiveCardJson };

export const CARD_SAMPLES: CardSample[] = [
  {
    name: 'welcome-nb',
    template: 'welcome',
    card: () => welcomeCard('nb', [{ verb: 'welcome.show', title: 'Jeg er urolig for et barn' }]),
  },
  { name: 'welcome-en', template: 'welcome', card: () => welcomeCard('en', []) },
  { name: 'team-intro-nb', template: 'team-intro', card: () => teamIntroCard('nb') },
  { name: 'error-invalid-nb', template: 'error', card: () => errorCard('nb', 'invalid-payload', ['alias', 'verb']) },
  { name: 'error-store-nb', template: 'error', card: () => errorCard('nb', 'store-unavailable') },
];
