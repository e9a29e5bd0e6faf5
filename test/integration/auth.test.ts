import assert from 'node:assert/strict';
import sinon from 'sinon';
import { message, TENANT_ID, users, type Activity } from '../support/activities';
import { newSigningKey, sharedFakeEntra, type FakeEntra } from '../support/fake-entra';
import { cardOf, startTestLaget, textOf, type Running } from '../support/laget';

/**
 * Who may talk to Laget, with the real token check of the Bot Framework SDK against a fake
 * Entra ID on 127.0.0.1: its OpenID metadata and keys (BOT_OPENID_METADATA_URL), and a managed
 * identity endpoint from which the bot — a UserAssignedMsi bot, as deployed — gets the token for
 * its reply. Anything refused is refused before a single document is read.
 * (Production without credentials refusing to start is in http.test.ts.)
 */

const BOT_ID = '6f1c5b2e-8d3a-4c1f-9e7b-2a4d6c8e0f13';

describe('auth: Bot Framework tokens from a (fake) Entra ID', () => {
  let entra: FakeEntra;
  let running: Running;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  before(async () => {
    entra = await sharedFakeEntra();
    // What App Service gives a process with a managed identity; read by the SDK when the bot replies.
    process.env.IDENTITY_ENDPOINT = entra.identityEndpoint;
    process.env.IDENTITY_HEADER = entra.identityHeader;
    running = await startTestLaget({
      BOT_ID,
      BOT_TYPE: 'UserAssignedMsi',
      BOT_TENANT_ID: TENANT_ID,
      BOT_OPENID_METADATA_URL: entra.openIdMetadataUrl,
      ALLOWED_TENANT_IDS: TENANT_ID,
    });
  });
  after(async () => {
    await running.stop();
    for (const [name, value] of [
      ['IDENTITY_ENDPOINT', saved.endpoint],
      ['IDENTITY_HEADER', saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  const hjelp = (): Activity => message(running.connector.url, users.kari, 'hjelp');
  const storeRequests = () => running.laget.store.embedded!.requestCount;

  /** Posts `activity` with `token` and checks that it was refused before anything was read or sent. */
  async function refused(activity: Activity, authorization: string | undefined, expectedStatus = 401): Promise<void> {
    const reads = storeRequests();
    const sent = running.connector.received.length;
    // The SDK prints every refused token's error with console.error; the test output stays readable.
    const quiet = sinon.stub(console, 'error');
    const response = await running.post(activity, authorization ? { authorization } : {}).finally(() => quiet.restore());
    assert.equal(response.status, expectedStatus, JSON.stringify(response.body));
    assert.equal(running.connector.received.length, sent, 'nothing was sent');
    assert.equal(storeRequests(), reads, 'nothing was read from the store');
  }

  it('accepts a valid token, and the reply reaches the connector with the bot’s own token', async () => {
    const activity = hjelp();
    const response = await running.post(activity, { authorization: `Bearer ${entra.channelToken(BOT_ID, running.connector.url)}` });
    assert.equal(response.status, 200);
    const reply = running.connector.calls.at(-1);
    assert.match(textOf(cardOf(reply?.activity)), /Hei! Jeg er Laget/);
    assert.ok(entra.issuedToBot.length > 0, 'the bot fetched its token from the managed identity endpoint');
    assert.equal(reply?.authorization, `Bearer ${entra.issuedToBot.at(-1)}`);
  });

  it('refuses a request without a token', async () => {
    await refused(hjelp(), undefined);
  });

  it('refuses a token signed by a key that is not in the metadata', async () => {
    await refused(hjelp(), `Bearer ${entra.channelToken(BOT_ID, running.connector.url, {}, newSigningKey())}`);
  });

  it('refuses a token that names the published key but is signed by another', async () => {
    await refused(hjelp(), `Bearer ${entra.channelToken(BOT_ID, running.connector.url, {}, newSigningKey(), entra.key.kid)}`);
  });

  it('refuses a token for another bot (wrong audience)', async () => {
    await refused(hjelp(), `Bearer ${entra.channelToken('00000000-0000-0000-0000-0000000000aa', running.connector.url)}`);
  });

  it('refuses an expired token (beyond the five minutes of clock skew allowed)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(
      hjelp(),
      `Bearer ${entra.channelToken(BOT_ID, running.connector.url, { iat: now - 7200, nbf: now - 7200, exp: now - 600 })}`,
    );
  });

  it('refuses a token from another issuer', async () => {
    await refused(hjelp(), `Bearer ${entra.channelToken(BOT_ID, running.connector.url, { iss: 'https://evil.example/' })}`);
  });

  it('refuses a token issued for another service URL than the activity says', async () => {
    await refused(hjelp(), `Bearer ${entra.channelToken(BOT_ID, 'https://smba.trafficmanager.net/emea/')}`);
  });

  it('refuses a valid token from a tenant not in ALLOWED_TENANT_IDS before reading any state', async () => {
    const foreign = hjelp();
    foreign.conversation = { ...(foreign.conversation as object), tenantId: 'tenant-somewhere-else' };
    foreign.channelData = { tenant: { id: 'tenant-somewhere-else' } };
    await refused(foreign, `Bearer ${entra.channelToken(BOT_ID, running.connector.url)}`, 200);
  });
});
