import { seedCases } from './seed/scenarios';
import type { Laget } from '../src/laget';
import { AlreadyExists } from '../src/store/documents';

/**
 * Example data for `npm start`, so a person trying Laget locally has something to look at: the
 * scenario cases S1–S8, owned by Kari and Lise and led by Per and Ola. Who works where is the
 * local municipality file's (config/municipality.local.json, the file directory), so "mine saker"
 * and "mine enheter" find these cases in the people's units.
 *
 * Idempotent: a case that already exists is left as it is. That matters when COSMOS_ENDPOINT points
 * at a store that outlives the process. Personal-chat addresses are not written: Laget learns
 * each one when that person opens their Playground.
 */
export type SeedResult = { casesCreated: number; casesExisting: number };

export async function seedLocal(laget: Laget, now: Date): Promise<SeedResult> {
  const { ladder } = laget.services;
  const { cases: caseRepository } = laget.repositories;

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

  // The report's counters and the cases' reminders, made for the example cases (they were written without the case service).
  if (casesCreated > 0) {
    for (const example of examples) await laget.caseSchedule.sync(null, example, { now });
    for (const unitId of new Set(examples.map((c) => c.unitId))) {
      const inUnit = examples.filter((c) => c.unitId === unitId);
      await laget.repositories.reportCounters.rebuild(unitId, inUnit, ladder, laget.services.config.timeZone, now);
    }
  }

  return { casesCreated, casesExisting };
}
