import type { Config } from './config';
import type { Logger } from './log';
import { createBot, type Bot } from './bot/app';
import { startHttpServer } from './http/server';
import { openStore, type Store } from './store/cosmos';

export type Laget = {
  url: string;
  store: Store;
  bot: Bot;
  /** Graceful stop: finish turns in flight, stop background work, close the store. */
  stop(): Promise<void>;
};

/** Wiring only: config → store → bot → HTTP. Used by src/index.ts and by the tests. */
export async function startLaget(config: Config, log: Logger): Promise<Laget> {
  const store = await openStore(config.cosmos, log);
  try {
    const bot = createBot({ config, log, store });
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
