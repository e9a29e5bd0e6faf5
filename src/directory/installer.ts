import type { Logger } from '../log';
import type { PersonalAddress } from '../store/conversation-address';
import { GraphFailure, type GraphApi } from './graph';

/**
 * Reaching a person who has never opened Laget: Laget installs itself as a personal app for them
 * through Graph (`POST /users/{id}/teamwork/installedApps` with the app's id in the tenant's
 * catalog; "already installed" is fine), finds that installation, and asks for its chat
 * (`GET …/installedApps/{installationId}/chat`). The chat's id is a conversation the Bot
 * Connector posts to. Teams also greets the bot with the install event, as when the person
 * installs Laget themselves.
 *
 * The tenant may not allow it (app setup or permission policies, the app blocked for the user,
 * the admin consent not given): that is `refused`, and the notice waits in the person's profile
 * as before — the sender is told so.
 */
export type Reach =
  { kind: 'reached'; address: PersonalAddress } | { kind: 'refused'; reason: string } | { kind: 'failed'; reason: string };

export interface PersonReacher {
  reach(personId: string): Promise<Reach>;
}

export type InstallerSettings = {
  /** The app's id in the tenant's app catalog (TEAMS_APP_CATALOG_ID). */
  catalogAppId: string;
  /** The Bot Connector address to post to (TEAMS_SERVICE_URL). */
  serviceUrl: string;
  /** Graph's base address, for the app's binding (`…/appCatalogs/teamsApps/{id}`). */
  graphBaseUrl: string;
  tenantId?: string;
  /** The bot's id in Teams conversations (28:<app id>). */
  botId?: string;
};

type Installation = { id: string; teamsApp?: { id?: string } };

export class ProactiveInstaller implements PersonReacher {
  constructor(
    private readonly graph: GraphApi,
    private readonly settings: InstallerSettings,
    private readonly log: Logger,
  ) {}

  async reach(personId: string): Promise<Reach> {
    const user = `/users/${encodeURIComponent(personId)}/teamwork/installedApps`;
    const appId = this.settings.catalogAppId;
    try {
      try {
        await this.graph.post(user, {
          'teamsApp@odata.bind': `${this.settings.graphBaseUrl}/appCatalogs/teamsApps/${encodeURIComponent(appId)}`,
        });
      } catch (error) {
        if (!(error instanceof GraphFailure && error.status === 409)) throw error; // 409: installed already
      }
      const filter = encodeURIComponent(`teamsApp/id eq '${appId.replace(/'/g, "''")}'`);
      const found = await this.graph.get<{ value?: Installation[] }>(`${user}?$expand=teamsApp&$filter=${filter}`);
      const installation = found.value?.find((i) => i.teamsApp?.id === appId) ?? found.value?.[0];
      if (!installation) return this.outcome(personId, { kind: 'failed', reason: 'the installation was not found after installing' });
      const chat = await this.graph.get<{ id?: string }>(`${user}/${encodeURIComponent(installation.id)}/chat`);
      if (!chat.id) return this.outcome(personId, { kind: 'failed', reason: 'Graph gave no chat for the installation' });
      const address: PersonalAddress = {
        kind: 'personal',
        serviceUrl: this.settings.serviceUrl,
        conversationId: chat.id,
        ...(this.settings.tenantId ? { tenantId: this.settings.tenantId } : {}),
        ...(this.settings.botId ? { botId: this.settings.botId } : {}),
      };
      return this.outcome(personId, { kind: 'reached', address });
    } catch (error) {
      const refused = error instanceof GraphFailure && (error.status === 403 || error.status === 404 || error.status === 401);
      const reason = error instanceof Error ? error.message : String(error);
      return this.outcome(personId, refused ? { kind: 'refused', reason } : { kind: 'failed', reason });
    }
  }

  private outcome(personId: string, reach: Reach): Reach {
    if (reach.kind === 'reached') this.log.info({ personId }, 'installed Laget for a person it had to reach');
    else this.log.warn({ personId, outcome: reach.kind, reason: reach.reason }, 'could not install Laget for a person; their notice waits');
    return reach;
  }
}
