import type { TurnContext } from 'botbuilder';
import { activeMembers } from '../domain/directory';
import { directoryEntryOf } from './directory-entry';
import type { SearchChoice, SearchQuery } from './router';
import { personOf, type Needs } from './services';

/** What this flow reaches (src/bot/services.ts): nothing else compiles. */
export type ColleagueSearchNeeds = Needs<'directory' | 'people'>;

/**
 * The search field of the baton picker in a large unit: Teams' `Data.Query` typeahead sends an
 * `application/search` invoke with what the person typed (the route `search colleagues:` in
 * src/bot/routes.ts), and Laget answers with the unit's active staff whose name or sign-in name
 * contains it — from the directory, one point read. Only someone who works in the unit, or has a
 * case there, may search it; nothing about any case is involved (the choice is checked again, and
 * by the domain, when the offer is made).
 */

/** Units with more colleagues than this get the search field (and this many names before typing). */
export const SEARCH_FROM = 20;
/** The dataset prefix of the colleague search; the unit's id follows it. */
export const COLLEAGUES_DATASET = 'colleagues:';

export function colleagueDataset(unitId: string): string {
  return `${COLLEAGUES_DATASET}${unitId}`;
}

export async function searchColleagues(context: TurnContext, services: ColleagueSearchNeeds, query: SearchQuery): Promise<SearchChoice[]> {
  const unitId = query.dataset.slice(COLLEAGUES_DATASET.length);
  const me = personOf(context);
  const works = directoryEntryOf(context)?.units.some((unit) => unit.unitId === unitId) ?? false;
  const hadCases = works || ((await services.people.read(me.id))?.doc.unitIds.includes(unitId) ?? false);
  if (!hadCases) return [];
  const wanted = normalise(query.queryText);
  const matches = activeMembers(await services.directory.unit(unitId)).filter(
    (m) => m.id !== me.id && (normalise(m.name).includes(wanted) || normalise(m.upn ?? '').includes(wanted)),
  );
  return matches
    .slice(query.skip, query.skip + Math.min(query.top, 50))
    .map((m): SearchChoice => ({ title: m.upn ? `${m.name} (${m.upn})` : m.name, value: m.id }));
}

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}
