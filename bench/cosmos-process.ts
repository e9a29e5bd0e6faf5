import { startEmbeddedCosmos, type EmbeddedCosmos } from '../src/store/embedded-cosmos';
import { classify, type ClassifiedRequest } from '../test/support/store-requests';
import { serve } from './ipc';
import { startProfile, stopProfile } from './profile';

/**
 * The store in a process of its own: the embedded Cosmos server with a request observer, so the
 * benchmark can count the requests each kind of turn makes and see whether any query spans
 * partitions (test/support/store-requests.ts). On Azure the store's own work happens on Cosmos DB,
 * not in Laget's process; here it gets a process (a core) of its own.
 */
export type { ClassifiedRequest, StoreRequestKind } from '../test/support/store-requests';

let cosmos: EmbeddedCosmos | undefined;
let seen: ClassifiedRequest[] = [];
let recording = false;

serve({
  async start() {
    cosmos = await startEmbeddedCosmos(0, {
      observe: (request) => {
        if (recording) seen.push(classify(request));
      },
    });
    return { endpoint: cosmos.endpoint };
  },
  record(on: boolean) {
    recording = on;
    seen = [];
    return true;
  },
  requests() {
    return seen;
  },
  profileStart: () => startProfile(),
  profileStop: (name: string) => stopProfile(name),
  async stop() {
    await cosmos?.close();
    return true;
  },
});
