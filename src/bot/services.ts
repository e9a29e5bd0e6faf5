import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Ladder } from '../domain/ladder';
import type { Municipality } from '../domain/municipality';
import type { PersonRef } from '../domain/primitives';
import { dayOf } from '../domain/time';
import type { Logger } from '../log';
import type { AuditLog } from '../store/audit-log';
import type { CaseRepository } from '../store/case-repository';
import type { DirectoryStore } from '../store/directory';
import type { PeopleRepository } from '../store/people';
import type { ReportCounterRepository } from '../store/report-counters';
import type { TeamRepository } from '../store/teams';
import type { TeamService } from '../workflow/team-service';
import type { CaseService, CaseWrite, TurnContext } from '../workflow/case-service';
import type { JobStore } from '../scheduler/job-store';
import type { JobNoticeOutbox } from '../workflow/notices';
import type { CaseSchedule } from '../workflow/reminders';
import type { ReportService } from '../workflow/report-service';
import { actorOf } from './actor';
import { directoryEntryOf, unitsLedIn } from './directory-entry';

/** What the bot's routes work with: configuration, the clock, and the services behind them. */
export type Services = {
  config: Config;
  log: Logger;
  now: () => Date;
  municipality: Municipality;
  ladder: Ladder;
  cases: CaseService;
  caseRepository: CaseRepository;
  reportCounters: ReportCounterRepository;
  reports: ReportService;
  audit: AuditLog;
  people: PeopleRepository;
  /** Who works where (the stored directory): one point read per turn, see src/bot/directory-entry.ts. */
  directory: DirectoryStore;
  /** The one path to a team (load → authorize from the roster and the municipality → decide → save → answer). */
  teams: TeamService;
  teamRepository: TeamRepository;
  notices: JobNoticeOutbox;
  /** The scheduler's jobs, and the jobs each case's dates call for. */
  jobs: JobStore;
  caseSchedule: CaseSchedule;
  /** Lets the scheduler run now instead of at its next interval. */
  wake: () => void;
};

/** The acting person as the domain knows them: the Entra object id Teams signed, and a display name. */
export function personOf(context: BotTurnContext): PersonRef {
  const actor = actorOf(context.activity);
  return { id: actor.userId, name: actor.name.trim() || actor.userId };
}

const WRITES = Symbol('laget.caseWrites');

/** The case writes of this bot turn (shared by every call to the case service in it). */
export function writesOf(context: BotTurnContext): CaseWrite[] {
  let writes = context.turnState.get<CaseWrite[] | undefined>(WRITES);
  if (!writes) {
    writes = [];
    context.turnState.set(WRITES, writes);
  }
  return writes;
}

/** The workflow's view of this turn: who, when, and the activity id that makes retries idempotent. */
export function turnOf(context: BotTurnContext, services: Services): TurnContext {
  const actor = personOf(context);
  return {
    writes: writesOf(context),
    actor,
    correlationId: context.activity.id ?? `turn-${services.now().getTime()}`,
    now: services.now(),
    coordinator: directoryEntryOf(context)?.coordinator ?? false,
    leadsUnitIds: unitsLedIn(directoryEntryOf(context)),
  };
}

export function todayIn(services: Services): string {
  return dayOf(services.now(), services.config.timeZone);
}
