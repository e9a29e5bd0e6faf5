import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

/**
 * The Bot Framework adapter. Without BOT_ID (local only, enforced by config) it accepts
 * anonymous requests, as the Agents Playground sends them; with BOT_ID every request must
 * carry a valid Bot Framework token for that app id.
 */
export function createAdapter(bot: Config['bot']): TeamsAdapter {
  if (bot.kind === 'anonymous') return new TeamsAdapter({});
  return new TeamsAdapter({
    MicrosoftAppId: bot.appId,
    MicrosoftAppPassword: bot.password,
    MicrosoftAppType: bot.type,
    MicrosoftAppTenantId: bot.tenantId,
    ...(bot.openIdMetadataUrl ? { ToBotFromChannelOpenIdMetadataUrl: bot.openIdMetadataUrl } : {}),
    ...(bot.loginEndpoint ? { ToChannelFromBotLoginUrl: bot.loginEndpoint } : {}),
  });
}
