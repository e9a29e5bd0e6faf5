import type { TurnContext as BotTurnContext } from 'botbuilder';
import type { Config } from '../config';
import type { Ladder } from '../domain/ladder';
import type { Municipality } from '../domain/municipality';
import type { PersonRef } from '../domain/primitives';
import { dayOf } from '../domain/time';
import type { Logger } from '../log';
import type { TeamService } from '../workflow/team-service';
import type { CaseService, CaseWrite, TurnContext } from '../workflow/case-service';
import type { JobNoticeOutbox } from '../workflow/notices';
import type { DirectoryReader, Profiles } from '../workflow/records';
import type { ReportService } from '../workflow/report-service';
import { actorOf } from './actor';
import { directoryEntryOf, unitsLedIn } from './directory-entry';

/**
 * What the bot's routes may work with: the workflow's services and narrow ports, the clock and the
 * two settings flows read — no repository (src/bot imports nothing from src/store) and not the whole
 * configuration. Each flow takes the part it uses (`Needs<…>`), so a flow that reaches for anything
 * else does not compile.
 */
export type Services = {
  config: Pick<Config, 'timeZone' | 'environment'>;
  log: Logger;
  now: () => Date;
  municipality: Municipality;
  ladder: Ladder;
  /** The one path to a case (load → authorize → decide → save → audit once → notices). */
  cases: CaseService;
  reports: ReportService;
  /** A person's profile (language, personal chat, unfinished flow). */
  people: Profiles;
  /** Who works where (the stored directory): one point read per turn, see src/bot/directory-entry.ts. */
  directory: DirectoryReader;
  /** The one path to a team (load → authorize from the roster and the municipality → decide → save → answer). */
  teams: TeamService;
  /** Notices waiting for a person Laget had not met: released when their personal chat is known. */
  notices: Pick<JobNoticeOutbox, 'release'>;
  /** Lets the scheduler run now instead of at its next interval. */
  wake: () => void;
};

/** The part of the services a flow uses: its constructor takes `Needs<'cases' | 'now' | …>`, and nothing else is in reach. */
export type Needs<K extends keyof Services> = Pick<Services, K>;

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
export function turnOf(context: BotTurnContext, services: Needs<'now'>): TurnContext {
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

export function todayIn(services: Needs<'now' | 'config'>): string {
  return dayOf(services.now(), services.config.timeZone);
}
