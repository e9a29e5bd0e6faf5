import { TeamsInfo, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { Team } from '../domain/team';
import type { RosterMember, RosterSource } from '../workflow/team-roster';

/** Members per page (Teams allows up to 500); a very large team is read page by page, up to the cap. */
const PAGE_SIZE = 500;
const MAX_MEMBERS = 20_000;
const TIMEOUT_MS = 8_000;

/**
 * A team's roster from Teams through the Bot Connector (`TeamsInfo.getPagedTeamMembers`), in a
 * conversation opened on the team's channel, so it works from any turn — a channel, a personal
 * chat — and from the scheduler. The workflow caches it (src/workflow/team-roster.ts).
 */
export class TeamsRosterSource implements RosterSource {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async members(team: Pick<Team, 'teamsTeamId' | 'channel'>): Promise<RosterMember[]> {
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: team.channel.serviceUrl,
      conversation: {
        id: team.channel.channelId,
        conversationType: 'channel',
        tenantId: team.channel.tenantId,
        isGroup: true,
        name: '',
      },
      ...(team.channel.botId ? { bot: { id: team.channel.botId, name: 'Laget' } } : {}),
    };
    const read = new Promise<RosterMember[]>((resolve, reject) => {
      this.adapter
        .continueConversationAsync(this.botAppId, reference, async (context) => {
          const members: RosterMember[] = [];
          let token: string | undefined;
          do {
            const page = await TeamsInfo.getPagedTeamMembers(context, team.teamsTeamId, PAGE_SIZE, token);
            members.push(...page.members.map((m) => ({ id: m.id, ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) })));
            token = page.continuationToken || undefined;
          } while (token && members.length < MAX_MEMBERS);
          resolve(members);
        })
        .catch(reject);
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('the Bot Connector gave no roster in time')), TIMEOUT_MS);
    });
    try {
      return await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
