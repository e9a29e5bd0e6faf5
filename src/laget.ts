import type { Config } from './config';
import type { Logger } from './log';
import { createBot, type Bot } from './bot/app';
import { startHttpServer } from './http/server';
import { loadLadder } from './domain/ladder';
import { AuditLog } from './store/audit-log';
import { CaseRepository } from './store/case-repository';
import { openStore, type Store } from './store/cosmos';
import { PeopleRepository } from './store/people';
import { CaseService, type NoticeOutbox } from './workflow/case-service';
import type { Services } from './bot/services';

export type Laget = {
  url: string;
  store: Store;
  bot: Bot;
  services: Services;
  /** Graceful stop: finish turns in flight, stop background work, close the store. */
  stop(): Promise<void>;
};

/** Wiring only: config → store → bot → HTTP. Used by src/index.ts and by the tests. */
export type LagetOptions = {
  /** The clock; tests and the local "advance the clock" setting replace it. */
  now?: () => Date;
};

export async function startLaget(config: Config, log: Logger, options: LagetOptions = {}): Promise<Laget> {
  const store = await openStore(config.cosmos, log);
  try {
    const services = createServices(config, log, store, options);
    const bot = createBot({ config, log, services });
    const http = await startHttpServer({
      bot,
      log,
      isReady: () => store.isReachable(),
      requireToken: config.bot.kind === 'authenticated',
      ignorePlaygroundLocale: config.environment === 'local',
      port: config.http.port,
      host: config.http.host,
    });
    let stopping: Promise<void> | undefined;
    return {
      url: http.url,
      store,
      bot,
      services,
      stop() {
        stopping ??= (async () => {
          await http.close();
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

function createServices(config: Config, log: Logger, store: Store, options: LagetOptions): Services {
  const ladder = loadLadder(config.municipality.ladderId);
  const outbox: NoticeOutbox = { enqueue: async () => undefined };
  const cases = new CaseService({
    cases: new CaseRepository(store.containers.cases, { monthsAfterClosure: config.municipality.retentionMonthsAfterClosure }),
    audit: new AuditLog(store.containers.audit),
    ladder,
    timeZone: config.timeZone,
    outbox,
    log,
  });
  return {
    config,
    log,
    now: options.now ?? (() => new Date()),
    municipality: config.municipality,
    ladder,
    cases,
    people: new PeopleRepository(store.containers.people),
  };
}
