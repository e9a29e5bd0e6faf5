import { createPrivateKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the identity side of the Bot Framework on 127.0.0.1, for tests of the token check:
 *  - the OpenID metadata and signing keys Teams' tokens are checked against (what
 *    BOT_OPENID_METADATA_URL points to; the real one is login.botframework.com's), with the
 *    channel endorsement ("msteams") the SDK requires of a key;
 *  - a managed identity token endpoint in the shape App Service gives one (IDENTITY_ENDPOINT +
 *    IDENTITY_HEADER), from which the bot, as a UserAssignedMsi bot, gets its own token to reply.
 * Tokens are RS256 JWTs signed with node:crypto; no JWT library is involved.
 */

/** The issuer of tokens the Bot Framework sends to bots (what the SDK expects from the channel). */
const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export type SigningKey = { kid: string; privateKey: KeyObject; jwk: Record<string, unknown> };

export function newSigningKey(kid = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>),
    kid,
    use: 'sig',
    alg: 'RS256',
    endorsements: ['msteams'],
  };
  return { kid, privateKey: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })), jwk };
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** An RS256 JWT: the header names `kid`; the signature is made with `key` (which need not be the kid's). */
function signJwt(claims: Record<string, unknown>, key: SigningKey, kid = key.kid): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid, x5t: kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), key.privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

let shared: Promise<FakeEntra> | undefined;

/**
 * The one fake Entra ID of this test process for managed identity tokens. msal-node (under
 * @azure/identity) keeps the managed identity source it found first, with that endpoint and header,
 * for the whole process — right in Azure, where they never change — so every test that signs in as
 * a managed identity uses this one. It is never stopped, and keeps no test process alive.
 */
export function sharedFakeEntra(): Promise<FakeEntra> {
  shared ??= new FakeEntra().start().then((entra) => entra.unref());
  return shared;
}

export class FakeEntra {
  /** The key published in the metadata: tokens it signs are genuine. */
  readonly key = newSigningKey();
  readonly identityHeader = randomUUID();
  /** Tokens handed to the bot by the managed identity endpoint. */
  readonly issuedToBot: string[] = [];
  private server?: Server;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('fake Entra ID not started');
    return `http://127.0.0.1:${address.port}`;
  }

  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  get identityEndpoint(): string {
    return `${this.url}/msi/token`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.url);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/v1/.well-known/openidconfiguration') {
        json(200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: `${this.url}/authorize`,
          jwks_uri: `${this.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      } else if (url.pathname === '/v1/.well-known/keys') {
        json(200, { keys: [this.key.jwk] });
      } else if (url.pathname === '/msi/token') {
        // App Service's managed identity endpoint (api-version 2019-08-01).
        if (req.headers['x-identity-header'] !== this.identityHeader) {
          json(401, { error: 'invalid identity header' });
          return;
        }
        const resource = url.searchParams.get('resource') ?? '';
        const expiresOn = Math.floor(Date.now() / 1000) + 3600;
        const token = signJwt(
          { aud: resource, iss: 'https://sts.windows.net/fake/', appid: url.searchParams.get('client_id'), exp: expiresOn },
          this.key,
        );
        this.issuedToBot.push(token);
        json(200, {
          access_token: token,
          expires_on: String(expiresOn),
          resource,
          token_type: 'Bearer',
          client_id: url.searchParams.get('client_id'),
        });
      } else {
        json(404, { error: 'not found' });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  /** Lets the process end while this server still listens (the shared instance). */
  unref(): this {
    this.server?.unref();
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** What Teams (through the Bot Framework) would send to the bot `appId` for `serviceUrl`. */
  channelToken(
    appId: string,
    serviceUrl: string,
    overrides: Record<string, unknown> = {},
    key: SigningKey = this.key,
    kid?: string,
  ): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      { iss: BOT_FRAMEWORK_ISSUER, aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...overrides },
      key,
      kid,
    );
  }
}
