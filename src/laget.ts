import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './log';
import { createBot, type Bot } from './bot/app';
import { createAdapter } from './bot/adapter';
import { BotConversationPort } from './bot/proactive';
import { TeamsRosterSource } from './bot/team-roster';
import type { Services } from './bot/services';
import { loadLadder } from './domain/ladder';
import { startHttpServer } from './http/server';
import { JobStore } from './scheduler/job-store';
import { Scheduler } from './scheduler/scheduler';
import { Sender } from './scheduler/sender';
import { AuditLog } from './store/audit-log';
import { CaseRepository } from './store/case-repository';
import { openStore, type Store } from './store/cosmos';
import { PeopleRepository } from './store/people';
import { RetentionSweeper } from './store/retention';
import { ReportCounterRepository } from './store/report-counters';
import { MeetingRetention, TeamRepository } from './store/teams';
import type { ConversationPort } from './scheduler/conversation-port';
import { TeamRoster, type RosterSource } from './workflow/team-roster';
import { TeamService } from './workflow/team-service';
import { CaseService } from './workflow/case-service';
import { createDirectorySync, createReacher, type DirectoryOptions, type DirectorySync } from './directory';
import { DirectoryStore } from './store/directory';
import { CaseDirectoryEffects } from './workflow/directory-effects';
import { DIRECTORY_SYNC_JOB_KIND, DirectorySyncTask, directorySyncs } from './workflow/directory-jobs';
import { ActionReminderComposer, ApprovalReminderComposer, NoticeComposer, ReminderComposer } from './workflow/composers';
import {
  AgendaComposer,
  CallForCasesComposer,
  MinutesComposer,
  OwnerReminderComposer,
  TEAM_INACTIVE_JOB_KIND,
  TEAM_POST_PROBLEM_JOB_KIND,
  TeamInactiveComposer,
  TeamPostProblemComposer,
  TeamPostProblemHandler,
  TeamRemovedHandler,
} from './workflow/team-composers';
import { MEETING_JOB_KINDS } from './scheduler/meeting-jobs';
import { newJob } from './scheduler/job';
import { JobNoticeOutbox, NOTICE_JOB_KIND } from './workflow/notices';
import { ReportService } from './workflow/report-service';
import { UnfinishedWork } from './workflow/unfinished';
import {
  TERTIAL_REPORT_JOB_KIND,
  TERTIAL_REPORTS_JOB_KIND,
  TertialRecipientsTask,
  TertialReportComposer,
  tertialReports,
} from './workflow/report-jobs';
import { ACTION_REMINDER_KIND, APPROVAL_REMINDER_KINDS, CaseSchedule, REMINDER_KINDS } from './workflow/reminders';
import {
  SCHEDULE_BACKFILL_JOB_KIND,
  ScheduleBackfillTask,
  scheduleBackfill,
  TEAM_SCHEDULE_BACKFILL_JOB_KIND,
  TeamScheduleBackfillTask,
  teamScheduleBackfill,
} from './workflow/schedule-backfill';
import { TeamSchedule } from './workflow/team-schedule';

/**
 * The repositories behind the services: for the wiring of the scheduler and the directory here, and
 * for tests, scripts and benchmarks that seed or inspect a store. The bot never gets them.
 */
type Repositories = {
  cases: CaseRepository;
  teams: TeamRepository;
  people: PeopleRepository;
  audit: AuditLog;
  reportCounters: ReportCounterRepository;
  directory: DirectoryStore;
  jobs: JobStore;
};

export type Laget = {
  url: string;
  store: Store;
  bot: Bot;
  /** What the bot's flows work with (narrow: src/bot/services.ts). */
  services: Services;
  repositories: Repositories;
  /** The jobs each case's dates call for (the case service keeps them; seeding writes them too). */
  caseSchedule: CaseSchedule;
  /** The jobs each team's rhythm calls for (the team service keeps them; seeding writes them too). */
  teamSchedule: TeamSchedule;
  scheduler: Scheduler;
  /** Keeps the stored directory current; runs on the scheduler's loop (tests call it directly). */
  directorySync: DirectorySync;
  /** Graceful stop: finish turns in flight, stop background work, close the store. */
  stop(): Promise<void>;
};

export type LagetOptions = {
  /** The clock; tests and the local "advance the clock" setting replace it. */
  now?: () => Date;
  /** Graph's credential and timings (tests with a fake Graph, the bench). */
  directory?: DirectoryOptions;
  /** This process among several (the scheduler's claims, the directory's lease). */
  instanceId?: string;
  /** How long start waits for the first directory sync before serving on the last snapshot. Default 20 s. */
  directoryStartBudgetMs?: number;
};

/** Wiring only: config → store → services → bot → HTTP → scheduler. Used by src/index.ts and the tests. */
export async function startLaget(config: Config, log: Logger, options: LagetOptions = {}): Promise<Laget> {
  for (const warning of config.warnings) log.warn(warning);
  const store = await openStore(config.cosmos, log);
  try {
    const clock = new Clock(options.now);
    const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    // The outbox wakes the scheduler, which posts through the bot's adapter: bound once both exist.
    let scheduler: Scheduler | undefined;
    // The Bot Connector client serves the turns, the team rosters and the direct answers alike.
    const adapter = createAdapter(config.bot);
    const botAppId = config.bot.kind === 'authenticated' ? config.bot.appId : '';
    const wiring = createServices(
      config,
      log,
      store,
      clock.now,
      () => scheduler?.wake(),
      {
        direct: new BotConversationPort(adapter, botAppId),
        roster: new TeamsRosterSource(adapter, botAppId),
      },
      options,
    );
    const { services, repositories } = wiring;
    const { sync: directorySync } = createDirectorySync(
      config,
      {
        store: repositories.directory,
        effects: new CaseDirectoryEffects({ service: services.cases, log }),
        log,
        instanceId,
      },
      options.directory,
    );
    await syncAtStart(directorySync, clock.now(), log, options.directoryStartBudgetMs ?? 20_000);
    const bot = createBot({ config, log, services, clock, adapter });
    scheduler = createScheduler(config, log, wiring, bot, directorySync, instanceId);
    const http = await startHttpServer({
      bot,
      log,
      isReady: () => store.isReachable(),
      health: async () => ({ directory: await repositories.directory.status() }),
      requireToken: config.bot.kind === 'authenticated',
      ignorePlaygroundLocale: config.environment === 'local',
      port: config.http.port,
      host: config.http.host,
    });
    if (config.scheduler.intervalMs > 0) scheduler.start(config.scheduler.intervalMs);
    let stopping: Promise<void> | undefined;
    const running = scheduler;
    return {
      url: http.url,
      store,
      bot,
      services,
      repositories,
      caseSchedule: wiring.caseSchedule,
      teamSchedule: wiring.teamSchedule,
      scheduler: running,
      directorySync,
      stop() {
        stopping ??= (async () => {
          await http.close();
          await running.stop();
          await store.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The first directory sync, before the first turn: people need their units. If it fails or takes
 * longer than `budgetMs` (Graph away or slow), Laget starts on the last snapshot it has (the sync
 * says which, in the log and on /healthz) and the scheduler tries again.
 */
async function syncAtStart(sync: DirectorySync, now: Date, log: Logger, budgetMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
    timer.unref();
  });
  const outcome = await Promise.race([sync.atStart(now).catch((error: unknown) => ({ kind: 'error' as const, error })), late]);
  clearTimeout(timer);
  if (outcome === 'late') log.warn({ budgetMs }, 'the first directory sync takes long; starting on the last snapshot while it goes on');
  else if (outcome && outcome.kind === 'error')
    log.error({ err: outcome.error }, 'the first directory sync could not run; starting on the last snapshot');
}

/** The services, and what the scheduler is wired from besides them. */
type Wiring = { services: Services; repositories: Repositories; caseSchedule: CaseSchedule; teamSchedule: TeamSchedule };

function createServices(
  config: Config,
  log: Logger,
  store: Store,
  now: () => Date,
  wake: () => void,
  ports: { direct: ConversationPort; roster: RosterSource },
  options: LagetOptions,
): Wiring {
  const ladder = loadLadder(config.municipality.ladderId);
  const people = new PeopleRepository(store.containers.people);
  const directory = new DirectoryStore(store.containers.directory);
  const reacher = createReacher(config, log, options.directory);
  const jobs = new JobStore(store.containers);
  const notices = new JobNoticeOutbox({ jobs, people, log, wake, ...(reacher ? { reacher } : {}) });
  const caseSchedule = new CaseSchedule({
    jobs,
    settings: {
      timing: { timeZone: config.timeZone, hour: config.municipality.reminderHour },
      approvalWorkingDays: config.municipality.approvalReminderWorkingDays,
    },
    now,
  });
  const caseRepository = new CaseRepository(store.containers, { monthsAfterClosure: config.municipality.retentionMonthsAfterClosure });
  const audit = new AuditLog(store.containers.audit);
  const reportCounters = new ReportCounterRepository(store.containers.reportCounters);
  // What a save leaves undone (the store went away after it), case or team: one queue, drained by the scheduler.
  const unfinished = new UnfinishedWork(log);
  const cases = new CaseService({
    cases: caseRepository,
    audit,
    ladder,
    timeZone: config.timeZone,
    outbox: notices,
    counters: reportCounters,
    schedule: caseSchedule,
    log,
    unfinished,
  });
  const teamRepository = new TeamRepository(store.containers.teams);
  const teamSchedule = new TeamSchedule({ jobs, teams: teamRepository, now });
  const teams = new TeamService({
    teams: teamRepository,
    cases,
    roster: new TeamRoster(ports.roster, { log }),
    municipality: config.municipality,
    directory,
    timeZone: config.timeZone,
    log,
    minutes: { people, direct: ports.direct },
    counters: reportCounters,
    schedule: teamSchedule,
    unfinished,
  });
  const services: Services = {
    config,
    log,
    now,
    municipality: config.municipality,
    ladder,
    cases,
    reports: new ReportService({
      counters: reportCounters,
      audit,
      municipality: config.municipality,
      directory,
      ladder,
      timeZone: config.timeZone,
    }),
    people,
    directory,
    teams,
    notices,
    wake,
  };
  const repositories = { cases: caseRepository, teams: teamRepository, people, audit, reportCounters, directory, jobs };
  return { services, repositories, caseSchedule, teamSchedule };
}

function createScheduler(
  config: Config,
  log: Logger,
  { services, repositories, caseSchedule, teamSchedule }: Wiring,
  bot: Bot,
  directorySync: DirectorySync,
  instanceId: string,
): Scheduler {
  const botAppId = config.bot.kind === 'authenticated' ? config.bot.appId : '';
  // One attempt may include the SDK's own quick retry of a 429/5xx within the connector's time limit.
  const sender = new Sender(new BotConversationPort(bot.adapter, botAppId), { log, attemptTimeoutMs: postAttemptTimeoutMs(config) });
  const { jobs, people } = repositories;
  // Every composer reads its case through the case service (openForSystem), which audits what is shown.
  const composerDeps = {
    cases: services.cases,
    people,
    timeZone: config.timeZone,
    unitName: (unitId: string) => config.municipality.units.find((unit) => unit.id === unitId)?.name,
    jobs,
  };
  const reminders = new ReminderComposer(composerDeps);
  const approvalReminders = new ApprovalReminderComposer(composerDeps);
  const timing = { timeZone: config.timeZone, hour: config.municipality.reminderHour };
  const teamDeps = {
    teams: services.teams,
    cases: services.cases,
    people,
    timeZone: config.timeZone,
    log,
  };
  const removed = new TeamRemovedHandler({ ...teamDeps, jobs, newJob, now: services.now });
  const lost = new TeamPostProblemHandler({ ...teamDeps, jobs, newJob, now: services.now });
  return new Scheduler({
    store: jobs,
    sender,
    claimTtlMs: config.scheduler.claimTtlMs,
    composers: {
      [NOTICE_JOB_KIND]: new NoticeComposer(composerDeps),
      ...Object.fromEntries(Object.values(REMINDER_KINDS).map((kind) => [kind, reminders])),
      ...Object.fromEntries(Object.values(APPROVAL_REMINDER_KINDS).map((kind) => [kind, approvalReminders])),
      [ACTION_REMINDER_KIND]: new ActionReminderComposer(composerDeps),
      [MEETING_JOB_KINDS['call-for-cases']]: new CallForCasesComposer(teamDeps),
      [MEETING_JOB_KINDS.agenda]: new AgendaComposer(teamDeps),
      [MEETING_JOB_KINDS.minutes]: new MinutesComposer(teamDeps),
      [MEETING_JOB_KINDS['owner-reminders']]: new OwnerReminderComposer(teamDeps),
      [TEAM_INACTIVE_JOB_KIND]: new TeamInactiveComposer(teamDeps),
      [TEAM_POST_PROBLEM_JOB_KIND]: new TeamPostProblemComposer(teamDeps),
      [TERTIAL_REPORT_JOB_KIND]: new TertialReportComposer({
        reports: services.reports,
        municipality: config.municipality,
        people,
      }),
      [TERTIAL_REPORTS_JOB_KIND]: new TertialRecipientsTask({
        municipality: config.municipality,
        directory: repositories.directory,
        jobs,
        timeZone: config.timeZone,
      }),
      [DIRECTORY_SYNC_JOB_KIND]: new DirectorySyncTask(directorySync),
      [SCHEDULE_BACKFILL_JOB_KIND]: new ScheduleBackfillTask({
        jobs,
        cases: services.cases,
        caseSchedule,
        log,
      }),
      [TEAM_SCHEDULE_BACKFILL_JOB_KIND]: new TeamScheduleBackfillTask({
        teams: repositories.teams,
        teamSchedule,
        log,
      }),
    },
    // Who works where: a look every delta interval; a delta then, in full daily (one instance at a time).
    recurring: [tertialReports(timing), directorySyncs(config.directory.deltaIntervalMs)],
    atStart: [scheduleBackfill(), teamScheduleBackfill()],
    hooks: {
      onNotInRoster: (job) => removed.onNotInRoster(job),
      // A lost channel post is never re-posted; its team's lead is told, once per post.
      onFailed: (job) => lost.onFailed(job),
      onUnknown: (job) => lost.onUnknown(job),
    },
    daily: [
      // What saved changes of cases and teams left undone while the store was away (one list: audit entries, notices, jobs).
      { runIfDue: () => services.cases.finishUnfinished() },
      new RetentionSweeper({
        cases: repositories.cases,
        audit: repositories.audit,
        jobs,
        log,
        monthsAfterClosure: config.municipality.retentionMonthsAfterClosure,
      }),
      // A team's meeting records go after the same months as closed cases (a year back covers every tertial report).
      new MeetingRetention({ teams: repositories.teams, monthsAfterMeeting: config.municipality.retentionMonthsAfterClosure, log }),
    ],
    log,
    now: services.now,
    instanceId,
  });
}

/** How long one proactive post may take in the sender: the connector's limit per call, with room for one quick SDK retry. */
function postAttemptTimeoutMs(config: Pick<Config, 'bot'>): number {
  return Math.round(config.bot.connectorTimeoutMs * 1.5);
}
