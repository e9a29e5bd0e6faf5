import type { Activity } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';
import { BoundedConnectorHttpClient } from './connector-http';

/**
 * The Bot Framework adapter. Without BOT_ID (local only, enforced by config) it accepts
 * anonymous requests, as the Agents Playground sends them; with BOT_ID every request must
 * carry a valid Bot Framework token for that app id. Calls to the Bot Connector go through a
 * client with a time limit per attempt that never re-sends a request that may have arrived
 * (connector-http.ts).
 */
export function createAdapter(bot: Config['bot']): LagetAdapter {
  const connectorClientOptions = { httpClient: new BoundedConnectorHttpClient(bot.connectorTimeoutMs) } as unknown as ConstructorParameters<
    typeof TeamsAdapter
  >[3];
  if (bot.kind === 'anonymous') return new LagetAdapter({}, undefined, undefined, connectorClientOptions);
  return new LagetAdapter(
    {
      MicrosoftAppId: bot.appId,
      MicrosoftAppPassword: bot.password,
      MicrosoftAppType: bot.type,
      MicrosoftAppTenantId: bot.tenantId,
      ...(bot.openIdMetadataUrl || bot.loginEndpoint ? publicCloudWith(bot.openIdMetadataUrl, bot.loginEndpoint) : {}),
    },
    undefined,
    undefined,
    connectorClientOptions,
  );
}

/** The teams-ai adapter, plus the token check on its own (see `authenticate`). */
export class LagetAdapter extends TeamsAdapter {
  /**
   * The SDK's check of the request's token, without running a turn. It throws for any token the
   * SDK would refuse — including one whose signature does not verify, which the SDK's own
   * `process` answers with 500 instead of 401; src/http answers 401 for every such failure.
   */
  async authenticate(activity: { channelId: string; serviceUrl: string }, authHeader: string): Promise<void> {
    await this.botFrameworkAuthentication.authenticateRequest(activity as Activity, authHeader);
  }
}

/**
 * The public cloud's endpoints with one of them replaced (tests with a local fake Entra ID). Setting
 * any of these makes the SDK take every one of them from the configuration, so a partial set would
 * leave the token issuer unset and refuse every genuine token: all are given, with the SDK's values.
 */
function publicCloudWith(openIdMetadataUrl: string | undefined, loginEndpoint: string | undefined) {
  return {
    ToBotFromChannelOpenIdMetadataUrl: openIdMetadataUrl ?? 'https://login.botframework.com/v1/.well-known/openidconfiguration',
    ToChannelFromBotLoginUrl: loginEndpoint ?? 'https://login.microsoftonline.com/botframework.com',
    ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
    ToChannelFromBotOAuthScope: 'https://api.botframework.com',
    ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
    OAuthUrl: 'https://api.botframework.com',
    CallerId: 'urn:botframework:azure',
    ValidateAuthority: true,
  };
}
