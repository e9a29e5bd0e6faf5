import { catalogue, format, type Locale } from '../i18n';
import type { AdaptiveCardJson } from './guards';
import { renderCard } from './render';
import type { ActionData, CardButton } from './templates';

/** The list card every list of cases is drawn with, apart from the cards that fill it (so case.ts and ladder.ts need not import each other). */

export type CaseListItem = { heading: string; line: string; button: string; data: ActionData };

/** A list row's heading: the case code, and the owner's alias beside it when there is one. */
export function listHeading(c: { readonly id: string; readonly alias: string | null }): string {
  return c.alias ? `${c.id} · ${c.alias}` : c.id;
}

/** Which page of a list a card shows, and the data of the button that shows the next one. */
export type ListPaging = { page: number; pages: number; total: number; size: number; next: (page: number) => ActionData };

/**
 * A titled list of cases, each with a button (mine saker, til godkjenning, mine enheter), one page
 * at a time: "Viser 1–12 av 40" and *Vis flere* when there is more, so a list of any length fits
 * in a card.
 */
export function caseListCard(
  locale: Locale,
  title: string,
  empty: string,
  items: readonly CaseListItem[],
  footer: readonly CardButton[] = [],
  paging?: ListPaging,
): AdaptiveCardJson {
  const t = catalogue(locale);
  const from = paging ? (paging.page - 1) * paging.size + 1 : 1;
  const showing = paging && paging.pages > 1 ? format(t.lists.showing, { from, to: from + items.length - 1, total: paging.total }) : '';
  const more = paging && paging.page < paging.pages ? [{ title: t.lists.more, data: paging.next(paging.page + 1) }] : [];
  const first = paging && paging.page > 1 && paging.page >= paging.pages ? [{ title: t.lists.first, data: paging.next(1) }] : [];
  return renderCard('case-list', { title, empty, showing, cases: items, footer: [...more, ...first, ...footer] });
}
