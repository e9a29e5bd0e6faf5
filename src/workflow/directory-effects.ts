import { leaderFor, type DirectoryChanges } from '../domain/directory';
import type { Logger } from '../log';
import type { DirectoryEffects } from '../directory/sync';
import type { CaseService } from './case-service';

/**
 * What a change in the directory means for open cases, through the case service like any other
 * change (the domain decides, the case is saved with its ETag, one audit entry, notices to the
 * outbox):
 *
 * - a leader no longer leads the unit → each open case they lead there gets the unit's (first
 *   active) leader; a request waiting for approval moves with it; the old leader is told;
 * - an owner left the unit or was disabled → the case's leader is offered the baton, once.
 *
 * Leader changes go first, so that a departure is told to the leader the case has now. The
 * correlation id of each change is derived from the snapshot version and the change, so a run
 * repeated after a crash writes no second audit entry and sends no second notice.
 */
export class CaseDirectoryEffects implements DirectoryEffects {
  constructor(private readonly deps: { service: Pick<CaseService, 'findForSystem' | 'applyForDirectory'>; log: Logger }) {}

  async apply(changes: DirectoryChanges, context: { version: number; now: Date }): Promise<{ casesChanged: number }> {
    const { service, log } = this.deps;
    let casesChanged = 0;
    const run = async (
      ref: { caseId: string; unitId: string },
      correlationId: string,
      command: Parameters<CaseService['applyForDirectory']>[1],
    ) => {
      const outcome = await service.applyForDirectory(ref, command, { correlationId, now: context.now });
      if (outcome.kind === 'done' && outcome.events.length > 0) casesChanged += 1;
      if (outcome.kind === 'refused')
        log.warn({ caseId: ref.caseId, command: command.type, reason: outcome.reason }, 'directory change not applied to a case');
    };
    for (const change of changes.leaderChanges) {
      for (const gone of change.gone) {
        for (const c of await service.findForSystem({ ledBy: gone.id, unitId: change.unitId })) {
          const successor = leaderFor(change.leaders, [c.owner.id, ...(c.pendingHandover ? [c.pendingHandover.to.id] : [])]);
          if (!successor) {
            log.warn(
              { caseId: c.id, unitId: change.unitId },
              'the unit has no other active leader: the case keeps its leader until it has one',
            );
            continue;
          }
          await run({ caseId: c.id, unitId: c.unitId }, `directory-v${context.version}-leader-${gone.id}`, {
            type: 'directory-change-leader',
            to: successor,
          });
        }
      }
    }
    for (const departure of changes.departures) {
      for (const c of await service.findForSystem({ ownedBy: departure.person.id, unitId: departure.unitId })) {
        await run({ caseId: c.id, unitId: c.unitId }, `directory-v${context.version}-departure-${departure.person.id}`, {
          type: 'record-owner-departure',
          reason: departure.reason,
        });
      }
    }
    return { casesChanged };
  }
}
