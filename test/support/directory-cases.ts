import type { Case } from '../../src/domain/case';
import { decideAll } from '../../src/domain/decide';
import { readyToEvaluate, walkTo } from './ladder-walk';
import { dayOf } from '../../src/domain/time';
import { loadLadder } from '../../src/domain/ladder';
import type { PersonRef } from '../../src/domain/primitives';
import { CaseRepository } from '../../src/store/case-repository';
import type { TestUser } from './activities';
import type { Running } from './laget';

/** Cases put straight into the store, for tests of what the directory does to them (no walk through the cards). */

const ladder = loadLadder('aurskog-holand');

const ref = (user: TestUser): PersonRef => ({ id: user.aadObjectId, name: user.name });

/** A case on `stepId` in `unitId`, owned and led as given, with its clock; stored. */
export async function storedCase(
  running: Running,
  options: { caseId: string; unitId: string; owner: TestUser; leader: TestUser; stepId?: string; start: Date },
): Promise<{ case: Case; now: Date }> {
  const walk = walkTo(ladder, options.stepId ?? '1', {
    caseId: options.caseId,
    owner: ref(options.owner),
    leader: ref(options.leader),
    start: options.start,
  });
  const c: Case = { ...walk.case, unitId: options.unitId };
  await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(c);
  return { case: c, now: walk.now };
}

/**
 * A case on 2b whose evaluation proposed 3b, with the parents' signed consent for PPT and the
 * health station on record: the owner's next card asks the leader for approval. Stored.
 */
export async function caseReadyToAsk(
  running: Running,
  options: { caseId: string; unitId: string; owner: TestUser; leader: TestUser; start: Date },
): Promise<{ case: Case; now: Date }> {
  // A week on 2b with the step's work done (its evaluation waits for it): ready to be evaluated.
  const walk = readyToEvaluate(
    ladder,
    walkTo(ladder, '2b', { caseId: options.caseId, owner: ref(options.owner), leader: ref(options.leader), start: options.start }),
  );
  const now = walk.now;
  const today = dayOf(now);
  const decision = decideAll(
    walk.case,
    [
      { command: { type: 'record-evaluation', outcome: 'b' }, actor: ref(options.owner), now },
      {
        command: {
          type: 'record-consent',
          givenBy: ['mother', 'father'],
          services: ['ppt', 'helsestasjon'],
          teams: [],
          purpose: 'Samarbeid om tiltak for barnet',
          givenOn: today,
          validUntil: dayOf(new Date(now.getTime() + 300 * 86_400_000)),
          signedFormArchivedAt: 'Arkivmappe for samtykker',
          childHasConsentAge: false,
        },
        actor: ref(options.owner),
        now,
      },
    ],
    ladder,
  );
  if (decision.kind === 'refused') throw new Error(`could not prepare the case: ${decision.reason}`);
  const c: Case = { ...decision.case, unitId: options.unitId };
  await new CaseRepository(running.laget.store.containers, { monthsAfterClosure: 12 }).create(c);
  return { case: c, now };
}
