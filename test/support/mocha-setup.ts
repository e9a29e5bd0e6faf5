import { assertChannelsStayedPrivate } from './channel-privacy';
import { channelTraffic } from './fake-connector';

// Tests are quiet unless asked: LOG_LEVEL=debug npm test shows what the app logs.
process.env.LOG_LEVEL ??= 'silent';
process.env.TZ_NAME ??= 'Europe/Oslo';

/**
 * Root hooks (mocha loads them through .mocharc.json's "require"). After the whole run, every
 * activity any fake Bot Connector received for a team channel is checked for child data: a
 * channel must never see a child's alias or initials, a national identity number or a birth date.
 */
export const mochaHooks = {
  afterAll(this: Mocha.Context): void {
    assertChannelsStayedPrivate(channelTraffic);
  },
};
