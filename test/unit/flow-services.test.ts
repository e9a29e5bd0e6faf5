import assert from 'node:assert/strict';
import type { Services } from '../../src/bot/services';
import type { ReportFlowNeeds } from '../../src/bot/report';
import type { WelcomeNeeds } from '../../src/bot/welcome';
import type { CaseViewsNeeds } from '../../src/bot/case-views';

/**
 * A flow reaches only what it was given. These are compile-time facts: each line marked
 * `@ts-expect-error` must fail to compile, and `tsc` (the build and `npm run lint`) fails when one
 * compiles — when a repository or the whole configuration comes within a flow's reach again.
 * src/bot cannot name a repository either: dependency-cruiser forbids src/bot and src/cards to
 * import src/store, types included (.dependency-cruiser.cjs).
 */
function reaches(services: Services, welcome: WelcomeNeeds, report: ReportFlowNeeds, views: CaseViewsNeeds): unknown[] {
  return [
    // @ts-expect-error the bot's services hold no case repository: cases are read through the case service
    services.caseRepository,
    // @ts-expect-error nor the team repository: teams go through the team service
    services.teamRepository,
    // @ts-expect-error nor the audit log: the services audit what they show
    services.audit,
    // @ts-expect-error nor the scheduler's jobs
    services.jobs,
    // @ts-expect-error nor the whole configuration (the store's keys, the bot's secrets)
    services.config.cosmos,
    // @ts-expect-error the welcome flow was not given the team service
    welcome.teams,
    // @ts-expect-error the report flow was not given the case service
    report.cases,
    // @ts-expect-error a case view reads no report
    views.reports,
    // @ts-expect-error the directory is read a person or a unit at a time, never written by a flow
    views.directory.writeSnapshot,
  ];
}

describe('the services a flow gets', () => {
  it('are checked by the compiler (the @ts-expect-error lines above must not compile)', () => {
    assert.equal(typeof reaches, 'function');
  });
});
