import { PEOPLE, seedCases, UNITS } from '../src/domain/fixtures/scenarios';
import type { PersonRef } from '../src/domain/primitives';
import type { Laget } from '../src/laget';
import { AlreadyExists } from '../src/store/documents';

/**
 * Example data for `npm start`, so a person trying Laget locally has something to look at:
 * the scenario cases S1–S8 (owned by Kari and Lise, led by Per and Ola) and the profiles that
 * put each person in their unit, so "mine saker" and "mine enheter" find those cases.
 *
 * Idempotent: a case that already exists is left as it is, and a profile only gains units. That
 * matters when COSMOS_ENDPOINT points at a store that outlives the process. Personal-chat
 * addresses are not written: Laget learns each one when that person opens their Playground.
 */
export type SeedResult = { casesCreated: number; casesExisting: number; people: number };

/** Who works where: owners and colleagues in their unit, leaders in the unit they lead. */
const MEMBERSHIPS: ReadonlyArray<{ person: PersonRef; unitId: string }> = [
  { person: PEOPLE.kari, unitId: UNITS.solsikken.id },
  { person: PEOPLE.anne, unitId: UNITS.solsikken.id },
  { person: PEOPLE.per, unitId: UNITS.solsikken.id },
  { person: PEOPLE.lise, unitId: UNITS.bjorkelangen.id },
  { person: PEOPLE.ola, unitId: UNITS.bjorkelangen.id },
];

export async function seedLocal(laget: Laget, now: Date): Promise<SeedResult> {
  const { caseRepository, people, ladder } = laget.services;

  let casesCreated = 0;
  let casesExisting = 0;
  const examples = seedCases(now, ladder);
  for (const example of examples) {
    try {
      await caseRepository.create(example);
      casesCreated += 1;
    } catch (error) {
      if (!(error instanceof AlreadyExists)) throw error;
      casesExisting += 1;
    }
  }

  for (const { person, unitId } of MEMBERSHIPS) {
    // On the unit's roster too, so Kari can hand a case to Anne locally.
    await people.joinUnit(unitId, person);
    await people.update(person.id, person.name, now, (profile) => ({
      ...profile,
      unitIds: profile.unitIds.includes(unitId) ? profile.unitIds : [...profile.unitIds, unitId],
    }));
  }

  // The report's counters, counted from the example cases (they were written without the case service).
  if (casesCreated > 0) {
    for (const unitId of new Set(examples.map((c) => c.unitId))) {
      const inUnit = examples.filter((c) => c.unitId === unitId);
      await laget.services.reportCounters.rebuild(unitId, inUnit, ladder, laget.services.config.timeZone, now);
    }
  }

  return { casesCreated, casesExisting, people: MEMBERSHIPS.length };
}
