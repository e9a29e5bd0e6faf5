import type { Config } from './config';
import type { Logger } from './log';
import { createBot, type Bot } from './bot/app';
import { BotConversationPort } from './bot/proactive';
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
import { CaseService } from './workflow/case-service';
import { ApprovalReminderComposer, NoticeComposer, ReminderComposer } from './workflow/composers';
import { JobNoticeOutbox, NOTICE_JOB_KIND } from './workflow/notices';
import { APPROVAL_REMINDER_KINDS, CaseReminderSource, REMINDER_KINDS } from './workflow/reminders';

export type Laget = {
  url: string;
  store: Store;
  bot: Bot;
  services: Services;
  scheduler: Scheduler;
  /** Graceful stop: finish turns in flight, stop background work, close the store. */
  stop(): Promise<void>;
};

export type LagetOptions = {
  /** The clock; tests and the local "advance the clock" setting replace it. */
  now?: () => Date;
};

/** Wiring only: config → store → services → bot → HTTP → scheduler. Used by src/index.ts and the tests. */
export async function startLaget(config: Config, log: Logger, options: LagetOptions = {}): Promise<Laget> {
  const store = await openStore(config.cosmos, log);
  try {
    const now = options.now ?? (() => new Date());
    // The outbox wakes the scheduler, which posts through the bot's adapter: bound once both exist.
    let scheduler: Scheduler | undefined;
    const services = createServices(config, log, store, now, () => scheduler?.wake());
    const bot = createBot({ config, log, services });
    scheduler = createScheduler(config, log, store, services, bot);
    const http = await startHttpServer({
      bot,
      log,
      isReady: () => store.isReachable(),
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
      scheduler: running,
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

function createServices(config: Config, log: Logger, store: Store, now: () => Date, wake: () => void): Services {
  const ladder = loadLadder(config.municipality.ladderId);
  const people = new PeopleRepository(store.containers.people);
  const notices = new JobNoticeOutbox({ jobs: new JobStore(store.containers.jobs, log), people, log, wake });
  const caseRepository = new CaseRepository(store.containers.cases, { monthsAfterClosure: config.municipality.retentionMonthsAfterClosure });
  const audit = new AuditLog(store.containers.audit);
  const cases = new CaseService({ cases: caseRepository, audit, ladder, timeZone: config.timeZone, outbox: notices, log });
  return {
    config,
    log,
    now,
    municipality: config.municipality,
    ladder,
    cases,
    caseRepository,
    audit,
    people,
    notices,
  };
}

function createScheduler(config: Config, log: Logger, store: Store, services: Services, bot: Bot): Scheduler {
  const botAppId = config.bot.kind === 'authenticated' ? config.bot.appId : '';
  const sender = new Sender(new BotConversationPort(bot.adapter, botAppId), { log });
  const composerDeps = {
    cases: services.caseRepository,
    people: services.people,
    audit: services.audit,
    ladder: services.ladder,
    timeZone: config.timeZone,
  };
  const reminders = new ReminderComposer(composerDeps);
  const approvalReminders = new ApprovalReminderComposer(composerDeps);
  const timing = { timeZone: config.timeZone, hour: config.municipality.reminderHour };
  return new Scheduler({
    store: new JobStore(store.containers.jobs, log),
    sender,
    composers: {
      [NOTICE_JOB_KIND]: new NoticeComposer(composerDeps),
      ...Object.fromEntries(Object.values(REMINDER_KINDS).map((kind) => [kind, reminders])),
      ...Object.fromEntries(Object.values(APPROVAL_REMINDER_KINDS).map((kind) => [kind, approvalReminders])),
    },
    sources: [
      new CaseReminderSource({
        cases: services.caseRepository,
        people: services.people,
        timing,
        approvalWorkingDays: config.municipality.approvalReminderWorkingDays,
        log,
      }),
    ],
    daily: [
      new RetentionSweeper({
        cases: services.caseRepository,
        audit: services.audit,
        jobs: new JobStore(store.containers.jobs, log),
        log,
        monthsAfterClosure: config.municipality.retentionMonthsAfterClosure,
      }),
    ],
    log,
    now: services.now,
  });
}
